"""The crawl budget: traps cost a handful of requests, listings are never stored as articles.

Real HTTP servers on 127.0.0.1 (port 0): the hostile server's trap shapes (an endless calendar,
endless search results, an endless ``?page=``, sort and session parameters, and a date archive
that does lead to stories), and the hostile portal (``tests/hostile_portal.py``). Request counts
come from the servers' own logs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import trap_site
from hostile_portal import HostilePortal, Portal
from hostile_server import HostileServer

from classifier import TopicModel, load_model
from newsdesk._budget import DRY_LIMIT, CrawlBudget
from newsdesk._pages import process_page
from newsdesk.output import print_summary
from newsdesk.pipeline import CrawlStats, crawl
from newsdesk.settings import Settings
from scraper import Article, Fetched, FrontierEntry
from scraper.urls import url_pattern
from store import PageOutcome, Store

# Requests a trap may cost (the target), and stories of the portal in the tests.
TRAP_REQUESTS_MAX = 30
PORTAL_STORIES = 120

# Short headlines (as on NetEase's and Sina's channel pages), each different.
_ZH_TOPICS = (
    "地铁",
    "公园",
    "医院",
    "学校",
    "港口",
    "机场",
    "图书馆",
    "博物馆",
    "体育馆",
    "菜市场",
)
_EN_TOPICS = ("subway", "park", "hospital", "school", "harbour", "airport", "library", "museum",
              "stadium", "market")  # fmt: skip
ZH_HEADLINES = [
    f"{t}{'新建' if n < 10 else '改造'}工程第{n}期开工" for n, t in enumerate(_ZH_TOPICS * 2)
]
EN_HEADLINES = [f"{t.title()} plan {n} gets nod" for n, t in enumerate(_EN_TOPICS * 2)]


def netease_channel(lang: str) -> str:
    """A NetEase-style channel page: headline, summary and time per item, a sidebar, a footer."""
    heads = ZH_HEADLINES if lang == "zh" else EN_HEADLINES
    summary = (
        "记者从有关部门了解到，第{}项工作正在有序推进，预计年底前完成全部任务。"
        if lang == "zh"
        else "Officials said plan {} would be voted on next week after a public hearing."
    )
    items = "".join(
        f"<div class='item'><h3><a href='/news/2026/1126/{n:06d}.html'>{h}</a></h3>"
        f"<p class='summary'>{summary.format(n)}</p>"
        f"<span class='time'>2026-11-26 16:{n:02d}</span></div>"
        for n, h in enumerate(heads)
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>新闻中心_网易</title></head>"
        "<body><div class='nav'><a href='/'>首页</a><a href='/news/'>新闻</a>"
        "<a href='/sports/'>体育</a></div>"
        f"<div class='list'><h2>{'要闻' if lang == 'zh' else 'Top stories'}</h2>{items}</div>"
        "<div class='side'><h2>热门</h2><a href='/hot/1.html'>热门文章一二三四五六七八九</a></div>"
        "<footer>网易公司版权所有 About us</footer></body></html>"
    )


def sina_channel(lang: str) -> str:
    """A Sina-style list: one line per story, the headline with its time beside it."""
    heads = ZH_HEADLINES if lang == "zh" else EN_HEADLINES
    items = "".join(
        f"<li><a href='/doc-{n:08d}.shtml'>{h}</a> "
        f"<span class='time'>11月26日 16:{n:02d}</span></li>"
        for n, h in enumerate(heads)
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>滚动新闻_新浪网</title>"
        "<meta property='og:type' content='article'></head>"
        f"<body><h1>{'滚动新闻' if lang == 'zh' else 'Latest news'}</h1><ul class='list'>{items}"
        "</ul><div>共 20 条 <a href='?page=2'>下一页</a></div></body></html>"
    )


def story_page_with_related(lang: str = "zh") -> str:
    """A story with a long body and, after it, a related list of eight headlines."""
    para = (
        "市民政局相关负责人介绍，救助管理站今年以来共救助流浪乞讨人员三百余人次，为他们提供了食宿和医疗服务。"
        if lang == "zh"
        else "The shelter helped more than three hundred people this year, giving them food, "
        "beds and medical care, the city's welfare office said on Thursday."
    )
    body = "".join(f"<p>{para}（{n}）</p>" for n in range(8))
    heads = ZH_HEADLINES if lang == "zh" else EN_HEADLINES
    related = "".join(
        f"<li><a href='/news/2026/1126/{n:06d}.html'>{h}</a></li>" for n, h in enumerate(heads[:8])
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>救助站开放日</title></head>"
        "<body><article><h1>救助站开放日</h1><div class='info'>2026-11-26 16:43 来源：本报</div>"
        f"{body}</article><div class='related'><h2>相关推荐</h2><ul>{related}</ul></div>"
        "</body></html>"
    )


def _page(html: str, url: str) -> Fetched:
    return Fetched(
        url=url,
        final_url=url,
        status=200,
        headers={"content-type": "text/html; charset=utf-8"},
        body=html.encode(),
        encoding="utf-8",
        fetched_at=dt.datetime.now(dt.UTC),
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("shape", [netease_channel, sina_channel])
@pytest.mark.parametrize("url", ["http://portal.test/news/", "http://portal.test/news/2026/1126/"])
def test_a_channel_page_of_headlines_with_times_is_not_an_article(shape, lang, url) -> None:
    article, links = process_page(_page(shape(lang), url), FrontierEntry(url, 0, 1.0, "listing"))
    assert article is None, f"stored as an article: {article.title if article else ''}"
    assert sum(link.kind == "article" for link in links) >= 20


@pytest.mark.parametrize(
    ("path", "query"),
    [("/", {}), ("/news/", {}), ("/news/", {"page": "2"}), ("/world/", {}), ("/culture/", {}),
     ("/search", {"q": "chip", "p": "3"}), ("/archive/2026/11/26/", {})],
)  # fmt: skip
def test_portal_listing_search_calendar_and_home_pages_are_not_articles(path, query) -> None:
    status, ctype, body, _ = Portal(300).answer(path, query)
    url = f"http://portal.test{path}" + ("?" + urlencode(query) if query else "")
    fetched = dataclasses.replace(_page("", url), headers={"content-type": ctype}, body=body,
                                  encoding=ctype.partition("charset=")[2])  # fmt: skip
    article, _ = process_page(fetched, FrontierEntry(url, 0, 1.0, "listing"))
    assert status == 200 and article is None, article and article.text[:200]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_story_with_a_related_list_is_still_an_article(lang: str) -> None:
    url = "http://portal.test/news/2026/1126/000099.html"
    article, _ = process_page(
        _page(story_page_with_related(lang), url), FrontierEntry(url, 1, 50.0, "article")
    )
    assert article is not None
    assert article.title == "救助站开放日"


@pytest.fixture(scope="module")
def model() -> TopicModel:
    return load_model()


def _settings(db: Path, **changes: Any) -> Settings:
    """A fast crawl of a local server, deep enough that only the budget stops the traps."""
    base = Settings(
        db=db,
        allow_private=("127.0.0.1",),
        delay=0.0,
        concurrency=8,
        per_host=8,
        retries=1,
        backoff=0.05,
        max_depth=100,
        batch_size=10,
    )
    return base.replace(**changes)


@pytest.fixture(scope="module")
def trap_crawl(
    tmp_path_factory: pytest.TempPathFactory, model: TopicModel
) -> Iterator[tuple[Path, HostileServer, CrawlStats]]:
    """One crawl of the hostile server's trap site, with no page limit and depth 100."""
    db = tmp_path_factory.mktemp("traps") / "traps.db"
    with HostileServer() as server:
        stats = crawl(_settings(db), [server.base_url + "/traps/"], model=model)
        yield db, server, stats


