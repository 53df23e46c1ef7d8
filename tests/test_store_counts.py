"""The counters behind the dashboard views equal a scan of the rows they count, the full-text
index catches up in bulk without losing an article, and the short-term LIKE search is bounded to
the newest articles."""

from __future__ import annotations

import contextlib
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper._records import Failure
from store import PageOutcome, Store
from store import _read as read
from store._datasette import CANNED_QUERIES
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


SCANNED_DAYS = """
SELECT day, coalesce(topic, 'untagged'), count(*) FROM articles
WHERE duplicate_of IS NULL GROUP BY 1, 2 ORDER BY 1, 2
"""
SCANNED_FRONTIER = "SELECT state, count(*) FROM frontier GROUP BY 1 ORDER BY 1"
COUNTED_FRONTIER = "SELECT state, urls FROM frontier_counts WHERE urls > 0 ORDER BY 1"
SCANNED_TOPIC_TOTALS = """
SELECT coalesce(topic, 'untagged'), duplicate_of IS NOT NULL, count(*) FROM articles
GROUP BY 1, 2 ORDER BY 1, 2
"""
COUNTED_TOPIC_TOTALS = "SELECT * FROM topic_counts WHERE articles > 0 ORDER BY 1, 2"


def assert_counts_match(conn: sqlite3.Connection) -> None:
    """Every counter table and the views over them equal a scan of the rows they count."""
    views = conn.execute("SELECT * FROM topic_counts_daily").fetchall()
    assert views == conn.execute(SCANNED_TOPICS).fetchall()
    sites = conn.execute("SELECT * FROM site_crawl_stats ORDER BY host").fetchall()
    assert sites == conn.execute(SCANNED_SITES).fetchall()
    by_day = conn.execute("SELECT * FROM topic_counts_by_day").fetchall()
    assert by_day == conn.execute(SCANNED_DAYS).fetchall()
    topics = conn.execute(COUNTED_TOPIC_TOTALS).fetchall()
    assert topics == conn.execute(SCANNED_TOPIC_TOTALS).fetchall()
    frontier = conn.execute(COUNTED_FRONTIER).fetchall()
    assert frontier == conn.execute(SCANNED_FRONTIER).fetchall()


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
        # Frontier states move: claims, a resume, a recrawl, a host changing on an article.
        assert len(store.claim(7)) == 7
        assert_counts_match(store.conn)
        assert store.requeue_in_flight() == 7
        assert store.requeue_done_for_recrawl() > 0
        store.conn.execute("UPDATE articles SET host = 'moved.example' WHERE id = 4")
        store.conn.execute("DELETE FROM frontier WHERE rowid % 3 = 0")
        assert_counts_match(store.conn)
        assert store.frontier_counts() == dict(store.conn.execute(SCANNED_FRONTIER).fetchall())
        store.conn.execute("DELETE FROM images")
        store.conn.execute("DELETE FROM blocks WHERE article_id = 2")
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


SCANNED_PUSHED = """
SELECT link_url, kind, count(*), count(DISTINCT article_id), count(DISTINCT substr(seen_at, 1, 10)),
       min(seen_at), max(seen_at), max(link_text)
FROM link_blocks WHERE kind IN ('hot', 'recommended') GROUP BY 1, 2 ORDER BY 1, 2
"""
PUSHED = """
SELECT url, kind, appearances, articles, days, first_seen, last_seen, text FROM pushed_links
ORDER BY 1, 2
"""


def test_pushed_link_counters_follow_batches_recrawls_and_deletes(tmp_path: Path) -> None:
    with Store(tmp_path / "news.db") as store:
        crawl = store.start_crawl([], {})
        rng = random.Random(5)
        # Pages 17.5 hours apart: each batch spans days, links recur across days and batches.
        outcomes = [synthetic_outcome(150 * n, rng, crawl_id=crawl, links_per_block=3)
                    for n in range(60)]  # fmt: skip
        for start in range(0, 60, 25):
            store.save_outcomes(outcomes[start : start + 25])
        scanned = store.conn.execute(SCANNED_PUSHED).fetchall()
        assert store.conn.execute(PUSHED).fetchall() == scanned
        assert max(row[4] for row in scanned) > 1
        top = "SELECT url, appearances FROM pushed_links ORDER BY appearances DESC, url LIMIT 3"
        expected = sorted(((r[0], r[2]) for r in scanned), key=lambda r: (-r[1], r[0]))[:3]
        assert store.conn.execute(top).fetchall() == expected
        # A recrawl replaces some pages' blocks; a clean-up deletes rows: appearances and
        # articles follow the rows stored now (days and first/last seen keep their history).
        again = [synthetic_outcome(150 * n, random.Random(n), crawl_id=crawl) for n in range(5)]
        assert store.save_outcomes(again) == 5
        store.conn.execute("DELETE FROM blocks WHERE article_id = 9")
        store.conn.execute("DELETE FROM blocks WHERE article_id = 12 AND kind = 'hot'")
        current = [r[:4] for r in store.conn.execute(SCANNED_PUSHED)]
        live = [r[:4] for r in store.conn.execute(PUSHED)]
        assert live == current


