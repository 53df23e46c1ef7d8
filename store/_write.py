"""The write path: one batch of page outcomes in one transaction, articles upserted by URL.

Hot statements are hand-written with bound parameters (sqlite-utils builds the schema and the
low-volume rows); child rows of a whole batch go in with one ``executemany`` per table.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from store import _simhash
from store._connect import now, write_transaction
from store._records import PageOutcome

if TYPE_CHECKING:
    from classifier import Topic
    from scraper._records import Article

_KIND_RANK = {"article": 0, "sitemap": 1, "feed": 1}

_INSERT_ARTICLE = """
INSERT INTO articles (url, canonical_url, host, site, lang, title, text, published, day, authors,
    source, section, description, encoding, text_hash, topic, topic_score, model_id, first_seen,
    last_seen, crawl_id, simhash, duplicate_of)
VALUES (:url, :canonical_url, :host, :site, :lang, :title, :text, :published, :day, :authors,
    :source, :section, :description, :encoding, :text_hash, :topic, :topic_score, :model_id,
    :seen, :seen, :crawl_id, :simhash, :duplicate_of)
"""
_UPDATE_ARTICLE = """
UPDATE articles SET url = :url, host = :host, site = :site, lang = :lang, title = :title,
    text = :text, published = :published, day = :day, authors = :authors, source = :source,
    section = :section, description = :description, encoding = :encoding,
    text_hash = :text_hash, topic = coalesce(:topic, topic),
    topic_score = coalesce(:topic_score, topic_score), model_id = coalesce(:model_id, model_id),
    last_seen = :seen, crawl_id = :crawl_id, simhash = :simhash
WHERE id = :id
"""
_ARCHIVE_VERSION = """
INSERT INTO article_versions (article_id, title, text, published, text_hash, seen_from,
    seen_until, replaced_at)
