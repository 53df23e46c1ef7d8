"""The crawl frontier and the crawls table: what to fetch next, and each run's record; and the
crawl budget per URL pattern (``url_patterns``, kept by :mod:`newsdesk._budget`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence

from newsdesk import __version__
from scraper._records import FrontierEntry
from store._connect import now, write_transaction
from store._write import _INSERT_FRONTIER, _KIND_RANK

_CLAIM = """
SELECT url, depth, priority, kind, referrer FROM frontier WHERE state = 'queued'
ORDER BY kind_rank, priority DESC, depth, rowid LIMIT ?
"""
_SAVE_PATTERN = """
INSERT INTO url_patterns (pattern, requests, yielded, dry, updated_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (pattern) DO UPDATE SET requests = excluded.requests, yielded = excluded.yielded,
    dry = excluded.dry, updated_at = excluded.updated_at
"""
_SKIP = "UPDATE frontier SET state = 'skipped', updated_at = ? WHERE url = ? AND state != 'done'"
# URLs per lookup of first finders (SQLite's default limit of bound parameters is 32,766).
_LOOKUP_CHUNK = 500


class FrontierMixin:
    """Crawl rows and frontier states; needs ``self.conn`` and ``self.index_search``."""

    conn: sqlite3.Connection
    index_search: Callable[[], int]

    def start_crawl(self, seeds: Sequence[str], settings: Mapping[str, object]) -> int:
        """Record the start of a crawl; returns its id."""
        with write_transaction(self.conn):
            cursor = self.conn.execute(
                "INSERT INTO crawls (started, seeds, settings, version) VALUES (?, ?, ?, ?)",
                (
                    now(),
                    json.dumps(list(seeds), ensure_ascii=False),
                    json.dumps(dict(settings), ensure_ascii=False, default=str),
                    __version__,
                ),
            )
        return int(cursor.lastrowid or 0)

    def finish_crawl(self, crawl_id: int, stats: Mapping[str, object]) -> None:
        """Record the end of a crawl and its counts, and bring the full-text index up to date
        (the pushed links need no refresh: their counters are live)."""
        self.index_search()
        with write_transaction(self.conn):
            self.conn.execute(
                "UPDATE crawls SET finished = ?, stats = ? WHERE id = ?",
                (now(), json.dumps(dict(stats), ensure_ascii=False, default=str), crawl_id),
            )

    def add_frontier(self, entries: Iterable[FrontierEntry], crawl_id: int | None = None) -> int:
        """Queue the entries whose URL is not in the frontier yet; returns how many were new."""
        stamp = now()
        rows = [
            (e.url, e.depth, e.priority, e.kind, _KIND_RANK.get(e.kind, 2), e.referrer, crawl_id,
             stamp, stamp)
            for e in entries
        ]  # fmt: skip
        with write_transaction(self.conn):
            cursor = self.conn.executemany(_INSERT_FRONTIER, rows)
        return max(cursor.rowcount, 0)

    def claim(self, limit: int) -> list[FrontierEntry]:
        """Take up to ``limit`` queued URLs (articles first, then priority, depth, insertion
        order) and mark them in_flight, so a resumed crawl knows they were not finished."""
        if limit <= 0:
            return []
        with write_transaction(self.conn):
            rows = self.conn.execute(_CLAIM, (limit,)).fetchall()
            self.conn.executemany(
                "UPDATE frontier SET state = 'in_flight', attempts = attempts + 1, "
                "updated_at = ? WHERE url = ?",
                [(now(), row[0]) for row in rows],
            )
        return [FrontierEntry(u, depth, prio, kind, ref) for u, depth, prio, kind, ref in rows]

    def requeue_in_flight(self) -> int:
        """Queue again the URLs an interrupted run left in flight; returns how many."""
        return self._set_state("queued", ("in_flight",))

    def requeue_done_for_recrawl(self) -> int:
        """Queue again every fetched URL (and those the crawl budget skipped, which it judges
        again), for a recrawl with conditional requests."""
        return self._set_state("queued", ("done", "not_modified", "skipped"))

    def _set_state(self, state: str, old: tuple[str, ...]) -> int:
        marks = ", ".join("?" for _ in old)
        with write_transaction(self.conn):
            cursor = self.conn.execute(
                f"UPDATE frontier SET state = ?, updated_at = ? WHERE state IN ({marks})",
                (state, now(), *old),
            )
        return cursor.rowcount

    def frontier_counts(self) -> dict[str, int]:
        """Number of frontier URLs in each state (from the ``frontier_counts`` counters)."""
        rows = self.conn.execute(
            "SELECT nullif(state, ''), urls FROM frontier_counts WHERE urls > 0 ORDER BY state"
        )
        return {state: count for state, count in rows}

    def validators(self, url: str) -> tuple[str | None, str | None] | None:
        """(etag, last_modified) of the latest successful fetch of ``url``, for a conditional
        request; None when the URL was never fetched with either header."""
        row = self.conn.execute(
            "SELECT etag, last_modified FROM pages WHERE url = ? AND status = 200 "
            "AND (etag IS NOT NULL OR last_modified IS NOT NULL) ORDER BY id DESC LIMIT 1",
            (url,),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def url_patterns(self) -> dict[str, tuple[int, int, int]]:
        """Every URL pattern's (requests, yielded, dry) budget counts."""
        rows = self.conn.execute("SELECT pattern, requests, yielded, dry FROM url_patterns")
        return {pattern: (requests, yielded, dry) for pattern, requests, yielded, dry in rows}

    def save_budget(
        self, patterns: Iterable[tuple[str, int, int, int]], skipped: Iterable[str] = ()
    ) -> None:
        """Write URL patterns' (pattern, requests, yielded, dry) counts and mark the frontier
        URLs ``skipped`` that the budget will not fetch, in one transaction."""
        stamp = now()
        with write_transaction(self.conn):
            self.conn.executemany(_SAVE_PATTERN, [(*row, stamp) for row in patterns])
            self.conn.executemany(_SKIP, [(stamp, url) for url in skipped])

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of ``urls`` the frontier holds (in any state)."""
        found: set[str] = set()
        wanted = list(urls)
        for start in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[start : start + _LOOKUP_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = self.conn.execute(f"SELECT url FROM frontier WHERE url IN ({marks})", chunk)
            found.update(url for (url,) in rows)
        return found

    def first_found(self, links: Iterable[tuple[str, str]]) -> set[str]:
        """Of the (url, referrer) pairs, the urls the frontier says were found first by that
        referrer (for judging pages after their batch is written)."""
        found: set[str] = set()
        pairs = set(links)
        urls = list({url for url, _ in pairs})
        for start in range(0, len(urls), _LOOKUP_CHUNK):
            chunk = urls[start : start + _LOOKUP_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = self.conn.execute(
                f"SELECT url, referrer FROM frontier WHERE url IN ({marks})", chunk
            )
            found.update(url for url, ref in rows if (url, ref) in pairs)
        return found