def test_the_search_index_catches_up_in_bulk_and_misses_nothing(tmp_path: Path) -> None:
    texts = [f"第{n}篇：老城区救助管理站开放日，市民参观宿舍和食堂。" * 3 for n in range(6)]

    def outcome(n: int, crawl: int) -> PageOutcome:
        return article_outcome(f"https://a.cn/{n}", f"标题{n}", texts[n], crawl_id=crawl)

    with Store(tmp_path / "news.db", fts_lag=2) as store:
        crawl = store.start_crawl([], {})
        store.save_outcomes([outcome(0, crawl), outcome(1, crawl)])
        assert store.search_backlog() == 2  # within the lag: found by LIKE
        assert {h.url for h in store.search("救助管理站")} == {"https://a.cn/0", "https://a.cn/1"}
        store.save_outcomes([outcome(2, crawl)])
        assert store.search_backlog() == 0  # over the lag: indexed with the batch
        # An indexed article that changes is re-indexed; a deleted one leaves the index, and
        # its id is not given again to an article the index would skip.
        changed = article_outcome("https://a.cn/1", "标题1", "改版后的文章讲述社区食堂。" * 5,
                                  crawl_id=crawl)  # fmt: skip
        store.save_outcomes([changed])
        store.conn.execute("DELETE FROM blocks WHERE article_id = 3")
        store.conn.execute("DELETE FROM images WHERE article_id = 3")
        store.conn.execute("DELETE FROM pages WHERE article_id = 3")
        store.conn.execute("DELETE FROM articles WHERE id = 3")
        store.save_outcomes([outcome(3, crawl)])
        assert store.conn.execute("SELECT max(id) FROM articles").fetchone()[0] == 4
        hits = {h.url for h in store.search("救助管理站")}
        assert hits == {"https://a.cn/0", "https://a.cn/3"}
        assert [h.url for h in store.search("社区食堂")] == ["https://a.cn/1"]
        store.finish_crawl(crawl, {})
        assert store.search_backlog() == 0
        assert {h.url for h in store.search("救助管理站")} == hits
        assert all(h.rank > 0 for h in store.search("救助管理站"))
    with Store(tmp_path / "bulk.db", bulk=True) as bulk:
        crawl = bulk.start_crawl([], {})
        bulk.save_outcomes([outcome(n, crawl) for n in range(6)])
        assert bulk.search_backlog() == 6
        assert len(bulk.search("救助管理站")) == 6
        assert bulk.index_search(chunk=4) == 6 and bulk.search_backlog() == 0
        assert len(bulk.search("救助管理站")) == 6


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


@contextlib.contextmanager
def _five_stories(path: Path) -> Iterator[Store]:
    """A store of five stories about 救助管理站 (https://a.cn/0 … /4, newest last), indexed; /1
    and /3 also mention 社区食堂, the older /1 far more often."""
    texts = [f"第{n}篇：老城区救助管理站开放日，市民参观宿舍和食堂。" * 3 for n in range(5)]
    texts[1] += "社区食堂午餐。" + "社区食堂" * 6
    texts[3] += "社区食堂午餐。"
    with Store(path, fts_lag=0) as store:
        crawl = store.start_crawl([], {})
        store.save_outcomes([
            article_outcome(f"https://a.cn/{n}", f"标题{n}", text, crawl_id=crawl)
            for n, text in enumerate(texts)
        ])  # fmt: skip
        yield store


def test_common_words_come_newest_first_and_selective_ones_by_rank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read, "SEARCH_WINDOW", 3)
    with _five_stories(tmp_path / "news.db") as store:
        assert store.search_backlog() == 0
        # 5 matches fill the window of 3: the newest, unranked, as many as asked.
        common = store.search("救助管理站", limit=2)
        assert [h.url for h in common] == ["https://a.cn/4", "https://a.cn/3"]
        assert all(h.rank == 0 and "[救助管理站]" in h.snippet for h in common)
        assert len(store.search("救助管理站", limit=4)) == 4
        # 2 matches: ranked by bm25, the article that is about it first although older.
        selective = store.search("社区食堂")
        assert [h.url for h in selective] == ["https://a.cn/1", "https://a.cn/3"]
        assert selective[0].rank > selective[1].rank > 0


def test_the_canned_search_ranks_selective_words_and_lists_common_ones_newest_first(
    tmp_path: Path,
) -> None:
    sql = CANNED_QUERIES["search_articles"]["sql"].replace(str(read.SEARCH_WINDOW), "3")
    with _five_stories(tmp_path / "news.db") as store:
        common = store.conn.execute(sql, {"q": "救助管理站"}).fetchall()
        assert [r[2] for r in common] == [f"https://a.cn/{n}" for n in (4, 3, 2)]
        assert all(r[4] == 0 and "救助管理站" in r[3] for r in common)
        selective = store.conn.execute(sql, {"q": "社区食堂"}).fetchall()
        assert [r[2] for r in selective] == ["https://a.cn/1", "https://a.cn/3"]
        assert selective[0][4] > selective[1][4] > 0 and "[社区食堂]" in selective[0][3]
        assert store.conn.execute(sql, {"q": "不存在的词"}).fetchall() == []


def test_topic_share_covers_the_latest_year_from_the_counters(tmp_path: Path) -> None:
    with Store(tmp_path / "news.db") as store:
        crawl = store.start_crawl([], {})
        rng = random.Random(8)
        # 600 articles 7 minutes apart at n * 150: about 437 days.
        store.save_outcomes([synthetic_outcome(150 * n, rng, crawl_id=crawl) for n in range(600)])
        share = store.conn.execute(CANNED_QUERIES["topic_share_daily"]["sql"]).fetchall()
        last = store.conn.execute("SELECT max(day) FROM articles").fetchone()[0]
        first = store.conn.execute("SELECT date(?, '-364 days')", (last,)).fetchone()[0]
        scanned = store.conn.execute(
            "SELECT day, coalesce(topic, 'untagged'), count(*) FROM articles "
            "WHERE duplicate_of IS NULL AND day >= ? GROUP BY 1, 2",
            (first,),
        ).fetchall()
        assert sorted(r[:3] for r in share) == sorted(scanned)
        assert store.conn.execute("SELECT min(day) FROM articles").fetchone()[0] < first
        for day in {r[0] for r in share}:
            assert sum(r[3] for r in share if r[0] == day) == pytest.approx(100, abs=1)