def _paths(db: Path, sql: str) -> set[str]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {urlsplit(url).path for (url,) in conn.execute(sql)}


@pytest.mark.parametrize(
    ("trap", "prefix"),
    [
        ("endless calendar", "/traps/cal/"),
        ("endless search results", "/traps/find"),
        ("endless ?page=", "/traps/list/"),
        ("sort orders", "/traps/sorted/"),
        ("session ids", "/traps/session/"),
    ],
)
def test_a_trap_costs_a_handful_of_requests(trap_crawl, trap: str, prefix: str) -> None:
    _, server, _ = trap_crawl
    spent = sum(len(server.hits(path)) for path in server.paths() if path.startswith(prefix))
    assert 0 < spent <= TRAP_REQUESTS_MAX, f"{trap}: {spent} requests"


def test_a_date_archive_that_leads_to_stories_is_followed(trap_crawl) -> None:
    db, server, _ = trap_crawl
    stored = _paths(db, "SELECT url FROM articles")
    assert trap_site.archive_stories() <= stored
    days = [p for p in server.paths() if p.startswith("/traps/days/")]
    assert len(days) <= len(trap_site.archive_stories()) // 2 + 2 * TRAP_REQUESTS_MAX


def test_the_traps_leave_stories_stored_and_listings_not(trap_crawl) -> None:
    db, _, stats = trap_crawl
    stored = _paths(db, "SELECT url FROM articles")
    home = {f"/traps/story/{n}.html" for n in range(trap_site.HOME_STORIES)}
    assert stored == home | trap_site.archive_stories()
    assert stats.skipped > 0 and stats.trap_requests > 0
    assert any("/traps/cal/" in pattern for pattern in stats.trap_patterns)
    states = dict(rows(db, "SELECT state, count(*) FROM frontier GROUP BY state"))
    assert states.get("queued", 0) == 0 and states.get("in_flight", 0) == 0
    assert states["skipped"] == stats.skipped


