"""Reading: full-text search, the crawl summary and one article with its clutter.

Search uses the FTS5 trigram index for terms of three characters or more. Trigrams cannot match
shorter strings, so a query with any 1–2 character term (common in Chinese: 疫情, 救助) falls
back to ``LIKE`` over title and text, scanning from the newest article and stopping after
``limit`` hits. That scan is bounded to the newest ``LIKE_WINDOW`` articles (by id), so a rare
or absent short term costs the same on a store of any size; older articles are not searched for
1–2 character terms.

FTS search first finds the newest ``SEARCH_WINDOW`` matches in rowid order. Fewer than that: the
query is selective and bm25 ranks them (best first, rank > 0). A full window: the words are
common (bm25 would walk every match in the index to weigh them, ~1 s at a million articles), so
the newest matches come first with rank 0, as for LIKE hits; a common word costs the same on a
store of any size. Articles above ``fts_progress.indexed_upto`` (written but
not indexed yet, see :mod:`store._fts`) are searched with ``LIKE`` and listed first: the split
at the mark read once makes every article found exactly once.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from store._articles import near_duplicate
from store._fts import indexed_upto
from store._records import SearchHit
from store._schema import FTS_TABLE

SNIPPET_TOKENS = 64
SNIPPET_CHARS = 60
SEARCH_WINDOW = 2000
LIKE_WINDOW = 10_000
_FTS_WINDOW = f"""
SELECT {FTS_TABLE}.rowid FROM {FTS_TABLE} JOIN articles AS a ON a.id = {FTS_TABLE}.rowid
WHERE {FTS_TABLE} MATCH ? AND {FTS_TABLE}.rowid <= ? AND a.duplicate_of IS NULL
ORDER BY {FTS_TABLE}.rowid DESC LIMIT ?
"""
_FTS_RANK = f"""
SELECT rowid, bm25({FTS_TABLE}) FROM {FTS_TABLE}
WHERE {FTS_TABLE} MATCH ? AND rowid IN (SELECT value FROM json_each(?))
ORDER BY 2 LIMIT ?
"""
_FTS_HITS = f"""
SELECT {FTS_TABLE}.rowid, a.canonical_url, a.title,
       snippet({FTS_TABLE}, -1, '[', ']', '…', {SNIPPET_TOKENS}), a.published
FROM {FTS_TABLE} JOIN articles AS a ON a.id = {FTS_TABLE}.rowid
WHERE {FTS_TABLE} MATCH ? AND {FTS_TABLE}.rowid IN (SELECT value FROM json_each(?))
"""


def fts_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every term as a quoted phrase, all required."""
    return " AND ".join('"{}"'.format(term.replace('"', '""')) for term in terms)


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _snippet(text: str, term: str) -> str:
    """A window of the text around the first occurrence of ``term``, marked like FTS snippets."""
    where = text.lower().find(term.lower())
    if where < 0:
        return text[: SNIPPET_CHARS * 2]
    start = max(0, where - SNIPPET_CHARS)
    end = where + len(term)
    prefix = "…" if start else ""
    suffix = "…" if end + SNIPPET_CHARS < len(text) else ""
    after = text[end : end + SNIPPET_CHARS]
    return f"{prefix}{text[start:where]}[{text[where:end]}]{after}{suffix}"


