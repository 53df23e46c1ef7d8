"""One source, two renderings: ``docs/schema.md`` and the Datasette metadata both come from
:mod:`store._schema` and :mod:`store._views`. Regenerate the doc with ``python -m store._docs``.
"""

from __future__ import annotations

import sys
from typing import Any

from store._schema import FTS_COLUMNS, FTS_DOC, FTS_TABLE, SCHEMA_VERSION, TABLES
from store._views import VIEWS

INTRO = f"""# Database schema

Generated from `store/_schema.py` and `store/_views.py` by `python -m store._docs > docs/schema.md`;
`tests/test_store_schema.py` fails when this file and the real database differ. Schema version
**{SCHEMA_VERSION}**, kept in `PRAGMA user_version`; opening an older database migrates it in place
(`store/_migrate.py`, an ordered list of steps), a newer one is refused with `SchemaVersionError`.

Conventions: timestamps are ISO 8601 text (UTC unless the page printed an offset); lists are JSON
text; the "site" of the views is the lower-case `host` of the URL. The database runs in WAL mode
with a 30 s busy timeout: one writer (the crawler, one transaction per batch), any number of
readers (`Store(path, readonly=True)` opens a `mode=ro` URI).

Design choices:

- **Link blocks are one row per block** (`blocks`, since v6), the block's links as one JSON
  list of `[text, url, timestamp, source]`; the `link_blocks` view gives one row per link with
  the columns of the v1–v5 `link_blocks` table, for dashboards. A page's blocks are always
  written and read whole with their article (`Store.link_blocks`), so the writer inserts two
  rows per synthetic article instead of 13 (and indexes them by article only). A block with no
  links is not kept (no data). The pushed-link counters below are the only per-link writes.
- **Articles are keyed by canonical URL** (`rel=canonical`, else the page URL). A recrawl that
  finds the text changed copies the previous row to `article_versions` first; the link blocks and
  images are replaced by the latest page's.
- **Near-duplicates**: the write path computes a 64-bit simhash of the text (character
  trigrams, `store.simhash`; a whole batch in one numpy pass) and looks for a stored original
  within Hamming distance 3 through `simhash_bands`, which holds the simhash too, so a batch's
  candidates come from one index query without reading articles (`Store.find_near_duplicate`);
  the pipeline may also pass `duplicate_of`. A duplicate keeps its row (URL, title, link blocks,
  images) with `text` NULL and `duplicate_of` naming the first copy, so its text is not stored
  twice and it is left out of search, topics and the topic views.
- **Top topic** is denormalised onto `articles.topic` (latest tagging wins) so the dashboard
  views are index scans; `topics` keeps every label of every model.
- **Full-text search**: `articles_fts` (FTS5, trigram tokenizer) works for Chinese and English
  alike, but trigrams need at least 3 characters: `Store.search` sends queries whose terms are
  all ≥ 3 characters to FTS5 and falls back to `LIKE` over title and text (scanning newest
  first, stopping at `limit` hits, over the newest 10,000 articles only, so a rare term does not
  cost a full scan) when any term is 1–2 characters, e.g. 救助. FTS first finds the newest
  2000 matches in rowid order; fewer than that (a selective query) are ranked by bm25, while a
  full window (common words, for which bm25 would weigh every match in the index) is returned
  newest first with rank 0, so a common word costs the same on any store size. Trigram indexing is
  the largest cost of a write (about 0.75 ms of CPU per 600-character article), so since v4 it
  runs in bulk behind the writes: articles get increasing ids, `fts_progress.indexed_upto` marks
  how far the index has got, and `save_outcomes` indexes the backlog in its transaction once it
  exceeds `Store(fts_lag=1000)` articles (`Store(bulk=True)` leaves it to `Store.index_search()`
  or `newsdesk index`; `finish_crawl` always catches up). Articles above the mark are
  searched with `LIKE` and listed first, so a committed article is searchable at once. Triggers
  re-index indexed rows whose title or text change and remove deleted ones.
- **Counts for the dashboards**: `article_counts` and `site_counts` are kept by triggers in the
  writing transaction, so `topic_counts_daily`, `site_crawl_stats` and `Store.summary()` read
  counters instead of scanning every row, at the price of one upsert per written row. Since v5
  the sums of `article_counts` that the whole-store questions need are counters too
  (`topic_counts` per topic, `day_topic_counts` per day and topic, `site_counts.articles` per
  host, `frontier_counts` per frontier state), kept by the same kind of triggers: summing a
  day × host × topic table of 150,000 rows per question cost 0.2–0.6 s at a million articles.
- **Most pushed links**: `pushed_link_counts` keeps one counter row per (url, kind), updated
  once per distinct link of each batch by the writer (counted in Python from the batch's
  records, upserted in key order) and decremented by a trigger when blocks are deleted, so the
  live `pushed_links` view and its top-N by appearances are index reads; the report and
  `finish_crawl` read it live (the v2–v5 snapshot table `pushed_links_top` is gone in v6).
- **Filtered topic counts**: `topic_counts_daily` shows the '' keys of `article_counts` as
  NULL; two expression indexes on `nullif(day, '')` and `nullif(host, '')` (v6) make its
  `WHERE day = …` and `WHERE host = …` index reads.
"""


