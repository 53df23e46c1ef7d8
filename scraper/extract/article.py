"""The extraction cascade: a page's main story, its clutter kept apart as typed link blocks.

``extract(html, url=None, *, encoding=None) -> Article`` is pure: no network, no database, no
per-site code. The cascade:

1. decode (``scraper.decode``): BOM, strict UTF-8, declared charsets, GB18030, detection;
2. parse once with selectolax/lexbor (UTF-8 bytes as they are); read ``<head>`` and JSON-LD
   (``meta``);
3. drop hidden elements; flatten ``<body>`` into lines of text with their link share and the
   line range of every block element, skipping code, styling, embeds and form controls
   (``walk``; compiled by Cython when built, ``compiled``), and name each element by its tag
   and class/id (``names``);
4. take the link lists apart as typed blocks, 相关推荐 / 热点推荐 / Most read / nav ...
   (``blocks``), so their headlines never reach the story;
5. choose the story container by the best sum of line scores and render its lines
   (``body``, ``cards``), or, on a page that is a list of headlines rather
   than a story, render that list (``listing``);
6. read the headline, date, source, authors, editors, breadcrumb, images and next page around
   it (``meta``, ``byline``, ``dates``, ``people``, ``pagination``).

All keyword and selector lists are named data in ``data`` and ``words``.

Anything unparseable raises :class:`~newsdesk.errors.ExtractError`; input without text gives an
empty :class:`Article`.
"""

from __future__ import annotations

import logging
from codecs import BOM_UTF8
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsdesk.errors import ExtractError
from scraper._records import Article
from scraper.decode import decode_html
from scraper.extract.blocks import link_blocks
from scraper.extract.body import caption_lines, story_lines
from scraper.extract.byline import (
    TAIL_LINES,
    byline_window,
    find_authors,
    find_editors,
    find_images,
    find_published,
    find_source,
)
from scraper.extract.compiled import load_flatten
from scraper.extract.data import (
    HIDDEN_SELECTOR,
    HIDDEN_STYLES,
    KEPT_META_NAMES,
    SOURCE_ELEMENT_LANGS,
)
from scraper.extract.listing import declares_article
from scraper.extract.meta import (
    choose_title,
    detect_lang,
    find_section,
    ld_types,
    read_elements,
    read_head,
)
from scraper.extract.names import name_spans, overlay_ranges
from scraper.extract.pagination import find_next_page

__all__ = ["ExtractError", "decode_html", "extract"]

log = logging.getLogger(__name__)

#: The walk (``walk.flatten``), compiled when its extension is built and up to date
#: (``compiled``); the output is the same either way.
flatten = load_flatten()
#: Longest page (in characters) taken apart; news pages are far below, and past this size the
#: walk would cost seconds. Larger input raises ExtractError instead.
MAX_PAGE_CHARS = 8_000_000


def _decode(html: bytes | str, encoding: str | None) -> tuple[str, str | None, bytes | str]:
    """``(text, encoding used, parser input)``: UTF-8 bytes go to lexbor as they are, which
    spares it re-encoding the text."""
    if isinstance(html, str):
        return html, None, html
    if isinstance(html, bytearray | memoryview):
        html = bytes(html)
    if not isinstance(html, bytes):
        raise ExtractError(f"extract() takes bytes or str, not {type(html).__name__}")
    if len(html) > 4 * MAX_PAGE_CHARS:
        raise ExtractError(f"page of {len(html):,} bytes is too large to be a news article")
    text, used = decode_html(html, encoding)
    plain_utf8 = used == "utf-8" and not html.startswith(BOM_UTF8)
    return text, used, html if plain_utf8 else text


def _drop_hidden(body: LexborNode) -> None:
    """Remove the elements a reader never sees (``hidden``, or an inline style hiding them)."""
    for node in body.css(HIDDEN_SELECTOR):
        attrs = node.attributes
        style = attrs.get("style") or ""
        if "hidden" in attrs or any(hidden in style for hidden in HIDDEN_STYLES):
            node.decompose()


def _once(read: Callable[[], None]) -> Callable[[], None]:
    """``read``, run on the first call only (a lookup that costs a pass over the tree)."""
    done = False

    def run() -> None:
        nonlocal done
        if not done:
            done = True
            read()

    return run


def _scripts(tree: LexborHTMLParser) -> list[str]:
    """Texts of the page's inline scripts (read only when no other date was found)."""
    return [node.text() for node in tree.css("script") if "src" not in node.attributes]


def extract(html: bytes | str, url: str | None = None, *, encoding: str | None = None) -> Article:
    """The article of one page: story text, metadata and link blocks (see the module doc).

    ``html`` is the raw body (bytes, decoded here; ``encoding`` is the HTTP charset hint) or
    already decoded text; ``url`` is the page's final URL, used to make links absolute.
    """
    text, used, source = _decode(html, encoding)
    page_url = url or ""
    if len(text) > MAX_PAGE_CHARS:
        raise ExtractError(
            f"page {page_url or '(no url)'} has {len(text):,} characters, over the "
            f"{MAX_PAGE_CHARS:,} taken apart; it is not a news article"
        )
    if not text or text.isspace():
        return Article(url=page_url, title="", text="", encoding=used)
    try:
        tree = LexborHTMLParser(source)
    except (ValueError, RuntimeError) as exc:
        raise ExtractError(f"cannot parse the page {page_url or '(no url)'}: {exc}") from exc
    head = read_head(tree)
    canonical = urljoin(page_url, head.canonical) if head.canonical else None
    base = urljoin(page_url or canonical or "", head.base or "")
    body = tree.body or tree.root
    if body is None:
        return Article(url=page_url, title=head.title, text="", encoding=used)
    _drop_hidden(body)
    flat = flatten(body)
    name_spans(flat)
    blocks, ranges = link_blocks(flat, base or None)
    title, title_line = choose_title(head, flat)
    captions = caption_lines(flat)
    excluded = ranges + overlay_ranges(flat, title_line)
    article = declares_article([head.meta.get("og:type", ""), *ld_types(head.ld)])
    start, end, kept = story_lines(flat, excluded, title, title_line, captions, article)
    paragraphs = tuple(flat.texts[i] for i in kept)
    story = "\n".join(paragraphs)
    log.debug(
        "%s: %d lines, %d kept, %d link blocks", page_url, len(flat.texts), len(kept), len(blocks)
    )
    window = byline_window(title_line, kept[0] if kept else start)
    tail = kept[-TAIL_LINES:]
    lang = detect_lang(head, story or title)
    read_sources = lang in SOURCE_ELEMENT_LANGS
    elements = _once(lambda: read_elements(tree, head, read_sources))
    return Article(
        url=page_url,
        title=title,
        text=story,
        canonical_url=canonical,
        site=urlsplit(page_url or canonical or "").hostname or None,
        lang=lang,
        paragraphs=paragraphs,
        published=find_published(
            head, flat, window, page_url, lang, lambda: _scripts(tree), elements
        ),
        authors=find_authors(head, flat, window, tail, elements),
        source=find_source(head, flat, window, tail, elements if read_sources else tuple),
        editors=find_editors(flat, window.start, end),
        section=find_section(flat, head, title_line),
        description=head.meta.get("description") or head.meta.get("og:description"),
        images=find_images(flat, start, end, captions, base),
        link_blocks=blocks,
        encoding=used,
        next_page=find_next_page(head, flat, start, end, base),
        meta={k: head.meta[k] for k in KEPT_META_NAMES if k in head.meta},
    )
