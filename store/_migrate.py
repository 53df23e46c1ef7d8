"""Schema versions and the ordered list of migrations that bring any older database up to date.

``PRAGMA user_version`` holds the version. Migration *n* creates the tables, columns and indexes
whose ``since`` is *n* in :mod:`store._schema`, then runs the step's own data changes; a fresh
database goes through the same steps, so a migrated database equals a new one. Views are dropped
and created again after any migration. Everything runs in one write transaction.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

from newsdesk.errors import SchemaVersionError, StoreError
from store import _simhash
from store._blocks import blocks_as_json
from store._connect import write_transaction
from store._counts import create_counts
from store._fts import create_progress
from store._pushed import create_pushed_counts
from store._schema import FTS_TABLE, SCHEMA_VERSION, TABLES
from store._spec import Index, Table
from store._tallies import create_tallies
from store._views import VIEWS

log = logging.getLogger(__name__)

_FTS_SQL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, text, content='articles', "
    "content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON articles BEGIN
      INSERT INTO {FTS_TABLE} (rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON articles BEGIN
      INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, title, text)
      VALUES ('delete', old.id, old.title, old.text);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF title, text ON articles BEGIN
      INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, title, text)
      VALUES ('delete', old.id, old.title, old.text);
      INSERT INTO {FTS_TABLE} (rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
)


def _create_fts(db: Database) -> None:
    """v1: the trigram full-text index over title and text, synced by triggers."""
    for statement in _FTS_SQL:
        db.execute(statement)


def _backfill_simhash(db: Database) -> None:
    """v2: simhash and bands of the articles stored before near-duplicate detection existed."""
    rows = db.execute("SELECT id, text FROM articles WHERE text IS NOT NULL").fetchall()
    for article_id, text in rows:
        value = _simhash.simhash(text)
        if value is None:
            continue
        db.execute("UPDATE articles SET simhash = ? WHERE id = ?", (value, article_id))
        db.conn.executemany(
            "INSERT OR IGNORE INTO simhash_bands (band, value, article_id) VALUES (?, ?, ?)",
            [(band, bits, article_id) for band, bits in _simhash.bands(value)],
        )


_BANDS_WITHOUT_ROWID = (
    "CREATE TABLE simhash_bands_v4 (band INTEGER, value INTEGER, article_id INTEGER, "
    "simhash INTEGER, PRIMARY KEY (band, value, article_id)) WITHOUT ROWID",
    "INSERT INTO simhash_bands_v4 (band, value, article_id, simhash) "
    "SELECT b.band, b.value, b.article_id, a.simhash FROM simhash_bands AS b "
    "JOIN articles AS a ON a.id = b.article_id",
    "DROP TABLE simhash_bands",
    "ALTER TABLE simhash_bands_v4 RENAME TO simhash_bands",
)


def _bulk_writes(db: Database) -> None:
    """v4: the band table keeps the simhash (WITHOUT ROWID, so a probe reads no article),
    pushed links get their counters and the full-text index is filled in bulk."""
    for statement in _BANDS_WITHOUT_ROWID:
        db.execute(statement)
    create_pushed_counts(db)
    create_progress(db)


DATA_STEPS: dict[int, Callable[[Database], None]] = {
    1: _create_fts,
    2: _backfill_simhash,
    3: create_counts,
    4: _bulk_writes,
    5: create_tallies,
    6: blocks_as_json,
}


def _index_name(spec: Table, index: Index) -> str:
    if index.name:
        return index.name
    return "idx_{}_{}".format(spec.name, "_".join(c.lstrip("-") for c in index.columns))


def _index(db: Database, spec: Table, index: Index) -> None:
    columns = ", ".join(f"[{c[1:]}] DESC" if c.startswith("-") else c if "(" in c else f"[{c}]"
                        for c in index.columns)  # fmt: skip
    unique = "UNIQUE " if index.unique else ""
    where = f" WHERE {index.where}" if index.where else ""
    db.execute(f"CREATE {unique}INDEX {_index_name(spec, index)} ON {spec.name} ({columns}){where}")


def _apply(db: Database, version: int) -> None:
    """Bring the schema from ``version - 1`` to ``version``: new tables, columns and indexes,
    then the step's data changes, then the tables and indexes that version retires."""
    for spec in TABLES:
        if spec.since == version:
            columns = {c.name: c.type for c in spec.columns if c.since <= version}
            keys = [fk for fk in spec.foreign_keys if fk[0] in columns]
            db.create_table(spec.name, columns, pk=spec.pk, foreign_keys=keys)
        elif spec.exists_in(version):
            for column in spec.columns:
                if column.since == version:
                    db[spec.name].add_column(column.name, column.type)
        if spec.exists_in(version):
            for index in spec.indexes:
                if index.until == version:
                    db.execute(f"DROP INDEX {_index_name(spec, index)}")
                elif index.exists_in(version) and (index.since == version or spec.since == version):
                    _index(db, spec, index)
    step = DATA_STEPS.get(version)
    if step is not None:
        step(db)
    for spec in TABLES:
        if spec.until == version:
            db.execute(f"DROP TABLE {spec.name}")


def _create_views(db: Database) -> None:
    for view in VIEWS:
        db.execute(f"DROP VIEW IF EXISTS {view.name}")
        db.create_view(view.name, view.sql.strip())


def user_version(db: Database) -> int:
    """The schema version stored in the database (0 for a new file)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def check_version(db: Database, path: object) -> int:
    """The database's version; SchemaVersionError when a newer newsdesk wrote it."""
    version = user_version(db)
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{path} has schema version {version} but this newsdesk knows up to "
            f"{SCHEMA_VERSION}; upgrade newsdesk to open it"
        )
    return version


def migrate(db: Database, path: object, target: int = SCHEMA_VERSION) -> int:
    """Migrate the database in place to ``target``; returns the version it had before."""
    try:
        current = check_version(db, path)
        if current >= target:
            return current
        with write_transaction(db.conn):
            before = check_version(db, path)
            if before >= target:
                return before
            for version in range(before + 1, target + 1):
                log.info("migrating %s to schema version %d", path, version)
                _apply(db, version)
            if target == SCHEMA_VERSION:
                _create_views(db)
            db.execute(f"PRAGMA user_version = {int(target)}")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot migrate {path}: {exc}") from exc
    return before
