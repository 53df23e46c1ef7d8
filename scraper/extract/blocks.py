"""Take the lists of links around a story apart as typed link blocks.

Cascade:

1. headings: short lines whose printed text is a known list heading (``BLOCK_HEADINGS``:
   相关推荐, 热点推荐, Most read, Related ...; or a ``BLOCK_HEADING_PREFIXES`` prefix when the
   line is an ``<h1>``-``<h6>``) give the block's kind;
2. section: the smallest element around a heading that holds at least two other links and is
   mostly links;
3. lists: inside a section, the outermost ``<ul>``/``<ol>``/``<dl>``/``<table>`` holding links;
   headings printed side by side (tabs) are paired with the lists in order, otherwise each list
   goes to the nearest heading above it;
4. items: one link per URL, with the source and timestamp printed beside it (the short lines up
   to the next link);
5. navigation: ``<nav>`` elements and elements whose class/id tokens say nav/menu become
   ``nav`` blocks.

The line ranges of every block are returned too, so the story never repeats their headlines.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from types import MappingProxyType

from scraper._records import Link, LinkBlock
from scraper._text import absolute, heading_key
from scraper.extract.data import HEADING_TAGS, LIST_TAGS
from scraper.extract.dates import is_timestamp, split_timestamp
from scraper.extract.walk import Anchor, Flat, Span
from scraper.extract.words import BLOCK_HEADING_PREFIXES, BLOCK_HEADINGS

_KIND_BY_HEADING = MappingProxyType(
    {word: kind for kind, words in BLOCK_HEADINGS.items() for word in words}
)
#: Links kept per block at most.
MAX_LINKS = 60
#: Share of a section's characters that must be link text.
MIN_LINK_SHARE = 0.3
#: A line this long with few links is prose: no link block contains one.
PROSE_CHARS = 150
#: Longest printed heading considered.
MAX_HEADING_CHARS = 40


#: The first two characters of every heading and heading prefix: a line that starts with two
#: letters or digits found in none of them announces no block, and its key is never computed.
_HEADING_STARTS = frozenset(
    word[:2]
    for words in (*BLOCK_HEADINGS.values(), *BLOCK_HEADING_PREFIXES.values())
    for word in words
)


def heading_kind(text: str, tag: str) -> str | None:
    """The block kind a printed heading announces, or None."""
    if len(text) > MAX_HEADING_CHARS:
        return None
    start = text[:2].lower()
    if start.isalnum() and start not in _HEADING_STARTS:
        return None
    key = heading_key(text)
    kind = _KIND_BY_HEADING.get(key)
    if kind or tag not in HEADING_TAGS or len(key) > 30:
        return kind
    for kind, prefixes in BLOCK_HEADING_PREFIXES.items():
        if key.startswith(prefixes):
            return kind
    return None


def _anchors_in(flat: Flat, start: int, end: int) -> list[Anchor]:
    lines = flat.anchor_lines
    return flat.anchors[bisect_left(lines, start) : bisect_left(lines, end)]


def _is_linky(flat: Flat, start: int, end: int) -> bool:
    """Mostly link text, and no line of prose (a long line with few links) inside."""
    texts, links = flat.texts[start:end], flat.link_chars[start:end]
    chars = sum(len(t) for t in texts) or 1
    if sum(links) / chars < MIN_LINK_SHARE:
        return False
    return not any(
        len(t) > PROSE_CHARS and n < 0.3 * len(t) for t, n in zip(texts, links, strict=True)
    )


def _section(flat: Flat, line: int, heads: set[int]) -> Span | None:
    """The smallest element around a heading line with two other links, mostly links."""
    around = [s for s in flat.spans if s.start <= line < s.end]
    around.sort(key=lambda s: s.end - s.start)
    for span in around:
        links = [a for a in _anchors_in(flat, span.start, span.end) if a.line not in heads]
        if len(links) >= 2:
            return span if _is_linky(flat, span.start, span.end) else None
    return None


def _lists(flat: Flat, section: Span) -> list[tuple[int, int]]:
    """Outermost list elements with links inside a section; the section itself if none."""
    found: list[tuple[int, int]] = []
    inner = [
        s
        for s in flat.spans
        if s.tag in LIST_TAGS
        and section.start <= s.start
        and s.end <= section.end
        and s is not section
        and _anchors_in(flat, s.start, s.end)
    ]
    for span in sorted(inner, key=lambda s: (s.start, -s.end)):
        if not found or span.start >= found[-1][1]:
            found.append((span.start, span.end))
    return found or [(section.start, section.end)]


def _beside(flat: Flat, anchors: list[Anchor], i: int, end: int) -> tuple[str | None, str | None]:
    """The timestamp and source printed beside link ``i``: on its line or the lines after it."""
    anchor = anchors[i]
    alone = (i == 0 or anchors[i - 1].line != anchor.line) and (
        i + 1 == len(anchors) or anchors[i + 1].line != anchor.line
    )
    stop = anchors[i + 1].line if i + 1 < len(anchors) else min(end, anchor.line + 4)
    printed = flat.texts[anchor.line + 1 : stop]
    if alone and anchor.line < len(flat.texts) and anchor.text:
        printed = [flat.texts[anchor.line].replace(anchor.text, " ", 1), *printed]
    timestamp = source = None
    for text in printed:
        rest, stamp = split_timestamp(text)
        timestamp = timestamp or stamp
        for word in rest.split("  ") if rest else ():
            word = word.strip(" |·-")
            if word and len(word) <= 20 and not word.isdigit() and not is_timestamp(word):
                source = source or word
    return timestamp, source


def _resolver(base: str | None) -> Callable[[str], str]:
    """``absolute`` against ``base``, remembered for one page: nested menus and repeated
    lists resolve the same links again."""
    base = base or ""
    seen: dict[str, str] = {}

    def resolve(href: str) -> str:
        url = seen.get(href)
        if url is None:
            url = seen[href] = absolute(base, href)
        return url

    return resolve


def _links(
    flat: Flat,
    start: int,
    end: int,
    resolve: Callable[[str], str],
    skip: set[int],
    beside: bool = True,
) -> list[Link]:
    """One link per URL in ``[start, end)``, with the source/timestamp printed beside it."""
    anchors = _anchors_in(flat, start, end)
    if skip:
        anchors = [a for a in anchors if a.line not in skip]
    out: dict[str, tuple[str, tuple[str | None, str | None]]] = {}
    for i, anchor in enumerate(anchors):
        if len(out) >= MAX_LINKS:
            break
        url = resolve(anchor.href)
        if not url.startswith(("http://", "https://", "/")):
            continue
        text = anchor.text
        if url in out and (out[url][0] or not text):
            continue
        out[url] = (text, _beside(flat, anchors, i, end) if beside else (None, None))
    return [Link(text, url, *printed) for url, (text, printed) in out.items() if text]


def _headed_blocks(
    flat: Flat, resolve: Callable[[str], str]
) -> tuple[list[tuple[int, LinkBlock]], list]:
    heads: dict[int, str] = {}
    for i, text in enumerate(flat.texts):
        if len(text) <= MAX_HEADING_CHARS:
            kind = heading_kind(text, flat.tags[i])
            if kind:
                heads[i] = kind
    sections: dict[int, tuple[Span, list[int]]] = {}
    head_lines = set(heads)
    for line in heads:
        section = _section(flat, line, head_lines)
        if section is not None:
            sections.setdefault(id(section), (section, []))[1].append(line)
    found: list[tuple[int, LinkBlock]] = []
    ranges: list[tuple[int, int]] = []
    for section, lines in sections.values():
        lists = _lists(flat, section)
        side_by_side = not _anchors_in(flat, lines[0] + 1, lines[-1]) and len(lists) == len(lines)
        for n, (start, end) in enumerate(lists):
            if side_by_side:
                owner = lines[n]
            else:
                owner = max((h for h in lines if h < end), default=lines[0])
            links = _links(flat, start, end, resolve, set(lines))
            if links:
                found.append((owner, LinkBlock(heads[owner], flat.texts[owner], tuple(links))))
        ranges.append((section.start, section.end))
    return _merge_same_heading(found), ranges


def _merge_same_heading(found: list[tuple[int, LinkBlock]]) -> list[tuple[int, LinkBlock]]:
    merged: dict[int, tuple[int, LinkBlock]] = {}
    for line, block in found:
        if line in merged:
            old = merged[line][1]
            links = (old.links + block.links)[:MAX_LINKS]
            merged[line] = (line, LinkBlock(old.kind, old.heading, links))
        else:
            merged[line] = (line, block)
    return list(merged.values())


def _nav_blocks(flat: Flat, resolve: Callable[[str], str], taken: list[tuple[int, int]]):
    found: list[tuple[int, LinkBlock]] = []
    ranges: list[tuple[int, int]] = []
    navs = [s for s in flat.spans if s.nav]
    lines = flat.anchor_lines
    for span in sorted(navs, key=lambda s: (s.start, -s.end)):
        if bisect_left(lines, span.end) - bisect_left(lines, span.start) < 2:
            continue  # fewer than two links: no block, whatever else holds
        if any(lo <= span.start and span.end <= hi for lo, hi in taken + ranges):
            continue
        if not _is_linky(flat, span.start, span.end):
            continue
        links = _links(flat, span.start, span.end, resolve, set(), beside=False)
        if len(links) >= 2:
            found.append((span.start, LinkBlock("nav", "", tuple(links))))
            ranges.append((span.start, span.end))
    return found, ranges


def link_blocks(
    flat: Flat, base: str | None
) -> tuple[tuple[LinkBlock, ...], list[tuple[int, int]]]:
    """The typed link blocks of a page and the line ranges they cover (see the module doc)."""
    resolve = _resolver(base)
    headed, ranges = _headed_blocks(flat, resolve)
    navs, nav_ranges = _nav_blocks(flat, resolve, ranges)
    ordered = sorted(headed + navs, key=lambda item: item[0])
    blocks = tuple(
        LinkBlock(block.kind, block.heading, block.links, position=n)
        for n, (_, block) in enumerate(ordered)
    )
    return blocks, ranges + nav_ranges
