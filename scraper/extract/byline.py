"""Facts printed around the story: source, authors, editors, images (the publication time is
``published``'s, re-exported here).

Authors, best first: JSON-LD, meta tags (``citation_author`` and ``dc:creator`` ahead of a plain
``author``, which academic and CMS pages fill with the publisher or the vendor), the printed
byline, credits near the headline or closing the story, microdata or ``rel=author``, a forum
or blog poster line. Source: a 来源 line near the headline, a writer/outlet line, a 来源 line
closing the story, an element named as the source, a source meta tag.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from html import unescape

from scraper._records import Image
from scraper._text import CJK_RE, absolute, squeeze, substring_pattern
from scraper.extract.data import AUTHOR_ABOUT_SUBSTRINGS, AUTHOR_SUBSTRINGS, SOURCE_META_NAMES
from scraper.extract.meta import Head, ld_names
from scraper.extract.people import (
    EDITOR_RE,
    PREFIX_RE,
    SOURCE_RE,
    WRITER_RE,
    bracketed_names,
    credit_line,
    dated_bracket,
    edited_by,
    is_counter,
    is_name,
    is_organisation,
    is_outlet,
    labelled,
    names_alone,
    poster,
    prefixed,
    reporter_in,
    split_names,
    writer_outlet,
)
from scraper.extract.published import find_published
from scraper.extract.walk import Flat
from scraper.extract.words import CAPTION_PREFIXES

__all__ = [
    "byline_window",
    "find_authors",
    "find_editors",
    "find_images",
    "find_published",
    "find_source",
]

#: Lines after the story searched for an editor credit.
CREDIT_LINES_AFTER = 15
#: Lines after the story searched for a source or a poster line.
AFTER_LINES = 3
#: Lines past the byline window searched for credit lines without a colon (the byline window
#: ends three lines into the story, and a story may start at its headline).
CREDIT_LINES_BELOW = 5
#: Lines before the story searched for a date/source line.
LOOKBACK_LINES = 40
#: Lines after a name line under the headline searched for the story's prose.
PROSE_LINES = 3
#: Sentence stops: a line holding one is prose, never a headline.
_STOPS = frozenset("。！？")
#: Longest line read as a date, source or byline line.
LINE_CHARS = 200
#: Last lines of the story searched for a writer credit (（记者 胡晓蓉）, 石佳/中国青年报).
TAIL_LINES = 3
_TITLE_PARTS_RE = re.compile(r"\s[-|–—·:]+\s|[_|｜]+|--+")
_AUTHOR_NAME_RE = substring_pattern(AUTHOR_SUBSTRINGS)
_AUTHOR_ABOUT_RE = substring_pattern(AUTHOR_ABOUT_SUBSTRINGS)
#: A number after a name: a forum's post count or badge (Pup 1, ewok 4).
_COUNT_RE = re.compile(r"(?<=[^\W\d_])\s+\d+$")
#: A word and a colon: a line that labels something (Last Updated: ...), not a bare name.
_LABEL_RE = re.compile(r"[^\W\d_]\s*[:：]")
_AUTHOR_META_NAMES = (
    "citation_author",
    "citation_authors",
    "dc:creator",
    "dc.creator",
    "author",
    "article:author_name",
    "article:author",
    "og:article:author",
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


def _after(tail: Iterable[int]) -> range:
    """The lines just past the story's last line (``tail`` ends the story)."""
    last = max(tail, default=-1)
    return range(last + 1, last + 1 + AFTER_LINES) if last >= 0 else range(0)


def find_source(
    head: Head,
    flat: Flat,
    window: range,
    tail: Iterable[int] = (),
    elements: Callable[[], object] = tuple,
) -> str | None:
    """The 来源 (outlet) printed near the headline, a writer/outlet line, a 来源 label alone in
    a table cell with its value in the next (发文机关： | 吉林省人民政府), a 来源 line closing the
    story, an element named as the source (``head.source_texts``, read by ``elements``), else a
    source meta tag (``SOURCE_META_NAMES``)."""
    tail = list(tail)
    for i in _lines(flat, window):
        source = _source_on(flat, i)
        if source:
            return source
    for i in _lines(flat, window, 40, tail):
        pair = writer_outlet(flat.texts[i])
        if pair:
            return pair[1]
    for i in _lines(flat, range(window.start, window.stop + CREDIT_LINES_BELOW), 12):
        source = _source_cell(flat, i)
        if source:
            return source
    for i in _lines(flat, tail, 100, _after(tail)):
        source = _source_on(flat, i)
        if source:
            return source
    elements()
    for text in head.source_texts:
        text = squeeze(text)
        if 0 < len(text) < 60:
            labelled_only = ":" in text or "：" in text  # 发布时间:05-10 is no source
            source = labelled(text, SOURCE_RE)
            source = source or (None if labelled_only else labelled("来源：" + text, SOURCE_RE))
            if source and is_name(source):
                return source
    for name in SOURCE_META_NAMES:
        value = squeeze(head.meta.get(name) or "")
        value = labelled(value, SOURCE_RE) or value
        if value and is_name(value):
            return value
    return _outlet_author(head, flat, window)