def _table_md(name: str, doc: str, columns: list[tuple[str, str, str]]) -> str:
    lines = [f"### `{name}`", "", doc, "", "| column | type | description |", "|---|---|---|"]
    lines += [f"| `{c}` | {t or '—'} | {d} |" for c, t, d in columns]
    return "\n".join(lines) + "\n"


def render_markdown() -> str:
    """The text of ``docs/schema.md``."""
    parts = [INTRO, "## Tables\n"]
    for spec in TABLES:
        if not spec.exists_in(SCHEMA_VERSION):
            continue
        cols = [(c.name, c.type, c.doc) for c in spec.columns]
        pk = spec.pk if isinstance(spec.pk, str) else ", ".join(spec.pk)
        doc = f"{spec.doc}\n\nPrimary key: `{pk}`."
        if spec.indexes:
            indexes = ", ".join(
                "`({})`{}{}".format(
                    ", ".join(i.columns),
                    " unique" if i.unique else "",
                    f" where `{i.where}`" if i.where else "",
                )
                for i in spec.indexes
                if i.exists_in(SCHEMA_VERSION)
            )
            doc += f" Indexes: {indexes}."
        cols = [(n, t, d + (f" (since v{c.since})" if c.since > spec.since else ""))
                for (n, t, d), c in zip(cols, spec.columns, strict=True)]  # fmt: skip
        parts.append(_table_md(spec.name, doc, cols))
    fts_cols = [(c.name, c.type, c.doc) for c in FTS_COLUMNS]
    parts.append(_table_md(FTS_TABLE, FTS_DOC, fts_cols))
    parts.append("## Views\n")
    for view in VIEWS:
        parts.append(_table_md(view.name, view.doc, [(c.name, "", c.doc) for c in view.columns]))
    return "\n".join(parts)


def datasette_metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for the database named ``database``: table, view and column
    descriptions, plus the canned queries."""
    from store._datasette import CANNED_QUERIES

    tables: dict[str, Any] = {}
    for spec in TABLES:
        if not spec.exists_in(SCHEMA_VERSION):
            continue
        tables[spec.name] = {
            "description": spec.doc,
            "columns": {c.name: c.doc for c in spec.columns},
        }
    tables["articles"].update(fts_table=FTS_TABLE, fts_pk="id", sort_desc="published")
    tables[FTS_TABLE] = {"description": FTS_DOC, "hidden": True}
    for view in VIEWS:
        tables[view.name] = {
            "description": view.doc,
            "columns": {c.name: c.doc for c in view.columns},
        }
    return {
        "title": "newsdesk",
        "description": "Articles, clutter link blocks, topics and crawl records of newsdesk.",
        "databases": {database: {"tables": tables, "queries": CANNED_QUERIES}},
    }


if __name__ == "__main__":
    sys.stdout.write(render_markdown())
