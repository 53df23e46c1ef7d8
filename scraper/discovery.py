"""Discovery: the URLs a fetched page leads to, as frontier entries.

An HTML page gives its ``<a href>`` links (kind by :func:`scraper.urls.looks_like_article`),
its pagination (``rel=next``, 下一页 …) as listings and its ``<link rel=alternate>`` feeds. An
XML body gives the URLs of a sitemap (articles), a sitemap index (sitemaps), or an RSS/Atom
feed (articles); gzip bodies are decompressed with a size cap. Every URL is canonicalized and
deduplicated; filtering by scope and depth is the pipeline's business. :func:`discover_page`
also returns the texts of the page's longer links (its headlines), with which the crawl tells a
list of headlines from a story (:func:`scraper.extract.listing.is_headline_list`).

Malformed or hostile XML (a DOCTYPE, a gzip bomb) raises :class:`ExtractError` so the page is
recorded as failed rather than silently giving no links.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from selectolax.lexbor import LexborHTMLParser

from scraper._feeds import GZIP_MAGIC, document_kind, feed_links, gunzip, parse_xml
from scraper._records import Fetched, FrontierEntry, UrlKind
from scraper.urls import ARTICLE_THRESHOLD, canonicalize, looks_like_article

log = logging.getLogger(__name__)

XML_TYPES = frozenset(
    {
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
    }
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_LINK_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
# Link texts that mean "the next page of this list".
NEXT_PAGE_TEXTS = frozenset(
    {"下一页", "下页", "下一頁", "next", "next page", "next »", "older posts", "›", "»"}
)
# Longest link text (stripped) checked against NEXT_PAGE_TEXTS: longer ones never match.
NEXT_LABEL_MAX_CHARS = 40
# Leaves that are never pages: not worth a request.
SKIPPED_EXTENSIONS = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp", ".pdf", ".zip", ".rar",
    ".7z", ".tgz", ".tar", ".exe", ".apk", ".dmg", ".mp3", ".mp4", ".avi", ".mov", ".flv",
    ".wmv", ".css", ".js", ".json", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx",
)  # fmt: skip
SITEMAP_EXTENSIONS = (".xml", ".xml.gz")
XML_OPENINGS = (b"<?xml", b"<urlset", b"<sitemapindex", b"<rss", b"<feed", b"<rdf:rdf")

# Priorities: higher is fetched sooner (the store claims articles before listings anyway).
PRIORITY_SITEMAP = 70.0
PRIORITY_FEED = 60.0
PRIORITY_ARTICLE_BASE = 50.0
PRIORITY_ARTICLE_SPAN = 40.0
PRIORITY_PAGINATION = 40.0
PRIORITY_LISTING_BASE = 10.0
PRIORITY_LISTING_SPAN = 20.0
# Shortest link text (characters) kept as a headline of the page.
ANCHOR_MIN_CHARS = 8


@dataclass(frozen=True, slots=True)
class Discovered:
    """What a page leads to: its frontier entries, and the texts of its longer links."""

    entries: list[FrontierEntry]
    anchors: frozenset[str] = field(default_factory=frozenset)


def discover(fetched: Fetched, text: str | None, depth: int) -> list[FrontierEntry]:
    """Frontier entries (depth + 1) for the links, sitemaps and feeds of a fetched page."""
    return discover_page(fetched, text, depth).entries


def discover_page(fetched: Fetched, text: str | None, depth: int) -> Discovered:
    """:func:`discover`, plus the whitespace-normalized texts of links of at least
    :data:`ANCHOR_MIN_CHARS` characters (none for sitemaps and feeds)."""
    body = fetched.body
    if body.startswith(GZIP_MAGIC):
        body = gunzip(body)
    if _is_xml(fetched.content_type, body):
        root = parse_xml(body)
        if document_kind(root) is not None:
            return Discovered(_feed_entries(fetched, root, depth))
        if root.tag.lower() != "html":
            log.info(
                "%s: XML root <%s> is no sitemap or feed; no links", fetched.final_url, root.tag
            )
            return Discovered([])
    if text is None:
        text = body.decode(_codec(fetched.encoding), errors="replace")
    return _html_entries(fetched, text, depth)


def kind_of_seed(url: str) -> UrlKind:
    """Guess what a seed URL is: a sitemap, a feed, an article or a listing page."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "unknown"
    path = parts.path.lower()
    leaf = path.rsplit("/", 1)[-1]
    if "sitemap" in leaf and (path.endswith(SITEMAP_EXTENSIONS) or path.endswith(".txt")):
        return "sitemap"
    if path.endswith(".xml.gz"):
        return "sitemap"
    segments = {s for s in path.split("/") if s}
    feed_words = {"rss", "atom", "feed", "feeds", "rss.xml", "atom.xml", "feed.xml"}
    if path.endswith((".rss", ".atom", ".xml")) or segments & feed_words or "feed=" in parts.query:
        return "feed"
    return "article" if looks_like_article(url) >= ARTICLE_THRESHOLD else "listing"


