"""Politeness: global and per-host limits, the per-host delay, Retry-After and backoff.

A request to a host passes three gates, in this order: the host's semaphore (``per_host``), the
host's clock (its next allowed start, kept ``delay`` seconds after the previous start and pushed
later by Retry-After), then the global semaphore (``concurrency``). The host clock is read and
moved under the host's lock while the global slot is taken, so the spacing holds between the
moments requests really start, and a host that must wait never holds a global slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

# Statuses worth another try: the server says "later" or failed on its side.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Statuses whose Retry-After header pushes the host's clock.
RETRY_AFTER_STATUSES = frozenset({429, 503})


@dataclass(slots=True)
class HostState:
    """What the gate knows about one host: its limits, clock and extra delay from robots.txt."""

    semaphore: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0
    delay: float = 0.0
    starts: int = 0


class HostGate:
    """Global and per-host concurrency plus per-host spacing of request starts.

    Built inside a running event loop (the Fetcher makes it in ``__aenter__``).
    """

    def __init__(self, concurrency: int, per_host: int, delay: float) -> None:
        self._global = asyncio.Semaphore(concurrency)
        self._per_host = per_host
        self._delay = delay
        self._hosts: dict[str, HostState] = {}

    def host(self, key: str) -> HostState:
        """The state of host ``key`` (created on first use)."""
        state = self._hosts.get(key)
        if state is None:
            state = HostState(asyncio.Semaphore(self._per_host), delay=self._delay)
            self._hosts[key] = state
        return state

    def set_delay(self, key: str, delay: float) -> None:
        """Space this host's request starts by at least ``delay`` seconds (e.g. Crawl-delay)."""
        state = self.host(key)
        state.delay = max(self._delay, delay)

    def defer(self, key: str, seconds: float) -> None:
        """No request to this host starts before ``seconds`` from now (Retry-After)."""
        state = self.host(key)
        state.next_start = max(state.next_start, time.monotonic() + seconds)

    @contextlib.asynccontextmanager
    async def slot(self, key: str) -> AsyncIterator[None]:
        """Hold a per-host and a global slot for one request, started when the host clock allows."""
        state = self.host(key)
        async with state.semaphore:
            async with state.lock:
                while (wait := state.next_start - time.monotonic()) > 0:
                    await asyncio.sleep(wait)
                await self._global.acquire()
                state.next_start = time.monotonic() + state.delay
                state.starts += 1
            try:
                yield
            finally:
                self._global.release()


def host_key(url: str) -> str:
    """The politeness unit of ``url``: its host, plus the port when not the scheme's default."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait before retry ``attempt`` (0-based): exponential, capped, half jittered."""
    ceiling = min(cap, base * (2**attempt))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date), else None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        log.debug("ignoring unparseable Retry-After %r", value)
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
