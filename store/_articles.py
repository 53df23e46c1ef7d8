"""The articles of one batch: new ones written together, known ones updated one by one.

A batch's new articles (canonical URL not stored yet, first time in the batch) take increasing ids
(``next_article_id``), get their simhashes in one numpy pass, their near-duplicate candidates in
one query (``simhash_bands`` holds the simhash, so the articles are not read) and go in with one
``executemany``. Articles already stored, or met again in the same batch, take the update path:
history when the text changed, blocks and images replaced, the later one wins.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from store import _simhash
from store._fts import next_article_id
from store._records import PageOutcome

if TYPE_CHECKING:
    from scraper._records import Article
    from store._write import Batch

_COLUMNS = (
    "id", "url", "canonical_url", "host", "site", "lang", "title", "text", "published", "day",
    "authors", "source", "section", "description", "encoding", "text_hash", "topic",
    "topic_score", "model_id", "first_seen", "last_seen", "crawl_id", "simhash", "duplicate_of",
    "editors",
)  # fmt: skip
_INSERT_ARTICLE = "INSERT INTO articles ({}) VALUES ({})".format(
    ", ".join(_COLUMNS), ", ".join("?" for _ in _COLUMNS)
)
_UPDATE_ARTICLE = """
UPDATE articles SET url = :url, host = :host, site = :site, lang = :lang, title = :title,
    text = :text, published = :published, day = :day, authors = :authors, source = :source,
    editors = :editors,
    section = :section, description = :description, encoding = :encoding,
    text_hash = :text_hash, topic = coalesce(:topic, topic),
    topic_score = coalesce(:topic_score, topic_score), model_id = coalesce(:model_id, model_id),
    last_seen = :first_seen, crawl_id = :crawl_id, simhash = :simhash
WHERE id = :id
"""
_ARCHIVE_VERSION = """
INSERT INTO article_versions (article_id, title, text, published, text_hash, seen_from,
    seen_until, replaced_at)
SELECT id, title, text, published, text_hash, first_seen, last_seen, ? FROM articles WHERE id = ?
"""
_INSERT_BAND = (
    "INSERT OR IGNORE INTO simhash_bands (band, value, article_id, simhash) VALUES (?, ?, ?, ?)"
)
_STORED = """
SELECT canonical_url FROM articles WHERE canonical_url IN (SELECT value FROM json_each(?))
"""
_CANDIDATES = """
SELECT b.band, b.value, b.article_id, b.simhash FROM json_each(?) AS j
JOIN simhash_bands AS b ON b.band = j.value >> 16 AND b.value = j.value & 65535
"""

_ODD_NETLOC = frozenset("@[]\\\t\r\n ")
_JSON = json.JSONEncoder(ensure_ascii=False)
_ROW_VALUES = itemgetter(*_COLUMNS)

Candidates = dict[tuple[int, int], list[tuple[int, int]]]


def host_of(url: str | None) -> str | None:
    """Lower-case host of a URL (the site key of the views), None when there is none; plain
    ``scheme://host[:port]/…`` URLs are split by hand, anything else by ``urlsplit``."""
    if not url:
        return None
    scheme, sep, rest = url.partition("://")
    netloc = rest.partition("/")[0].partition("?")[0].partition("#")[0]
    if not sep or not scheme.isalpha() or not netloc.isascii() or _ODD_NETLOC & set(netloc):
        return urlsplit(url).hostname or None
    return netloc.partition(":")[0].lower() or None


def text_hash(text: str | None) -> str | None:
    """SHA-1 of the whitespace-normalised text: equal for texts that differ only in spacing."""
    if text is None:
        return None
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()


def candidates(conn: sqlite3.Connection, values: Sequence[int]) -> Candidates:
    """Stored originals sharing a band with any of ``values``: {(band, bits): [(id, simhash)]}."""
    probes = sorted({band << 16 | bits for value in values for band, bits in _simhash.bands(value)})
    found: Candidates = {}
    for band, bits, article_id, other in conn.execute(_CANDIDATES, (json.dumps(probes),)):
        found.setdefault((band, bits), []).append((article_id, other))
    return found


def closest(found: Candidates, value: int) -> int | None:
    """The lowest article id within MAX_DISTANCE bits of ``value`` among ``found``."""
    best = None
    for key in _simhash.bands(value):
        for article_id, other in found.get(key, ()):
            if _simhash.distance(value, other) <= _simhash.MAX_DISTANCE:
                best = article_id if best is None else min(best, article_id)
    return best


def near_duplicate(conn: sqlite3.Connection, value: int | None, exclude: str) -> str | None:
    """canonical_url of the first stored original within MAX_DISTANCE bits of ``value`` whose
    URL is not ``exclude``, if any."""
    if value is None:
        return None
    found = candidates(conn, [value])
    matches = {
        article_id
        for key in _simhash.bands(value)
        for article_id, other in found.get(key, ())
        if _simhash.distance(value, other) <= _simhash.MAX_DISTANCE
    }
    for article_id in sorted(matches):
        url = _url_of(conn, article_id)
        if url != exclude:
            return url
    return None


def _url_of(conn: sqlite3.Connection, article_id: int) -> str:
    row = conn.execute("SELECT canonical_url FROM articles WHERE id = ?", (article_id,)).fetchone()
    return str(row[0])


