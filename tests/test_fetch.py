"""The Fetcher against a real misbehaving server on 127.0.0.1: stages, politeness, caps, WARC."""

from __future__ import annotations

import asyncio
import itertools
import random
import socket
import ssl
import threading
import time
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import trustme
from hostile_server import HostileServer

from newsdesk.errors import ExtractError, FetchError
from newsdesk.settings import Settings
from scraper._records import Fetched
from scraper.discovery import discover
from scraper.fetch import Fetcher, FetchOptions
from scraper.fetch.fetch import _is_dns_failure
from scraper.fetch.politeness import backoff_delay, parse_retry_after
from scraper.fetch.pool import ShardedTransport
from scraper.fetch.robots import RobotsRules, rules_unreachable
from scraper.fetch.warc import iter_warc

FAST = {
    "delay": 0.0,
    "retries": 2,
    "backoff": 0.01,
    "max_backoff": 5.0,
    "connect_timeout": 2.0,
    "read_timeout": 2.0,
    "total_timeout": 10.0,
    "max_bytes": 1024 * 1024,
}


def settings(**overrides: Any) -> FetchOptions:
    return FetchOptions(**{**FAST, **overrides})


def fetch(url: str, **overrides: Any) -> Fetched:
    """One fetch with a fresh Fetcher (robots.txt included)."""

    async def run() -> Fetched:
        async with Fetcher(settings(**overrides)) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(run())


def fetch_all(urls: list[str], **overrides: Any) -> list[Fetched]:
    """Concurrent fetches through one Fetcher."""

    async def run() -> list[Fetched]:
        async with Fetcher(settings(**overrides)) as fetcher:
            return list(await asyncio.gather(*(fetcher.fetch(u) for u in urls)))

    return asyncio.run(run())


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


def test_page_is_fetched_with_lower_case_headers_and_charset(server: HostileServer) -> None:
    fetched = fetch(server.base_url + "/article/2024/01/01/first-story.html")
    assert fetched.status == 200
    assert fetched.headers["content-type"] == "text/html; charset=utf-8"
    assert fetched.encoding == "utf-8"
    assert b"<p>story</p>" in fetched.body
    assert fetched.final_url == fetched.url and fetched.redirects == ()
    assert fetched.fetched_at.tzinfo is not None


def test_identifying_headers_are_sent(server: HostileServer) -> None:
    agent = Settings(contact="ops@example.org").fetch_options().user_agent
    body = fetch(server.base_url + "/headers", user_agent=agent).body.decode()
    assert "user-agent: newsdesk/" in body and "ops@example.org" in body
    assert "accept-encoding: gzip, deflate" in body


def test_gzip_content_encoding_is_decoded(server: HostileServer) -> None:
    assert "压缩".encode() in fetch(server.base_url + "/gzipped").body


@pytest.mark.parametrize(
    ("path", "stage", "overrides"),
    [
        ("/slow?delay=3", "timeout", {"read_timeout": 0.2, "retries": 0}),
        ("/stall?delay=3", "timeout", {"read_timeout": 0.2, "retries": 0}),
        ("/drip?interval=0.05", "timeout", {"total_timeout": 0.5, "retries": 0}),
        ("/reset", "connect", {}),
        ("/always500", "http", {}),
        ("/nope", "http", {}),
        ("/huge", "too_large", {}),
        ("/huge-declared", "too_large", {}),
        ("/bomb", "too_large", {"read_timeout": 10.0}),
        ("/loop/a", "redirect", {}),
        ("/redirect/9", "redirect", {"max_redirects": 5}),
        ("/redirect-nowhere", "redirect", {}),
        ("/binary", "content_type", {}),
        ("/image.png", "content_type", {}),
        ("/private/secret.html", "robots", {}),
    ],
)
def test_failure_modes_give_their_stage(
    server: HostileServer, path: str, stage: str, overrides: dict[str, Any]
) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(server.base_url + path, **overrides)
    assert caught.value.stage == stage
    assert caught.value.url == server.base_url + path


def test_http_error_names_the_status(server: HostileServer) -> None:
    with pytest.raises(FetchError, match="404"):
        fetch(server.base_url + "/nope")
    with pytest.raises(FetchError, match="500"):
        fetch(server.base_url + "/always500", retries=1)


