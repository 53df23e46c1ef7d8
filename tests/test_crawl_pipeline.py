"""The whole pipeline (fetch → extract → classify → store) against servers on 127.0.0.1.

A hostile server checks that a crawl finishes within its limits and records why each bad page
failed; a small controllable story site checks recrawls with conditional requests, new versions
of changed stories, near-duplicates and the stats stored on the crawl's row.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import sqlite3
import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hostile_server import HostileServer, gzip_bomb

from classifier import TopicModel, load_model
from newsdesk import pipeline
from newsdesk._worker import Workers
from newsdesk.errors import ExtractError
from newsdesk.pipeline import CrawlStats, crawl
from newsdesk.settings import Settings
from scraper import Fetched

MAX_DEPTH = 3
MAX_PAGES = 80
MEMORY_BOUND = 40 * 1024 * 1024
# The stage each misbehaving path of /hostile/ must be recorded with.
EXPECTED_STAGES = {
    "/slow?delay=3": "timeout",
    "/stall?delay=3": "timeout",
    "/drip?interval=0.05": "timeout",
    "/reset": "connect",
    "/always500": "http",
    "/bomb": "too_large",
    "/huge": "too_large",
    "/huge-declared": "too_large",
    "/loop/a": "redirect",
    "/redirect-nowhere": "redirect",
    "/binary": "content_type",
    "/private/secret.html": "robots",
}
# Paths that must end well despite trouble on the way (retries, Retry-After, redirects, charsets).
RECOVERED = (
    "/storm/home?fails=2",
    "/busy/home?after=1",
    "/redirect/2",
    "/charset/gbk",
    "/charset/wrong",
    "/gzipped",
)


@pytest.fixture(scope="module")
def model() -> TopicModel:
    return load_model()


def settings_for(db: Path, **changes: Any) -> Settings:
    """Fast, small limits for a crawl of a local test server."""
    base = Settings(
        db=db,
        allow_private=("127.0.0.1",),
        delay=0.0,
        concurrency=8,
        per_host=8,
        retries=2,
        backoff=0.05,
        max_backoff=2.0,
        connect_timeout=0.5,
        read_timeout=0.5,
        total_timeout=2.0,
        max_bytes=256 * 1024,
        batch_size=10,
    )
    return base.replace(**changes)


def rows(db: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, args).fetchall()


@pytest.fixture(scope="module")
def hostile_crawl(
    tmp_path_factory: pytest.TempPathFactory, model: TopicModel
) -> Iterator[tuple[Path, str, CrawlStats, int]]:
    """One crawl of /hostile/ with its traced peak memory (the server is warmed up first)."""
    db = tmp_path_factory.mktemp("hostile") / "hostile.db"
    gzip_bomb()
    with HostileServer() as server:
        settings = settings_for(db, max_depth=MAX_DEPTH, max_pages=MAX_PAGES)
        tracemalloc.start()
        try:
            stats = crawl(settings, [server.base_url + "/hostile/"], model=model)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        yield db, server.base_url, stats, peak


def test_hostile_failures_are_recorded_with_their_stage(
    hostile_crawl: tuple[Path, str, CrawlStats, int],
) -> None:
    db, base, stats, _ = hostile_crawl
    stages = dict(rows(db, "select url, stage from failures"))
    for path, stage in EXPECTED_STAGES.items():
        assert stages.get(base + path) == stage, (path, stages.get(base + path))
    messages = rows(db, "select message from failures where url = ?", base + "/huge")
    assert "max_bytes" in messages[0][0]
    assert stats.failures["timeout"] >= 3 and stats.failures["too_large"] >= 3


def test_hostile_pages_that_recover_are_stored(
    hostile_crawl: tuple[Path, str, CrawlStats, int],
) -> None:
    db, base, _, _ = hostile_crawl
    failed = {url for (url,) in rows(db, "select url from failures")}
    for path in RECOVERED:
        assert base + path not in failed, path
        assert rows(db, "select status from pages where url = ?", base + path) == [(200,)], path
    storm = rows(db, "select title, text from articles where url = ?", base + RECOVERED[0])
    assert storm and storm[0][0] == "calm after the storm" and "风暴过后" in storm[0][1]
    state = rows(db, "select state from frontier where url = ?", base + RECOVERED[0])
    assert state == [("done",)]


def test_hostile_crawl_stays_within_its_limits(
    hostile_crawl: tuple[Path, str, CrawlStats, int],
) -> None:
    db, _, stats, peak = hostile_crawl
    assert stats.fetched + stats.failed <= MAX_PAGES
    (deepest,) = rows(db, "select max(depth) from frontier")[0]
    assert deepest <= MAX_DEPTH
    calendar = rows(db, "select count(*) from pages where url like '%/calendar/%'")[0][0]
    assert 1 <= calendar <= 2**MAX_DEPTH
    assert rows(db, "select count(*) from frontier where state in ('queued', 'in_flight')") == [
        (0,)
    ]
    assert peak < MEMORY_BOUND, f"traced peak {peak / 2**20:.1f} MiB"


def test_max_pages_stops_an_endless_calendar(tmp_path: Path, model: TopicModel) -> None:
    db = tmp_path / "calendar.db"
    with HostileServer() as server:
        settings = settings_for(db, max_pages=7, max_depth=1000)
        stats = crawl(settings, [server.base_url + "/calendar/2024/01/01"], model=model)
    assert stats.fetched + stats.failed == 7
    visited = "select count(*) from frontier where state in ('done', 'failed')"
    assert rows(db, visited) == [(7,)]
    assert rows(db, "select count(*) from frontier where state = 'queued'")[0][0] > 0


# A small news site whose stories can be edited between crawls; answers ETag and Last-Modified.

PARAGRAPH = "市民服务中心今天正式启用，记者在现场看到，前来办理业务的居民排起了长队。"
ORIGINAL = [
    PARAGRAPH + "中心位于老城区东侧，由一座废弃的纺织厂改建而成，总面积约八千平方米。"
    "据负责人介绍，改建工程历时十四个月，保留了厂房的红砖外墙和锯齿形屋顶。",
    "工作人员介绍，中心共设置了二十个窗口，涵盖社保、医保、户籍和不动产登记等业务。"
    "过去需要跑三个部门才能办完的手续，现在在一个窗口就能办结，平均用时缩短到半小时以内。",
    "一位带着孙子来办理医保卡的老人说，以前坐公交要换两趟车，现在步行十分钟就到了。"
    "中心还在二楼开设了自助服务区和母婴室，周末上午照常对外开放，方便上班族错峰办理。",
]


def story_page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<meta property='og:type' content='article'><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


class StorySite(ThreadingHTTPServer):
    """Serves ``/`` (links to every story) and ``/story/<name>.html`` from ``self.pages``."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _StoryHandler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.pages: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}
        self.full_answers: list[str] = []

    def index(self) -> bytes:
        paths = sorted([*self.pages, *self.redirects])
        links = "".join(f"<li><a href='{path}'>{path}</a></li>" for path in paths)
        return (
            f"<html><head><title>首页</title></head><body><ul>{links}</ul></body></html>".encode()
        )


