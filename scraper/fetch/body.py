"""Response bodies under caps: type and size checks on headers, bounded streaming and decoding.

Headers are checked before any body byte is read (a type that is not HTML/XML, a declared
length over the cap); the body is then streamed raw and content-decoded (gzip, deflate) in
bounded steps, so neither a 50 MB body nor a gzip bomb lands in memory beyond the cap; last,
binaries served under an HTML type are refused by their leading bytes.
"""

from __future__ import annotations

import zlib
from urllib.parse import urlsplit

import httpx

from newsdesk.errors import FetchError

ACCEPTED_TYPES = frozenset(
    {"", "text/html", "application/xhtml+xml", "application/xml", "text/xml",
     "application/rss+xml", "application/atom+xml", "application/x-gzip", "application/gzip"}
)  # fmt: skip
GZIP_TYPES = frozenset({"application/x-gzip", "application/gzip"})
SNIFF_BYTES = 1024
ERROR_BODY_BYTES = 64 * 1024
# Leading bytes of formats that are never a page, whatever the Content-Type says.
BINARY_SIGNATURES = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x00\x00\x00", b"RIFF",
    b"\x7fELF", b"7z\xbc\xaf",
)  # fmt: skip
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
GZIP_MAGIC = b"\x1f\x8b"


def check_content_type(response: httpx.Response, url: str) -> None:
    """Only HTML and XML (and gzip sitemaps, often served as octet-stream) are read."""
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    gzip_file = media == "application/octet-stream" and urlsplit(url).path.endswith(".gz")
    if media not in ACCEPTED_TYPES and not gzip_file:
        raise FetchError(f"{url} is {media}, not HTML or XML", stage="content_type", url=url)


def check_length(response: httpx.Response, url: str, limit: int) -> None:
    """A declared Content-Length over ``limit`` fails before the body is read."""
    declared = response.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        message = f"{url} declares {int(declared)} bytes, over the {limit}-byte cap (max_bytes)"
        raise FetchError(message, stage="too_large", url=url)


def check_not_binary(response: httpx.Response, body: bytes, url: str) -> None:
    """Refuse images, archives and other binaries served under an HTML or XML type."""
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    head = body[:SNIFF_BYTES]
    gzip_file = media in GZIP_TYPES or urlsplit(url).path.endswith(".gz")
    if head.startswith(UTF16_BOMS) or (gzip_file and head.startswith(GZIP_MAGIC)):
        return
    if head.startswith(BINARY_SIGNATURES) or b"\x00" in head:
        message = f"{url} is served as {media or 'no type'} but its body is binary"
        raise FetchError(message, stage="content_type", url=url)


async def read_body(
    response: httpx.Response, url: str, limit: int, *, truncate: bool, keep_raw: bool
) -> tuple[bytes, bytes, bool]:
    """(raw bytes if kept, decoded body, truncated), read in bounded steps.

    Past ``limit`` (raw or decoded) the body is cut when ``truncate``, else FetchError too_large.
    """
    decoder = _Decoder(response.headers.get("content-encoding", ""), url)
    raw = bytearray()
    raw_size = 0
    body = bytearray()
    async for chunk in response.aiter_raw():
        raw_size += len(chunk)
        if keep_raw:
            raw += chunk
        decoded = decoder.decompress(chunk, limit - len(body) + 1)
        if raw_size > limit or len(body) + len(decoded) > limit:
            if truncate:
                body += decoded[: limit - len(body)]
                return bytes(raw[:limit]), bytes(body), True
            message = f"{url} is larger than the {limit}-byte cap (max_bytes)"
            raise FetchError(message, stage="too_large", url=url)
        body += decoded
    return bytes(raw), bytes(body), False


class _Decoder:
    """Content-Encoding decoding with a bound on each step's output (gzip, deflate, identity)."""

    def __init__(self, encoding: str, url: str) -> None:
        self.url = url
        self.encoding = encoding.strip().lower()
        self._zlib = None
        # "deflate" is zlib-wrapped by the RFC but raw in some servers: try the RFC first.
        self._may_be_raw = self.encoding == "deflate"
        if self.encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 32)
        elif self.encoding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        elif self.encoding not in ("", "identity"):
            message = f"{url} uses unsupported Content-Encoding {encoding!r}"
            raise FetchError(message, stage="http", url=url)

    def decompress(self, data: bytes, max_length: int) -> bytes:
        """Up to ``max_length`` decoded bytes of ``data`` (more means the cap is already passed)."""
        if self._zlib is None:
            return data
        try:
            out = self._zlib.decompress(data, max_length)
        except zlib.error as exc:
            if self._may_be_raw:
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                self._may_be_raw = False
                return self.decompress(data, max_length)
            message = f"corrupt {self.encoding} body from {self.url}: {exc}"
            raise FetchError(message, stage="http", url=self.url) from exc
        self._may_be_raw = False
        return out