@pytest.mark.parametrize("obey_robots", [False, True])
def test_refused_connection_is_a_connect_failure(obey_robots: bool) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{port}/", retries=0, obey_robots=obey_robots)
    assert caught.value.stage == "connect"


def test_global_limit_caps_requests_in_flight(server: HostileServer) -> None:
    started = time.monotonic()
    urls = [f"{server.base_url}/slow?delay=0.15&global={i}" for i in range(4)]
    fetch_all(urls, concurrency=2, per_host=4)
    assert time.monotonic() - started >= 0.3


def test_name_resolution_failure_is_recognised_in_the_cause_chain() -> None:
    try:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except socket.gaierror as inner:
            raise httpx.ConnectError("[Errno -2] Name or service not known") from inner
    except httpx.ConnectError as exc:
        assert _is_dns_failure(exc)
    assert not _is_dns_failure(httpx.ConnectError("refused"))


def test_retries_recover_from_a_storm_of_500s(server: HostileServer) -> None:
    fetched = fetch(server.base_url + "/storm/recover?fails=3", retries=3)
    assert fetched.status == 200 and b"calm" in fetched.body
    assert len(server.hits("/storm/recover")) == 4


def test_retries_are_capped(server: HostileServer) -> None:
    with pytest.raises(FetchError, match="500"):
        fetch(server.base_url + "/storm/capped?fails=10", retries=2)
    assert len(server.hits("/storm/capped")) == 3


@pytest.mark.parametrize(
    ("name", "query", "at_least"),
    [
        ("seconds", "after=1", 1.0),
        ("service", "after=1&status=503", 1.0),
        ("date", "after=1&date=1", 0.9),
    ],
)
def test_retry_after_is_honoured(
    server: HostileServer, name: str, query: str, at_least: float
) -> None:
    started = time.monotonic()
    fetched = fetch(f"{server.base_url}/busy/{name}?{query}")
    assert fetched.status == 200
    assert time.monotonic() - started >= at_least
    first, second = server.hits(f"/busy/{name}")
    assert second - first >= at_least - 0.05


def test_retry_after_beyond_max_backoff_is_not_waited_for(server: HostileServer) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="429"):
        fetch(server.base_url + "/busy/long?after=120", max_backoff=0.5)
    assert time.monotonic() - started < 5


def test_per_host_delay_spaces_request_starts(server: HostileServer) -> None:
    paths = [f"/article/delay-{i}.html" for i in range(3)]
    fetch_all([server.base_url + p for p in paths], delay=0.3, per_host=3)
    starts = sorted(t for p in paths for t in server.hits(p))
    assert len(starts) == 3
    assert all(gap >= 0.28 for gap in gaps(starts))


def test_crawl_delay_is_read_and_honoured() -> None:
    robots = "User-agent: *\nCrawl-delay: 0.4\nDisallow: /private/\n"
    with HostileServer(robots=robots) as server:

        async def run() -> float:
            async with Fetcher(settings()) as fetcher:
                rules = await fetcher.robots_for(server.base_url + "/")
                paths = [f"/article/cd-{i}.html" for i in range(3)]
                await asyncio.gather(*(fetcher.fetch(server.base_url + p) for p in paths))
                return rules.crawl_delay(fetcher.agent)

        assert asyncio.run(run()) == 0.4
        starts = sorted(t for i in range(3) for t in server.hits(f"/article/cd-{i}.html"))
        assert all(gap >= 0.38 for gap in gaps(starts))
        assert len(server.hits("/robots.txt")) == 1


def test_per_host_limit_serialises_requests(server: HostileServer) -> None:
    started = time.monotonic()
    fetch_all([f"{server.base_url}/slow?delay=0.15&n={i}" for i in range(3)], per_host=1)
    assert time.monotonic() - started >= 0.45


@pytest.mark.parametrize(("robots", "allowed"), [(404, True), (403, True), (500, False)])
def test_robots_status_rules(robots: int, allowed: bool) -> None:
    with HostileServer(robots=robots) as server:
        url = server.base_url + "/article/x.html"
        if allowed:
            assert fetch(url, retries=0).status == 200
        else:
            with pytest.raises(FetchError) as caught:
                fetch(url, retries=0)
            assert caught.value.stage == "robots"