SELECT id, title, text, published, text_hash, first_seen, last_seen, ? FROM articles WHERE id = ?
"""
_INSERT_LINK = """
INSERT INTO link_blocks (article_id, kind, heading, block_position, link_position, link_text,
    link_url, link_timestamp, link_source, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_IMAGE = """
INSERT INTO images (article_id, position, src, caption, alt) VALUES (?, ?, ?, ?, ?)
"""
_INSERT_TOPIC = """
INSERT OR REPLACE INTO topics (article_id, model_id, rank, label, score, tagged_at)
VALUES (?, ?, ?, ?, ?, ?)
"""
_INSERT_PAGE = """
INSERT INTO pages (url, final_url, host, status, content_type, charset, bytes, fetched_at,
    elapsed_ms, etag, last_modified, article_id, crawl_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_FAILURE = """
INSERT INTO failures (url, host, stage, error, message, crawl_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_FRONTIER = """
INSERT OR IGNORE INTO frontier (url, state, depth, priority, kind, kind_rank, referrer, attempts,
    crawl_id, added_at, updated_at) VALUES (?, 'queued', ?, ?, ?, ?, ?, 0, ?, ?, ?)
"""
_SET_FRONTIER_STATE = """
INSERT INTO frontier (url, state, depth, priority, kind, kind_rank, referrer, attempts, crawl_id,
    added_at, updated_at) VALUES (?, ?, ?, 0, 'unknown', 2, NULL, 1, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
"""
_MARK_ALIAS_DONE = """
INSERT INTO frontier (url, state, depth, priority, kind, kind_rank, referrer, attempts, crawl_id,
    added_at, updated_at) VALUES (?, 'done', ?, 0, 'unknown', 2, NULL, 0, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET state = 'done', updated_at = excluded.updated_at
WHERE frontier.state = 'queued'
"""
_NEAR_CANDIDATES = """
SELECT a.canonical_url, a.simhash FROM simhash_bands AS b JOIN articles AS a ON a.id = b.article_id
WHERE (b.band = 0 AND b.value = ?) OR (b.band = 1 AND b.value = ?)
   OR (b.band = 2 AND b.value = ?) OR (b.band = 3 AND b.value = ?)
"""


def host_of(url: str | None) -> str | None:
    """Lower-case host of a URL (the site key of the views), None when there is none."""
    return (urlsplit(url).hostname or None) if url else None


def text_hash(text: str | None) -> str | None:
    """SHA-1 of the whitespace-normalised text: equal for texts that differ only in spacing."""
    if text is None:
        return None
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()


def near_duplicate(conn: sqlite3.Connection, value: int | None, exclude: str) -> str | None:
    """canonical_url of a stored original within MAX_DISTANCE bits of ``value``, if any."""
    if value is None:
        return None
    probe = [bits for _, bits in _simhash.bands(value)]
    for url, other in conn.execute(_NEAR_CANDIDATES, probe):
        if url != exclude and _simhash.distance(value, other) <= _simhash.MAX_DISTANCE:
            return url
    return None


def _json(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _day(published: str | None, seen: str) -> str:
    return (published or seen)[:10]


@dataclass(slots=True)
class _Batch:
    """Child rows collected over a batch and written with one executemany per table."""

    links: list[tuple[Any, ...]] = field(default_factory=list)
    images: list[tuple[Any, ...]] = field(default_factory=list)
    topics: list[tuple[Any, ...]] = field(default_factory=list)
    pages: list[tuple[Any, ...]] = field(default_factory=list)
    failures: list[tuple[Any, ...]] = field(default_factory=list)
    frontier: list[tuple[Any, ...]] = field(default_factory=list)
    articles: set[int] = field(default_factory=set)

    def forget(self, article_id: int) -> None:
        """Drop rows collected for an article met again in the same batch (the later one wins)."""
        self.links = [r for r in self.links if r[0] != article_id]
        self.images = [r for r in self.images if r[0] != article_id]
        self.topics = [r for r in self.topics if r[0] != article_id]

    def flush(self, conn: sqlite3.Connection) -> None:
        conn.executemany(_INSERT_LINK, self.links)
        conn.executemany(_INSERT_IMAGE, self.images)
        conn.executemany(_INSERT_TOPIC, self.topics)
        conn.executemany(_INSERT_PAGE, self.pages)
        conn.executemany(_INSERT_FAILURE, self.failures)
        conn.executemany(_INSERT_FRONTIER, self.frontier)


class WriteMixin:
    """``save_outcomes`` and its helpers; needs ``self.conn``."""

    conn: sqlite3.Connection

    def save_outcomes(self, outcomes: Sequence[PageOutcome]) -> None:
        """Write a batch of outcomes in ONE transaction: pages, articles (upsert by canonical URL,
        history on text change, near-duplicates linked), link blocks, images, topics, failures,
        frontier states and the discovered URLs. Nothing is half-written."""
        stamp = now()
        batch = _Batch()
        with write_transaction(self.conn):
            for outcome in outcomes:
                self._save_one(outcome, stamp, batch)
            batch.flush(self.conn)

    def _save_one(self, outcome: PageOutcome, stamp: str, batch: _Batch) -> None:
        conn = self.conn
        article_id = None
        fetched = outcome.fetched
        seen = fetched.fetched_at.isoformat(timespec="seconds") if fetched else stamp
        if outcome.article is not None:
            article_id = self._upsert_article(outcome, outcome.article, seen, stamp, batch)
        if fetched is not None:
            batch.pages.append((
                outcome.url, fetched.final_url, host_of(fetched.final_url), fetched.status,
                fetched.content_type, fetched.encoding, len(fetched.body), seen,
                fetched.elapsed_ms, fetched.headers.get("etag"),
                fetched.headers.get("last-modified"), article_id, outcome.crawl_id,
            ))  # fmt: skip
        failure = outcome.failure
        if failure is not None:
            batch.failures.append((
                failure.url, host_of(failure.url), failure.stage, failure.error,
                failure.message, outcome.crawl_id, stamp,
            ))  # fmt: skip
        state = "failed" if failure is not None and outcome.state == "done" else outcome.state
        conn.execute(
            _SET_FRONTIER_STATE,
            (outcome.url, state, outcome.depth, outcome.crawl_id, stamp, stamp),
        )
        if fetched is not None and state == "done" and fetched.final_url != outcome.url:
            conn.execute(
                _MARK_ALIAS_DONE,
                (fetched.final_url, outcome.depth, outcome.crawl_id, stamp, stamp),
            )
        for entry in outcome.discovered:
            batch.frontier.append((
                entry.url, entry.depth, entry.priority, entry.kind,
                _KIND_RANK.get(entry.kind, 2), entry.referrer, outcome.crawl_id, stamp, stamp,
            ))  # fmt: skip

    def _upsert_article(
        self, outcome: PageOutcome, article: Article, seen: str, stamp: str, batch: _Batch
    ) -> int:
        conn = self.conn
        key = article.canonical_url or outcome.url
        published = article.published.isoformat() if article.published else None
        top = outcome.topics[0] if outcome.topics else None
        row: dict[str, Any] = {
            "url": outcome.url, "canonical_url": key, "host": host_of(key), "site": article.site,
            "lang": article.lang, "title": article.title, "text": article.text,
            "published": published, "day": _day(published, seen),
            "authors": _json(article.authors), "source": article.source,
            "section": _json(article.section), "description": article.description,
            "encoding": article.encoding, "text_hash": text_hash(article.text),
            "topic": top.label if top else None,
            "topic_score": float(top.score) if top else None,
            "model_id": (outcome.model_id or "unspecified") if top else None, "seen": seen,
            "crawl_id": outcome.crawl_id, "simhash": _simhash.simhash(article.text),
        }  # fmt: skip
        existing = conn.execute(
            "SELECT id, text_hash, duplicate_of FROM articles WHERE canonical_url = ?", (key,)
        ).fetchone()
        if existing is None:
            duplicate = outcome.duplicate_of if outcome.duplicate_of != key else None
            duplicate = duplicate or near_duplicate(conn, row["simhash"], key)
            row["duplicate_of"] = duplicate
            is_duplicate = bool(duplicate)
            if duplicate:
                row.update(text=None, topic=None, topic_score=None, model_id=None)
            article_id = int(conn.execute(_INSERT_ARTICLE, row).lastrowid or 0)
            if not duplicate and row["simhash"] is not None:
                self._insert_bands(article_id, row["simhash"])
        else:
            article_id, old_hash, duplicate = existing
            is_duplicate = bool(duplicate)
            if duplicate:
                row.update(text=None, topic=None, topic_score=None, model_id=None)
            elif old_hash != row["text_hash"]:
                conn.execute(_ARCHIVE_VERSION, (stamp, article_id))
                conn.execute("DELETE FROM simhash_bands WHERE article_id = ?", (article_id,))
                if row["simhash"] is not None:
                    self._insert_bands(article_id, row["simhash"])
            conn.execute(_UPDATE_ARTICLE, {**row, "id": article_id})
            conn.execute("DELETE FROM link_blocks WHERE article_id = ?", (article_id,))
            conn.execute("DELETE FROM images WHERE article_id = ?", (article_id,))
        if outcome.state == "done" and key != outcome.url:
            conn.execute(_MARK_ALIAS_DONE, (key, outcome.depth, outcome.crawl_id, stamp, stamp))
        self._collect_children(article_id, article, seen, batch)
        if not is_duplicate:
            self._collect_topics(
                article_id, outcome.topics, outcome.model_id, stamp, batch, existing is not None
            )
        return article_id

    def _insert_bands(self, article_id: int, value: int) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO simhash_bands (band, value, article_id) VALUES (?, ?, ?)",
            [(band, bits, article_id) for band, bits in _simhash.bands(value)],
        )

    @staticmethod
    def _collect_children(article_id: int, article: Article, seen: str, batch: _Batch) -> None:
        if article_id in batch.articles:
            batch.forget(article_id)
        batch.articles.add(article_id)
        for block in article.link_blocks:
            for position, link in enumerate(block.links):
                batch.links.append((
                    article_id, block.kind, block.heading, block.position, position, link.text,
                    link.url, link.timestamp, link.source, seen,
                ))  # fmt: skip
        for position, image in enumerate(article.images):
            batch.images.append((article_id, position, image.src, image.caption, image.alt))

    def _collect_topics(
        self,
        article_id: int,
        topics: Sequence[Topic],
        model_id: str | None,
        stamp: str,
        batch: _Batch,
        stored_before: bool,
    ) -> None:
        """Queue the topic rows; a new article has none to replace, so only a stored one (or
        one met earlier in the batch) pays for the DELETE."""
        if not topics:
            return
        model = model_id or "unspecified"
        if stored_before:
            self.conn.execute(
                "DELETE FROM topics WHERE article_id = ? AND model_id = ?", (article_id, model)
            )
        for rank, topic in enumerate(topics):
            batch.topics.append((article_id, model, rank, topic.label, float(topic.score), stamp))
