"""The fetcher's transport: httpcore connection pools split into small shards, on plain asyncio.

httpcore's pool re-examines every connection it holds on each request (an expiry check on each
idle one, and a count of all connections per idle one), so its cost per request grows with the
square of the pool size: at 32 keep-alive connections to one host it was a fifth of the crawl
process's CPU. :class:`ShardedTransport` spreads the same connection budget over shards of at
most :data:`SHARD_CONNECTIONS` and sends each request to the shard with the fewest requests in
flight, so no shard is full while another has room and keep-alive still reuses connections
within each shard. The shards share one TLS context and the asyncio network backend of
:mod:`scraper.fetch.aio`; httpcore's errors are mapped to httpx's, as ``httpx.AsyncHTTPTransport``
maps them, so the fetcher sees the usual httpx exceptions.
"""

from __future__ import annotations

import contextlib
import math
import ssl
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterator

import httpcore
import httpx

from scraper.fetch.aio import AsyncioBackend

# Connections per shard: small enough for cheap bookkeeping, large enough to keep few shards.
SHARD_CONNECTIONS = 4
# Seconds an idle keep-alive connection is kept (httpx's default).
KEEPALIVE_EXPIRY = 5.0
# httpcore error → httpx error, most specific first (the first match wins).
ERROR_MAP: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _httpx_errors() -> Iterator[None]:
    """Re-raise httpcore's errors as the matching httpx errors (the original as the cause)."""
    try:
        yield
    except Exception as exc:
        for core, mapped in ERROR_MAP:
            if isinstance(exc, core):
                raise mapped(str(exc) or type(exc).__name__) from exc
        raise


class ShardedTransport(httpx.AsyncBaseTransport):
    """``max_connections`` keep-alive connections over shards of ``SHARD_CONNECTIONS`` each."""

    def __init__(self, max_connections: int, ssl_context: ssl.SSLContext | None = None) -> None:
        count = max(1, math.ceil(max_connections / SHARD_CONNECTIONS))
        size = math.ceil(max_connections / count)
        # One TLS context for all shards: each costs ~30 ms to load the CA bundle and ~1 MB.
        context = ssl_context or httpx.create_ssl_context()
        backend = AsyncioBackend()
        self._shards = [
            httpcore.AsyncConnectionPool(
                ssl_context=context,
                max_connections=size,
                max_keepalive_connections=size,
                keepalive_expiry=KEEPALIVE_EXPIRY,
                network_backend=backend,
            )
            for _ in range(count)
        ]
        self._busy = [0] * count

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` through the least busy shard; it counts until the body is closed."""
        index = min(range(len(self._shards)), key=self._busy.__getitem__)
        assert isinstance(request.stream, httpx.AsyncByteStream)
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        self._busy[index] += 1
        try:
            with _httpx_errors():
                response = await self._shards[index].handle_async_request(core)
        except BaseException:
            self._busy[index] -= 1
            raise
        assert isinstance(response.stream, AsyncIterable)
        return httpx.Response(
            response.status,
            headers=response.headers,
            stream=_ReleasingStream(response.stream, lambda: self._release(index)),
            extensions=response.extensions,
        )

    def _release(self, index: int) -> None:
        self._busy[index] -= 1

    async def aclose(self) -> None:
        """Close every shard's connections."""
        for shard in self._shards:
            await shard.aclose()


class _ReleasingStream(httpx.AsyncByteStream):
    """A response body that maps httpcore's errors and tells its shard once it is closed."""

    def __init__(self, stream: AsyncIterable[bytes], release: Callable[[], None]) -> None:
        self._stream = stream
        self._release: Callable[[], None] | None = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_errors():
            async for chunk in self._stream:
                yield chunk

    async def aclose(self) -> None:
        """Close the body (the connection goes back to its shard's pool) and release the slot."""
        try:
            close = getattr(self._stream, "aclose", None)
            if close is not None:
                with _httpx_errors():
                    await close()
        finally:
            if self._release is not None:
                self._release()
                self._release = None
