"""Serving the database with Datasette: metadata from the schema, canned queries, one server.

Datasette runs in-process as a library (``datasette.app.Datasette`` + uvicorn): no subprocess,
no plugin downloads. The database is opened as a mutable file, so a crawl may keep writing while
the server reads (WAL). The topic-share chart data is the ``topic_share_daily`` canned query; the
drawn chart lives in the HTML report (``newsdesk report``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from store._read import SEARCH_WINDOW

_PHRASE = "'\"' || replace(:q, '\"', '\"\"') || '\"'"
CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "topic_share_daily": {
        "title": "Topic share per day",
        "description": "Articles per day and top topic over the latest 365 days of the store, "
        "with the topic's share of the day (%).",
        "sql": """SELECT day, topic, articles,
       round(100.0 * articles / sum(articles) OVER (PARTITION BY day), 1) AS share
FROM day_topic_counts
WHERE day > date((SELECT max(day) FROM day_topic_counts), '-365 days') AND articles > 0
ORDER BY day, articles DESC""",
    },
    "top_pushed_links": {
        "title": "Most pushed links",
        "description": "Links seen most often in hot / recommended blocks (live counts).",
        "sql": "SELECT * FROM pushed_links ORDER BY appearances DESC, url LIMIT 100",
    },
    "site_stats": {
        "title": "Crawl statistics per site",
        "description": "Pages, articles, failures and last fetch per host.",
        "sql": "SELECT * FROM site_crawl_stats ORDER BY pages DESC, host",
    },
    "failures_by_stage": {
        "title": "Failures by stage and error",
        "description": "Why pages failed, most frequent first.",
        "sql": """SELECT stage, error, count(*) AS failures, max(at) AS last
FROM failures GROUP BY stage, error ORDER BY failures DESC""",
    },
    "latest_articles": {
        "title": "Latest articles",
        "description": "The 100 most recently published articles with their top topic.",
        "sql": """SELECT published, host, title, topic, topic_score, canonical_url
FROM articles_with_topic ORDER BY published DESC LIMIT 100""",
    },
    "search_articles": {
        "title": "Search articles",
        "description": "Full-text search of title and text (3 characters or more) over the "
        "indexed articles, as `newsdesk search` does it: when fewer than 2000 articles match, "
        "the best 50 by bm25 (rank > 0); otherwise the words are common and the newest 50 come "
        "first (rank 0), so a common word costs the same on a store of any size. `newsdesk "
        "search` also finds the articles not indexed yet.",
        "sql": f"""WITH newest AS (
  SELECT articles_fts.rowid AS id FROM articles_fts JOIN articles AS a ON a.id = articles_fts.rowid
  WHERE articles_fts MATCH {_PHRASE} AND a.duplicate_of IS NULL
  ORDER BY articles_fts.rowid DESC LIMIT {SEARCH_WINDOW}
), common AS (SELECT count(*) = {SEARCH_WINDOW} AS yes FROM newest)
SELECT * FROM (
  SELECT a.published, a.title, a.canonical_url,
         snippet(articles_fts, -1, '[', ']', '…', 64) AS snippet, -bm25(articles_fts) AS rank
  FROM articles_fts JOIN articles AS a ON a.id = articles_fts.rowid
  WHERE articles_fts MATCH {_PHRASE} AND a.duplicate_of IS NULL
  ORDER BY bm25(articles_fts) LIMIT (SELECT CASE WHEN yes THEN 0 ELSE 50 END FROM common))
UNION ALL
SELECT * FROM (
  SELECT a.published, a.title, a.canonical_url,
         substr(a.text, max(1, instr(a.text, :q) - 40), 120) AS snippet, 0.0 AS rank
  FROM newest JOIN articles AS a ON a.id = newest.id
  ORDER BY a.id DESC LIMIT (SELECT CASE WHEN yes THEN 50 ELSE 0 END FROM common))""",
    },
    "article_link_blocks": {
        "title": "Link blocks of an article",
        "description": "The clutter blocks of one article (give its canonical URL).",
        "sql": """SELECT l.block_position, l.kind, l.heading, l.link_position, l.link_text,
       l.link_url, l.link_timestamp, l.link_source
FROM link_blocks AS l JOIN articles AS a ON a.id = l.article_id
WHERE a.canonical_url = :url ORDER BY l.block_id, l.link_position""",
    },
    "crawls": {
        "title": "Crawls",
        "description": "Every crawl with its seeds and counts, latest first.",
        "sql": "SELECT id, started, finished, seeds, stats, version FROM crawls ORDER BY id DESC",
    },
}


def datasette_app(db_path: Path) -> Any:
    """The Datasette ASGI app for ``db_path`` with newsdesk's metadata and canned queries."""
    from datasette.app import Datasette

    from store._docs import datasette_metadata
    from store._store import Store

    Store(db_path, readonly=True).close()  # refuses a missing, older or newer database clearly
    metadata = datasette_metadata(db_path.stem)
    datasette = Datasette(files=[str(db_path)], immutables=[], metadata=metadata)
    return datasette.app()


def make_server(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> Any:
    """A ``uvicorn.Server`` for the database; ``.run(sockets=[sock])`` serves on a socket that is
    already listening (tests bind port 0 first, so clients connect without waiting), setting
    ``.should_exit`` stops it."""
    import uvicorn

    config = uvicorn.Config(datasette_app(db_path), host=host, port=port, log_level="warning")
    return uvicorn.Server(config)


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve the database on host:port until interrupted (Ctrl-C)."""
    make_server(db_path, host, port).run()
