"""A connection pool split into small shards, to keep httpcore's bookkeeping cheap.

httpcore's pool re-examines every connection it holds on each request (an expiry check that
polls the socket, and a count of all connections per idle one), so its cost per request grows
with the square of the pool size: at 32 keep-alive connections to one host it was a fifth of
the crawl process's CPU. :class:`ShardedTransport` spreads the same connection budget over
shards of at most :data:`SHARD_CONNECTIONS` and sends each request to the shard with the fewest
requests in flight, so no shard is full while another has room and keep-alive still reuses
connections within each shard.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable

import httpx

# Connections per shard: small enough for cheap bookkeeping, large enough to keep few shards.
SHARD_CONNECTIONS = 4


class ShardedTransport(httpx.AsyncBaseTransport):
    """``max_connections`` keep-alive connections over shards of ``SHARD_CONNECTIONS`` each."""

    def __init__(self, max_connections: int) -> None:
        count = max(1, math.ceil(max_connections / SHARD_CONNECTIONS))
        size = math.ceil(max_connections / count)
        limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        self._shards = [httpx.AsyncHTTPTransport(limits=limits) for _ in range(count)]
        self._busy = [0] * count

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` through the least busy shard; it counts until the body is closed."""
        index = min(range(len(self._shards)), key=self._busy.__getitem__)
        self._busy[index] += 1
        try:
            response = await self._shards[index].handle_async_request(request)
        except BaseException:
            self._busy[index] -= 1
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        stream = _ReleasingStream(response.stream, lambda: self._release(index))
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=stream,
            extensions=response.extensions,
        )

    def _release(self, index: int) -> None:
        self._busy[index] -= 1

    async def aclose(self) -> None:
        """Close every shard's connections."""
        for shard in self._shards:
            await shard.aclose()


class _ReleasingStream(httpx.AsyncByteStream):
    """A response body that tells its shard once it is closed (read to the end or not)."""

    def __init__(self, stream: httpx.AsyncByteStream, release: Callable[[], None]) -> None:
        self._stream = stream
        self._release: Callable[[], None] | None = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if self._release is not None:
                self._release()
                self._release = None