def _outlet_author(head: Head, flat: Flat, window: range) -> str | None:
    """An outlet named where the writer would be (新京报 in an author box or an author meta
    tag, as self-media platforms print an account): never an author, but the source. Read on
    pages whose ``<title>`` is CJK only (outlets are told by their CJK name's ending)."""
    if not CJK_RE.search(head.title):
        return None
    values = [head.meta[k] for k in _AUTHOR_META_NAMES if head.meta.get(k)]
    printed = head.meta.get("printed:author")
    values += [printed] if printed is not None else _printed_byline(flat, window)
    values.append(head.meta.get("element:author") or "")
    for value in values:
        for name in split_names(squeeze(value)):
            if is_outlet(name):
                return name
    return None


def _source_on(flat: Flat, line: int) -> str | None:
    """The source a 来源 label on one line names, or None."""
    text = flat.texts[line]
    if ":" not in text and "：" not in text and "|" not in text and "｜" not in text:
        return None
    source = labelled(text, SOURCE_RE, _links_on(flat, line))
    return source if source and is_name(source) else None


def _source_cell(flat: Flat, line: int) -> str | None:
    """The source a line holding only a 来源 label (发文机关：) names on the next line: a table
    prints label and value in separate cells."""
    label = flat.texts[line].strip()
    if line + 1 >= len(flat.texts) or not label.endswith((":", "：")):
        return None
    if SOURCE_RE.fullmatch(label) is None:
        return None
    value = flat.texts[line + 1]
    source = (
        labelled("来源：" + value, SOURCE_RE, _links_on(flat, line + 1))
        if len(value) < 40
        else None
    )
    return source if source and is_name(source) else None


def _printed_byline(flat: Flat, window: range) -> list[str]:
    """Writers printed as a byline: a byline element, a labelled or "By" line near the
    headline."""
    named: dict[str, bool] = {}  # pages repeat their class names
    for span in flat.spans:
        key = span.key
        if not key or not 0 < span.end - span.start <= 2:
            continue
        author = named.get(key)
        if author is None:  # not the writer's job title or bio (author-title: Games Editor)
            author = named[key] = bool(_AUTHOR_NAME_RE.search(key)) and not (
                _AUTHOR_ABOUT_RE.search(key)
            )
        if author:
            text = flat.texts[span.start]
            if len(text) < 120 and not EDITOR_RE.search(text) and not is_counter(text):
                links = _links_on(flat, span.start)
                value = labelled(text, WRITER_RE, links) or prefixed(text, links)
                if value is None and not _LABEL_RE.search(text):
                    value = labelled("作者：" + text, WRITER_RE, links)
                if value and is_name(value):
                    return [value]
    for i in _lines(flat, window, 120):
        text = flat.texts[i]
        if WRITER_RE.search(text) or PREFIX_RE.match(text) or "|" in text or "｜" in text:
            links = _links_on(flat, i)
            value = labelled(text, WRITER_RE, links) or prefixed(text, links)
            if value:
                return [value]
    return []


def _credited(flat: Flat, window: range, tail: list[int]) -> list[str]:
    """Writers credited near the headline or closing the story: credit lines without a colon
    (本报记者罗科苏盈发自北京, one line or several), （记者 胡晓蓉）, a name in brackets after
    the date (2004年7月16日08:19 [ 黄宇 ]), 记者 刘涛, a writer/outlet line."""
    below = range(window.stop, window.stop + CREDIT_LINES_BELOW)
    lines = _lines(flat, [*window, *below], 40, tail)
    names = [n for i in lines for n in credit_line(flat.texts[i])]
    if names:
        return names
    for i in _lines(flat, window, LINE_CHARS, tail):
        names = reporter_in(flat.texts[i])
        if names:
            return names
    for i in _lines(flat, window, 100):
        names = dated_bracket(flat.texts[i])
        if names:
            return names
    for i in _lines(flat, tail[-1:], 20):
        names = bracketed_names(flat.texts[i])
        if names:
            return names
    for i in _lines(flat, tail, 40, _after(tail)):
        value = labelled(flat.texts[i], WRITER_RE)
        if value:
            return [value]
    for i in _lines(flat, window, 40, tail):
        pair = writer_outlet(flat.texts[i])
        if pair:
            return [pair[0]]
    return []


