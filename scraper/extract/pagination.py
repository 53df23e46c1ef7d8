"""The link to a story's next page: ``<link rel=next>``, or a 下一页/Next/page=N+1 link."""

from __future__ import annotations

from bisect import bisect_left
from urllib.parse import parse_qs, urljoin, urlsplit

from scraper._text import heading_key
from scraper.extract.meta import Head
from scraper.extract.walk import Flat
from scraper.extract.words import NEXT_PAGE_TEXTS

#: Lines after the story searched for its pagination.
PAGINATION_LINES = 15


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
