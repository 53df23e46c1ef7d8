"""Facts printed around the story: date line, source, authors, editors, images.

Publication time, first found wins (see docs/architecture.md for why):

1. JSON-LD ``datePublished``, the meta tags of ``PUBLISHED_META_NAMES``, then microdata on
   printed elements (``itemprop=datePublished``, read by a second selector pass only when the
   head has no date): what the page says about itself, ahead of any printed text (a date in
   the story is often another event's); a date-only value takes the time printed on the date
   line of the same day;
2. the date line between the headline and the story's third line (a labelled one first:
   发布时间：..., Published ...), then a labelled date line anywhere on the page;
3. the first ``<time datetime>``, then the update meta tags (``UPDATED_META_NAMES``:
   ``dateUpdate``, ``dateModified`` ...);
4. a publication key in an inline script (``"pubtime"``, ``publishDate``, WeChat's ``ct`` Unix
   time), else a quoted date in a script;
5. a year-less labelled date (发布时间：10-08 14:20) with the year of the URL or of another
   date printed on the page; last, the day in the URL path.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from html import unescape

from scraper._records import Image
from scraper._text import absolute, squeeze, substring_pattern
from scraper.extract.data import (
    AUTHOR_SUBSTRINGS,
    LANG_OFFSETS,
    PUBLISHED_LABELS,
    PUBLISHED_META_NAMES,
    SCRIPT_DATE_KEYS,
    UPDATED_META_NAMES,
)
from scraper.extract.dates import (
    find_date,
    has_clock,
    month_day,
    parse_date,
    prints_date,
    script_date,
    script_date_pattern,
    url_date,
    url_year,
)
from scraper.extract.meta import Head, ld_names
from scraper.extract.people import (
    EDITOR_RE,
    PREFIX_RE,
    SOURCE_RE,
    WRITER_RE,
    is_name,
    is_organisation,
    labelled,
    prefixed,
    reporter_in,
    split_names,
    writer_outlet,
)
from scraper.extract.walk import Flat
from scraper.extract.words import CAPTION_PREFIXES

#: Lines after the story searched for an editor credit.
CREDIT_LINES_AFTER = 15
#: Lines before the story searched for a date/source line.
LOOKBACK_LINES = 40
#: Longest line read as a date, source or byline line.
LINE_CHARS = 200
#: Last lines of the story searched for a writer credit (（记者 胡晓蓉）, 石佳/中国青年报).
TAIL_LINES = 3
_SCRIPT_DATE_RE = script_date_pattern(SCRIPT_DATE_KEYS)
_PUBLISHED_RE = re.compile(
    r"(?:(?<![A-Za-z])(?:{}))\s*[：:]?\s*".format(
        "|".join(re.escape(w) for w in sorted(PUBLISHED_LABELS, key=len, reverse=True))
    ),
    re.IGNORECASE,
)
_TITLE_PARTS_RE = re.compile(r"\s[-|–—·:]+\s|[_|｜]+|--+")
_AUTHOR_NAME_RE = substring_pattern(AUTHOR_SUBSTRINGS)
#: A number after a name: a forum's post count or badge (Pup 1, ewok 4).
_COUNT_RE = re.compile(r"(?<=[^\W\d_])\s+\d+$")
#: A word and a colon: a line that labels something (Last Updated: ...), not a bare name.
_LABEL_RE = re.compile(r"[^\W\d_]\s*[:：]")
_AUTHOR_META_NAMES = (
    "author",
    "article:author_name",
    "article:author",
    "dc.creator",
    "parsely-author",
    "sailthru.author",
)


def byline_window(title_line: int | None, first: int) -> range:
    """Lines between the headline (or a bit above the story) and the story's third line."""
    start = title_line if title_line is not None and title_line <= first else first - 12
    return range(max(0, start, first - LOOKBACK_LINES), first + 3)


def _lines(
    flat: Flat, lines: Iterable[int], limit: int = LINE_CHARS, more: Iterable[int] = ()
) -> list[int]:
    """The indexes of ``lines`` (then ``more``) that exist and are short enough to be a
    byline."""
    texts = flat.texts
    n = len(texts)
    return [i for group in (lines, more) for i in group if i < n and len(texts[i]) < limit]


def _meta_date(head: Head, names: tuple[str, ...]) -> datetime | None:
    for name in names:
        if name in head.meta:
            found = parse_date(head.meta[name])
            if found is not None:
                return found
    return None


