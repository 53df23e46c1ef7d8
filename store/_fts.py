"""Full-text indexing in bulk, behind the writes (migration 4).

Trigram FTS5 indexing costs more CPU than everything else a write does together (about 0.75 ms
per article of 600 characters, see ``bench/store.py``), so it no longer runs row by row in a
trigger. Articles get increasing ids (``next_article_id``), ``fts_progress.indexed_upto`` says how
far the index has got, and ``index_articles`` adds the next rows in id order with one
``INSERT … SELECT``. ``Store.search`` finds the rows above the mark with ``LIKE``, so an article
is searchable as soon as its batch commits, indexed or not. The writer indexes the backlog in the
batch's transaction once it exceeds ``Store.fts_lag`` articles; bulk loads pass ``fts_lag=None``
and call ``Store.index_search`` at the end (``finish_crawl`` does too).

Rows at or below the mark that change title or text, or are deleted, are re-indexed or removed
by triggers, as before.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from store._connect import now, write_transaction
from store._schema import FTS_TABLE

FTS_LAG = 1000
FTS_CHUNK = 5000

_INDEXED = "old.id <= (SELECT indexed_upto FROM fts_progress WHERE id = 1)"
_TRIGGERS = (
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON articles WHEN {_INDEXED} BEGIN
      INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, title, text)
      VALUES ('delete', old.id, old.title, old.text);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF title, text ON articles WHEN {_INDEXED}
    BEGIN
      INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, title, text)
      VALUES ('delete', old.id, old.title, old.text);
      INSERT INTO {FTS_TABLE} (rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
)


def create_progress(db: Database) -> None:
    """v4: every stored article is indexed (the v1 triggers did it); from now on the writer indexes
    in bulk, so the per-row insert trigger goes and the others apply to indexed rows only."""
    for name in ("ai", "ad", "au"):
        db.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{name}")
    db.execute(
        "INSERT INTO fts_progress (id, indexed_upto, indexed_at) "
        "VALUES (1, (SELECT coalesce(max(id), 0) FROM articles), ?)",
        (now(),),
    )
    for statement in _TRIGGERS:
        db.execute(statement)


def indexed_upto(conn: sqlite3.Connection) -> int:
    """The highest article id in the full-text index."""
    row = conn.execute("SELECT indexed_upto FROM fts_progress WHERE id = 1").fetchone()
    return int(row[0]) if row else 0


def next_article_id(conn: sqlite3.Connection) -> int:
    """The id for the next new article: above every stored id and above the index mark, so an id
    freed by a delete is never given to a new article the index would then skip."""
    row = conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()
    return max(int(row[0]), indexed_upto(conn)) + 1


def index_articles(conn: sqlite3.Connection, limit: int | None = None) -> int:
    """Index the next ``limit`` (default all) articles above the mark, in the caller's
    transaction; returns how many."""
    start = indexed_upto(conn)
    last, count = conn.execute(
        "SELECT max(id), count(*) FROM (SELECT id FROM articles WHERE id > ? ORDER BY id LIMIT ?)",
        (start, -1 if limit is None else limit),
    ).fetchone()
    if not count:
        return 0
    conn.execute(
        f"INSERT INTO {FTS_TABLE} (rowid, title, text) "
        "SELECT id, title, text FROM articles WHERE id > ? AND id <= ?",
        (start, last),
    )
    conn.execute(
        "UPDATE fts_progress SET indexed_upto = ?, indexed_at = ? WHERE id = 1", (last, now())
    )
    return int(count)


class SearchIndexMixin:
    """Catching the full-text index up; needs ``self.conn``."""

    conn: sqlite3.Connection

    def index_search(self, chunk: int = FTS_CHUNK) -> int:
        """Index every article not yet in the full-text index, ``chunk`` articles per
        transaction so a concurrent writer waits at most one chunk; returns how many."""
        total = 0
        while True:
            with write_transaction(self.conn):
                done = index_articles(self.conn, chunk)
            total += done
            if done < chunk:
                return total

    def search_backlog(self) -> int:
        """How many articles are not in the full-text index yet (search finds them by LIKE)."""
        row = self.conn.execute(
            "SELECT count(*) FROM articles WHERE id > ?", (indexed_upto(self.conn),)
        ).fetchone()
        return int(row[0])