def _posted(flat: Flat, window: range, tail: list[int]) -> list[str]:
    """The first poster a forum or blog line names beside the date (张三 发表于 2005-9-15,
    ... by 张三) from the headline to just past the story (a thread's replies follow)."""
    last = max(tail, default=window.stop)
    for i in _lines(flat, range(window.start, last + AFTER_LINES + 1)):
        name = poster(flat.texts[i])
        if name:
            return [name]
    return []


def _under_headline(flat: Flat, window: range) -> list[str]:
    """Writers named alone on the line under the headline (an essay's or a forum post's
    胡平): the line before is a headline (CJK, no link, no sentence stop), prose follows within
    ``PROSE_LINES`` lines with no link before it. Tried last: menus print short words alone."""
    texts, links = flat.texts, flat.link_chars
    for i in range(max(window.start, 1), min(window.stop + CREDIT_LINES_BELOW, len(texts))):
        names = names_alone(texts[i]) if not links[i] and not links[i - 1] else []
        if not names or not _headline(texts[i - 1]):
            continue
        for j in range(i + 1, min(i + 1 + PROSE_LINES, len(texts))):
            if links[j]:
                break
            if len(texts[j]) >= 30 and ("，" in texts[j] or "。" in texts[j]):
                return names
    return []


def _headline(text: str) -> bool:
    """Whether a line may be a CJK headline: 4 to 60 characters, no sentence stop."""
    return 4 <= len(text) <= 60 and CJK_RE.search(text) is not None and not _STOPS & set(text)


def _author_candidates(
    head: Head, flat: Flat, window: range, tail: list[int], elements: Callable[[], object]
) -> Iterator[list[str]]:
    """Author names by source, best first: JSON-LD, meta tags, the printed byline, the credits
    near the headline or closing the story, printed author elements (microdata, rel=author:
    a pass over the tree, so only when nothing else names a writer), a poster line, names alone
    under the headline."""
    yield ld_names(head.ld.get("author"), head.ld_named)
    for key in _AUTHOR_META_NAMES:
        if head.meta.get(key):
            yield [head.meta[key]]
    printed = _printed_byline(flat, window)
    head.meta["printed:author"] = printed[0] if printed else ""  # for _outlet_author
    yield printed
    yield _credited(flat, window, tail)
    elements()
    if head.meta.get("element:author"):
        yield [head.meta["element:author"]]
    yield _posted(flat, window, tail)
    yield _under_headline(flat, window)


def _unprefixed(name: str) -> str:
    """A name without a "By" (or a lower-case "por", "par" ...) printed before it; a capital
    Von or Por may start a name (Von Miller)."""
    if name[:1].islower() or name[:3].lower() == "by ":
        return prefixed(name) or name
    return name


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
    for found in _author_candidates(head, flat, window, list(tail), elements):
        names = [
            _COUNT_RE.sub("", squeeze(n))
            for value in found
            if "://" not in value
            for n in split_names(squeeze(unescape(value) if "&" in value else value))
        ]
        names = [_unprefixed(n) for n in names]
        if names and not any(is_counter(n) for n in names):
            sites = site_names(head) if sites is None else sites
            kept = [n for n in names if is_name(n, *sites) and not is_organisation(n)]
            if kept:
                return tuple(dict.fromkeys(kept))
    return ()


def find_editors(flat: Flat, start: int, end: int) -> tuple[str, ...]:
    """Names on the first editor credit line between the headline ``start`` and a few lines
    past the story's ``end`` (责任编辑：霍琦, （责编：汤诗瑶、丁涛）, Editor: ..., Edited by
    ...)."""
    texts = flat.texts
    for i in range(start, min(end + CREDIT_LINES_AFTER, len(texts))):
        text = texts[i]
        if len(text) < 100 and ("编" in text or "dit" in text):
            value = labelled(text, EDITOR_RE) or edited_by(text)
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