def _is_xml(content_type: str, body: bytes) -> bool:
    """True for sitemap/feed candidates: XML types, or other non-HTML bodies that open like XML.

    A body that opens like an HTML document is HTML whatever its type says (XHTML served as
    XML often carries a DOCTYPE, which the XML reader refuses).
    """
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<!doctype html" in head or b"<html" in head:
        return False
    if content_type in XML_TYPES:
        return True
    return content_type not in HTML_TYPES and head.startswith(XML_OPENINGS)


def _codec(encoding: str | None) -> str:
    """A Python codec for the declared charset (GB2312/GBK read as their superset GB18030)."""
    if not encoding:
        return "utf-8"
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        log.debug("unknown charset %r; decoding as UTF-8", encoding)
        return "utf-8"
    return "gb18030" if name in ("gb2312", "gbk") else name


def _feed_entries(fetched: Fetched, root: ET.Element, depth: int) -> list[FrontierEntry]:
    entries: dict[str, FrontierEntry] = {}
    for link in feed_links(root):
        url = canonicalize(link.url, fetched.final_url)
        if url is None or url in entries:
            continue
        if link.is_sitemap:
            entries[url] = FrontierEntry(
                url, depth + 1, PRIORITY_SITEMAP, "sitemap", fetched.final_url
            )
        else:
            entries[url] = _entry(url, depth, fetched.final_url, "article")
    return list(entries.values())


def _entry(url: str, depth: int, referrer: str, kind: UrlKind | None = None) -> FrontierEntry:
    """An article or listing entry (by URL shape unless ``kind`` says), priced by that shape."""
    score = looks_like_article(url)
    kind = kind or ("article" if score >= ARTICLE_THRESHOLD else "listing")
    if kind == "article":
        priority = PRIORITY_ARTICLE_BASE + PRIORITY_ARTICLE_SPAN * score
    else:
        priority = PRIORITY_LISTING_BASE + PRIORITY_LISTING_SPAN * score
    return FrontierEntry(url, depth + 1, round(priority, 3), kind, referrer)


def _html_entries(fetched: Fetched, text: str, depth: int) -> Discovered:
    tree = LexborHTMLParser(text)
    base = fetched.final_url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = canonicalize(base_node.attributes.get("href") or "", base) or base
    referrer = canonicalize(fetched.final_url) or fetched.final_url
    entries: dict[str, FrontierEntry] = {}
    anchors: set[str] = set()
    for url, role, label in _html_links(tree, base):
        if len(label) >= ANCHOR_MIN_CHARS:
            anchors.add(label)
        if url == referrer or _path_of(url).lower().endswith(SKIPPED_EXTENSIONS):
            continue
        known = entries.get(url)
        if role == "pagination":
            entry = FrontierEntry(url, depth + 1, PRIORITY_PAGINATION, "listing", referrer)
        elif role == "feed":
            entry = FrontierEntry(url, depth + 1, PRIORITY_FEED, "feed", referrer)
        elif known is None:
            entry = _entry(url, depth, referrer)
        else:
            continue
        if known is None or entry.priority > known.priority:
            entries[url] = entry
    return Discovered(list(entries.values()), frozenset(anchors))


def _path_of(canonical: str) -> str:
    """Scheme, host and path of a canonical URL (it has no fragment): all but the query."""
    return canonical.partition("?")[0]


def _is_next_label(text: str) -> bool:
    """Whether a (normalized) link text says "next page"."""
    return len(text) <= NEXT_LABEL_MAX_CHARS and text.lower() in NEXT_PAGE_TEXTS


def _html_links(tree: LexborHTMLParser, base: str) -> Iterable[tuple[str, str, str]]:
    """(canonical URL, role, normalized text) for each link: role is ``link``, ``pagination``
    or ``feed``."""
    for node in tree.css("a[href], area[href], link[href]"):
        attrs = node.attributes
        url = canonicalize(attrs.get("href") or "", base)
        if url is None:
            continue
        rel_text = attrs.get("rel")
        rel = set(rel_text.lower().split()) if rel_text else set()
        if node.tag == "link":
            media = (attrs.get("type") or "").split(";")[0].strip().lower()
            if "alternate" in rel and media in FEED_LINK_TYPES:
                yield url, "feed", ""
            elif "next" in rel:
                yield url, "pagination", ""
            continue
        label = " ".join(node.text(deep=True).split())
        if "next" in rel or _is_next_label(label):
            yield url, "pagination", label
        else:
            yield url, "link", label
