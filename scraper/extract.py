"""Extract the main story of a news page, and keep its clutter apart as typed link blocks.

``extract(html, url=None, *, encoding=None) -> Article`` is pure: no network, no database, no
per-site code. The cascade:

1. decode (``scraper.decode``): BOM, strict UTF-8, declared charsets, GB18030, detection;
2. parse once with selectolax/lexbor; read ``<head>`` and JSON-LD (``_extract_meta``);
3. drop code, styling, embeds, form controls and hidden elements (in C); flatten ``<body>``
   into lines of text with their link share and the line range of every block element
   (``_extract_walk``), and name each element by its tag and class/id (``_extract_names``);
4. take the link lists apart as typed blocks, 相关推荐 / 热点推荐 / Most read / nav ...
   (``_blocks``), so their headlines never reach the story;
5. choose the story container by the best sum of line scores and render its lines
   (``_extract_body``);
6. read the headline, date, source, authors, breadcrumb, images and next page around it
   (``_extract_meta``, ``_extract_byline``).

All keyword and selector lists are named data in ``_extract_data`` and ``_extract_words``.

Anything unparseable raises :class:`~newsdesk.errors.ExtractError`; input without text gives an
empty :class:`Article`.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from newsdesk.errors import ExtractError
from scraper._blocks import link_blocks
from scraper._extract_body import caption_lines, story_lines
from scraper._extract_byline import (
    byline_window,
    find_authors,
    find_images,
    find_next_page,
    find_published,
    find_source,
)
from scraper._extract_data import DROP_TAGS, HIDDEN_SELECTOR, KEPT_META_NAMES
from scraper._extract_meta import choose_title, detect_lang, find_section, read_head
from scraper._extract_names import name_spans
from scraper._extract_walk import flatten
from scraper._records import Article
from scraper.decode import decode_html

__all__ = ["ExtractError", "decode_html", "extract"]

log = logging.getLogger(__name__)

#: Everything that is never read: code, styling, embeds, form controls, hidden elements.
UNREAD_SELECTOR = ", ".join((*DROP_TAGS, HIDDEN_SELECTOR))
#: Longest page (in characters) taken apart; news pages are far below, and past this size the
#: walk would cost seconds. Larger input raises ExtractError instead.
MAX_PAGE_CHARS = 8_000_000


def _decode(html: bytes | str, encoding: str | None) -> tuple[str, str | None]:
    if isinstance(html, str):
        return html, None
    if isinstance(html, bytearray | memoryview):
        html = bytes(html)
    if not isinstance(html, bytes):
        raise ExtractError(f"extract() takes bytes or str, not {type(html).__name__}")
    if len(html) > 4 * MAX_PAGE_CHARS:
        raise ExtractError(f"page of {len(html):,} bytes is too large to be a news article")
    return decode_html(html, encoding)


def extract(html: bytes | str, url: str | None = None, *, encoding: str | None = None) -> Article:
    """The article of one page: story text, metadata and link blocks (see the module doc).

    ``html`` is the raw body (bytes, decoded here; ``encoding`` is the HTTP charset hint) or
    already decoded text; ``url`` is the page's final URL, used to make links absolute.
    """
    text, used = _decode(html, encoding)
    page_url = url or ""
    if len(text) > MAX_PAGE_CHARS:
        raise ExtractError(
            f"page {page_url or '(no url)'} has {len(text):,} characters, over the "
            f"{MAX_PAGE_CHARS:,} taken apart; it is not a news article"
        )
    if not text.strip():
        return Article(url=page_url, title="", text="", encoding=used)
    try:
        tree = LexborHTMLParser(text)
    except (ValueError, RuntimeError) as exc:
        raise ExtractError(f"cannot parse the page {page_url or '(no url)'}: {exc}") from exc
    head = read_head(tree)
    canonical = urljoin(page_url, head.canonical) if head.canonical else None
    base = urljoin(page_url or canonical or "", head.base or "")
    for unread in tree.css(UNREAD_SELECTOR):
        unread.decompose()
    body = tree.body or tree.root
    if body is None:
        return Article(url=page_url, title=head.title, text="", encoding=used)
    flat = flatten(body)
    name_spans(flat)
    blocks, ranges = link_blocks(flat, base or None)
    title, title_line = choose_title(head, flat)
    captions = caption_lines(flat)
    start, end, kept = story_lines(flat, ranges, title, title_line, captions)
    paragraphs = tuple(flat.texts[i] for i in kept)
    story = "\n".join(paragraphs)
    log.debug(
        "%s: %d lines, %d kept, %d link blocks", page_url, len(flat.texts), len(kept), len(blocks)
    )
    window = byline_window(title_line, kept[0] if kept else start)
    return Article(
        url=page_url,
        title=title,
        text=story,
        canonical_url=canonical,
        site=urlsplit(page_url or canonical or "").hostname or None,
        lang=detect_lang(head, story or title),
        paragraphs=paragraphs,
        published=find_published(head, flat, window),
        authors=find_authors(head, flat, window),
        source=find_source(head, flat, window),
        section=find_section(flat, head, title_line),
        description=head.meta.get("description") or head.meta.get("og:description"),
        images=find_images(flat, start, end, captions, base),
        link_blocks=blocks,
        encoding=used,
        next_page=find_next_page(head, flat, start, end, base),
        meta={k: head.meta[k] for k in KEPT_META_NAMES if k in head.meta},
    )
