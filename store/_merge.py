"""Merging shard databases into the store: bulk ``INSERT … SELECT``, one writer, one transaction.

A shard is a store file in today's schema written by one archive task (``newsdesk.archive``):
its own crawl row, articles, pages, link blocks, images, topics, simhash bands and frontier.
``merge_shard`` ATTACHes it and copies its rows into the store with new ids in one transaction,
the crawl row last-but-not-least carrying the shard's name, so ``merged_shards`` knows what is in
and a shard is never merged twice (a merge interrupted by ``kill -9`` rolls back whole).

Articles are keyed by canonical URL as in a crawl: one already stored keeps its row (the shard's
pages point to it; the first capture merged wins), and a new original whose simhash is within
``MAX_DISTANCE`` bits of a stored original becomes its near-duplicate (text and topics dropped,
``duplicate_of`` set) — the shard has already resolved the near-duplicates inside itself.
Counters are kept by the store's triggers; the full-text index is left to ``Store.index_search``
(a bulk merge opens the store with ``bulk=True`` and catches the index up once at the end).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.errors import StoreError
from store._articles import _COLUMNS as ARTICLE_COLUMNS
from store._articles import candidates, closest
from store._blocks import ADD_PUSHED
from store._connect import now, write_transaction
from store._fts import next_article_id

if TYPE_CHECKING:
    from store._store import Store

SHARD_KEY = "shard"

_MERGED = """
SELECT json_extract(settings, '$.shard') FROM crawls
WHERE json_extract(settings, '$.shard') IS NOT NULL
"""
_STORED = """
SELECT canonical_url, id FROM main.articles
WHERE canonical_url IN (SELECT value FROM json_each(?))
"""
_MAP_TABLE = """
CREATE TEMP TABLE IF NOT EXISTS merge_map (
    old INTEGER PRIMARY KEY, new INTEGER NOT NULL, fresh INTEGER NOT NULL, dup TEXT)
"""
_DROPPED_IF_DUP = frozenset({"text", "topic", "topic_score", "model_id"})
_FRESH = "JOIN temp.merge_map AS m ON m.old = s.article_id AND m.fresh"
_COPIES = (
    f"""INSERT OR IGNORE INTO main.simhash_bands (band, value, article_id, simhash)
    SELECT s.band, s.value, m.new, s.simhash FROM shard.simhash_bands AS s {_FRESH}
    WHERE m.dup IS NULL""",
    f"""INSERT INTO main.article_versions (article_id, title, text, published, text_hash,
        seen_from, seen_until, replaced_at)
    SELECT m.new, s.title, s.text, s.published, s.text_hash, s.seen_from, s.seen_until,
        s.replaced_at FROM shard.article_versions AS s {_FRESH} ORDER BY s.id""",
    f"""INSERT INTO main.blocks (article_id, kind, heading, position, links, seen_at)
    SELECT m.new, s.kind, s.heading, s.position, s.links, s.seen_at FROM shard.blocks AS s
    {_FRESH} ORDER BY s.id""",
    f"""INSERT INTO main.images (article_id, position, src, caption, alt)
    SELECT m.new, s.position, s.src, s.caption, s.alt FROM shard.images AS s {_FRESH}
    ORDER BY s.id""",
    f"""INSERT OR REPLACE INTO main.topics (article_id, model_id, rank, label, score, tagged_at)
    SELECT m.new, s.model_id, s.rank, s.label, s.score, s.tagged_at FROM shard.topics AS s
    {_FRESH} WHERE m.dup IS NULL""",
    # The pushed-link counters of the blocks copied, added as a batch of the crawl adds them.
    f"""INSERT INTO main.pushed_link_counts (url, kind, text, appearances, articles, days,
        first_seen, last_seen)
    SELECT json_extract(l.value, '$[1]') AS link, s.kind, max(json_extract(l.value, '$[0]')),
        count(*), count(DISTINCT m.new), count(DISTINCT substr(s.seen_at, 1, 10)),
        min(s.seen_at), max(s.seen_at)
    FROM shard.blocks AS s {_FRESH}, json_each(s.links) AS l
    WHERE s.kind IN ('hot', 'recommended') AND json_extract(l.value, '$[1]') IS NOT NULL
    GROUP BY link, s.kind ORDER BY link, s.kind
    {ADD_PUSHED.split("VALUES (?, ?, ?, ?, ?, ?, ?, ?)")[1]}""",
    """INSERT INTO main.pages (url, final_url, host, status, content_type, charset, bytes,
        fetched_at, elapsed_ms, etag, last_modified, article_id, crawl_id)
    SELECT s.url, s.final_url, s.host, s.status, s.content_type, s.charset, s.bytes,
        s.fetched_at, s.elapsed_ms, s.etag, s.last_modified, m.new, :crawl
    FROM shard.pages AS s LEFT JOIN temp.merge_map AS m ON m.old = s.article_id ORDER BY s.id""",
    """INSERT INTO main.failures (url, host, stage, error, message, crawl_id, at)
    SELECT url, host, stage, error, message, :crawl, at FROM shard.failures ORDER BY id""",
    """INSERT OR IGNORE INTO main.frontier (url, state, depth, priority, kind, kind_rank,
        referrer, attempts, crawl_id, added_at, updated_at)
    SELECT url, state, depth, priority, kind, kind_rank, referrer, attempts, :crawl, added_at,
        updated_at FROM shard.frontier""",
    "INSERT OR IGNORE INTO main.models SELECT * FROM shard.models",
)


def _article_expr(column: str) -> str:
    if column == "id":
        return "m.new"
    if column == "crawl_id":
        return ":crawl"
    if column == "duplicate_of":
        return "m.dup"
    if column in _DROPPED_IF_DUP:
        return f"CASE WHEN m.dup IS NULL THEN s.{column} END"
    return f"s.{column}"


_INSERT_ARTICLES = (
    f"INSERT INTO main.articles ({', '.join(ARTICLE_COLUMNS)}) "
    f"SELECT {', '.join(map(_article_expr, ARTICLE_COLUMNS))} FROM shard.articles AS s "
    "JOIN temp.merge_map AS m ON m.old = s.id AND m.fresh ORDER BY m.new"
)


@dataclass(frozen=True, slots=True)
class MergeCounts:
    """What one shard's merge added: articles (new canonical URLs, near-duplicates included),
    near-duplicates of articles stored before, articles already stored (kept as they were),
    page rows, and the crawl id the shard's rows carry in the store."""

    articles: int
    duplicates: int
    known: int
    pages: int
    crawl_id: int