class ReadMixin:
    """Search, summary, article lookup; needs ``self.conn``."""

    conn: sqlite3.Connection

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Articles matching every term of ``query`` in title or text, best first. Articles not
        in the full-text index yet (the newest) are found by LIKE and come first."""
        terms = query.replace("\x00", " ").split()
        if not terms:
            return []
        if min(len(t) for t in terms) < 3:
            newest = self.conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
            return self._like_search(terms, limit, newest - LIKE_WINDOW)
        upto = indexed_upto(self.conn)
        hits = self._like_search(terms, limit, upto)
        if len(hits) < limit:
            hits += self._fts_search(terms, limit - len(hits), upto)
        return hits

    def _like_search(self, terms: list[str], limit: int, above: int) -> list[SearchHit]:
        """Articles with id > ``above`` containing every term, newest first (no rank)."""
        where = " AND ".join("(title LIKE ? ESCAPE '\\' OR text LIKE ? ESCAPE '\\')" for _ in terms)
        params: list[Any] = [p for t in terms for p in (_like(t), _like(t))]
        rows = self.conn.execute(
            "SELECT canonical_url, title, text, published FROM articles "
            f"WHERE id > ? AND duplicate_of IS NULL AND {where} ORDER BY id DESC LIMIT ?",
            [above, *params, limit],
        )
        return [
            SearchHit(u, t or "", _snippet(x or t or "", terms[0]), 0.0, p) for u, t, x, p in rows
        ]

    def _newest_hits(self, ids: list[int], term: str) -> list[SearchHit]:
        """Hits for articles ``ids`` in that order, rank 0, snippets cut around ``term`` from
        the text (an FTS snippet re-reads the doclists of every term: ~1 ms per hit for common
        words)."""
        rows = self.conn.execute(
            "SELECT id, canonical_url, title, text, published FROM articles "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
        found = {i: (u, t, x, p) for i, u, t, x, p in rows}
        return [
            SearchHit(u, t or "", _snippet(x or t or "", term), 0.0, p)
            for u, t, x, p in (found[i] for i in ids)
        ]

    def _fts_search(self, terms: list[str], limit: int, upto: int) -> list[SearchHit]:
        """Indexed matches (id <= ``upto``) with snippets for the best ``limit`` only;
        near-duplicates have no text to match. The newest SEARCH_WINDOW matches are found in
        rowid order (cheap); when there are fewer, the query is selective and bm25 ranks them;
        when the window is full the words are common, and the newest matches come first
        without a rank (bm25 would first walk every match of the index: ~1 s at a million
        articles)."""
        match = fts_query(terms)
        window = max(SEARCH_WINDOW, limit)
        newest = [r for (r,) in self.conn.execute(_FTS_WINDOW, (match, upto, window))]
        if not newest:
            return []
        if len(newest) == window:
            return self._newest_hits(newest[:limit], terms[0])
        ranked = self.conn.execute(_FTS_RANK, (match, json.dumps(newest), limit)).fetchall()
        ids = json.dumps([rowid for rowid, _ in ranked])
        rows = {r[0]: r[1:] for r in self.conn.execute(_FTS_HITS, (match, ids))}
        hits = []
        for rowid, score in ranked:
            url, title, snippet, published = rows[rowid]
            hits.append(SearchHit(url, title or "", snippet or "", -float(score), published))
        return hits

    def find_near_duplicate(self, simhash: int | None, exclude: str = "") -> str | None:
        """canonical_url of a stored original whose simhash (``store.simhash(text)``) is within
        3 bits of ``simhash``, other than ``exclude``; None when there is none."""
        return near_duplicate(self.conn, simhash, exclude)

    def summary(self, crawl_id: int | None = None) -> dict[str, Any]:
        """Counts for the end-of-crawl table: pages fetched, articles stored (near-duplicates
        apart), failures by stage, articles per top topic; of one crawl (a scan of its rows), or
        of the whole store (read from ``article_counts``)."""
        where, params = ("WHERE crawl_id = ?", (crawl_id,)) if crawl_id is not None else ("", ())
        one = self.conn.execute
        pages_sql = (
            f"SELECT count(*) FROM pages {where}"
            if crawl_id is not None
            else "SELECT coalesce(sum(pages), 0) FROM site_counts"
        )
        pages = one(pages_sql, params).fetchone()[0]
        failures = one(f"SELECT stage, count(*) FROM failures {where} GROUP BY stage", params)
        topics: dict[str, int] = {}
        duplicates = 0
        counts = (
            "SELECT duplicate, topic, articles FROM topic_counts"
            if crawl_id is None
            else "SELECT duplicate_of IS NOT NULL, coalesce(topic, 'untagged'), count(*) "
            f"FROM articles {where} GROUP BY 1, 2"
        )
        for duplicate, topic, count in one(counts, params):
            if count and not duplicate:
                topics[topic] = count
            else:
                duplicates += count
        return {
            "crawl_id": crawl_id,
            "pages_fetched": pages,
            "articles_stored": sum(topics.values()),
            "duplicates": duplicates,
            "failures_by_stage": dict(failures.fetchall()),
            "articles_per_topic": topics,
            "frontier": dict(
                one("SELECT nullif(state, ''), urls FROM frontier_counts WHERE urls > 0")
            ),
        }

    def article(self, url: str) -> dict[str, Any] | None:
        """One article by canonical (or page) URL with its link blocks, images and topics."""
        cursor = self.conn.execute(
            "SELECT * FROM articles WHERE canonical_url = ? UNION ALL "
            "SELECT * FROM articles WHERE url = ? AND url <> canonical_url LIMIT 1",
            (url, url),
        )
        row = cursor.fetchone()
        if row is None:
            return None
        article = dict(zip([d[0] for d in cursor.description], row, strict=True))
        for key in ("authors", "section", "editors"):
            article[key] = json.loads(article[key] or "[]")
        article["link_blocks"] = self.link_blocks(article["id"])
        images = self.conn.execute(
            "SELECT src, caption, alt FROM images WHERE article_id = ? ORDER BY position",
            (article["id"],),
        )
        article["images"] = [dict(zip(("src", "caption", "alt"), r, strict=True)) for r in images]
        topics = self.conn.execute(
            "SELECT model_id, rank, label, score FROM topics WHERE article_id = ? "
            "ORDER BY tagged_at DESC, model_id, rank",
            (article["id"],),
        )
        fields = ("model_id", "rank", "label", "score")
        article["topics"] = [dict(zip(fields, r, strict=True)) for r in topics]
        return article

    def link_blocks(self, article_id: int) -> list[dict[str, Any]]:
        """The article's link blocks in page order, each with its links in order."""
        rows = self.conn.execute(
            "SELECT kind, heading, position, links FROM blocks WHERE article_id = ? ORDER BY id",
            (article_id,),
        )
        fields = ("text", "url", "timestamp", "source")
        return [
            {"kind": kind, "heading": heading, "position": position,
             "links": [dict(zip(fields, link, strict=True)) for link in json.loads(links)]}
            for kind, heading, position, links in rows
        ]  # fmt: skip