def _json(values: Sequence[str]) -> str:
    return _JSON.encode(list(values)) if values else "[]"


def _row(outcome: PageOutcome, article: Article, key: str, seen: str) -> dict[str, Any]:
    published = article.published.isoformat() if article.published else None
    top = outcome.topics[0] if outcome.topics else None
    return {
        "id": None, "url": outcome.url, "canonical_url": key, "host": host_of(key),
        "site": article.site, "lang": article.lang, "title": article.title, "text": article.text,
        "published": published, "day": (published or seen)[:10],
        "authors": _json(article.authors), "source": article.source,
        "section": _json(article.section), "description": article.description,
        "encoding": article.encoding, "text_hash": text_hash(article.text),
        "topic": top.label if top else None, "topic_score": float(top.score) if top else None,
        "model_id": (outcome.model_id or "unspecified") if top else None,
        "first_seen": seen, "last_seen": seen, "crawl_id": outcome.crawl_id, "simhash": None,
        "duplicate_of": None, "editors": _json(article.editors),
    }  # fmt: skip


def _as_duplicate(row: dict[str, Any], original: str) -> None:
    row.update(text=None, topic=None, topic_score=None, model_id=None, duplicate_of=original)


def write_articles(
    conn: sqlite3.Connection, outcomes: Sequence[PageOutcome], stamp: str, batch: Batch
) -> dict[int, int]:
    """Insert or update the batch's articles; {index in ``outcomes``: article id}."""
    items = [(i, o, o.article, o.article.canonical_url or o.url)
             for i, o in enumerate(outcomes) if o.article is not None]  # fmt: skip
    if not items:
        return {}
    rows = [_row(o, article, key, batch.seen(o, stamp)) for _, o, article, key in items]
    for row, value in zip(rows, _simhash.simhashes([r["text"] for r in rows]), strict=True):
        row["simhash"] = value
    keys = [key for *_, key in items]
    stored = {url for (url,) in conn.execute(_STORED, (json.dumps(keys),))}
    new, known, seen = [], [], set()
    for item, row in zip(items, rows, strict=True):
        key = item[3]
        (known if key in stored or key in seen else new).append((item, row))
        seen.add(key)
    ids = _insert_new(conn, new, stamp, batch)
    for (i, outcome, article, key), row in known:
        ids[i] = _update_known(conn, outcome, article, key, row, stamp, batch)
    return ids


def _insert_new(
    conn: sqlite3.Connection,
    new: list[tuple[tuple[int, PageOutcome, Article, str], dict[str, Any]]],
    stamp: str,
    batch: Batch,
) -> dict[int, int]:
    if not new:
        return {}
    first = next_article_id(conn)
    found = candidates(conn, [row["simhash"] for _, row in new if row["simhash"] is not None])
    urls: dict[int, str] = {}
    originals: dict[int, int] = {}
    bands: list[tuple[int, int, int, int]] = []
    for n, ((_, outcome, _, key), row) in enumerate(new):
        row["id"] = article_id = first + n
        urls[article_id] = key
        duplicate = outcome.duplicate_of if outcome.duplicate_of != key else None
        if duplicate:
            _as_duplicate(row, duplicate)
            continue
        value = row["simhash"]
        if value is None:
            continue
        match = closest(found, value)
        if match is not None:
            originals[n] = match
            continue
        for band, bits in _simhash.bands(value):
            found.setdefault((band, bits), []).append((article_id, value))
            bands.append((band, bits, article_id, value))
    missing = [i for i in originals.values() if i not in urls]
    if missing:
        rows = conn.execute(
            "SELECT id, canonical_url FROM articles WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(missing),),
        )
        urls.update(rows)
    for n, match in originals.items():
        _as_duplicate(new[n][1], urls[match])
    conn.executemany(_INSERT_ARTICLE, [_ROW_VALUES(row) for _, row in new])
    conn.executemany(_INSERT_BAND, bands)
    ids = {}
    for (i, outcome, article, key), row in new:
        ids[i] = row["id"]
        batch.add_article(outcome, article, key, row, stamp, stored_before=False)
    return ids


def _update_known(
    conn: sqlite3.Connection,
    outcome: PageOutcome,
    article: Article,
    key: str,
    row: dict[str, Any],
    stamp: str,
    batch: Batch,
) -> int:
    """The update path: the article is stored (or was inserted earlier in this batch)."""
    article_id, old_hash, duplicate = conn.execute(
        "SELECT id, text_hash, duplicate_of FROM articles WHERE canonical_url = ?", (key,)
    ).fetchone()
    row["id"] = article_id
    if duplicate:
        _as_duplicate(row, duplicate)
    elif old_hash != row["text_hash"]:
        conn.execute(_ARCHIVE_VERSION, (stamp, article_id))
        conn.execute("DELETE FROM simhash_bands WHERE article_id = ?", (article_id,))
        value = row["simhash"]
        if value is not None:
            bands = [(band, bits, article_id, value) for band, bits in _simhash.bands(value)]
            conn.executemany(_INSERT_BAND, bands)
    conn.execute(_UPDATE_ARTICLE, row)
    conn.execute("DELETE FROM blocks WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM images WHERE article_id = ?", (article_id,))
    batch.add_article(outcome, article, key, row, stamp, stored_before=True)
    return int(article_id)
