"""The polite fetcher: one httpx transport, limits, robots.txt, retries, caps and WARC.

``Fetcher.fetch(url)`` walks one URL to its final answer:

1. robots.txt of the URL's origin (fetched once per origin and cached; see
   :mod:`scraper.fetch.robots`) must allow the URL, else ``FetchError(stage="robots")``;
2. the request waits for a per-host slot, the host's delay (max of ``options.delay`` and the
   Crawl-delay) and a global slot (see :mod:`scraper.fetch.politeness`);
3. headers are checked before any body byte is read: a type that is not HTML/XML fails with
   ``content_type``, a ``Content-Length`` over ``max_bytes`` with ``too_large``;
4. the body is streamed raw and decompressed in bounded steps (:mod:`scraper.fetch.body`), so
   neither a 50 MB body nor a gzip bomb ever lands in memory beyond ``max_bytes``;
5. 408/429/5xx and broken connections are retried with jittered exponential backoff; a
   Retry-After on 429/503 pushes the host's clock instead;
6. redirects are followed by hand (loops and more than ``max_redirects`` hops fail with
   ``redirect``); robots.txt is checked on every hop, scope is the pipeline's business.

Every exchange is written to the WARC archive when ``options.warc_dir`` is set.

Requests go straight to the transport (:class:`scraper.fetch.pool.ShardedTransport`) rather than
through an ``httpx.AsyncClient``: the client's layers (URL merging, auth and redirect hooks,
cookie jar) cost ~0.2 ms of CPU per page and the fetcher needs none of them; it follows
redirects itself and keeps no cookies, as a crawler should not carry state between pages.
"""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from newsdesk.errors import FetchError
from scraper._records import Fetched
from scraper.fetch.body import (
    ERROR_BODY_BYTES,
    check_content_type,
    check_length,
    check_not_binary,
    read_body,
)
from scraper.fetch.politeness import (
    RETRY_AFTER_STATUSES,
    RETRY_STATUSES,
    HostGate,
    backoff_delay,
    host_key,
    parse_retry_after,
)
from scraper.fetch.pool import ShardedTransport
from scraper.fetch.robots import (
    ROBOTS_MAX_BYTES,
    RobotsRules,
    agent_token,
    origin_of,
    robots_url,
    rules_from_response,
    rules_unreachable,
)
from scraper.fetch.warc import WarcWriter, charset_of, iter_warc

__all__ = ["FetchOptions", "Fetcher", "iter_warc"]

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_REDIRECTS = 5
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
TRANSIENT_STAGES = frozenset({"connect", "timeout"})


