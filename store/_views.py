"""The stable views, as data: SQL plus a description of every column.

Views are dropped and created again after every migration, so their SQL may change between schema
versions while their names and columns stay stable for dashboards and canned queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from store._spec import Column


@dataclass(frozen=True, slots=True)
class View:
    """A view: name, description, SQL body and its documented columns."""

    name: str
    doc: str
    sql: str
    columns: tuple[Column, ...]


def _v(name: str, doc: str) -> Column:
    return Column(name, "", doc)


VIEWS: tuple[View, ...] = (
    View(
        "articles_with_topic",
        "Each stored article (not the near-duplicates) with the top topic of its latest tagging.",
        """
        SELECT id, canonical_url, host, site, lang, title, published, day, section,
               topic, topic_score, model_id
        FROM articles WHERE duplicate_of IS NULL
        """,
        (
            _v("id", "articles.id"),
            _v("canonical_url", "articles.canonical_url"),
            _v("host", "articles.host"),
            _v("site", "articles.site"),
            _v("lang", "articles.lang"),
            _v("title", "articles.title"),
            _v("published", "articles.published"),
            _v("day", "articles.day"),
            _v("section", "articles.section (JSON list)"),
            _v("topic", "Top topic label (NULL when never tagged)."),
            _v("topic_score", "Its score."),
            _v("model_id", "Model that gave it."),
        ),
    ),
    View(
        "topic_counts_daily",
        "Articles per day, per site and per top topic (duplicates left out); WHERE day = … "
        "and WHERE host = … are index reads (expression indexes on article_counts).",
        """
        SELECT nullif(day, '') AS day, nullif(host, '') AS host, topic, articles
        FROM article_counts WHERE duplicate = 0 AND articles > 0
        ORDER BY nullif(article_counts.day, ''), nullif(article_counts.host, ''), topic
        """,
        (
            _v("day", "YYYY-MM-DD (articles.day)."),
            _v("host", "Site host."),
            _v("topic", "Top topic label, 'untagged' when none."),
            _v("articles", "Number of articles."),
        ),
    ),
    View(
        "topic_counts_by_day",
        "Articles per day and top topic, all sites together (duplicates left out); the "
        "topic-share chart reads it (from day_topic_counts, one row per day and topic).",
        """
        SELECT nullif(day, '') AS day, topic, articles
        FROM day_topic_counts WHERE articles > 0
        ORDER BY day_topic_counts.day, topic
        """,
        (
            _v("day", "YYYY-MM-DD (articles.day)."),
            _v("topic", "Top topic label, 'untagged' when none."),
            _v("articles", "Number of articles."),
        ),
    ),
    View(
        "site_crawl_stats",
        "Per site: pages fetched, articles stored, failures and the last fetch.",
        """
        SELECT nullif(host, '') AS host, pages, coalesce(articles, 0) AS articles, failures,
               (SELECT max(p.fetched_at) FROM pages AS p WHERE p.host IS nullif(s.host, ''))
                   AS last_fetch
        FROM site_counts AS s
        WHERE pages > 0 OR articles > 0 OR failures > 0
        """,
        (
            _v("host", "Site host."),
            _v("pages", "Rows in pages (every fetch, refetches included)."),
            _v("articles", "Rows in articles (near-duplicates included)."),
            _v("failures", "Rows in failures."),
            _v("last_fetch", "Latest pages.fetched_at."),
        ),
    ),
    View(
        "link_blocks",
        "One row per link of each link block (相关推荐, 热点推荐 ...), from the blocks table "
        "(the v1–v5 link_blocks table, without its id).",
        """
        SELECT b.id AS block_id, b.article_id, b.kind, b.heading, b.position AS block_position,
               l.key AS link_position, json_extract(l.value, '$[0]') AS link_text,
               json_extract(l.value, '$[1]') AS link_url,
               json_extract(l.value, '$[2]') AS link_timestamp,
               json_extract(l.value, '$[3]') AS link_source, b.seen_at
        FROM blocks AS b, json_each(b.links) AS l
        """,
        (
            _v("block_id", "blocks.id"),
            _v("article_id", "The article whose page shows the block (articles.id)."),
            _v("kind", "recommended, hot, related, nav or other."),
            _v("heading", "The block's heading as printed."),
            _v("block_position", "Order of the block on the page (0 first)."),
            _v("link_position", "Order of the link within its block (0 first)."),
            _v("link_text", "Anchor text."),
            _v("link_url", "Absolute link URL."),
            _v("link_timestamp", "Date/time printed beside the link, verbatim."),
            _v("link_source", "Source printed beside the link, verbatim."),
            _v("seen_at", "When the page showing the block was fetched (ISO 8601 UTC)."),
        ),
    ),
    View(
        "pushed_links",
        "How often each link appears in hot / recommended blocks, across articles and days "
        "(read from the pushed_link_counts counters).",
        """
        SELECT url, text, kind, appearances, articles, days, first_seen, last_seen
        FROM pushed_link_counts WHERE appearances > 0
        """,
        (
            _v("url", "The pushed link's URL."),
            _v("text", "Its anchor text (one of them, if it varies)."),
            _v("kind", "hot or recommended."),
            _v("appearances", "Link rows: appearances in blocks of stored pages."),
            _v("articles", "Distinct articles whose pages showed it."),
            _v("days", "Distinct days (of the fetch time) it was seen on."),
            _v("first_seen", "Earliest fetch that showed it."),
            _v("last_seen", "Latest fetch that showed it."),
        ),
    ),
)