def merged_shards(store: Store) -> set[str]:
    """Names of the shards merged into the store so far."""
    return {name for (name,) in store.conn.execute(_MERGED)}


def finish_shard(store: Store, crawl_id: int, stats: Mapping[str, object]) -> None:
    """Record the end of a shard's crawl row without indexing it for search (the store it is
    merged into indexes once, at the end)."""
    with write_transaction(store.conn):
        store.conn.execute(
            "UPDATE crawls SET finished = ?, stats = ? WHERE id = ?",
            (now(), json.dumps(dict(stats), ensure_ascii=False, default=str), crawl_id),
        )


def merge_shard(store: Store, shard: Path, name: str) -> MergeCounts:
    """Copy a finished shard's rows into the store in one transaction (see the module doc);
    a shard merged before raises :class:`StoreError`."""
    conn = store.conn
    conn.execute("ATTACH DATABASE ? AS shard", (str(shard),))
    try:
        conn.execute(_MAP_TABLE)
        with write_transaction(conn):
            if name in merged_shards(store):
                raise StoreError(f"shard {name} is already merged into {store.path}")
            crawl_id = _copy_crawl(conn, name)
            counts = _map_articles(conn)
            params = {"crawl": crawl_id}
            conn.execute(_INSERT_ARTICLES, params)
            for statement in _COPIES:
                conn.execute(statement, params)
            pages = conn.execute("SELECT count(*) FROM shard.pages").fetchone()[0]
            conn.execute("DELETE FROM temp.merge_map")
    finally:
        conn.execute("DETACH DATABASE shard")
    return MergeCounts(*counts, pages=int(pages), crawl_id=crawl_id)


def _copy_crawl(conn: sqlite3.Connection, name: str) -> int:
    """The shard's crawl row, with the shard's name in its settings; the new row's id."""
    rows = conn.execute(
        "SELECT started, finished, seeds, settings, stats, version FROM shard.crawls"
    ).fetchall()
    if len(rows) != 1:
        raise StoreError(f"shard {name} holds {len(rows)} crawl rows, not one")
    started, finished, seeds, settings, stats, version = rows[0]
    settings = json.dumps({**json.loads(settings or "{}"), SHARD_KEY: name}, ensure_ascii=False)
    cursor = conn.execute(
        "INSERT INTO crawls (started, finished, seeds, settings, stats, version) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (started, finished, seeds, settings, stats, version),
    )
    return int(cursor.lastrowid or 0)


def _map_articles(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """Fill ``merge_map``: each shard article's id in the store (new ones take consecutive ids in
    shard order), whether it is new, and the canonical URL it duplicates; returns (new, new
    near-duplicates of stored articles, already stored)."""
    rows = conn.execute(
        "SELECT id, canonical_url, simhash, duplicate_of FROM shard.articles ORDER BY id"
    ).fetchall()
    stored = dict(conn.execute(_STORED, (json.dumps([r[1] for r in rows]),)))
    fresh = [r for r in rows if r[1] not in stored]
    found = candidates(conn, [r[2] for r in fresh if r[2] is not None and r[3] is None])
    matches = {
        url: match
        for _, url, value, duplicate_of in fresh
        if value is not None
        and duplicate_of is None
        and (match := closest(found, value)) is not None
    }
    urls = _urls_of(conn, set(matches.values()))
    # A shard original that duplicates a stored article takes its shard's duplicates along.
    originals = {url: urls[match] for url, match in matches.items()}
    next_id = next_article_id(conn)
    mapping: list[tuple[int, int, int, str | None]] = []
    for old, url, _, duplicate_of in rows:
        if url in stored:
            mapping.append((old, stored[url], 0, None))
        else:
            dup = originals.get(url) or (originals.get(duplicate_of, duplicate_of))
            mapping.append((old, next_id, 1, dup))
            next_id += 1
    conn.executemany("INSERT INTO temp.merge_map VALUES (?, ?, ?, ?)", mapping)
    return len(fresh), len(matches), len(rows) - len(fresh)


def _urls_of(conn: sqlite3.Connection, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = conn.execute(
        "SELECT id, canonical_url FROM main.articles WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(ids)),),
    )
    return {int(i): str(u) for i, u in rows}


def seal_shard(store: Store) -> None:
    """Fold the write-ahead log into the shard's file and leave WAL mode, so the finished shard is
    one self-contained file that can be renamed, copied or shipped."""
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.conn.execute("PRAGMA journal_mode=DELETE")