def test_the_budget_is_kept_in_the_store_and_a_new_crawl_tries_a_spent_pattern_once(
    trap_crawl, model: TopicModel, tmp_path: Path
) -> None:
    db, server, _ = trap_crawl
    sql = "SELECT pattern, requests, yielded, dry FROM url_patterns"
    patterns = {p: (r, y, d) for p, r, y, d in rows(db, sql)}
    spent = [p for p in patterns if "/traps/cal/" in p]
    assert spent and all(patterns[p][1] == 0 and patterns[p][2] >= 8 for p in spent)
    before = sum(len(server.hits(p)) for p in server.paths() if p.startswith("/traps/cal/"))
    crawl(_settings(db), [server.base_url + "/traps/cal/2027/01/01/"], model=model)
    after = sum(len(server.hits(p)) for p in server.paths() if p.startswith("/traps/cal/"))
    assert after - before == 1, "the seed only: the spent pattern's one try, and it was dry"
    sql = "SELECT dry FROM url_patterns WHERE pattern = ?"
    assert rows(db, sql, spent[0]) == [(DRY_LIMIT,)]


def test_the_hostile_portal_costs_few_requests_per_story(tmp_path: Path, model: TopicModel) -> None:
    db = tmp_path / "portal.db"
    with HostilePortal(PORTAL_STORIES) as portal:
        stats = crawl(_settings(db, max_depth=5), [portal.base_url + "/"], model=model)
        log = [target for target, _ in portal.requests() if target != "/robots.txt"]
        retried = sum(status == 503 for _, status in portal.requests())
        stories = portal.article_paths()
    stored = _paths(db, "SELECT url FROM articles")
    assert stored == stories, "every story and nothing else is stored"
    assert sum(t.startswith("/archive/") for t in log) <= TRAP_REQUESTS_MAX
    assert sum(t.startswith("/search") for t in log) <= TRAP_REQUESTS_MAX
    assert len(log) <= 1.5 * len(stories), f"{len(log)} requests for {len(stories)} stories"
    assert stats.requests == len(log) - retried  # a page answered 503 then 200 is one page


def rows(db: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, args).fetchall()


