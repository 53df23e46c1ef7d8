"""The store on real SQLite files: frontier, batched writes, upserts, history, duplicates, views."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper._records import Failure, Fetched, FrontierEntry
from store import SCHEMA_VERSION, PageOutcome, Store, StoreError, simhash
from store._synthetic import START, SyntheticTopic, article_outcome

RELIEF = (
    "北京市救助管理站今天向市民开放，工作人员介绍了寒冬街头救助的流程。"
    "来访者参观了宿舍、医务室和食堂，了解受助人员如何返乡。"
    "站长表示，今年冬季已救助流浪乞讨人员三百余人次，并呼吁市民发现需要帮助的人及时拨打热线。"
    "救助站还与社区、医院和公安部门建立了联动机制，夜间巡查小组每晚在火车站、地下通道和公园"
    "等地巡视，为露宿人员送去棉被、热食和药品，劝导他们进站休息。对于身体不适的受助人员，"
    "医务室会先行检查，必要时送往定点医院救治。工作人员说，很多受助人员起初不愿意进站，"
    "需要多次沟通才能建立信任；也有人在站里住了几天后，通过寻亲服务找到了失散多年的家人。"
)
OTHER = (
    "The city council approved a new budget for public transport on Tuesday, adding night buses "
    "and extending two tram lines to the suburbs, after months of debate about fares and funding."
)


def topic(label: str, score: float) -> SyntheticTopic:
    return SyntheticTopic(label, score)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "news.db") as opened:
        yield opened


def count(store: Store, table: str) -> int:
    return store.db[table].count


def test_a_new_database_is_wal_versioned_and_waits_on_locks(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000


def test_an_sqlite_too_old_for_trigram_search_is_refused_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    with pytest.raises(StoreError, match=r"SQLite is 3\.31\.1; newsdesk needs 3\.34\.0"):
        Store(tmp_path / "news.db")
    assert not (tmp_path / "news.db").exists()


def test_frontier_keeps_new_urls_only_and_claims_articles_first(store: Store) -> None:
    entries = [
        FrontierEntry("https://a.cn/list", 0, 100.0, "listing"),
        FrontierEntry("https://a.cn/deep-article", 2, 1.0, "article"),
        FrontierEntry("https://a.cn/shallow-article", 1, 1.0, "article"),
        FrontierEntry("https://a.cn/urgent-article", 3, 5.0, "article"),
        FrontierEntry("https://a.cn/sitemap.xml", 0, 1.0, "sitemap"),
    ]
    assert store.add_frontier(entries) == 5
    assert store.add_frontier([*entries, FrontierEntry("https://a.cn/new")]) == 1
    claimed = [e.url.rsplit("/", 1)[1] for e in store.claim(10)]
    assert claimed == [
        "urgent-article",
        "shallow-article",
        "deep-article",
        "sitemap.xml",
        "list",
        "new",
    ]
    assert store.frontier_counts() == {"in_flight": 6}
    assert store.claim(5) == []
    assert store.requeue_in_flight() == 6
    assert store.frontier_counts() == {"queued": 6}
    first = store.claim(1)[0]
    assert first == FrontierEntry("https://a.cn/urgent-article", 3, 5.0, "article")


def test_a_batch_writes_pages_articles_blocks_images_topics_and_frontier(store: Store) -> None:
    crawl = store.start_crawl(["https://a.cn/"], {"max_pages": 10})
    store.add_frontier([FrontierEntry("https://a.cn/1", kind="article")], crawl)
    store.claim(1)
    outcome = dataclasses.replace(
        article_outcome(
            "https://a.cn/1", "救助站开放日", RELIEF, crawl_id=crawl,
            topics=(topic("society", 0.9), topic("politics", 0.2)),
        ),
        discovered=(FrontierEntry("https://a.cn/2", 1, 0.5, "article", "https://a.cn/1"),),
    )  # fmt: skip
    store.save_outcomes([outcome])
    article = store.article("https://a.cn/1")
    assert article is not None
    assert article["title"] == "救助站开放日" and article["section"] == ["新闻", "社会"]
    assert article["topic"] == "society" and article["topic_score"] == pytest.approx(0.9)
    assert [b["heading"] for b in article["link_blocks"]] == ["相关推荐", "热点推荐"]
    assert article["link_blocks"][0]["links"][0] == {
        "text": "相关一",
        "url": "https://a.cn/1/r1",
        "timestamp": "2026-01-01 10:00",
        "source": "新华网",
    }
    assert article["images"] == [
        {"src": "https://a.cn/1.jpg", "caption": "图为救助站", "alt": None}
    ]
    assert [t["label"] for t in article["topics"]] == ["society", "politics"]
    assert store.frontier_counts() == {"done": 1, "queued": 1}
    page = store.db["pages"].get(1)
    assert (page["status"], page["article_id"], page["crawl_id"]) == (200, article["id"], crawl)
    store.finish_crawl(crawl, {"fetched": 1})
    assert store.db["crawls"].get(crawl)["finished"] is not None


def test_running_the_same_batch_twice_adds_no_article_twice(store: Store) -> None:
    crawl = store.start_crawl([], {})
    batch = [
        article_outcome("https://a.cn/1", "救助", RELIEF, crawl_id=crawl, topics=(topic("x", 1),)),
        article_outcome("https://b.com/2", "Budget", OTHER, crawl_id=crawl),
    ]
    assert store.save_outcomes(batch) == 2
    before = {t: count(store, t) for t in ("articles", "link_blocks", "images", "topics")}
    assert store.save_outcomes(batch) == 2  # both updated
    after = {t: count(store, t) for t in ("articles", "link_blocks", "images", "topics")}
    assert before == after == {"articles": 2, "link_blocks": 8, "images": 2, "topics": 1}
    assert count(store, "pages") == 4
    assert count(store, "article_versions") == 0


def test_save_outcomes_counts_the_articles_it_wrote(store: Store) -> None:
    crawl = store.start_crawl([], {})
    failed = PageOutcome(
        "https://a.cn/x", crawl, failure=Failure("https://a.cn/x", "dns", "E", "m")
    )
    one = article_outcome("https://a.cn/1", "救助", RELIEF, crawl_id=crawl)
    copy = article_outcome("https://a.cn/copy", "救助", RELIEF, crawl_id=crawl)
    assert store.save_outcomes([]) == 0
    assert store.save_outcomes([failed]) == 0
    # A new article, a near-duplicate row of it, the first one again (one row), a failure.
    assert store.save_outcomes([one, copy, one, failed]) == 2
    assert store.save_outcomes([one]) == 1
    assert count(store, "articles") == 2


def test_the_same_article_twice_in_one_batch_keeps_one_set_of_blocks(store: Store) -> None:
    crawl = store.start_crawl([], {})
    one = article_outcome("https://a.cn/1", "救助", RELIEF, crawl_id=crawl)
    store.save_outcomes([one, one])
    assert count(store, "articles") == 1
    assert count(store, "link_blocks") == 4


def test_a_changed_text_keeps_the_previous_version(store: Store) -> None:
    crawl = store.start_crawl([], {})
    store.save_outcomes([article_outcome("https://a.cn/1", "旧标题", RELIEF, crawl_id=crawl)])
    changed = RELIEF.replace("三百余人次", "四百余人次") + "记者在现场看到，志愿者正在分发棉衣。"
    store.save_outcomes([article_outcome("https://a.cn/1", "新标题", changed, crawl_id=crawl)])
    assert count(store, "articles") == 1
    versions = list(store.db["article_versions"].rows)
    assert [(v["title"], v["text"]) for v in versions] == [("旧标题", RELIEF)]
    assert store.article("https://a.cn/1")["text"] == changed
    assert [h.title for h in store.search("四百余人次")] == ["新标题"]
    assert store.search("三百余人次") == []


def test_a_near_duplicate_is_linked_to_the_first_copy_not_stored_twice(store: Store) -> None:
    crawl = store.start_crawl([], {})
    first = article_outcome("https://a.cn/1", "救助站开放", RELIEF, crawl_id=crawl)
    copy = article_outcome(
        "https://mirror.cn/9", "转载：救助站开放", RELIEF + "（责任编辑：王）", crawl_id=crawl,
        topics=(topic("society", 0.9),),
    )  # fmt: skip
    store.save_outcomes([first])
    store.save_outcomes([copy])
    duplicate = store.article("https://mirror.cn/9")
    assert duplicate["duplicate_of"] == "https://a.cn/1"
    assert duplicate["text"] is None and duplicate["topics"] == []
    assert len(duplicate["link_blocks"]) == 2
    assert [h.url for h in store.search("救助管理站")] == ["https://a.cn/1"]
    assert [h.url for h in store.search("转载：救助站")] == []
    summary = store.summary()
    assert (summary["articles_stored"], summary["duplicates"]) == (1, 1)


def test_a_different_text_is_not_a_duplicate(store: Store) -> None:
    crawl = store.start_crawl([], {})
    store.save_outcomes([article_outcome("https://a.cn/1", "救助", RELIEF, crawl_id=crawl)])
    store.save_outcomes([article_outcome("https://b.com/1", "Budget", OTHER, crawl_id=crawl)])
    assert store.article("https://b.com/1")["duplicate_of"] is None


def test_the_pipeline_may_name_the_duplicate_itself(store: Store) -> None:
    crawl = store.start_crawl([], {})
    store.save_outcomes([article_outcome("https://a.cn/1", "Budget", OTHER, crawl_id=crawl)])
    named = article_outcome(
        "https://a.cn/1?amp", "x", "short", crawl_id=crawl, duplicate_of="https://a.cn/1"
    )
    store.save_outcomes([named])
    assert store.article("https://a.cn/1?amp")["duplicate_of"] == "https://a.cn/1"


def test_failures_and_not_modified_pages_are_recorded(store: Store) -> None:
    crawl = store.start_crawl([], {})
    store.add_frontier([FrontierEntry("https://a.cn/gone"), FrontierEntry("https://a.cn/same")])
    store.claim(2)
    failure = Failure("https://a.cn/gone", "http", "FetchError", "HTTP 404 for https://a.cn/gone")
    same = Fetched("https://a.cn/same", "https://a.cn/same", 304, {}, b"", None, START)
    store.save_outcomes([
        PageOutcome("https://a.cn/gone", crawl, failure=failure, state="failed"),
        PageOutcome("https://a.cn/same", crawl, same, state="not_modified"),
    ])  # fmt: skip
    assert store.frontier_counts() == {"failed": 1, "not_modified": 1}
    assert store.summary(crawl)["failures_by_stage"] == {"http": 1}
    assert store.summary(crawl)["pages_fetched"] == 1
    assert store.db["failures"].get(1)["host"] == "a.cn"


def test_a_batch_that_fails_writes_nothing(store: Store) -> None:
    crawl = store.start_crawl([], {})
    good = article_outcome("https://a.cn/1", "救助", RELIEF, crawl_id=crawl)
    bad = article_outcome("https://a.cn/2", "x", OTHER, crawl_id=crawl + 99)
    with pytest.raises(sqlite3.IntegrityError):
        store.save_outcomes([good, bad])
    assert all(count(store, t) == 0 for t in ("articles", "pages", "link_blocks", "frontier"))


def test_validators_come_from_the_latest_fetch(store: Store) -> None:
    crawl = store.start_crawl([], {})
    assert store.validators("https://a.cn/1") is None
    store.save_outcomes(
        [article_outcome("https://a.cn/1", "t", OTHER, crawl_id=crawl, etag='"v1"')]
    )
    store.save_outcomes(
        [article_outcome("https://a.cn/1", "t", OTHER, crawl_id=crawl, etag='"v2"')]
    )
    assert store.validators("https://a.cn/1") == ('"v2"', None)
    assert store.requeue_done_for_recrawl() == 1
    assert store.frontier_counts() == {"queued": 1}


@pytest.mark.parametrize("indexed", [False, True], ids=["before-indexing", "indexed"])
def test_search_finds_chinese_and_english_and_short_terms(store: Store, indexed: bool) -> None:
    crawl = store.start_crawl([], {})
    store.save_outcomes([
        article_outcome("https://a.cn/1", "救助站开放日", RELIEF, crawl_id=crawl),
        article_outcome("https://b.com/1", "Council budget", OTHER, crawl_id=crawl),
    ])  # fmt: skip
    assert store.search_backlog() == 2
    if indexed:
        assert store.index_search() == 2 and store.search_backlog() == 0
    hits = store.search("救助管理站")
    assert [h.url for h in hits] == ["https://a.cn/1"]
    assert "[救助管理站]" in hits[0].snippet and (hits[0].rank > 0) == indexed
    assert hits[0].published == START.isoformat()
    assert [h.url for h in store.search("救助")] == ["https://a.cn/1"]
    assert "[救助]" in store.search("救助")[0].snippet
    assert [h.url for h in store.search("night buses")] == ["https://b.com/1"]
    assert [h.url for h in store.search("budget tram")] == ["https://b.com/1"]
    assert store.search("budget 救助管理站") == []
    for odd in ('"', "AND OR", "a*", "100%", "_", "  "):
        assert isinstance(store.search(odd), list)


def test_views_answer_the_dashboard_questions(store: Store) -> None:
    crawl = store.start_crawl([], {})
    store.save_outcomes([
        article_outcome("https://a.cn/1", "救助", RELIEF, crawl_id=crawl,
                        topics=(topic("society", 0.9),)),
        article_outcome("https://a.cn/2", "Budget", OTHER, crawl_id=crawl,
                        topics=(topic("economy", 0.7),)),
        PageOutcome("https://a.cn/x", crawl, failure=Failure("https://a.cn/x", "dns", "E", "m"),
                    state="failed"),
    ])  # fmt: skip
    day = START.date().isoformat()
    daily = store.db.execute("SELECT * FROM topic_counts_daily ORDER BY topic").fetchall()
    assert daily == [(day, "a.cn", "economy", 1), (day, "a.cn", "society", 1)]
    assert store.db.execute(
        "SELECT host, pages, articles, failures FROM site_crawl_stats"
    ).fetchall() == [("a.cn", 2, 2, 1)]
    pushed = store.db.execute(
        "SELECT url, kind, appearances, articles, days FROM pushed_links ORDER BY url"
    ).fetchall()
    assert pushed == [
        ("https://hot.example.cn/h1", "hot", 2, 2, 1),
        ("https://hot.example.cn/h2", "hot", 2, 2, 1),
    ]
    topics = store.db.execute("SELECT title, topic FROM articles_with_topic ORDER BY id").fetchall()
    assert topics == [("救助", "society"), ("Budget", "economy")]
    links = store.db.execute(
        "SELECT article_id, block_position, link_position, link_text, link_url, link_source "
        "FROM link_blocks WHERE kind = 'related' ORDER BY article_id, link_position"
    ).fetchall()
    assert links == [
        (1, 0, 0, "相关一", "https://a.cn/1/r1", "新华网"),
        (1, 0, 1, "相关二", "https://a.cn/1/r2", None),
        (2, 0, 0, "相关一", "https://a.cn/2/r1", "新华网"),
        (2, 0, 1, "相关二", "https://a.cn/2/r2", None),
    ]
    assert count(store, "blocks") == 4


def test_tagging_models_and_labels(store: Store) -> None:
    crawl = store.start_crawl([], {})
    store.save_outcomes([
        article_outcome("https://a.cn/1", "救助", RELIEF, crawl_id=crawl),
        article_outcome("https://b.com/1", "Budget", OTHER, crawl_id=crawl),
    ])  # fmt: skip
    batches = list(store.iter_articles_for_tagging("m1", batch_size=1))
    assert [[row[1] for row in batch] for batch in batches] == [["救助"], ["Budget"]]
    store.save_topics([(batches[0][0][0], (topic("society", 0.8), topic("health", 0.1)))], "m1")
    assert [b[0][1] for b in store.iter_articles_for_tagging("m1", 10)] == ["Budget"]
    assert store.article("https://a.cn/1")["topic"] == "society"

    store.register_model("m1", {"labels": ["society"]}, "/models/m1")
    store.register_model("m2", {"labels": []}, "/models/m2")
    assert store.active_model() is None
    store.activate_model("m2")
    store.activate_model("m1")
    active = store.active_model()
    assert active["model_id"] == "m1" and active["card"] == {"labels": ["society"]}
    assert sorted(m["model_id"] for m in store.list_models() if not m["active"]) == ["m2"]
    with pytest.raises(StoreError, match="register it first"):
        store.activate_model("nope")

    assert list(store.iter_article_urls_sections()) == [
        ("https://a.cn/1", ("新闻", "社会")),
        ("https://b.com/1", ("新闻", "社会")),
    ]
    store.import_labels([
        ("https://a.cn/1", "society", "section"),
        ("https://b.com/1", "economy", "section"),
        ("https://b.com/1", "politics", "manual"),
        ("https://unknown.cn/", "sports", "manual"),
    ])  # fmt: skip
    assert [r[2] for r in store.labeled_articles("section")] == ["society", "economy"]
    assert [r[2] for r in store.labeled_articles("manual")] == ["politics"]
    assert [r[2] for r in store.labeled_articles(["manual", "section"])] == ["society", "politics"]
    with pytest.raises(StoreError, match="label source"):
        store.import_labels([("https://a.cn/1", "x", "guess")])


def test_readonly_reads_but_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    with Store(path) as store:
        crawl = store.start_crawl([], {})
        store.save_outcomes([article_outcome("https://a.cn/1", "救助", RELIEF, crawl_id=crawl)])
    with Store(path, readonly=True) as reader:
        assert reader.summary()["articles_stored"] == 1
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.start_crawl([], {})
    with pytest.raises(StoreError, match="no database"):
        Store(tmp_path / "missing.db", readonly=True)


def test_near_duplicate_lookup_is_public(store: Store) -> None:
    crawl = store.start_crawl([], {})
    store.save_outcomes([article_outcome("https://a.cn/1", "救助", RELIEF, crawl_id=crawl)])
    assert store.find_near_duplicate(simhash(RELIEF + "（完）")) == "https://a.cn/1"
    assert store.find_near_duplicate(simhash(RELIEF), exclude="https://a.cn/1") is None
    assert store.find_near_duplicate(simhash(OTHER * 2)) is None
    assert simhash("too short") is None


@pytest.fixture(scope="module")
def searchable(tmp_path_factory: pytest.TempPathFactory) -> Store:
    with Store(tmp_path_factory.mktemp("search") / "news.db") as opened:
        crawl = opened.start_crawl([], {})
        opened.save_outcomes(
            [article_outcome("https://a.cn/1", "救助站开放日", RELIEF, crawl_id=crawl)]
        )
        opened.index_search()  # one article in the full-text index, one found by LIKE
        opened.save_outcomes(
            [article_outcome("https://b.com/1", "Council budget", OTHER, crawl_id=crawl)]
        )
        yield opened


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_any_query_is_safe_and_every_hit_contains_the_terms(searchable: Store, query: str) -> None:
    hits = searchable.search(query)
    for hit in hits:
        article = searchable.article(hit.url)
        haystack = f"{article['title']} {article['text']}".lower()
        # NUL cannot reach SQLite inside a string: search() reads it as a space between terms.
        assert all(term.lower() in haystack for term in query.replace("\x00", " ").split())


def test_the_canonical_and_redirect_targets_of_a_stored_page_are_not_fetched_again(
    store: Store,
) -> None:
    crawl = store.start_crawl([], {})
    aliases = ["https://a.cn/story", "https://a.cn/final", "https://a.cn/canonical"]
    store.add_frontier([FrontierEntry(url, kind="article") for url in aliases])
    first = store.claim(1)[0]
    assert first.url == "https://a.cn/story"
    outcome = article_outcome(
        "https://a.cn/story", "救助", RELIEF, crawl_id=crawl, canonical_url="https://a.cn/canonical"
    )
    redirected = dataclasses.replace(
        outcome, fetched=dataclasses.replace(outcome.fetched, final_url="https://a.cn/final")
    )
    store.save_outcomes([redirected])
    assert store.frontier_counts() == {"done": 3}
    assert store.claim(5) == []
    # Found by its page URL too, through the partial index of URLs that are not canonical.
    assert store.article("https://a.cn/story")["canonical_url"] == "https://a.cn/canonical"
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE url = ? AND url <> canonical_url", ("x",)
    ).fetchall()
    assert "USING INDEX idx_articles_alias_url" in plan[0][3]