@dataclass(frozen=True, slots=True)
class _Exchange:
    """One HTTP request and its (possibly unread) answer."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """What the fetcher can be told; the application builds it from its own settings."""

    user_agent: str = "newsdesk"
    obey_robots: bool = True
    concurrency: int = 16
    per_host: int = 1
    delay: float = 1.0
    retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 60.0
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    warc_dir: Path | None = None
    warc_max_bytes: int = 100 * 1024 * 1024


class Fetcher:
    """Fetches pages politely; use as ``async with Fetcher(options) as fetcher``."""

    def __init__(self, options: FetchOptions, *, seed: int = 0) -> None:
        self.options = options
        self.agent = agent_token(options.user_agent)
        self._rng = random.Random(seed)
        self._transport: ShardedTransport | None = None
        self._headers = {
            "User-Agent": options.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": "gzip, deflate",
            "Connection": "keep-alive",
        }
        self._timeouts = {
            "connect": options.connect_timeout,
            "read": options.read_timeout,
            "write": options.read_timeout,
            "pool": options.connect_timeout,
        }
        self._gate: HostGate | None = None
        self._warc: WarcWriter | None = None
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}

    async def __aenter__(self) -> Fetcher:
        s = self.options
        self._transport = ShardedTransport(s.concurrency)
        self._gate = HostGate(s.concurrency, s.per_host, s.delay)
        if s.warc_dir is not None:
            self._warc = WarcWriter(s.warc_dir, s.warc_max_bytes)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._transport is not None:
            await self._transport.aclose()
        if self._warc is not None:
            self._warc.close()
        self._transport = self._gate = self._warc = None

    @property
    def warc_paths(self) -> list[str]:
        """The WARC files written so far."""
        return [str(p) for p in self._warc.paths] if self._warc is not None else []

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """GET ``url`` (conditionally when validators are given); raise FetchError on failure."""
        started = time.monotonic()
        fetched_at = datetime.now(UTC)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        exchange, redirects = await self._follow(
            url, headers, self.options.max_redirects, robots=True, limit=self.options.max_bytes
        )
        if exchange.status >= 400:
            raise FetchError(f"HTTP {exchange.status} for {exchange.url}", stage="http", url=url)
        return Fetched(
            url=url,
            final_url=exchange.url,
            status=exchange.status,
            headers=_header_dict(exchange.headers),
            body=exchange.body if exchange.status != 304 else b"",
            encoding=charset_of(exchange.headers.get("content-type", "")),
            fetched_at=fetched_at,
            elapsed_ms=round((time.monotonic() - started) * 1000, 1),
            redirects=tuple(redirects),
        )

    async def sitemaps_for(self, url: str) -> list[str]:
        """The sitemap URLs listed in the robots.txt of ``url``'s origin."""
        return (await self.robots_for(url)).sitemaps()

    async def robots_for(self, url: str) -> RobotsRules:
        """The robots.txt rules of ``url``'s origin, fetched on first use and then cached."""
        origin = origin_of(url)
        cached = self._robots.get(origin)
        if cached is not None and not cached.stale():
            return cached
        async with self._robots_locks.setdefault(origin, asyncio.Lock()):
            if origin not in self._robots or self._robots[origin].stale():
                self._robots[origin] = rules = await self._fetch_robots(origin)
                delay = rules.crawl_delay(self.agent)
                if delay:
                    capped = min(delay, self.options.max_backoff)
                    log.info("%s: Crawl-delay %.2fs (using %.2fs)", origin, delay, capped)
                    self._require_gate().set_delay(host_key(url), capped)
        return self._robots[origin]

    async def _fetch_robots(self, origin: str) -> RobotsRules:
        try:
            exchange, _ = await self._follow(
                robots_url(origin), {}, ROBOTS_MAX_REDIRECTS, robots=False, limit=ROBOTS_MAX_BYTES
            )
        except FetchError as exc:
            stage = exc.stage if exc.stage in ("dns", "connect", "timeout") else "robots"
            return rules_unreachable(origin, f"robots.txt failed at {exc.stage}: {exc}", stage)
        return rules_from_response(origin, exchange.status, exchange.body)

    async def _follow(
        self, url: str, headers: dict[str, str], max_hops: int, *, robots: bool, limit: int
    ) -> tuple[_Exchange, list[str]]:
        """Request ``url`` and follow redirects by hand; returns the last exchange and the hops."""
        redirects: list[str] = []
        seen = {url}
        current = url
        while True:
            if urlsplit(current).scheme.lower() not in ("http", "https"):
                stage = "redirect" if redirects else "http"
                raise FetchError(f"not an http(s) URL: {current!r}", stage=stage, url=url)
            if robots:
                await self._check_robots(current, url)
            exchange = await self._with_retries(
                current, headers if not redirects else {}, page=robots, limit=limit
            )
            if exchange.status not in REDIRECT_STATUSES:
                return exchange, redirects
            location = exchange.headers.get("location")
            if not location:
                raise FetchError(
                    f"{exchange.status} without Location at {current}", stage="redirect", url=url
                )
            current = urljoin(current, location.strip())
            if current in seen:
                raise FetchError(f"redirect loop at {current}", stage="redirect", url=url)
            if len(redirects) >= max_hops:
                raise FetchError(
                    f"more than {max_hops} redirects from {url}", stage="redirect", url=url
                )
            seen.add(current)
            redirects.append(current)

    async def _check_robots(self, url: str, requested: str) -> None:
        if not self.options.obey_robots:
            return
        rules = await self.robots_for(url)
        if not rules.allows(url, self.agent):
            raise FetchError(
                f"robots.txt disallows {url} ({rules.reason})", stage=rules.stage, url=requested
            )

    async def _with_retries(
        self, url: str, headers: dict[str, str], *, page: bool, limit: int
    ) -> _Exchange:
        """One exchange, retried on transient failures and retryable statuses."""
        s, gate, key = self.options, self._require_gate(), host_key(url)
        for attempt in range(s.retries + 1):
            last = attempt == s.retries
            try:
                async with gate.slot(key):
                    exchange = await self._exchange(url, headers, page=page, limit=limit)
            except FetchError as exc:
                if last or exc.stage not in TRANSIENT_STAGES:
                    raise
                await self._back_off(url, attempt, exc)
                continue
            if exchange.status not in RETRY_STATUSES:
                return exchange
            wait = None
            if exchange.status in RETRY_AFTER_STATUSES:
                wait = parse_retry_after(exchange.headers.get("retry-after"))
            if wait is not None:
                gate.defer(key, min(wait, s.max_backoff))
                if wait > s.max_backoff:
                    log.warning("%s: Retry-After %.0fs exceeds max_backoff; giving up", url, wait)
                    return exchange
            if last:
                return exchange
            if wait is None:
                await self._back_off(url, attempt, f"HTTP {exchange.status}")
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _back_off(self, url: str, attempt: int, reason: object) -> None:
        delay = backoff_delay(attempt, self.options.backoff, self.options.max_backoff, self._rng)
        log.info("%s: %s; retry %d in %.2fs", url, reason, attempt + 1, delay)
        await asyncio.sleep(delay)

    async def _exchange(
        self, url: str, headers: dict[str, str], *, page: bool, limit: int
    ) -> _Exchange:
        """One GET within ``total_timeout``, with foreign errors mapped to FetchError stages."""
        transport = self._require_transport()
        try:
            async with asyncio.timeout(self.options.total_timeout):
                request = httpx.Request(
                    "GET",
                    url,
                    headers={**self._headers, **headers},
                    extensions={"timeout": self._timeouts},
                )
                response = await transport.handle_async_request(request)
                response.request = request
                try:
                    return await self._read(response, url, page=page, limit=limit)
                finally:
                    await response.aclose()
        except TimeoutError as exc:
            message = f"no complete answer from {url} within {self.options.total_timeout}s"
            raise FetchError(message, stage="timeout", url=url) from exc
        except httpx.TimeoutException as exc:
            raise FetchError(f"{type(exc).__name__} for {url}", stage="timeout", url=url) from exc
        except httpx.ConnectError as exc:
            stage = "dns" if _is_dns_failure(exc) else "connect"
            raise FetchError(f"cannot connect to {url}: {exc}", stage=stage, url=url) from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(f"cannot request {url!r}: {exc}", stage="http", url=url) from exc
        except httpx.HTTPError as exc:
            message = f"connection to {url} broke: {type(exc).__name__}: {exc or 'closed'}"
            raise FetchError(message, stage="connect", url=url) from exc

    async def _read(
        self, response: httpx.Response, url: str, *, page: bool, limit: int
    ) -> _Exchange:
        """Check the headers, then stream the body within the caps."""
        status = response.status_code
        ok = 200 <= status < 300
        if status in REDIRECT_STATUSES or status == 304:
            raw, body, truncated = b"", b"", False
        elif ok:
            if page:
                check_content_type(response, url)
                check_length(response, url, limit)
            raw, body, truncated = await read_body(
                response, url, limit, truncate=not page, keep_raw=self._warc is not None
            )
            if page:
                check_not_binary(response, body, url)
        else:
            raw, body, truncated = await read_body(
                response, url, ERROR_BODY_BYTES, truncate=True, keep_raw=self._warc is not None
            )
        if self._warc is not None:
            self._archive(response, url, raw, truncated)
        return _Exchange(url, status, response.headers, body)

    def _archive(self, response: httpx.Response, url: str, raw: bytes, truncated: bool) -> None:
        assert self._warc is not None
        self._warc.write_exchange(
            url,
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.request.headers.raw],
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw],
            status=response.status_code,
            reason=response.reason_phrase,
            http_version=response.http_version,
            payload=raw,
            truncated=truncated,
        )

    def _require_transport(self) -> ShardedTransport:
        if self._transport is None:
            raise RuntimeError("Fetcher is not open; use `async with Fetcher(options) as f`")
        return self._transport

    def _require_gate(self) -> HostGate:
        if self._gate is None:
            raise RuntimeError("Fetcher is not open; use `async with Fetcher(options) as f`")
        return self._gate


def _header_dict(headers: httpx.Headers) -> dict[str, str]:
    """Lower-case name → value, repeated headers joined with ", " as ``headers[name]`` joins them
    (in one pass: each ``headers[name]`` scans and re-decodes every header)."""
    joined: dict[str, str] = {}
    for name, value in headers.multi_items():
        joined[name] = f"{joined[name]}, {value}" if name in joined else value
    return joined


def _is_dns_failure(exc: BaseException) -> bool:
    """True when a connect error was caused by name resolution (socket.gaierror in the chain)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, socket.gaierror):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