def _labelled_date(text: str) -> datetime | None:
    """The date printed right after a publication label in a line, or None."""
    match = _PUBLISHED_RE.search(text)
    while match is not None:
        found = find_date(text[match.end() : match.end() + 40])
        if found is not None:
            return found
        match = _PUBLISHED_RE.search(text, match.end())
    return None


def _printed_date(flat: Flat, window: range) -> datetime | None:
    """A labelled date line of the window, else its first date line."""
    first = None
    for i in _lines(flat, window):
        text = flat.texts[i]
        if not prints_date(text):
            continue
        found = _labelled_date(text)
        if found is not None:
            return found
        first = first or find_date(text)
    return first


def _labelled_line_date(flat: Flat) -> datetime | None:
    """The first labelled date on the page: on the label's line, or on the next line when the
    label stands alone (``Published`` / ``Feb 2, 2023``)."""
    texts = flat.texts
    for i, text in enumerate(texts):
        if len(text) >= LINE_CHARS:
            continue
        if prints_date(text):
            found = _labelled_date(text)
            if found is not None:
                return found
        elif len(text) < 20 and i + 1 < len(texts) and _PUBLISHED_RE.fullmatch(text):
            found = find_date(texts[i + 1][:60])
            if found is not None:
                return found
    return None


def _year_less(flat: Flat, window: range, url: str) -> datetime | None:
    """A labelled year-less date (发布时间：10-08) near the headline, with the year of the URL
    or of the first full date printed on the page."""
    year = url_year(url)
    for i in _lines(flat, window):
        text = flat.texts[i]
        match = _PUBLISHED_RE.search(text)
        if match is None:
            continue
        if year is None:
            printed = next((d for t in flat.texts if (d := find_date(t)) is not None), None)
            if printed is None:
                return None
            year = printed.year
        found = month_day(text[match.end() : match.end() + 30], year)
        if found is not None:
            return found
    return None


def find_published(
    head: Head,
    flat: Flat,
    window: range,
    url: str = "",
    lang: str | None = None,
    scripts: Callable[[], Iterable[str]] = tuple,
    elements: Callable[[], object] = tuple,
) -> datetime | None:
    """The publication time, by the cascade of the module doc. ``scripts`` gives the inline
    scripts' texts, ``elements`` adds the printed elements' dates to ``head.meta`` (both
    called only when the cheaper steps find nothing)."""
    value = head.ld.get("datePublished") or head.ld.get("dateCreated")
    found = parse_date(value) if isinstance(value, str) else None
    found = found or _meta_date(head, PUBLISHED_META_NAMES)
    if found is None:
        elements()
        found = _meta_date(head, PUBLISHED_META_NAMES)
    if found is not None and has_clock(found):
        return found
    printed = _printed_date(flat, window)
    if found is not None:
        if printed is not None and has_clock(printed) and printed.date() == found.date():
            return printed
        return found
    if printed is not None:
        return printed
    found = _labelled_line_date(flat)
    if found is None:
        found = _meta_date(head, ("element:time", *UPDATED_META_NAMES))
    if found is None:
        found = script_date(scripts(), _SCRIPT_DATE_RE, LANG_OFFSETS.get(lang or ""))
    return found or _year_less(flat, window, url) or url_date(url)


