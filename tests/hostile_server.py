"""A local HTTP server that misbehaves on purpose, for fetcher and pipeline tests.

``with hostile_server() as base:`` yields the base URL (``http://127.0.0.1:<port>``, port 0 so
tests never collide or sleep); ``with HostileServer(...) as server:`` yields the server itself,
which also records every request (``server.hits(path)`` → arrival times, monotonic).

Paths (anything else answers 404):

    /robots.txt                the ``robots`` text given to the server (None → 404, an int → that
                               status); the default disallows /private/ and names /sitemap.xml
    /                          home listing: article links, a feed link, rel=next, an image link
    /hostile/                  a home page linking to every misbehaving path below (for crawls)
    /article/<slug>.html       a small article page (any slug); /private/<x> is the same page
    /slow?delay=S              headers at once, body after S seconds (read timeout)
    /stall?delay=S             nothing for S seconds, not even the status line
    /drip?interval=S           a byte every S seconds, for ever (only total_timeout stops it)
    /reset                     the connection is reset (RST) before any answer
    /storm/<name>?fails=N      500 for the first N requests of this path, then a story page
    /always500                 500, always
    /busy/<name>?after=S       first request 429 (``status=503`` for 503) with Retry-After: S
                               (``date=1``: as an HTTP date), then a page
    /bomb                      gzip bomb: ~1 MB gzip (Content-Encoding) expanding to 200 MB
    /huge                      50 MB of HTML, streamed chunked (never held in memory)
    /huge-declared             like /huge but with Content-Length: 52428800
    /loop/a, /loop/b           redirect to each other, for ever
    /redirect/<n>              a chain of n 302s ending at /article/final.html
    /redirect-nowhere          302 without Location
    /calendar/YYYY/MM/DD       endless calendar: links to the next day and two stories of the day
    /binary                    PNG bytes served as text/html
    /image.png                 PNG bytes as image/png
    /charset/gbk               GBK page, Content-Type charset=gbk
    /charset/wrong             GBK page labelled charset=utf-8
    /charset/none              UTF-8 page without a charset
    /headers                   the request's headers as <li>name: value</li> items
    /gzipped                   a small page sent with Content-Encoding: gzip
    /etag                      ETag "v1"; 304 when If-None-Match matches
    /modified                  Last-Modified; 304 when If-Modified-Since matches it
    /feed.xml, /atom.xml       RSS 2.0 and Atom feeds of three articles
    /traps/…                   the trap shapes of ``tests/trap_site.py`` (calendar, search,
                               endless ?page=, sort and session parameters, a date archive)
    /sitemap.xml               urlset of three articles; /sitemap.xml.gz the same gzipped
                               (application/x-gzip), /sitemap-octet.xml.gz as octet-stream;
                               /sitemap_index.xml an index of /sitemap.xml and the .gz
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import functools
import gzip
import socket
import struct
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import trap_site

DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private/\nSitemap: /sitemap.xml\n"
HUGE_BYTES = 50 * 1024 * 1024
BOMB_BYTES = 200 * 1024 * 1024
CHUNK = 64 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"
ARTICLES = ("/article/2024/01/01/first-story.html", "/article/2024/01/02/second-story.html")
# What /hostile/ links to: each misbehaviour once, plus pages that end well after trouble.
HOSTILE_LINKS = (
    "/slow?delay=3", "/stall?delay=3", "/drip?interval=0.05", "/reset", "/storm/home?fails=2",
    "/always500", "/busy/home?after=1", "/bomb", "/huge", "/huge-declared", "/loop/a",
    "/redirect/2", "/redirect-nowhere", "/calendar/2024/01/01", "/binary", "/charset/gbk",
    "/charset/wrong", "/charset/none", "/private/secret.html", "/gzipped",
)  # fmt: skip
STORY = "风暴过后，服务器恢复了正常，这篇报道终于可以被完整读取。" * 8


@functools.cache
def gzip_bomb(size: int = BOMB_BYTES) -> bytes:
    """``size`` zero bytes, gzip-compressed (200 MB → about 0.9 MB)."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, compressor.flush()])


def page(title: str, body: str = "", head: str = "") -> bytes:
    """A small UTF-8 HTML page."""
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        f"<body><h1>{title}</h1>{body}</body></html>"
    ).encode()


def _links(paths: tuple[str, ...]) -> str:
    return "".join(f"<a href='{p}'>{p}</a>" for p in paths)


def _feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in (*ARTICLES, "/a/3.html")
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel>{items}</channel></rss>".encode()


