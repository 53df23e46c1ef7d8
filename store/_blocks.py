"""Migration 6: link blocks as one row per block, the links as JSON; pushed-link counts in Python.

Until v5 ``link_blocks`` held one row per link (13 per synthetic article), and the pushed-link
counters were an ``INSERT … SELECT … GROUP BY`` over the rows just written: together a fifth of
the write cost. Now ``blocks`` holds one row per block with its links as a JSON list of
``[text, url, timestamp, source]``, the ``link_blocks`` view gives the old one row per link for
dashboards, and the writer adds each batch's pushed links to ``pushed_link_counts`` from the
records it already holds (``pushed_counts``), one upsert per distinct (url, kind) in key order. A
trigger on ``blocks`` subtracts the links of deleted blocks, so the counters stay exact whoever
deletes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

if TYPE_CHECKING:
    from scraper._records import Link

PUSHED_KINDS = frozenset(("hot", "recommended"))
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

INSERT_BLOCK = """
INSERT INTO blocks (article_id, kind, heading, position, links, seen_at) VALUES (?, ?, ?, ?, ?, ?)
"""
ADD_PUSHED = """
INSERT INTO pushed_link_counts (url, kind, text, appearances, articles, days, first_seen,
    last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (url, kind) DO UPDATE SET
    text = max(coalesce(text, excluded.text), coalesce(excluded.text, text)),
    appearances = appearances + excluded.appearances,
    articles = articles + excluded.articles,
    days = days + excluded.days
        - (substr(excluded.first_seen, 1, 10) <= substr(last_seen, 1, 10)),
    first_seen = min(first_seen, excluded.first_seen),
    last_seen = max(last_seen, excluded.last_seen)
"""
SUBTRACT_TRIGGER = """
CREATE TRIGGER pushed_link_counts_ad AFTER DELETE ON blocks
WHEN old.kind IN ('hot', 'recommended') BEGIN
  UPDATE pushed_link_counts SET appearances = appearances - gone.n,
    articles = articles - NOT EXISTS (SELECT 1 FROM blocks AS b, json_each(b.links) AS l
      WHERE b.article_id = old.article_id AND b.kind = old.kind
        AND json_extract(l.value, '$[1]') = gone.url)
  FROM (SELECT json_extract(value, '$[1]') AS url, count(*) AS n
        FROM json_each(old.links) GROUP BY 1) AS gone
  WHERE pushed_link_counts.url = gone.url AND pushed_link_counts.kind = old.kind;
END
"""
_OLD_LINKS = """
SELECT article_id, kind, heading, block_position, seen_at, link_text, link_url, link_timestamp,
    link_source FROM link_blocks ORDER BY article_id, block_position, id
"""


def links_json(links: Iterable[Link]) -> str:
    """The ``blocks.links`` text of a block's links."""
    return _JSON.encode([[k.text, k.url, k.timestamp, k.source] for k in links])


def pushed_counts(
    blocks: Iterable[tuple[int, str, str, tuple[Link, ...]]],
) -> list[tuple[Any, ...]]:
    """Counter rows for ``ADD_PUSHED`` from (article id, kind, seen_at, links) of a batch's hot and
    recommended blocks, sorted by key: appearances, distinct articles and days, first and last
    fetch, the greatest anchor text. A link's days are its distinct days in the batch; the upsert
    takes one off when the batch's first day is the stored last day (already counted)."""
    found: dict[tuple[str, str], list[Any]] = {}
    for article_id, kind, seen, links in blocks:
        day = seen[:10]
        for link in links:
            key = (link.url, kind)
            row = found.get(key)
            if row is None:
                if link.url is not None:
                    found[key] = [link.text, 1, {article_id}, {day}, seen, seen]
                continue
            text = link.text
            if text is not None and (row[0] is None or text > row[0]):
                row[0] = text
            row[1] += 1
            row[2].add(article_id)
            row[3].add(day)
            if seen < row[4]:
                row[4] = seen
            elif seen > row[5]:
                row[5] = seen
    rows = []
    for key in sorted(found):
        text, n, articles, days, first, last = found[key]
        rows.append((*key, text, n, len(articles), len(days), first, last))
    return rows


def _old_blocks(db: Database) -> Iterator[tuple[Any, ...]]:
    rows = db.execute(_OLD_LINKS)
    for key, group in groupby(rows, key=lambda r: r[:4]):
        block = list(group)
        yield (*key, _JSON.encode([list(r[5:]) for r in block]), block[0][4])


def blocks_as_json(db: Database) -> None:
    """v6: copy the link rows into one row per block (the counters stay as they are: the same
    links), move the subtracting trigger to ``blocks``; ``link_blocks`` is dropped afterwards."""
    db.conn.executemany(INSERT_BLOCK, _old_blocks(db))
    db.execute("DROP TRIGGER IF EXISTS pushed_link_counts_ad")
    db.execute(SUBTRACT_TRIGGER)
