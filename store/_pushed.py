"""Migration 4: ``pushed_link_counts``, the counters behind the ``pushed_links`` view.

Ordering the old view (a ``GROUP BY`` over every hot and recommended link row) by appearances
took seconds on a large store, and the covering index it needed cost a random B-tree insert per
link row written. Now the writer adds each batch's links to one counter row per (url, kind)
(one grouped upsert per distinct link), and a trigger subtracts link
rows deleted by anyone (a recrawl replacing a page's blocks, a manual clean-up), so the view is a
plain read and its top-N an index scan on ``appearances``. Since v6 the writer and the trigger
work on ``blocks`` (:mod:`store._blocks`); this module keeps the v4 step.
"""

from __future__ import annotations

from sqlite_utils import Database

_SUBTRACT = """
CREATE TRIGGER pushed_link_counts_ad AFTER DELETE ON link_blocks
WHEN old.kind IN ('hot', 'recommended') BEGIN
  UPDATE pushed_link_counts SET appearances = appearances - 1,
    articles = articles - NOT EXISTS (SELECT 1 FROM link_blocks AS l
      WHERE l.article_id = old.article_id AND l.link_url = old.link_url AND l.kind = old.kind)
  WHERE url = old.link_url AND kind = old.kind;
END
"""
_BACKFILL = """
INSERT INTO pushed_link_counts (url, kind, text, appearances, articles, days, first_seen,
    last_seen)
SELECT link_url, kind, max(link_text), count(*), count(DISTINCT article_id),
       count(DISTINCT substr(seen_at, 1, 10)), min(seen_at), max(seen_at)
FROM link_blocks WHERE kind IN ('hot', 'recommended') AND link_url IS NOT NULL
GROUP BY link_url, kind
"""


def create_pushed_counts(db: Database) -> None:
    """v4: count the link rows already stored, then install the subtracting trigger."""
    db.execute(_BACKFILL)
    db.execute(_SUBTRACT)