def _atom(base: str) -> bytes:
    entries = "".join(
        f"<entry><title>{p}</title><link rel='alternate' href='{base}{p}'/><id>{p}</id></entry>"
        for p in (*ARTICLES, "/a/3.html")
    )
    return f"<feed xmlns='http://www.w3.org/2005/Atom'>{entries}</feed>".encode()


def _sitemap(base: str) -> bytes:
    urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in (*ARTICLES, "/a/3.html"))
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    return f"<?xml version='1.0'?><urlset xmlns='{ns}'>{urls}</urlset>".encode()


def _sitemap_index(base: str) -> bytes:
    maps = "".join(
        f"<sitemap><loc>{base}{p}</loc></sitemap>" for p in ("/sitemap.xml", "/sitemap.xml.gz")
    )
    return f"<?xml version='1.0'?><sitemapindex>{maps}</sitemapindex>".encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read ``server.hits`` instead."""

    def finish(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().finish()

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.server.record(parts.path)
        try:
            self._route(parts.path)()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _route(self, path: str) -> Callable[[], None]:
        exact: dict[str, Callable[[], None]] = {
            "/robots.txt": self._robots,
            "/": self._home,
            "/hostile/": lambda: self._send(200, page("hostile home", _links(HOSTILE_LINKS))),
            "/slow": self._slow,
            "/stall": self._stall,
            "/drip": self._drip,
            "/reset": self._reset,
            "/always500": lambda: self._send(500, b"boom"),
            "/bomb": self._bomb,
            "/huge": lambda: self._huge(declared=False),
            "/huge-declared": lambda: self._huge(declared=True),
            "/redirect-nowhere": lambda: self._send(302, b""),
            "/binary": lambda: self._send(200, PNG, "text/html"),
            "/image.png": lambda: self._send(200, PNG, "image/png"),
            "/charset/gbk": lambda: self._send(200, self._gbk(), "text/html; charset=gbk"),
            "/charset/wrong": lambda: self._send(200, self._gbk(), "text/html; charset=utf-8"),
            "/charset/none": lambda: self._send(200, page("无字符集"), "text/html"),
            "/etag": self._etag,
            "/headers": self._headers,
            "/gzipped": lambda: self._send(
                200, gzip.compress(page("压缩")), Content_Encoding="gzip"
            ),
            "/modified": self._modified,
            "/feed.xml": lambda: self._send(200, _feed(self.server.base), "application/rss+xml"),
            "/atom.xml": lambda: self._send(200, _atom(self.server.base), "application/atom+xml"),
            "/sitemap.xml": lambda: self._send(200, _sitemap(self.server.base), "application/xml"),
            "/sitemap.xml.gz": lambda: self._send(
                200, gzip.compress(_sitemap(self.server.base)), "application/x-gzip"
            ),
            "/sitemap-octet.xml.gz": lambda: self._send(
                200, gzip.compress(_sitemap(self.server.base)), "application/octet-stream"
            ),
            "/sitemap_index.xml": lambda: self._send(
                200, _sitemap_index(self.server.base), "application/xml"
            ),
        }
        if path in exact:
            return exact[path]
        prefixes: dict[str, Callable[[], None]] = {
            "/article/": lambda: self._send(200, page(path, "<p>story</p>")),
            "/private/": lambda: self._send(200, page(path)),
            "/storm/": lambda: self._storm(path),
            "/busy/": lambda: self._busy(path),
            "/loop/": lambda: self._redirect("/loop/b" if path == "/loop/a" else "/loop/a"),
            "/redirect/": lambda: self._chain(path),
            "/calendar/": lambda: self._calendar(path),
            "/traps/": lambda: self._send(*trap_site.answer(path, self.query)),
        }
        for prefix, handler in prefixes.items():
            if path.startswith(prefix):
                return handler
        return lambda: self._send(404, page("not found"))

    def _send(
        self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **extra: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _robots(self) -> None:
        robots = self.server.robots
        if robots is None or isinstance(robots, int):
            self._send(robots or 404, b"no robots", "text/plain")
        else:
            self._send(200, robots.encode(), "text/plain")

    def _home(self) -> None:
        body = (
            _links((*ARTICLES, "/news/", "/image.png")) + "<a href='/?page=2' rel='next'>下一页</a>"
        )
        feed = "<link rel='alternate' type='application/rss+xml' href='/feed.xml'>"
        self._send(200, page("home", body, feed))

    def _gbk(self) -> bytes:
        return (
            page("中文新闻", "<p>这是一条新闻。</p>")
            .replace(b"utf-8", b"gbk")
            .decode()
            .encode("gbk")
        )

    def _wait(self, key: str, default: float) -> None:
        self.server.stopping.wait(float(self.query.get(key, default)))

    def _slow(self) -> None:
        body = page("slow")
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        self._wait("delay", 5)
        self.wfile.write(body)

    def _stall(self) -> None:
        self._wait("delay", 5)
        self._send(200, page("stalled"))

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        while not self.server.stopping.is_set():
            self.wfile.write(b"1\r\n \r\n")
            self.wfile.flush()
            self._wait("interval", 0.05)

    def _reset(self) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _storm(self, path: str) -> None:
        if self.server.count(path) <= int(self.query.get("fails", 3)):
            self._send(500, b"storm")
        else:
            head = "<meta property='og:type' content='article'>"
            self._send(200, page("calm after the storm", f"<p>{STORY}</p>", head))

    def _busy(self, path: str) -> None:
        if self.server.count(path) > 1:
            self._send(200, page("not busy any more"))
            return
        after = float(self.query.get("after", 1))
        value = str(int(after)) if after.is_integer() else str(after)
        if self.query.get("date"):
            value = email.utils.formatdate(time.time() + after + 1, usegmt=True)
        self._send(int(self.query.get("status", 429)), b"busy", Retry_After=value)

    def _bomb(self) -> None:
        self._send(200, gzip_bomb(), Content_Encoding="gzip")

    def _huge(self, *, declared: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if declared:
            self.send_header("Content-Length", str(HUGE_BYTES))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        block = b"<p>" + b"x" * (CHUNK - 7) + b"</p>"
        for _ in range(HUGE_BYTES // CHUNK):
            if self.server.stopping.is_set():
                break
            self.wfile.write(block if declared else b"%x\r\n%s\r\n" % (len(block), block))
        if not declared:
            self.wfile.write(b"0\r\n\r\n")

    def _redirect(self, location: str, status: int = 302) -> None:
        self._send(status, b"", Location=location)

    def _chain(self, path: str) -> None:
        left = int(path.rsplit("/", 1)[-1] or 0)
        self._redirect(f"/redirect/{left - 1}" if left > 1 else "/article/final.html")

    def _calendar(self, path: str) -> None:
        try:
            day = dt.date(*(int(p) for p in path.split("/")[2:5]))
        except (TypeError, ValueError):
            self._send(404, page("no such day"))
            return
        nxt = day + dt.timedelta(days=1)
        stories = tuple(f"/calendar/{day:%Y/%m/%d}/story-{i}.html" for i in (1, 2))
        body = _links((f"/calendar/{nxt:%Y/%m/%d}", *stories))
        self._send(200, page(f"{day:%Y-%m-%d}", body))

    def _headers(self) -> None:
        lines = "".join(f"<li>{k.lower()}: {v}</li>" for k, v in self.headers.items())
        self._send(200, page("headers", f"<ul>{lines}</ul>"))

    def _etag(self) -> None:
        if self.headers.get("If-None-Match") == '"v1"':
            self._send(304, b"", ETag='"v1"')
        else:
            self._send(200, page("tagged"), ETag='"v1"')

    def _modified(self) -> None:
        if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            self._send(304, b"", Last_Modified=LAST_MODIFIED)
        else:
            self._send(200, page("dated"), Last_Modified=LAST_MODIFIED)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, robots: str | int | None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.robots = robots
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._hits: dict[str, list[float]] = defaultdict(list)

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up on purpose (caps, timeouts) are not errors here."""

    def record(self, path: str) -> None:
        with self._lock:
            self._hits[path].append(time.monotonic())

    def count(self, path: str) -> int:
        with self._lock:
            return len(self._hits[path])

    def hits(self, path: str) -> list[float]:
        with self._lock:
            return list(self._hits[path])

    def paths(self) -> list[str]:
        with self._lock:
            return [path for path, times in self._hits.items() if times]


class HostileServer:
    """Context manager running the hostile server in a thread; yields itself."""

    def __init__(self, robots: str | int | None = DEFAULT_ROBOTS) -> None:
        self._server = _Server(robots)
        self.base_url = self._server.base
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def hits(self, path: str) -> list[float]:
        """Monotonic arrival times of the requests for ``path``."""
        return self._server.hits(path)

    def paths(self) -> list[str]:
        """Every path requested so far."""
        return self._server.paths()

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextlib.contextmanager
def hostile_server(robots: str | int | None = DEFAULT_ROBOTS) -> Iterator[str]:
    """Run a :class:`HostileServer`; yields its base URL."""
    with HostileServer(robots) as server:
        yield server.base_url
