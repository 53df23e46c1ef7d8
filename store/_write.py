"""The write path: one batch of page outcomes in one transaction, articles upserted by URL.

Hot statements are hand-written with bound parameters (sqlite-utils builds the schema and the
low-volume rows). Every row of a batch is prepared in Python first and each table gets one
``executemany`` (articles: see :mod:`store._articles`); link blocks are one row per block and the
pushed-link counters get one upsert per distinct link of the batch (:mod:`store._blocks`), and
the full-text index catches up in bulk (:mod:`store._fts`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from store._articles import host_of, write_articles
from store._blocks import ADD_PUSHED, INSERT_BLOCK, PUSHED_KINDS, links_json, pushed_counts
from store._connect import now, write_transaction
from store._fts import FTS_CHUNK, index_articles, indexed_upto
from store._records import PageOutcome

if TYPE_CHECKING:
    from scraper._records import Article

_KIND_RANK = {"article": 0, "sitemap": 1, "feed": 1}

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


@dataclass(slots=True)
class Batch:
    """Rows collected over a batch and written with one executemany per table."""

    blocks: list[tuple[Any, ...]] = field(default_factory=list)
    pushed: list[tuple[Any, ...]] = field(default_factory=list)
    images: list[tuple[Any, ...]] = field(default_factory=list)
    topics: list[tuple[Any, ...]] = field(default_factory=list)
    old_topics: list[tuple[int, str]] = field(default_factory=list)
    pages: list[tuple[Any, ...]] = field(default_factory=list)
    failures: list[tuple[Any, ...]] = field(default_factory=list)
    states: list[tuple[Any, ...]] = field(default_factory=list)
    aliases: list[tuple[Any, ...]] = field(default_factory=list)
    frontier: list[tuple[Any, ...]] = field(default_factory=list)
    articles: set[int] = field(default_factory=set)

    @staticmethod
    def seen(outcome: PageOutcome, stamp: str) -> str:
        """When the page was fetched (the batch's time when it was not)."""
        fetched = outcome.fetched
        return fetched.fetched_at.isoformat(timespec="seconds") if fetched else stamp

    def forget(self, article_id: int) -> None:
        """Drop rows collected for an article met again in the same batch (the later one wins)."""
        self.blocks = [r for r in self.blocks if r[0] != article_id]
        self.pushed = [r for r in self.pushed if r[0] != article_id]
        self.images = [r for r in self.images if r[0] != article_id]
        self.topics = [r for r in self.topics if r[0] != article_id]

    def add_article(
        self,
        outcome: PageOutcome,
        article: Article,
        key: str,
        row: dict[str, Any],
        stamp: str,
        *,
        stored_before: bool,
    ) -> None:
        """Queue an article's link blocks, images and topics (not a duplicate's topics), and mark
        its canonical URL done in the frontier."""
        article_id, seen = row["id"], row["first_seen"]
        if outcome.state == "done" and key != outcome.url:
            self.aliases.append((key, outcome.depth, outcome.crawl_id, stamp, stamp))
        if article_id in self.articles:
            self.forget(article_id)
            stored_before = True
        self.articles.add(article_id)
        for block in article.link_blocks:
            if not block.links:
                continue
            self.blocks.append((article_id, block.kind, block.heading, block.position,
                                links_json(block.links), seen))  # fmt: skip
            if block.kind in PUSHED_KINDS:
                self.pushed.append((article_id, block.kind, seen, block.links))
        for position, image in enumerate(article.images):
            self.images.append((article_id, position, image.src, image.caption, image.alt))
        if row["duplicate_of"] or not outcome.topics:
            return
        model = outcome.model_id or "unspecified"
        if stored_before:
            self.old_topics.append((article_id, model))
        for rank, topic in enumerate(outcome.topics):
            self.topics.append((article_id, model, rank, topic.label, float(topic.score), stamp))

    def add_page(self, outcome: PageOutcome, article_id: int | None, stamp: str) -> None:
        """Queue the page row, the failure, the URL's frontier state and the discovered URLs."""
        fetched, failure = outcome.fetched, outcome.failure
        seen = self.seen(outcome, stamp)
        if fetched is not None:
            self.pages.append((
                outcome.url, fetched.final_url, host_of(fetched.final_url), fetched.status,
                fetched.content_type, fetched.encoding, len(fetched.body), seen,
                fetched.elapsed_ms, fetched.headers.get("etag"),
                fetched.headers.get("last-modified"), article_id, outcome.crawl_id,
            ))  # fmt: skip
        if failure is not None:
            self.failures.append((
                failure.url, host_of(failure.url), failure.stage, failure.error,
                failure.message, outcome.crawl_id, stamp,
            ))  # fmt: skip
        state = "failed" if failure is not None and outcome.state == "done" else outcome.state
        self.states.append((outcome.url, state, outcome.depth, outcome.crawl_id, stamp, stamp))
        if fetched is not None and state == "done" and fetched.final_url != outcome.url:
            self.aliases.append((fetched.final_url, outcome.depth, outcome.crawl_id, stamp, stamp))
        for entry in outcome.discovered:
            self.frontier.append((
                entry.url, entry.depth, entry.priority, entry.kind,
                _KIND_RANK.get(entry.kind, 2), entry.referrer, outcome.crawl_id, stamp, stamp,
            ))  # fmt: skip

    def flush(self, conn: sqlite3.Connection) -> None:
        """Write everything collected (states before aliases: an alias never overrides a state
        set by the batch)."""
        conn.executemany(
            "DELETE FROM topics WHERE article_id = ? AND model_id = ?", self.old_topics
        )
        conn.executemany(INSERT_BLOCK, self.blocks)
        conn.executemany(ADD_PUSHED, pushed_counts(self.pushed))
        conn.executemany(_INSERT_IMAGE, self.images)
        conn.executemany(_INSERT_TOPIC, self.topics)
        conn.executemany(_INSERT_PAGE, self.pages)
        conn.executemany(_INSERT_FAILURE, self.failures)
        conn.executemany(_SET_FRONTIER_STATE, self.states)
        conn.executemany(_MARK_ALIAS_DONE, self.aliases)
        conn.executemany(_INSERT_FRONTIER, self.frontier)


class WriteMixin:
    """``save_outcomes``; needs ``self.conn`` and ``self.fts_lag``."""

    conn: sqlite3.Connection
    fts_lag: int | None

    def save_outcomes(self, outcomes: Sequence[PageOutcome]) -> int:
        """Write a batch of outcomes in ONE transaction: pages, articles (upsert by canonical URL,
        history on text change, near-duplicates linked), link blocks, images, topics, failures,
        frontier states and the discovered URLs. Nothing is half-written. Returns the number of
        articles inserted or updated (an article met twice in the batch counts once)."""
        stamp = now()
        batch = Batch()
        with write_transaction(self.conn):
            ids = write_articles(self.conn, outcomes, stamp, batch)
            for i, outcome in enumerate(outcomes):
                batch.add_page(outcome, ids.get(i), stamp)
            batch.flush(self.conn)
            if ids and self.fts_lag is not None:
                self._keep_index_within(self.fts_lag)
        return len(set(ids.values()))

    def _keep_index_within(self, lag: int) -> None:
        """Index up to FTS_CHUNK articles when more than ``lag`` are waiting."""
        newest = self.conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
        if newest - indexed_upto(self.conn) > lag:
            index_articles(self.conn, FTS_CHUNK)
