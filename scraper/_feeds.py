"""Sitemaps (urlset, index, news, gzip), RSS 0.9x/1.0/2.0 and Atom, parsed safely.

XML from the web is parsed with the standard library's expat driven by hand: a document with a
DOCTYPE (the door to entity expansion and external entities) is refused outright, which is what
``defusedxml`` would do, without the dependency. Element and attribute names lose their namespace
(``news:title`` → ``title``), which is enough to read these formats.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree as ET
from xml.parsers import expat

from newsdesk.errors import ExtractError

GZIP_MAGIC = b"\x1f\x8b"
# sitemaps.org: a sitemap holds at most 50,000 URLs and 50 MB uncompressed.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
MAX_LINKS = 50_000
EXPAT_ENCODINGS = frozenset(
    {"utf-8", "utf8", "utf-16", "utf16", "iso-8859-1", "latin-1", "us-ascii"}
)
# Only the XML declaration is matched here, never markup.
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
# Root element (local name) → what the document is.
DOCUMENT_KINDS = {
    "urlset": "sitemap",
    "sitemapindex": "sitemapindex",
    "rss": "rss",
    "RDF": "rss",
    "feed": "atom",
}


@dataclass(frozen=True, slots=True)
class FeedLink:
    """One URL listed by a sitemap or a feed; ``is_sitemap`` for the entries of a sitemap index."""

    url: str
    is_sitemap: bool = False
    lastmod: str | None = None


def gunzip(data: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Decompress a gzip body, refusing more than ``limit`` bytes of output (a gzip bomb)."""
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 32)
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as exc:
        raise ExtractError(f"corrupt gzip data: {exc}") from exc
    if len(out) > limit:
        raise ExtractError(f"gzip data expands beyond {limit} bytes; refused")
    return out


def parse_xml(data: bytes) -> ET.Element:
    """The root of an XML document with namespaces dropped; refuses DOCTYPE and entities."""
    declared = _XML_DECLARATION.match(data[:200])
    source: bytes | str = data
    if declared and declared.group(1).decode("ascii").lower() not in EXPAT_ENCODINGS:
        try:
            source = data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError as exc:
            raise ExtractError(f"XML declares unknown encoding {declared.group(1)!r}") from exc
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = lambda name, attrs: builder.start(
        _local(name), {_local(k): v for k, v in attrs.items()}
    )
    parser.EndElementHandler = lambda name: builder.end(_local(name))
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    try:
        parser.Parse(source, True)
        return builder.close()
    except (expat.ExpatError, AssertionError) as exc:
        raise ExtractError(f"not well-formed XML: {exc}") from exc


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def _refuse_doctype(*_: object) -> None:
    raise ExtractError("XML with a DOCTYPE is refused (entity expansion risk)")


def _refuse_entity(*_: object) -> None:
    raise ExtractError("XML with entity declarations is refused")


def document_kind(root: ET.Element) -> str | None:
    """``sitemap``, ``sitemapindex``, ``rss`` or ``atom`` for a parsed root; None otherwise."""
    return DOCUMENT_KINDS.get(root.tag)


def feed_links(root: ET.Element) -> list[FeedLink]:
    """The URLs a sitemap, sitemap index, RSS or Atom document lists, in document order."""
    readers = {
        "sitemap": _sitemap_links,
        "sitemapindex": _sitemap_links,
        "rss": _rss_links,
        "atom": _atom_links,
    }
    kind = document_kind(root)
    if kind is None:
        return []
    links: list[FeedLink] = []
    for link in readers[kind](root):
        links.append(link)
        if len(links) >= MAX_LINKS:
            break
    return links


def _text(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _sitemap_links(root: ET.Element) -> Iterator[FeedLink]:
    is_index = root.tag == "sitemapindex"
    for child in root:
        if child.tag in ("url", "sitemap"):
            loc = _text(child.find("loc"))
            if loc:
                yield FeedLink(
                    loc, is_sitemap=is_index, lastmod=_text(child.find("lastmod")) or None
                )


def _rss_links(root: ET.Element) -> Iterator[FeedLink]:
    for item in root.iter("item"):
        url = _text(item.find("link"))
        if not url:
            guid = item.find("guid")
            if guid is not None and guid.get("isPermaLink", "true").lower() != "false":
                url = _text(guid)
        url = url or item.get("about", "").strip()
        if url:
            yield FeedLink(url, lastmod=_text(item.find("pubDate")) or None)


def _atom_links(root: ET.Element) -> Iterator[FeedLink]:
    for entry in root.iter("entry"):
        candidates = [
            link.get("href", "").strip()
            for link in entry.findall("link")
            if link.get("rel", "alternate").strip().lower() == "alternate"
        ]
        url = next((c for c in candidates if c), "")
        if not url and _text(entry.find("id")).startswith(("http://", "https://")):
            url = _text(entry.find("id"))
        if url:
            updated = _text(entry.find("updated")) or _text(entry.find("published"))
            yield FeedLink(url, lastmod=updated or None)
