"""A generated news portal served on 127.0.0.1, for crawl benchmarks; and a fetch-only benchmark.

The portal is deterministic for a given ``articles`` count and ``seed``: a home page, five
sections with paginated listings (``index_<n>.html``, rel=next and 下一页), dated article pages
with clutter around the story (breadcrumb, 相关推荐 and 热点推荐 lists, footer), a robots.txt
naming a sitemap index, per-section sitemaps and RSS feeds. ``latency`` adds a server-side delay
per request so that concurrency matters, as it does against a real portal.

    python bench/crawl_server.py --articles 2000 --latency 0.02          # serve until Ctrl-C
    python bench/crawl_server.py --bench --max-pages 600 --levels 1,4,16 # fetch benchmark table

The benchmark crawls the portal breadth-first with :class:`scraper.fetch.Fetcher` and
:func:`scraper.discovery.discover` only (no extraction, no store) at several concurrency levels;
the first row (concurrency 1) is the reference the others are compared with. The portal runs in
a child process so it does not compete with the crawler for the GIL; on a small machine both
still share the CPU, so with ``--latency 0`` the table measures CPU, not politeness machinery.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

SECTIONS = (
    ("society", "社会", ("救助站", "社区", "志愿者", "居民", "开放日", "街道")),
    ("sports", "体育", ("比赛", "球队", "冠军", "主教练", "联赛", "进球")),
    ("finance", "财经", ("市场", "股价", "投资", "银行", "利率", "企业")),
    ("tech", "科技", ("芯片", "算法", "手机", "研发", "数据", "网络")),
    ("culture", "文化", ("展览", "博物馆", "演出", "作家", "电影", "非遗")),
)
PER_PAGE = 20
START = dt.date(2024, 1, 1)
FILLER = ("今天", "记者了解到", "据介绍", "目前", "此外", "相关负责人表示", "下一步", "当天")


class Portal:
    """The generated site: URL → (status, content type, body)."""

    def __init__(self, articles: int, seed: int = 0) -> None:
        self.articles = articles
        self.seed = seed
        self._cache: dict[str, tuple[int, str, bytes]] = {}

    def section_of(self, article: int) -> int:
        return article % len(SECTIONS)

    def date_of(self, article: int) -> dt.date:
        return START + dt.timedelta(days=article // 7)

    def article_path(self, article: int) -> str:
        name = SECTIONS[self.section_of(article)][0]
        return f"/{name}/{self.date_of(article):%Y/%m%d}/{article:08d}.html"

    def section_articles(self, section: int) -> list[int]:
        return [a for a in range(self.articles - 1, -1, -1) if self.section_of(a) == section]

    def paths(self) -> list[str]:
        """Every path the portal answers with a page (for building the answers ahead)."""
        names = [s[0] for s in SECTIONS]
        pages = -(-self.articles // (len(SECTIONS) * PER_PAGE)) + 1
        listings = [f"/{n}/index_{p}.html" for n in names for p in range(2, pages + 1)]
        return [
            "/", "/robots.txt", "/sitemap.xml",
            *(f"/{n}/" for n in names), *listings,
            *(f"/rss/{n}.xml" for n in names), *(f"/sitemap/{n}.xml" for n in names),
            *(self.article_path(a) for a in range(self.articles)),
        ]  # fmt: skip

    def answer(self, path: str) -> tuple[int, str, bytes]:
        """The response for ``path``, generated once and then served from memory."""
        if path not in self._cache:
            self._cache[path] = self._generate(path)
        return self._cache[path]

    def _generate(self, path: str) -> tuple[int, str, bytes]:
        html = "text/html; charset=utf-8"
        if path == "/":
            return 200, html, self.home()
        if path == "/robots.txt":
            text = "User-agent: *\nDisallow: /search\nSitemap: /sitemap.xml\n"
            return 200, "text/plain", text.encode()
        if path == "/sitemap.xml":
            return 200, "application/xml", self.sitemap_index()
        parts = [p for p in path.split("/") if p]
        names = [s[0] for s in SECTIONS]
        if not parts or parts[0] not in [*names, "sitemap", "rss"]:
            return 404, html, b"<html><body>not found</body></html>"
        if parts[0] == "rss" and len(parts) == 2 and parts[1].removesuffix(".xml") in names:
            return 200, "application/rss+xml", self.feed(names.index(parts[1][:-4]))
        if parts[0] == "sitemap" and len(parts) == 2 and parts[1].removesuffix(".xml") in names:
            return 200, "application/xml", self.sitemap(names.index(parts[1][:-4]))
        if parts[0] in names:
            section = names.index(parts[0])
            if len(parts) == 1:
                return 200, html, self.listing(section, 1)
            if len(parts) == 2 and parts[1].startswith("index_") and parts[1].endswith(".html"):
                page = parts[1][6:-5]
                if page.isdigit():
                    return 200, html, self.listing(section, int(page))
            if len(parts) == 4 and parts[3][:-5].isdigit():
                article = int(parts[3][:-5])
                if article < self.articles and self.article_path(article) == path:
                    return 200, html, self.article(article)
        return 404, html, b"<html><body>not found</body></html>"

    def _page(self, title: str, body: str) -> bytes:
        nav = "".join(f"<li><a href='/{s[0]}/'>{s[1]}</a></li>" for s in SECTIONS)
        return (
            "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<title>{title} - 示例门户</title></head><body><header><a href='/'>示例门户首页</a>"
            f"<nav><ul>{nav}</ul></nav></header>{body}"
            "<footer><a href='/about.html'>关于我们</a> <a href='/search?q=x'>搜索</a></footer>"
            "</body></html>"
        ).encode()

    def _link(self, article: int) -> str:
        return f"<a href='{self.article_path(article)}'>{self.title(article)}</a>"

    def title(self, article: int) -> str:
        rng = random.Random(self.seed * 1_000_003 + article)
        words = SECTIONS[self.section_of(article)][2]
        return f"{rng.choice(words)}{rng.choice(words)}：第{article}号新闻"

    def home(self) -> bytes:
        latest = "".join(f"<li>{self._link(a)}</li>" for a in range(self.articles - 1, -1, -1)[:30])
        return self._page("首页", f"<ul class='latest'>{latest}</ul>")

    def listing(self, section: int, page: int) -> bytes:
        items = self.section_articles(section)
        chunk = items[(page - 1) * PER_PAGE : page * PER_PAGE]
        if not chunk and page > 1:
            return self._page("无此页", "<p>没有更多了</p>")
        name, label, _ = SECTIONS[section]
        links = "".join(f"<li>{self._link(a)}</li>" for a in chunk)
        more = ""
        if page * PER_PAGE < len(items):
            more = f"<a rel='next' href='/{name}/index_{page + 1}.html'>下一页</a>"
        return self._page(f"{label} 第{page}页", f"<ul class='list'>{links}</ul>{more}")

    def article(self, article: int) -> bytes:
        rng = random.Random(self.seed * 7_919 + article)
        name, label, words = SECTIONS[self.section_of(article)]
        paragraphs = []
        for _ in range(rng.randint(4, 9)):
            sentences = [
                f"{rng.choice(FILLER)}，{rng.choice(words)}和{rng.choice(words)}的情况"
                f"{rng.choice(('有所变化', '受到关注', '继续推进', '取得进展'))}。"
                for _ in range(rng.randint(2, 5))
            ]
            paragraphs.append(f"<p>{''.join(sentences)}</p>")
        related = [rng.randrange(self.articles) for _ in range(5)]
        hot = [rng.randrange(self.articles) for _ in range(5)]
        date = self.date_of(article)
        body = (
            f"<div class='crumb'><a href='/'>首页</a> &gt; "
            f"<a href='/{name}/'>{label}</a> &gt; 正文</div>"
            f"<article><h1>{self.title(article)}</h1>"
            f"<div class='meta'>{date:%Y-%m-%d} 10:00:00 来源：示例日报</div>"
            f"{''.join(paragraphs)}</article>"
            f"<div class='related'><h2>相关推荐</h2><ul>"
            + "".join(f"<li>{self._link(a)}</li>" for a in related)
            + "</ul></div><div class='hot'><h2>热点推荐</h2><ul>"
            + "".join(f"<li>{self._link(a)}</li>" for a in hot)
            + "</ul></div>"
        )
        return self._page(self.title(article), body)

    def feed(self, section: int) -> bytes:
        items = "".join(
            f"<item><title>{self.title(a)}</title><link>{{base}}{self.article_path(a)}</link></item>"
            for a in self.section_articles(section)[:50]
        )
        channel = f"<rss version='2.0'><channel>{items}</channel></rss>"
        return f"<?xml version='1.0' encoding='utf-8'?>{channel}".encode()

    def sitemap(self, section: int) -> bytes:
        urls = "".join(
            f"<url><loc>{{base}}{self.article_path(a)}</loc><lastmod>{self.date_of(a)}</lastmod></url>"
            for a in self.section_articles(section)
        )
        ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
        return f"<?xml version='1.0'?><urlset xmlns='{ns}'>{urls}</urlset>".encode()

    def sitemap_index(self) -> bytes:
        maps = "".join(
            f"<sitemap><loc>{{base}}/sitemap/{s[0]}.xml</loc></sitemap>" for s in SECTIONS
        )
        return f"<?xml version='1.0'?><sitemapindex>{maps}</sitemapindex>".encode()


REASONS = {200: "OK", 404: "Not Found"}


class _PortalProtocol(asyncio.Protocol):
    """HTTP/1.1 keep-alive GETs answered from the portal, parsed by hand.

    A stand-in for a remote portal: on a small machine it shares the CPU with the crawler, so it
    must cost little (``http.server`` spent ~0.7 ms of CPU per page parsing and writing headers,
    a tenth of the crawler's own budget). Requests on a connection are answered in order; with
    ``arrivals`` the monotonic time of every request is appended to it.
    """

    def __init__(self, site: _Site, arrivals: list[float] | None = None) -> None:
        self.site = site
        self.arrivals = arrivals
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
            if self.arrivals is not None:
                self.arrivals.append(time.monotonic())
            parts = head.split(b"\r\n", 1)[0].split(b" ")
            path = urlsplit(parts[1].decode("latin-1")).path if len(parts) == 3 else "/"
            if self.site.latency:
                asyncio.get_running_loop().call_later(self.site.latency, self._answer, path)
            else:
                self._answer(path)

    def _answer(self, path: str) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(self.site.response(path))


class _Site:
    """The portal's answers as complete HTTP responses, built once per path.

    :meth:`prepare` builds them all before the crawl starts, so the server's CPU during a crawl
    is only the serving (generating a story page costs as much as serving it ten times).
    """

    def __init__(self, portal: Portal, latency: float) -> None:
        self.portal = portal
        self.latency = latency
        self.base = ""
        self._responses: dict[str, bytes] = {}

    def prepare(self) -> None:
        for path in self.portal.paths():
            self.response(path)

    def response(self, path: str) -> bytes:
        if path not in self._responses:
            status, ctype, body = self.portal.answer(path)
            body = body.replace(b"{base}", self.base.encode())
            head = (
                f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            self._responses[path] = head.encode() + body
        return self._responses[path]


@contextlib.contextmanager
def portal_server(
    articles: int = 500, *, latency: float = 0.0, seed: int = 0, port: int = 0
) -> Iterator[str]:
    """Serve a generated portal from an event loop in a thread; yields its base URL."""
    site = _Site(Portal(articles, seed), latency)
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        loop.create_server(lambda: _PortalProtocol(site), "127.0.0.1", port)
    )
    site.base = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    site.prepare()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield site.base
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        server.close()
        loop.close()


async def crawl_fetch_only(base: str, concurrency: int, max_pages: int) -> tuple[int, int, float]:
    """Breadth-first fetch + discover from ``base``; returns (pages, failures, seconds)."""
    from newsdesk.errors import FetchError
    from newsdesk.settings import Settings
    from scraper.discovery import discover
    from scraper.fetch import Fetcher
    from scraper.urls import canonicalize

    settings = Settings(
        allow_private=("127.0.0.1",), delay=0.0, concurrency=concurrency, per_host=concurrency
    )
    seen = {canonicalize(base + "/")}
    queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
    queue.put_nowait((base + "/", 0))
    counts = {"pages": 0, "failures": 0, "claimed": 0}
    started = time.monotonic()

    async def worker(fetcher: Fetcher) -> None:
        while counts["claimed"] < max_pages:
            try:
                url, depth = await asyncio.wait_for(queue.get(), timeout=1.0)
            except TimeoutError:
                return
            counts["claimed"] += 1
            try:
                fetched = await fetcher.fetch(url)
            except FetchError:
                counts["failures"] += 1
                continue
            counts["pages"] += 1
            for entry in discover(fetched, None, depth):
                if entry.url not in seen and entry.url.startswith(base):
                    seen.add(entry.url)
                    queue.put_nowait((entry.url, entry.depth))

    async with Fetcher(settings.fetch_options()) as fetcher:
        await asyncio.gather(*(worker(fetcher) for _ in range(concurrency)))
    return counts["pages"], counts["failures"], time.monotonic() - started


@contextlib.contextmanager
def portal_process(articles: int, latency: float) -> Iterator[str]:
    """Serve the portal from a child process (so it does not share the client's GIL)."""
    command = [sys.executable, __file__, "--articles", str(articles), "--latency", str(latency)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        yield line.split(" at ", 1)[1].split("/ ", 1)[0]
    finally:
        child.terminate()
        child.wait(timeout=10)


def run_benchmark(articles: int, latency: float, max_pages: int, levels: list[int]) -> None:
    """Print pages/s of the fetch-only crawl per concurrency level against the first level."""
    rows = []
    for concurrency in levels:
        with portal_process(articles, latency) as base:
            rows.append((concurrency, *asyncio.run(crawl_fetch_only(base, concurrency, max_pages))))
    reference = rows[0][1] / rows[0][3]
    print(f"portal: {articles} articles, latency {latency * 1000:.0f} ms, {max_pages} pages max")
    print(
        f"{'concurrency':>11} {'pages':>6} {'failed':>6} {'seconds':>8} {'pages/s':>8} {'× ref':>6}"
    )
    for concurrency, pages, failed, seconds in rows:
        rate = pages / seconds
        print(
            f"{concurrency:>11} {pages:>6} {failed:>6} {seconds:>8.2f} {rate:>8.1f}"
            f" {rate / reference:>6.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.02, help="seconds added per request")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bench", action="store_true", help="run the fetch-only benchmark")
    parser.add_argument("--max-pages", type=int, default=300)
    parser.add_argument("--levels", default="1,4,16", help="concurrency levels, first = reference")
    args = parser.parse_args()
    if args.bench:
        levels = [int(x) for x in args.levels.split(",")]
        run_benchmark(args.articles, args.latency, args.max_pages, levels)
        return
    with portal_server(args.articles, latency=args.latency, seed=args.seed, port=args.port) as base:
        print(f"serving a {args.articles}-article portal at {base}/ (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
