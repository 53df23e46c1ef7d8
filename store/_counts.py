"""Migration 3: the count tables behind the dashboard views and the triggers that keep them.

``article_counts`` and ``site_counts`` are updated by triggers in the same transaction as the
row they count, whoever writes it (the crawl's batch, re-tagging, an import), so the views
``topic_counts_daily`` and ``site_crawl_stats`` and ``Store.summary()`` read a few thousand
counters instead of scanning every article and page. NULL keys are stored as '' because SQLite
treats NULLs in a primary key as distinct, which would defeat the upsert.
"""

from __future__ import annotations

from sqlite_utils import Database

_ARTICLE_KEY = (
    "coalesce({r}.day, ''), coalesce({r}.host, ''), coalesce({r}.topic, 'untagged'), "
    "{r}.duplicate_of IS NOT NULL"
)
_ADD_ARTICLE = (
    "INSERT INTO article_counts (day, host, topic, duplicate, articles) VALUES ("
    + _ARTICLE_KEY.format(r="new")
    + ", 1) ON CONFLICT (day, host, topic, duplicate) DO UPDATE SET articles = articles + 1;"
)
_REMOVE_ARTICLE = (
    "UPDATE article_counts SET articles = articles - 1 WHERE (day, host, topic, duplicate) = ("
    + _ARTICLE_KEY.format(r="old")
    + ");"
)


def _site(column: str, sign: str, row: str) -> str:
    start = "1" if sign == "+" else "-1"
    other = "failures" if column == "pages" else "pages"
    return (
        f"INSERT INTO site_counts (host, {column}, {other}) "
        f"VALUES (coalesce({row}.host, ''), {start}, 0) "
        f"ON CONFLICT (host) DO UPDATE SET {column} = {column} {sign} 1;"
    )


TRIGGERS = (
    f"CREATE TRIGGER article_counts_ai AFTER INSERT ON articles BEGIN {_ADD_ARTICLE} END",
    f"CREATE TRIGGER article_counts_ad AFTER DELETE ON articles BEGIN {_REMOVE_ARTICLE} END",
    "CREATE TRIGGER article_counts_au AFTER UPDATE OF day, host, topic, duplicate_of ON articles "
    f"WHEN ({_ARTICLE_KEY.format(r='old')}) IS NOT ({_ARTICLE_KEY.format(r='new')}) "
    f"BEGIN {_REMOVE_ARTICLE} {_ADD_ARTICLE} END",
    "CREATE TRIGGER site_counts_pages_ai AFTER INSERT ON pages "
    f"BEGIN {_site('pages', '+', 'new')} END",
    "CREATE TRIGGER site_counts_pages_ad AFTER DELETE ON pages "
    f"BEGIN {_site('pages', '-', 'old')} END",
    "CREATE TRIGGER site_counts_failures_ai AFTER INSERT ON failures "
    f"BEGIN {_site('failures', '+', 'new')} END",
    "CREATE TRIGGER site_counts_failures_ad AFTER DELETE ON failures "
    f"BEGIN {_site('failures', '-', 'old')} END",
)

_BACKFILL = (
    "INSERT INTO article_counts (day, host, topic, duplicate, articles) "
    "SELECT coalesce(day, ''), coalesce(host, ''), coalesce(topic, 'untagged'), "
    "duplicate_of IS NOT NULL, count(*) FROM articles GROUP BY 1, 2, 3, 4",
    "INSERT INTO site_counts (host, pages, failures) "
    "SELECT host, sum(pages), sum(failures) FROM ("
    "SELECT coalesce(host, '') AS host, count(*) AS pages, 0 AS failures FROM pages GROUP BY 1 "
    "UNION ALL SELECT coalesce(host, ''), 0, count(*) FROM failures GROUP BY 1) GROUP BY host",
)


def create_counts(db: Database) -> None:
    """v3: fill the count tables from the rows already stored, then install the triggers."""
    for statement in (*_BACKFILL, *TRIGGERS):
        db.execute(statement)
