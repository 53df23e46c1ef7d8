"""Facts printed around the story: date line, source, authors, images, next-page link."""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import datetime
from urllib.parse import parse_qs, urljoin, urlsplit

from scraper._records import Image
from scraper._text import absolute, heading_key, squeeze
from scraper.extract.data import AUTHOR_SUBSTRINGS, PUBLISHED_META_NAMES
from scraper.extract.dates import find_date, parse_date
from scraper.extract.meta import Head, after_label, ld_names
from scraper.extract.walk import Flat
from scraper.extract.words import AUTHOR_LABELS, CAPTION_PREFIXES, NEXT_PAGE_TEXTS, SOURCE_LABELS

_BY_RE = re.compile(r"^(?:by|BY|By)(?:\s+|(?=[A-Z]))")
#: Lines after the story searched for its pagination.
PAGINATION_LINES = 15
#: Lines before the story searched for a date/source line.
LOOKBACK_LINES = 40


def byline_window(title_line: int | None, first: int) -> range:
    """Lines between the headline (or a bit above the story) and the story's third line."""
    start = title_line if title_line is not None and title_line <= first else first - 12
    return range(max(0, start, first - LOOKBACK_LINES), first + 3)


def find_published(head: Head, flat: Flat, window: range) -> datetime | None:
    """JSON-LD, then meta tags, then the first printed date near the headline."""
    value = head.ld.get("datePublished") or head.ld.get("dateCreated")
    found = parse_date(value) if isinstance(value, str) else None
    for name in PUBLISHED_META_NAMES:
        if found is None and name in head.meta:
            found = parse_date(head.meta[name])
    if found is None:
        for i in window:
            if i < len(flat.texts) and len(flat.texts[i]) < 200:
                found = find_date(flat.texts[i])
                if found is not None:
                    break
    return found


def find_source(head: Head, flat: Flat, window: range) -> str | None:
    """The 来源 (media) printed near the headline, else a ``source`` meta tag."""
    for i in window:
        if i < len(flat.texts) and len(flat.texts[i]) < 200:
            source = after_label(flat.texts[i], SOURCE_LABELS)
            if source:
                return source
    return head.meta.get("source") or None


def find_authors(head: Head, flat: Flat, window: range) -> tuple[str, ...]:
    """JSON-LD authors, meta author, a byline element, or an 作者：/By line."""
    names = ld_names(head.ld.get("author"))
    if not names:
        meta = head.meta.get("author") or head.meta.get("article:author") or ""
        if meta and not meta.startswith("http"):
            names = [meta]
    if not names:
        for span in flat.spans:
            if (
                span.key
                and span.end - span.start == 1
                and any(s in span.key for s in AUTHOR_SUBSTRINGS)
            ):
                text = flat.texts[span.start]
                if len(text) < 80:
                    names = [after_label(text, AUTHOR_LABELS) or text]
                    break
    if not names:
        for i in window:
            if i < len(flat.texts) and len(flat.texts[i]) < 120:
                name = after_label(flat.texts[i], AUTHOR_LABELS)
                if name:
                    names = [name]
                    break
    cleaned = [_BY_RE.sub("", squeeze(n)) for n in names]
    return tuple(dict.fromkeys(n for n in cleaned if n and len(n) < 80))


def find_images(
    flat: Flat, start: int, end: int, captions: set[int], base: str
) -> tuple[Image, ...]:
    """Images inside the story with their caption: a caption line just after, else the alt."""
    images: list[Image] = []
    seen: set[str] = set()
    for picture in flat.pictures:
        if not start <= picture.line < end or picture.src.startswith("data:"):
            continue
        src = absolute(base, picture.src)
        if src in seen:
            continue
        seen.add(src)
        caption = None
        for i in range(picture.line, min(picture.line + 2, len(flat.texts))):
            text = flat.texts[i]
            if i in captions or text.startswith(CAPTION_PREFIXES):
                caption = text
                break
        images.append(Image(src, caption, picture.alt or None))
    return tuple(images)


def find_next_page(head: Head, flat: Flat, start: int, end: int, url: str) -> str | None:
    """``<link rel=next>``, or a 下一页/Next/page=N+1 link in the story's pagination.

    A link only counts when it leads to a page of the same story (same path, or the path with
    a page suffix such as ``_2``): "Next" alone often means the next story.
    """
    if head.next_page:
        return urljoin(url, head.next_page)
    current = _page_number(url)
    lines = flat.anchor_lines
    first, last = bisect_left(lines, start), bisect_left(lines, end + PAGINATION_LINES)
    for anchor in flat.anchors[first:last]:
        text = anchor.text.strip()
        named = heading_key(text) in NEXT_PAGE_TEXTS or text in NEXT_PAGE_TEXTS
        if named or text == str(current + 1):
            target = urljoin(url, anchor.href)
            if target != url and _same_story(url, target):
                return target
    return None


def _same_story(url: str, target: str) -> bool:
    """Whether ``target`` is another page of the story at ``url`` (same host, path stem)."""
    here, there = urlsplit(url), urlsplit(target)
    if here.netloc != there.netloc:
        return False
    stem = (
        here.path.rsplit(".", 1)[0].rstrip("/")
        if "." in here.path.rsplit("/", 1)[-1]
        else here.path.rstrip("/")
    )
    return there.path.startswith(stem) and (there.path != here.path or there.query != here.query)


def _page_number(url: str) -> int:
    values = parse_qs(urlsplit(url).query).get("page")
    return int(values[0]) if values and values[0].isdigit() else 1