class _StoryHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: StorySite

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        if self.path in self.server.redirects:
            self.send_response(301)
            self.send_header("Location", self.server.redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/robots.txt":
            body, ctype = b"User-agent: *\nDisallow:\n", "text/plain"
        elif self.path == "/" or self.path in self.server.pages:
            body = self.server.index() if self.path == "/" else self.server.pages[self.path]
            ctype = "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        self.send_response(304 if self.headers.get("If-None-Match") == etag else 200)
        self.send_header("ETag", etag)
        if self.headers.get("If-None-Match") == etag:
            self.end_headers()
            return
        if self.path != "/robots.txt":
            self.server.full_answers.append(self.path)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def story_site(pages: dict[str, bytes]) -> Iterator[StorySite]:
    server = StorySite()
    server.pages.update(pages)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def articles(db: Path) -> dict[str, tuple[Any, ...]]:
    found = rows(db, "select url, title, text, last_seen, crawl_id, duplicate_of from articles")
    return {row[0]: row[1:] for row in found}


def test_recrawl_skips_unchanged_pages_and_versions_changed_ones(
    tmp_path: Path, model: TopicModel
) -> None:
    db = tmp_path / "recrawl.db"
    pages = {
        "/story/kept.html": story_page("不变的新闻", ORIGINAL),
        "/story/edited.html": story_page("会更正的新闻", ["初版报道：" + PARAGRAPH * 2]),
    }
    with story_site(pages) as site:
        first = crawl(settings_for(db), [site.base + "/"], model=model)
        assert first.stored == 2
        before = articles(db)
        site.full_answers.clear()
        site.pages["/story/edited.html"] = story_page("会更正的新闻", ["更正后：" + ORIGINAL[1]])
        second = crawl(settings_for(db, recrawl=True), [site.base + "/"], model=model)
        answered = sorted(site.full_answers)
    kept, edited = site.base + "/story/kept.html", site.base + "/story/edited.html"
    after = articles(db)
    assert answered == ["/story/edited.html"], "only the changed page comes back in full"
    assert second.not_modified == 2 and second.fetched == 1
    assert after[kept] == before[kept], "an unchanged story was parsed and written again"
    states = dict(rows(db, "select url, state from frontier"))
    assert states[kept] == "not_modified"
    assert rows(db, "select status from pages where url = ? order by id", kept) == [(200,), (304,)]
    assert after[edited][1].startswith("更正后") and after[edited][3] == second.crawl_id
    (article_id,) = rows(db, "select id from articles where url = ?", edited)[0]
    versions = rows(db, "select text from article_versions where article_id = ?", article_id)
    assert len(versions) == 1 and versions[0][0].startswith("初版报道")


def test_near_duplicate_story_is_linked_not_stored_twice(tmp_path: Path, model: TopicModel) -> None:
    db = tmp_path / "dup.db"
    copy = [ORIGINAL[0].replace("八千", "九千"), *ORIGINAL[1:]]
    pages = {
        "/story/original.html": story_page("市民服务中心启用", ORIGINAL),
        "/story/syndicated.html": story_page("市民服务中心启用（转载）", copy),
        "/story/other.html": story_page("另一条新闻", ["体育场馆今天对外开放。" * 12]),
    }
    with story_site(pages) as site:
        crawl(settings_for(db, concurrency=1, per_host=1), [site.base + "/"], model=model)
    stored = articles(db)
    pair = (site.base + "/story/original.html", site.base + "/story/syndicated.html")
    assert len(stored) == 3
    duplicates = [url for url in pair if stored[url][4] is not None]
    assert len(duplicates) == 1, {url: stored[url][4] for url in pair}
    (duplicate,) = duplicates
    (first,) = set(pair) - {duplicate}
    assert stored[duplicate][4] == first and stored[first][4] is None
    assert stored[duplicate][1] is None, "a duplicate's text is stored again"
    assert stored[first][1].startswith(PARAGRAPH)
    assert stored[site.base + "/story/other.html"][4] is None


def test_stored_counts_articles_not_pages(tmp_path: Path, model: TopicModel) -> None:
    """Two URLs of one story (its canonical link names the first) are two pages, one article
    (written in one batch: the store counts an article once per batch)."""
    db = tmp_path / "stored.db"
    with story_site({}) as site:
        canonical = f"<link rel='canonical' href='{site.base}/story/a.html'><title>".encode()
        page = story_page("市民服务中心启用", ORIGINAL).replace(b"<title>", canonical)
        site.pages.update({"/story/a.html": page, "/story/a-print.html": page})
        stats = crawl(settings_for(db), [site.base + "/"], model=model)
    assert stats.fetched == 3
    assert len(articles(db)) == 1
    assert stats.stored == 1
    (row,) = rows(db, "select stats from crawls where id = ?", stats.crawl_id)
    assert json.loads(row[0])["stored"] == 1


def test_a_redirect_to_a_page_of_the_crawl_stores_its_article_once(
    tmp_path: Path, model: TopicModel
) -> None:
    """Whichever comes first, the redirect or its target, the story is taken apart once."""
    db = tmp_path / "redirect.db"
    with story_site({"/story/a.html": story_page("市民服务中心启用", ORIGINAL)}) as site:
        site.redirects["/old/a.html"] = "/story/a.html"
        stats = crawl(settings_for(db, batch_size=1), [site.base + "/"], model=model)
    pages = dict(rows(db, "select url, final_url from pages"))
    assert pages[site.base + "/old/a.html"] == site.base + "/story/a.html"
    assert site.base + "/story/a.html" in pages
    assert stats.fetched == 3 and stats.stored == 1
    assert len(articles(db)) == 1


def test_progress_is_reported_and_final_stats_stored_on_the_crawl_row(
    tmp_path: Path, model: TopicModel
) -> None:
    db = tmp_path / "stats.db"
    pages = {"/story/one.html": story_page("一条新闻", ORIGINAL)}
    seen: list[tuple[int, int]] = []
    with story_site(pages) as site:
        stats = crawl(
            settings_for(db, batch_size=1),
            [site.base + "/"],
            model=model,
            on_progress=lambda s: seen.append((s.fetched, s.stored)),
        )
    assert seen and seen == sorted(seen) and seen[-1] == (2, 1), seen
    ((finished, raw),) = rows(db, "select finished, stats from crawls")
    stored = json.loads(raw)
    assert finished is not None
    assert stored["fetched"] == stats.fetched == 2 and stored["stored"] == 1
    assert stored["failed"] == 0 and stored["failures"] == {}
    assert stored["elapsed_s"] > 0 and stored["pages_per_s"] > 0


def test_extraction_in_worker_processes_stores_the_same(tmp_path: Path, model: TopicModel) -> None:
    pages = {f"/story/{name}.html": story_page(name, ORIGINAL[i:]) for i, name in enumerate("abc")}
    stored = []
    with story_site(pages) as site:
        for workers in (0, 1):
            db = tmp_path / f"workers-{workers}.db"
            stats = crawl(settings_for(db), [site.base + "/"], model=model, workers=workers)
            assert stats.fetched == 4 and stats.failed == 0
            query = "select url, title, text, topic from articles order by url"
            stored.append(rows(db, query))
    assert len(stored[0]) == 3 and stored[0] == stored[1]


def test_extraction_worker_answers_pages_and_passes_each_link_once() -> None:
    """A worker returns the article and new links, an ExtractError for binary data, and the
    links a later page shares with an earlier one only once."""
    story = story_page("市民服务中心启用", ORIGINAL).replace(
        b"</article>", b"</article><a href='/story/b.html'>b</a><a href='/list/'>list</a>"
    )

    def page(url: str, body: bytes) -> Fetched:
        headers = {"content-type": "text/html; charset=utf-8"}
        return Fetched(url, url, 200, headers, body, "utf-8", datetime.now(UTC))

    async def run() -> list[object]:
        async with Workers(1) as workers:
            first = await workers.process(page("http://x.example/story/a.html", story), 1)
            again = await workers.process(page("http://x.example/story/c.html", story), 1)
            with pytest.raises(ExtractError):
                await workers.process(page("http://x.example/bin", b"\x00\x01\xff" * 300), 1)
            return [first, again]

    (article, links), (_, links_again) = asyncio.run(run())
    assert article is not None and article.title == "市民服务中心启用"
    assert article.paragraphs[0] == ORIGINAL[0]
    urls = {link.url: link for link in links}
    assert set(urls) >= {"http://x.example/story/b.html", "http://x.example/list/"}
    assert urls["http://x.example/story/b.html"].depth == 2
    assert "http://x.example/story/b.html" not in {link.url for link in links_again}


def test_a_page_that_breaks_the_extractor_is_a_failure_and_the_crawl_goes_on(
    tmp_path: Path, model: TopicModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error on one page (an extractor bug, injected here) is recorded with its
    type and the other pages are still stored."""
    real = pipeline.process_page

    def breaks_on_b(fetched: Fetched, entry: Any) -> Any:
        if fetched.url.endswith("/story/b.html"):
            raise IndexError("list index out of range")
        return real(fetched, entry)

    monkeypatch.setattr(pipeline, "process_page", breaks_on_b)
    pages = {f"/story/{name}.html": story_page(name, ORIGINAL[i:]) for i, name in enumerate("abc")}
    db = tmp_path / "bug.db"
    with story_site(pages) as site:
        stats = crawl(settings_for(db), [site.base + "/"], model=model)
    assert {url.rsplit("/", 1)[1] for url in articles(db)} == {"a.html", "c.html"}
    failures = rows(db, "select url, stage, error, message from failures")
    assert failures == [
        (
            site.base + "/story/b.html",
            "extract",
            "IndexError",
            "unexpected: list index out of range",
        )
    ]
    assert stats.failed == 1


def test_a_dead_extraction_worker_is_replaced() -> None:
    body = story_page("市民服务中心启用", ORIGINAL)
    url = "http://x.example/a.html"
    headers = {"content-type": "text/html; charset=utf-8"}
    page = Fetched(url, url, 200, headers, body, "utf-8", datetime.now(UTC))

    async def run() -> tuple[object, int | None, int | None]:
        async with Workers(1) as workers:
            first = workers._workers[0]
            first.process.kill()
            await first.process.wait()
            article, _ = await workers.process(page, 0)
            return article, first.returncode, workers._workers[0].returncode

    article, dead, alive = asyncio.run(run())
    assert dead is not None and alive is None
    assert article is not None and article.title == "市民服务中心启用"


def test_an_extraction_worker_loads_no_fetcher_store_or_model() -> None:
    heavy = ("httpx", "httpcore", "warcio", "sqlite_utils", "sklearn", "classifier", "store")
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import newsdesk._worker; "
        "print(' '.join(m for m in sys.argv[2:] if m in sys.modules))"
    )
    root = str(Path(__file__).resolve().parents[1])
    loaded = subprocess.run(
        [sys.executable, "-P", "-c", probe, root, *heavy],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert loaded == []