def site_names(head: Head) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names the site gives itself, never an author: og:site_name and application-name (and
    what starts them), and the ``<title>`` suffix, whose start only is the site's (网易 in
    网易新闻: a personal blog's title may end with its writer's name)."""
    names = [head.meta.get("og:site_name", ""), head.meta.get("application-name", "")]
    parts = [p.strip() for p in _TITLE_PARTS_RE.split(head.title) if p.strip()]
    suffix = (squeeze(parts[-1]),) if len(parts) > 1 else ()
    return tuple(squeeze(n) for n in names if n and n.strip()), suffix


def _links_on(flat: Flat, line: int) -> list[str]:
    """Texts of the links printed on one line."""
    lines = flat.anchor_lines
    return [a.text for a in flat.anchors[bisect_left(lines, line) : bisect_left(lines, line + 1)]]


def find_source(
    head: Head,
    flat: Flat,
    window: range,
    tail: Iterable[int] = (),
    elements: Callable[[], object] = tuple,
) -> str | None:
    """The 来源 (outlet) printed near the headline, a writer/outlet line, an element named
    as the source (``head.source_texts``, read by ``elements``), else a ``source`` meta tag."""
    for i in _lines(flat, window):
        text = flat.texts[i]
        if ":" in text or "：" in text:
            source = labelled(text, SOURCE_RE, _links_on(flat, i))
            if source and is_name(source):
                return source
    for i in _lines(flat, window, 40, tail):
        pair = writer_outlet(flat.texts[i])
        if pair:
            return pair[1]
    elements()
    for text in head.source_texts:
        text = squeeze(text)
        if 0 < len(text) < 60:
            source = labelled(text, SOURCE_RE) or labelled("来源：" + text, SOURCE_RE)
            if source and is_name(source):
                return source
    return head.meta.get("source") or None


def _printed_byline(flat: Flat, window: range) -> list[str]:
    """Writers printed as a byline: a byline element, a labelled or "By" line near the
    headline."""
    for span in flat.spans:
        if span.end - span.start == 1 and span.key and _AUTHOR_NAME_RE.search(span.key):
            text = flat.texts[span.start]
            if len(text) < 120 and not EDITOR_RE.search(text):
                links = _links_on(flat, span.start)
                value = labelled(text, WRITER_RE, links) or prefixed(text, links)
                if value is None and not _LABEL_RE.search(text):
                    value = labelled("作者：" + text, WRITER_RE, links)
                if value:
                    return [value]
    for i in _lines(flat, window, 120):
        text = flat.texts[i]
        if WRITER_RE.search(text) or PREFIX_RE.match(text):
            links = _links_on(flat, i)
            value = labelled(text, WRITER_RE, links) or prefixed(text, links)
            if value:
                return [value]
    return []


def _credited(flat: Flat, window: range, tail: Iterable[int]) -> list[str]:
    """Writers credited near the headline or closing the story: （记者 胡晓蓉）, 记者 刘涛, a
    writer/outlet line."""
    for i in _lines(flat, window, LINE_CHARS, tail):
        names = reporter_in(flat.texts[i])
        if names:
            return names
    for i in _lines(flat, tail, 40):
        value = labelled(flat.texts[i], WRITER_RE)
        if value:
            return [value]
    for i in _lines(flat, window, 40, tail):
        pair = writer_outlet(flat.texts[i])
        if pair:
            return [pair[0]]
    return []


def _author_candidates(
    head: Head, flat: Flat, window: range, tail: Iterable[int], elements: Callable[[], object]
) -> Iterator[list[str]]:
    """Author names by source, best first: JSON-LD, meta tags, the printed byline, the credits
    near the headline or closing the story, printed author elements (microdata, rel=author:
    a pass over the tree, so only when nothing else names a writer)."""
    yield ld_names(head.ld.get("author"))
    for key in _AUTHOR_META_NAMES:
        if head.meta.get(key):
            yield [head.meta[key]]
    yield _printed_byline(flat, window)
    yield _credited(flat, window, tail)
    elements()
    if head.meta.get("element:author"):
        yield [head.meta["element:author"]]


def find_authors(
    head: Head,
    flat: Flat,
    window: range,
    tail: Iterable[int] = (),
    elements: Callable[[], object] = tuple,
) -> tuple[str, ...]:
    """JSON-LD authors, meta author, else the writers printed on the page; never the site's
    own name, an editor, a counter or a link."""
    sites: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    for found in _author_candidates(head, flat, window, tail, elements):
        names = [
            _COUNT_RE.sub("", squeeze(n))
            for value in found
            if "://" not in value
            for n in split_names(squeeze(unescape(value) if "&" in value else value))
        ]
        if names:
            sites = site_names(head) if sites is None else sites
            kept = [n for n in names if is_name(n, *sites) and not is_organisation(n)]
            if kept:
                return tuple(dict.fromkeys(kept))
    return ()


def find_editors(flat: Flat, start: int, end: int) -> tuple[str, ...]:
    """Names on the first editor credit line between the headline ``start`` and a few lines
    past the story's ``end`` (责任编辑：霍琦, （责编：汤诗瑶、丁涛）, Editor: ...)."""
    texts = flat.texts
    for i in range(start, min(end + CREDIT_LINES_AFTER, len(texts))):
        text = texts[i]
        if len(text) < 100 and ("编" in text or "dit" in text):
            value = labelled(text, EDITOR_RE)
            if value:
                names = [squeeze(n) for n in split_names(value)]
                return tuple(dict.fromkeys(n for n in names if is_name(n)))
    return ()


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
