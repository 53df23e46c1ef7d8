"""The trigger-kept counters behind the dashboard views equal a scan of the rows they count, and
the short-term LIKE search is bounded to the newest articles."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from scraper._records import Failure
from store import PageOutcome, Store
from store import _read as read
from store._synthetic import START, SyntheticTopic, article_outcome, synthetic_outcome

SCANNED_TOPICS = """
SELECT day, host, coalesce(topic, 'untagged'), count(*) FROM articles
WHERE duplicate_of IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""
SCANNED_SITES = """
SELECT host, sum(p), sum(a), sum(f), max(last) FROM (
    SELECT host, count(*) AS p, 0 AS a, 0 AS f, max(fetched_at) AS last FROM pages GROUP BY host
    UNION ALL SELECT host, 0, count(*), 0, NULL FROM articles GROUP BY host
    UNION ALL SELECT host, 0, 0, count(*), NULL FROM failures GROUP BY host
) GROUP BY host ORDER BY host
"""


def assert_counts_match(conn: sqlite3.Connection) -> None:
    views = conn.execute("SELECT * FROM topic_counts_daily").fetchall()
    assert views == conn.execute(SCANNED_TOPICS).fetchall()
    sites = conn.execute("SELECT * FROM site_crawl_stats ORDER BY host").fetchall()
    assert sites == conn.execute(SCANNED_SITES).fetchall()


def test_counters_follow_inserts_updates_duplicates_retagging_and_deletes(tmp_path: Path) -> None:
    with Store(tmp_path / "news.db") as store:
        crawl = store.start_crawl(["https://bench.example/"], {})
        rng = random.Random(3)
        store.save_outcomes([synthetic_outcome(n, rng, crawl_id=crawl) for n in range(40)])
        # Recrawl: new text and day for some, a copy of a stored text, a failure.
        again = [synthetic_outcome(n, random.Random(n), crawl_id=crawl) for n in range(5)]
        copy = store.conn.execute("SELECT text FROM articles WHERE id = 7").fetchone()[0]
        dup = article_outcome("https://x.cn/copy", "副本", copy, crawl_id=crawl)
        failure = Failure("https://y.cn/1", "http", "FetchError", "404")
        failed = PageOutcome("https://y.cn/1", crawl, None, None, failure=failure)
        untagged = article_outcome("https://x.cn/u", "无题", "短文", crawl_id=crawl, published=None)
        store.save_outcomes([*again, dup, failed, untagged])
        duplicates = "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"
        assert store.conn.execute(duplicates).fetchone()[0] == 1
        store.save_topics([(3, (SyntheticTopic("sports", 0.9),))], "m2")
        assert_counts_match(store.conn)
        store.conn.execute("DELETE FROM images")
        store.conn.execute("DELETE FROM link_blocks WHERE article_id = 2")
        store.conn.execute("DELETE FROM topics WHERE article_id = 2")
        store.conn.execute("DELETE FROM pages WHERE article_id = 2")
        store.conn.execute("DELETE FROM article_versions WHERE article_id = 2")
        store.conn.execute("DELETE FROM articles WHERE id = 2")
        store.conn.execute("DELETE FROM failures")
        assert_counts_match(store.conn)
        summary = store.summary()
        scanned = dict(store.conn.execute(
            "SELECT coalesce(topic, 'untagged'), count(*) FROM articles "
            "WHERE duplicate_of IS NULL GROUP BY 1"
        ).fetchall())  # fmt: skip
        assert summary["articles_per_topic"] == scanned
        assert summary["articles_stored"] == sum(scanned.values())
        assert summary["duplicates"] == 1


def test_short_terms_search_only_the_newest_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read, "LIKE_WINDOW", 3)
    with Store(tmp_path / "news.db") as store:
        crawl = store.start_crawl(["https://a.cn/"], {})
        texts = ["老城区救助站开放日" + "。" * n for n in range(5)]
        store.save_outcomes([
            article_outcome(f"https://a.cn/{n}", f"标题{n}", text, crawl_id=crawl,
                            published=START)
            for n, text in enumerate(texts)
        ])  # fmt: skip
        hits = [hit.url for hit in store.search("救助")]
        assert hits == ["https://a.cn/4", "https://a.cn/3", "https://a.cn/2"]
        assert len(store.search("救助管理")) == 0
        assert len(store.search("救助站开放")) == 5
