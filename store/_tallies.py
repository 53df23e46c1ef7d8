"""Migration 5: small counter tables for the whole-store questions, kept exact by triggers.

``article_counts`` (v3) has a row per day, host and topic: about 150,000 rows for a million
articles over 13 years, so summing it per host, per topic or per day and topic cost 200–600 ms.
Version 5 keeps those sums themselves, each a few rows to a few tens of thousands:

- ``topic_counts``: articles per top topic and duplicate flag (``Store.summary()``);
- ``day_topic_counts``: original articles per day and top topic (the ``topic_counts_by_day``
  view behind the topic-share chart and canned query);
- ``site_counts.articles``: articles per host (``site_crawl_stats`` reads one row per host);
- ``frontier_counts``: frontier URLs per state (``summary()``, ``frontier_counts()``), which
  otherwise counts every frontier row (two per article in a crawl).

Each trigger is one upsert or update in the transaction that writes the counted row, whoever
writes it, so the counters cannot drift from the rows; a test compares them to scans after
inserts, recrawls, re-tagging, duplicates and deletes. Keys are never NULL ('' stands for it);
counts may fall to 0 and readers leave those rows out.
"""

from __future__ import annotations

from sqlite_utils import Database

_TOPIC = "coalesce({r}.topic, 'untagged'), {r}.duplicate_of IS NOT NULL"
_DAY_TOPIC = "coalesce({r}.day, ''), coalesce({r}.topic, 'untagged')"


def _upsert(table: str, keys: str, values: str, column: str, sign: str, when: str = "") -> str:
    """One counter change: insert the key with ±1 or add ±1 to its row (only ``when``)."""
    where = f" WHERE {when}" if when else " WHERE true"
    return (
        f"INSERT INTO {table} ({keys}, {column}) SELECT {values}, {sign}1{where} "
        f"ON CONFLICT ({keys}) DO UPDATE SET {column} = coalesce({column}, 0) {sign} 1;"
    )


def _changes(row: str, sign: str) -> str:
    """The counter changes for one article row (``new`` added with +, ``old`` removed with -)."""
    return " ".join(
        (
            _upsert("topic_counts", "topic, duplicate", _TOPIC.format(r=row), "articles", sign),
            _upsert(
                "day_topic_counts",
                "day, topic",
                _DAY_TOPIC.format(r=row),
                "articles",
                sign,
                f"{row}.duplicate_of IS NULL",
            ),
        )
    )


def _host(row: str, sign: str) -> str:
    return (
        "INSERT INTO site_counts (host, pages, failures, articles) "
        f"VALUES (coalesce({row}.host, ''), 0, 0, {sign}1) "
        f"ON CONFLICT (host) DO UPDATE SET articles = coalesce(articles, 0) {sign} 1;"
    )


def _state(row: str, sign: str) -> str:
    return _upsert("frontier_counts", "state", f"coalesce({row}.state, '')", "urls", sign)


_OLD_TOPIC = f"({_TOPIC.format(r='old')}, {_DAY_TOPIC.format(r='old')})"
_NEW_TOPIC = f"({_TOPIC.format(r='new')}, {_DAY_TOPIC.format(r='new')})"

TRIGGERS = (
    "CREATE TRIGGER tallies_articles_ai AFTER INSERT ON articles "
    f"BEGIN {_changes('new', '+')} {_host('new', '+')} END",
    "CREATE TRIGGER tallies_articles_ad AFTER DELETE ON articles "
    f"BEGIN {_changes('old', '-')} {_host('old', '-')} END",
    "CREATE TRIGGER tallies_articles_topic_au AFTER UPDATE OF day, topic, duplicate_of "
    f"ON articles WHEN {_OLD_TOPIC} IS NOT {_NEW_TOPIC} "
    f"BEGIN {_changes('old', '-')} {_changes('new', '+')} END",
    "CREATE TRIGGER tallies_articles_host_au AFTER UPDATE OF host ON articles "
    "WHEN coalesce(old.host, '') IS NOT coalesce(new.host, '') "
    f"BEGIN {_host('old', '-')} {_host('new', '+')} END",
    f"CREATE TRIGGER tallies_frontier_ai AFTER INSERT ON frontier BEGIN {_state('new', '+')} END",
    f"CREATE TRIGGER tallies_frontier_ad AFTER DELETE ON frontier BEGIN {_state('old', '-')} END",
    "CREATE TRIGGER tallies_frontier_au AFTER UPDATE OF state ON frontier "
    "WHEN old.state IS NOT new.state "
    f"BEGIN {_state('old', '-')} {_state('new', '+')} END",
)

_BACKFILL = (
    "INSERT INTO topic_counts (topic, duplicate, articles) "
    "SELECT topic, duplicate, sum(articles) FROM article_counts GROUP BY 1, 2",
    "INSERT INTO day_topic_counts (day, topic, articles) "
    "SELECT day, topic, sum(articles) FROM article_counts WHERE duplicate = 0 GROUP BY 1, 2",
    "UPDATE site_counts SET articles = 0",
    "INSERT INTO site_counts (host, pages, failures, articles) "
    "SELECT host, 0, 0, sum(articles) FROM article_counts WHERE true GROUP BY 1 "
    "ON CONFLICT (host) DO UPDATE SET articles = excluded.articles",
    "INSERT INTO frontier_counts (state, urls) "
    "SELECT coalesce(state, ''), count(*) FROM frontier GROUP BY 1",
)


def create_tallies(db: Database) -> None:
    """v5: fill the counter tables from the counts and rows already stored, then install the
    triggers that keep them."""
    for statement in (*_BACKFILL, *TRIGGERS):
        db.execute(statement)
