"""A hostile news portal on 127.0.0.1, for crawl-budget tests and ``bench/crawl.py --hostile``.

``with HostilePortal(articles=300) as portal:`` serves it on port 0 (``portal.base_url``) and
logs every request (``portal.requests()``: path and query, and the status answered, in arrival
order). What it holds:

- 8 channels, 4 in Chinese (pages in GBK, ``charset=gbk``) and 4 in English (UTF-8); each a
  NetEase-style listing (``/news/``, ``/news/?page=2`` …: headline, summary, ``2026-11-26 16:43``
  time; 下一页/Next while pages remain, 上一页/Previous back to ``?page=1``);
- ``articles`` stories, every tenth split over two pages (下一页 / Next page), each with a
  相关推荐/Related block and hot-search links; an RSS feed of the newest 20;
- faults: every 50th story answers 503 with Retry-After: 1 once; the home page links a story
  that is gone (404); /private/ is disallowed by robots.txt;
- traps: an endless calendar (``/archive/YYYY/MM/DD/``: the month's day links and the previous
  and next month, for ever, no stories) and endless search results (``/search?q=…&p=N``: ten
  stories that are linked elsewhere anyway, and 下一页/Next for ever).

Every story is reachable from the channel listings; nothing needs the calendar or the search.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

ZH_CHANNELS = (("news", "新闻"), ("sports", "体育"), ("finance", "财经"), ("tech", "科技"))
EN_CHANNELS = (("world", "World"), ("business", "Business"), ("science", "Science"),
               ("culture", "Culture"))  # fmt: skip
CHANNELS = ZH_CHANNELS + EN_CHANNELS
TODAY = dt.date(2026, 11, 26)
PER_PAGE = 20
HOT_WORDS = ("救助站", "台风", "election", "chip", "联赛")
_ZH_TEXT = (
    "记者 了解到 当天 市民 相关部门 表示 下一步 工作 城市 服务 救助站 社区 志愿者 居民 开放日 "
    "街道 比赛 球队 冠军 主教练 联赛 进球 市场 股价 投资 银行 利率 企业 芯片 算法 手机 研发 数据 "
    "网络 展览 博物馆 演出 作家 电影 非遗 医院 学校 交通 地铁 公园 图书馆 气温 降雨 台风 农田 "
    "粮食 港口"
)
_EN_TEXT = (
    "council reported residents officials said plans city budget morning service shelter "
    "volunteers street match team champion coach league market shares investors bank rates "
    "company chip software phone research data network museum exhibition theatre writer film "
    "hospital school traffic subway park library weather rain typhoon farm harbour river bridge "
    "election mayor court police"
)
ZH_WORDS = tuple(_ZH_TEXT.split())
EN_WORDS = tuple(_EN_TEXT.split())
ROBOTS = "User-agent: *\nDisallow: /private/\n"


def _is_zh(channel: int) -> bool:
    return channel < len(ZH_CHANNELS)


class Portal:
    """The generated site; ``answer(path, query)`` → (status, content type, body, headers)."""

    def __init__(self, articles: int = 300, split_every: int = 10, fail_every: int = 50) -> None:
        self.articles = articles
        self.split_every = split_every
        self.fail_every = fail_every
        self._paths = {self.article_path(i): i for i in range(articles)}
        self._failed: set[int] = set()
        self._lock = threading.Lock()

    def channel_of(self, i: int) -> int:
        return i % len(CHANNELS)

    def stamp_of(self, i: int) -> dt.datetime:
        day = TODAY - dt.timedelta(days=i // 12)
        return dt.datetime(day.year, day.month, day.day, 8 + i % 12, (i * 7) % 60)

    def article_path(self, i: int, page: int = 1) -> str:
        name = CHANNELS[self.channel_of(i)][0]
        day = self.stamp_of(i).date()
        tail = "" if page == 1 else f"_{page}"
        if _is_zh(self.channel_of(i)):
            return f"/{name}/{day:%Y%m%d}/{i:06d}{tail}.html"
        return f"/{name}/{day:%Y/%m/%d}/story-about-the-city-{i}{tail}.html"

    def title_of(self, i: int) -> str:
        if _is_zh(self.channel_of(i)):
            return f"第{i}号新闻：{CHANNELS[self.channel_of(i)][1]}频道报道城市服务新进展"
        return f"Story {i}: {CHANNELS[self.channel_of(i)][1]} desk reports on the city budget"

    def summary_of(self, i: int) -> str:
        if _is_zh(self.channel_of(i)):
            return f"摘要{i}：记者了解到，相关部门表示将继续推进城市服务工作。"
        return f"Summary {i}: officials said the council plans more city services."

    def channel_articles(self, channel: int) -> list[int]:
        return [i for i in range(self.articles) if self.channel_of(i) == channel]

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, str, bytes, dict[str, str]]:
        """The response for one request (the 503 of a faulty story is answered once)."""
        if path == "/robots.txt":
            return 200, "text/plain", ROBOTS.encode(), {}
        if path == "/":
            return self._html(self._home(), zh=True)
        if path == "/rss.xml":
            return 200, "application/rss+xml", self._feed(), {}
        if path == "/search":
            page = int(query.get("p", "1") or 1)
            return self._html(self._search(query.get("q", ""), page), zh=True)
        if path.startswith("/archive/"):
            return self._calendar(path)
        for n, (name, _) in enumerate(CHANNELS):
            if path == f"/{name}/":
                page = int(query.get("page", "1") or 1)
                return self._html(self._channel(n, page), zh=_is_zh(n))
        page = 2 if path.endswith("_2.html") else 1
        i = self._paths.get(path.replace("_2.html", ".html"))
        if i is None or (page == 2 and i % self.split_every != 3):
            return 404, "text/html; charset=utf-8", b"<html><body>gone</body></html>", {}
        with self._lock:
            first_time = i not in self._failed
            self._failed.add(i)
        if page == 1 and i % self.fail_every == 7 and first_time:
            return 503, "text/html; charset=utf-8", b"busy", {"Retry-After": "1"}
        return self._html(self._article(i, page), zh=_is_zh(self.channel_of(i)))

    def _html(self, html: str, zh: bool) -> tuple[int, str, bytes, dict[str, str]]:
        if zh:
            html = html.replace("<meta charset='utf-8'>", "<meta charset='gbk'>")
            return 200, "text/html; charset=gbk", html.encode("gbk"), {}
        return 200, "text/html; charset=utf-8", html.encode(), {}

    def _nav(self) -> str:
        links = "".join(f"<li><a href='/{name}/'>{label}</a></li>" for name, label in CHANNELS)
        hot = "".join(f"<a href='/search?q={quote(w)}'>{w}</a> " for w in HOT_WORDS)
        calendar = f"<a href='/archive/{TODAY:%Y/%m/%d}/'>往日回顾</a>"
        home = "<li><a href='/'>首页</a></li>"
        return f"<ul class='nav'>{home}{links}</ul><div>{hot}{calendar}</div>"

    def _shell(self, title: str, body: str) -> str:
        return (
            f"<!doctype html><html><head><meta charset='utf-8'><title>{title} - 敌意门户</title>"
            "<link rel='alternate' type='application/rss+xml' href='/rss.xml'></head>"
            f"<body>{self._nav()}{body}<footer>版权所有 敌意门户 Hostile Portal</footer>"
            "</body></html>"
        )

    def _items(self, ids: list[int]) -> str:
        return "".join(
            f"<div class='item'><h3><a href='{self.article_path(i)}'>{self.title_of(i)}</a></h3>"
            f"<p class='summary'>{self.summary_of(i)}</p>"
            f"<span class='time'>{self.stamp_of(i):%Y-%m-%d %H:%M}</span></div>"
            for i in ids
        )

    def _home(self) -> str:
        dead = f"<a href='/news/{TODAY:%Y%m%d}/999999.html'>一条已经删除的旧新闻标题在这里</a>"
        return self._shell("首页", f"<div class='list'>{self._items(list(range(30)))}</div>{dead}")

    def _channel(self, n: int, page: int) -> str:
        ids = self.channel_articles(n)
        pages = max(1, -(-len(ids) // PER_PAGE))
        name, label = CHANNELS[n]
        zh = _is_zh(n)
        body = f"<h1>{label}</h1><div class='list'>"
        body += self._items(ids[(page - 1) * PER_PAGE : page * PER_PAGE]) + "</div>"
        if page > 1:
            body += f"<a href='/{name}/?page={page - 1}'>{'上一页' if zh else 'Previous'}</a>"
        if page < pages:
            body += f"<a href='/{name}/?page={page + 1}'>{'下一页' if zh else 'Next'}</a>"
        return self._shell(label, body)

    def _article(self, i: int, page: int) -> str:
        zh = _is_zh(self.channel_of(i))
        words = ZH_WORDS if zh else EN_WORDS
        sep = "" if zh else " "
        end = "。" if zh else "."
        pick = random.Random(i * 10 + page)
        paragraphs = "".join(
            f"<p>{sep.join(pick.choice(words) for _ in range(16))}{end}"
            f"{'第' if zh else 'Part '}{page}-{k}{end}</p>"
            for k in range(6)
        )
        related = "".join(
            f"<li><a href='{self.article_path((i + d) % self.articles)}'>"
            f"{self.title_of((i + d) % self.articles)}</a></li>"
            for d in (1, 2, 3, 5)
        )
        heading = "相关推荐" if zh else "Related"
        more = ""
        if page == 1 and i % self.split_every == 3:
            label = "下一页" if zh else "Next page"
            more = f"<a href='{self.article_path(i, 2)}'>{label}</a>"
        stamp = f"{self.stamp_of(i):%Y-%m-%d %H:%M}"
        body = (
            f"<article><h1>{self.title_of(i)}</h1><div class='info'>{stamp} 来源：敌意门户</div>"
            f"{paragraphs}{more}</article><div class='related'><h2>{heading}</h2>"
            f"<ul>{related}</ul></div>"
        )
        return self._shell(self.title_of(i), body)

    def _calendar(self, path: str) -> tuple[int, str, bytes, dict[str, str]]:
        try:
            year, month, day = (int(p) for p in path.strip("/").split("/")[1:4])
            date = dt.date(year, month, day)
        except (TypeError, ValueError):
            return 404, "text/html; charset=utf-8", b"<html><body>no such day</body></html>", {}
        first = date.replace(day=1)
        prev_month = (first - dt.timedelta(days=1)).replace(day=1)
        next_month = (first + dt.timedelta(days=32)).replace(day=1)
        days = "".join(
            f"<td><a href='/archive/{first:%Y/%m}/{d:02d}/'>{d}</a></td>" for d in range(1, 29)
        )
        body = (
            f"<h1>{date:%Y年%m月%d日} 往日回顾</h1><table><tr>{days}</tr></table>"
            f"<a href='/archive/{prev_month:%Y/%m/%d}/'>上个月</a>"
            f"<a href='/archive/{next_month:%Y/%m/%d}/'>下个月</a><p>本日暂无存档。</p>"
        )
        return self._html(self._shell(f"{date:%Y-%m-%d}", body), zh=True)

    def _search(self, word: str, page: int) -> str:
        start = (sum(map(ord, word)) + page * 10) % max(self.articles, 1)
        ids = [(start + k) % self.articles for k in range(10)]
        body = f"<h1>搜索：{word}</h1><div class='results'>{self._items(ids)}</div>"
        body += f"<a href='/search?q={quote(word)}&p={page + 1}'>下一页</a>"
        return self._shell(f"搜索 {word}", body)

    def _feed(self) -> bytes:
        items = "".join(
            f"<item><title>{self.title_of(i)}</title><link>{{BASE}}{self.article_path(i)}</link>"
            "</item>"
            for i in range(20)
        )
        return (
            f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>{items}"
            "</channel></rss>".encode()
        )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the portal keeps its own request log."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        status, ctype, body, extra = self.server.portal.answer(parts.path, query)
        self.server.record(self.path, status)
        body = body.replace(b"{BASE}", self.server.base.encode())
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, portal: Portal, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.portal = portal
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self._lock = threading.Lock()
        self.log: list[tuple[str, int]] = []

    def record(self, target: str, status: int) -> None:
        with self._lock:
            self.log.append((target, status))


class HostilePortal:
    """Runs the portal in a thread; ``requests()`` is the log of request targets."""

    def __init__(self, articles: int = 300, port: int = 0, **options: int) -> None:
        self.portal = Portal(articles, **options)
        self._server = _Server(self.portal, port)
        self.base_url = self._server.base
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def requests(self) -> list[tuple[str, int]]:
        """(path and query, status) of every request so far, in arrival order."""
        with self._server._lock:
            return list(self._server.log)

    def article_paths(self) -> set[str]:
        """The first pages of all stories."""
        return {self.portal.article_path(i) for i in range(self.portal.articles)}

    def __enter__(self) -> HostilePortal:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