def test_the_summary_prints_the_request_budget(
    trap_crawl, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _, stats = trap_crawl
    figures = stats.as_dict()
    assert figures["requests_per_article"] == round(stats.requests / stats.stored, 2)
    print_summary({}, figures, db)
    printed = " ".join(capsys.readouterr().out.replace("│", " ").split())
    assert f"{stats.requests} requests, {figures['requests_per_article']} per stored" in printed
    assert f"{stats.trap_requests} on URL patterns that yielded no article" in printed
    assert f"{stats.skipped} URLs skipped" in printed


@pytest.mark.parametrize(
    ("same", "urls"),
    [
        (True, ["http://a.test/cal/2026/08/01/", "http://a.test/cal/2025/12/31/"]),
        (True, ["http://a.test/cal/2026/08/", "http://a.test/cal/2026/08/01/"]),
        (True, ["http://a.test/search?q=chip&p=4", "http://a.test/search?p=5&q=%E5%8F%B0"]),
        (True, ["http://a.test/news/?page=2", "http://a.test/news/?page=300"]),
        (True, ["http://a.test/news/index_2.html", "http://a.test/news/index_17.html"]),
        (
            True,
            ["http://a.test/w/2026/11/26/story-about-it-1.html", "http://a.test/w/2026/1/2/a-b-c"],
        ),
        (
            True,
            ["http://a.test/doc-ihmutrt1234567.shtml", "http://a.test/doc-abcdefg7654321.shtml"],
        ),
        (False, ["http://a.test/news/index_2.html", "http://a.test/news/a-story-about-it.html"]),
        (False, ["http://a.test/news/?page=2", "http://a.test/sports/?page=2"]),
        (False, ["http://a.test/news/", "http://a.test/news/?sort=hot"]),
        (False, ["http://a.test/cal/2026/08/01/", "http://b.test/cal/2026/08/01/"]),
    ],
)
def test_urls_that_differ_by_numbers_or_query_values_share_a_pattern(same, urls) -> None:
    assert (url_pattern(urls[0]) == url_pattern(urls[1])) is same


def test_a_query_key_counts_under_its_host_on_every_path() -> None:
    keys = {key for url in ("http://a.test/news/?sid=1", "http://a.test/tech/?sid=2")
            for key in CrawlBudget.keys(url)}  # fmt: skip
    assert keys == {"a.test/news/?sid", "a.test/tech/?sid", "a.test?sid"}


def test_dry_pages_spend_a_pattern_and_a_yield_starts_the_count_afresh(tmp_path: Path) -> None:
    budget = CrawlBudget()
    with Store(tmp_path / "budget.db") as store:

        def visit(n: int, article: bool = False) -> str:
            url = f"http://a.test/cal/2026/08/{n:02d}/"
            assert budget.decide(FrontierEntry(url, 2, 10.0, "listing")) == "start"
            found = Article(url=url, title="t", text="x") if article else None
            budget.judge([PageOutcome(url, 1, article=found)], store)
            return url

        for n in range(DRY_LIMIT - 1):
            visit(n)
        visit(20, article=True)
        for n in range(DRY_LIMIT - 1):
            visit(n + 30)
        assert not budget.spent("http://a.test/cal/2027/01/01/")
        visit(40)
        assert budget.spent("http://a.test/cal/2027/01/01/")
        entry = FrontierEntry("http://a.test/cal/2027/01/01/", 2, 10.0, "listing")
        assert budget.decide(entry) == "skip"
        assert budget.decide(dataclasses.replace(entry, kind="sitemap")) == "start"
        budget.save(store)
        assert store.url_patterns()["a.test/cal/#/"] == (2 * DRY_LIMIT, 1, DRY_LIMIT)


def test_an_unproven_pattern_fetches_two_pages_at_once_then_one_per_yield() -> None:
    budget = CrawlBudget()
    entries = [FrontierEntry(f"http://a.test/find?q=w&p={n}", 1, 10.0, "listing") for n in range(4)]
    assert [budget.decide(e) for e in entries] == ["start", "start", "wait", "wait"]
    assert budget.decide(entries[2], force=True) == "start"