def test_obey_robots_off_fetches_disallowed_paths(server: HostileServer) -> None:
    assert fetch(server.base_url + "/private/x.html", obey_robots=False).status == 200


def test_sitemaps_for_lists_robots_sitemaps_absolutely(server: HostileServer) -> None:
    async def run() -> list[str]:
        async with Fetcher(settings()) as fetcher:
            return await fetcher.sitemaps_for(server.base_url + "/any/page.html")

    assert asyncio.run(run()) == [server.base_url + "/sitemap.xml"]


def test_redirects_are_followed_and_reported(server: HostileServer) -> None:
    fetched = fetch(server.base_url + "/redirect/3")
    assert fetched.final_url == server.base_url + "/article/final.html"
    assert fetched.redirects[-1] == fetched.final_url and len(fetched.redirects) == 3


@pytest.mark.parametrize(
    ("path", "validators"),
    [
        ("/etag", {"etag": '"v1"'}),
        ("/modified", {"last_modified": "Wed, 01 Jan 2025 00:00:00 GMT"}),
    ],
)
def test_conditional_requests_get_304(
    server: HostileServer, path: str, validators: dict[str, str]
) -> None:
    async def run() -> tuple[Fetched, Fetched]:
        async with Fetcher(settings()) as fetcher:
            full = await fetcher.fetch(server.base_url + path)
            return full, await fetcher.fetch(server.base_url + path, **validators)

    full, again = asyncio.run(run())
    assert full.status == 200 and full.body
    assert again.status == 304 and again.body == b""


@pytest.mark.parametrize(
    ("path", "encoding"),
    [("/charset/gbk", "gbk"), ("/charset/wrong", "utf-8"), ("/charset/none", None)],
)
def test_charset_comes_from_the_header(
    server: HostileServer, path: str, encoding: str | None
) -> None:
    assert fetch(server.base_url + path).encoding == encoding


@pytest.mark.parametrize("path", ["/huge", "/bomb"])
def test_capped_bodies_never_land_in_memory(server: HostileServer, path: str) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as caught:
            fetch(server.base_url + path, read_timeout=10.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.stage == "too_large"
    assert peak < 12 * 1024 * 1024


def test_closed_fetcher_refuses_to_fetch() -> None:
    with pytest.raises(RuntimeError, match="async with"):
        asyncio.run(Fetcher(settings()).fetch("http://127.0.0.1:9/"))


def test_warc_round_trip(server: HostileServer, tmp_path: Any) -> None:
    paths = ["/article/2024/01/01/first-story.html", "/gzipped", "/redirect/2"]
    fetched = fetch_all([server.base_url + p for p in paths], warc_dir=tmp_path)
    archived = {f.url: f for f in iter_warc(tmp_path)}
    for page in fetched:
        assert archived[page.final_url].body == page.body
        assert archived[page.final_url].status == 200
    assert archived[server.base_url + "/gzipped"].encoding == "utf-8"
    assert not any(f.url.endswith("/robots.txt") for f in archived.values())
    everything = list(iter_warc(tmp_path, statuses=range(100, 600), include_robots=True))
    assert any(f.status == 302 for f in everything)
    assert any(f.url.endswith("/robots.txt") for f in everything)


def test_warc_files_rotate_at_the_cap(server: HostileServer, tmp_path: Any) -> None:
    urls = [f"{server.base_url}/article/rotate-{i}.html" for i in range(4)]
    fetch_all(urls, warc_dir=tmp_path, warc_max_bytes=1024)
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) >= 4
    assert {f.url for f in iter_warc(tmp_path)} >= set(urls)
    assert len(list(iter_warc(files[-1]))) == 1


def test_backoff_is_exponential_jittered_and_capped() -> None:
    rng = random.Random(0)
    for attempt in range(8):
        ceiling = min(3.0, 0.5 * 2**attempt)
        assert ceiling / 2 <= backoff_delay(attempt, 0.5, 3.0, rng) <= ceiling


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3", 3.0), ("0.5", 0.5), ("-2", 0.0), ("soon", None), (None, None), ("", None)],
)
def test_retry_after_values(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_retry_after_http_date() -> None:
    from datetime import UTC, datetime

    now = datetime(2025, 1, 1, 0, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 01 Jan 2025 00:00:30 GMT", now) == 30.0
    assert parse_retry_after("Tue, 31 Dec 2024 00:00:00 GMT", now) == 0.0


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("/", 5),
        ("/feed.xml", 3),
        ("/atom.xml", 3),
        ("/sitemap.xml", 3),
        ("/sitemap.xml.gz", 3),
        ("/sitemap-octet.xml.gz", 3),
        ("/sitemap_index.xml", 2),
        ("/calendar/2024/12/31", 3),
    ],
)
def test_fetched_pages_feed_discovery(server: HostileServer, path: str, count: int) -> None:
    entries = discover(fetch(server.base_url + path), None, 0)
    assert len(entries) == count
    assert all(e.url.startswith(server.base_url) for e in entries)


@pytest.mark.parametrize("content", [b"\x1f\x8b this is not an archive", b"plain text"])
def test_a_file_that_is_not_a_warc_is_an_extract_error(tmp_path: Any, content: bytes) -> None:
    bogus = tmp_path / "not.warc.gz"
    bogus.write_bytes(content)
    with pytest.raises(ExtractError, match=r"not\.warc\.gz"):
        list(iter_warc(bogus))


def test_unreachable_robots_rules_go_stale_and_are_asked_again() -> None:
    fresh = rules_unreachable("http://x.test", "down", "connect")
    old = RobotsRules("http://x.test", allow_all=False, checked=time.monotonic() - 3600)
    assert not fresh.stale() and old.stale()
    assert not fresh.allows("http://x.test/a", "newsdesk") and fresh.stage == "connect"
    assert not RobotsRules("http://x.test", checked=0.0).stale()


def test_sharded_pool_runs_its_whole_connection_budget_at_once(server: HostileServer) -> None:
    """16 slow requests over several shards overlap on kept-alive connections.

    The first burst opens the connections (slowly: the server's listen backlog is short); the
    second, after bodies closed unread, must reuse them all at once.
    """

    async def burst(client: httpx.AsyncClient, tag: str) -> float:
        started = time.monotonic()
        urls = [f"{server.base_url}/slow?delay=0.3&shard={tag}{i}" for i in range(16)]
        answers = await asyncio.gather(*(client.get(u) for u in urls))
        assert all(a.status_code == 200 for a in answers)
        return time.monotonic() - started

    async def run() -> float:
        async with httpx.AsyncClient(transport=ShardedTransport(16)) as client:
            await burst(client, "a")
            for i in range(16):
                async with client.stream("GET", f"{server.base_url}/slow?delay=0&unread={i}"):
                    pass
            return await burst(client, "b")

    assert asyncio.run(run()) < 0.6


@pytest.fixture(scope="module")
def tls_server() -> Iterator[tuple[str, trustme.CA]]:
    """An HTTPS server on 127.0.0.1 with a certificate from a throwaway CA."""
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")

    class Hello(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = b"<html><body><p>over TLS</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{httpd.server_address[1]}/", ca
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_tls_through_the_sharded_asyncio_transport(tls_server: tuple[str, trustme.CA]) -> None:
    """HTTPS works through the fetcher's own transport (asyncio backend, TLS upgrade), and a
    certificate the client does not trust is a connection error, not a crash."""
    url, ca = tls_server
    trusted = ssl.create_default_context()
    ca.configure_trust(trusted)

    async def get(context: ssl.SSLContext | None) -> httpx.Response:
        transport = ShardedTransport(4, ssl_context=context)
        async with httpx.AsyncClient(transport=transport) as client:
            first = await client.get(url)
            second = await client.get(url)  # a kept-alive TLS connection
            assert second.content == first.content
            return first

    response = asyncio.run(get(trusted))
    assert response.status_code == 200 and b"over TLS" in response.content
    assert response.extensions["http_version"] == b"HTTP/1.1"
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        asyncio.run(get(None))
