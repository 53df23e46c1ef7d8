"""The publication time of a story: what the page claims about itself, then printed dates.

First found wins (see docs/architecture.md for why):

1. JSON-LD ``datePublished``, the meta tags of ``PUBLISHED_META_NAMES``, then microdata on
   printed elements (``itemprop=datePublished``, read by a second selector pass only when the
   head has no date): what the page says about itself, ahead of any printed text (a date in
   the story is often another event's); a date-only value takes the time printed on the date
   line of the same day (near the headline, else a labelled one anywhere);
2. the date line between the headline and the story's third line (a labelled one first:
   发布时间：..., Published ...; never a member's join date), then a labelled date line
   anywhere on the page (a forum's ``本贴由张三于2005年8月12日…发表`` counts as labelled);
3. the first ``<time datetime>``, then the update meta tags (``UPDATED_META_NAMES``:
   ``dateUpdate``, ``dateModified`` ...);
4. a publication key in an inline script (``"pubtime"``, ``publishDate``, WeChat's ``ct`` Unix
   time), else a quoted date in a script;
5. a short dated line just above the headline (an e-paper's issue date, a dateline over the
   headline) or one starting with a date a few lines into the story (``2003-7-24 钱江晚报``
   under the byline), unless the URL prints another day;
6. a year-less labelled date (发布时间：10-08 14:20) with the year of the URL or of another
   date printed on the page; last, the day in the URL path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime

from scraper.extract.data import (
    LANG_OFFSETS,
    PUBLISHED_LABELS,
    PUBLISHED_META_NAMES,
    SCRIPT_DATE_KEYS,
    UPDATED_META_NAMES,
    USER_DATE_LABELS,
)
from scraper.extract.dates import (
    find_date,
    has_clock,
    month_day,
    parse_date,
    prints_any_date,
    script_date,
    script_date_pattern,
    url_date,
    url_year,
)
from scraper.extract.meta import Head
from scraper.extract.walk import Flat

#: Longest line read as a date line.
LINE_CHARS = 200
#: Longest line read as a bare date line near the headline (step 5), and how many lines above
#: the byline window and past its end are looked at.
DATELINE_CHARS = 40
DATELINE_ABOVE = 3
DATELINE_BELOW = 5
_SCRIPT_DATE_RE = script_date_pattern(SCRIPT_DATE_KEYS)
_USER_DATE_RE = re.compile(
    r"(?<![A-Za-z])(?:{})".format("|".join(re.escape(w) for w in USER_DATE_LABELS)), re.IGNORECASE
)
_PUBLISHED_RE = re.compile(
    r"(?:(?<![A-Za-z])(?:{})\s*[：:]?\s*|由[^\s于]{{1,20}}?\s*于(?=\s*(?:19|20)\d\d))".format(
        "|".join(re.escape(w) for w in sorted(PUBLISHED_LABELS, key=len, reverse=True))
    ),
    re.IGNORECASE,
)


def _lines(flat: Flat, lines: Iterable[int], limit: int = LINE_CHARS) -> list[int]:
    """The indexes of ``lines`` that exist and are shorter than ``limit``."""
    texts = flat.texts
    return [i for i in lines if 0 <= i < len(texts) and len(texts[i]) < limit]


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


def _member_date(flat: Flat, line: int) -> bool:
    """Whether a date line is a member's join date (Joined Nov 4, 2011, or Joined / Nov 4, 2011
    on two lines)."""
    if _USER_DATE_RE.search(flat.texts[line]):
        return True
    before = flat.texts[line - 1].strip().rstrip(":：") if line > 0 else ""
    return _USER_DATE_RE.fullmatch(before) is not None


def _printed_date(flat: Flat, window: range) -> datetime | None:
    """A labelled date line of the window, else its first date line."""
    first = None
    for i in _lines(flat, window):
        text = flat.texts[i]
        if not prints_any_date(text) or _member_date(flat, i):
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
        if prints_any_date(text):
            found = _labelled_date(text)
            if found is not None:
                return found
        elif len(text) < 20 and i + 1 < len(texts) and _PUBLISHED_RE.fullmatch(text):
            found = find_date(texts[i + 1][:60])
            if found is not None:
                return found
    return None


def _dateline(flat: Flat, window: range) -> datetime | None:
    """A short dated line just above the window (an e-paper's issue date, ``Sunday, Feb 1,
    2015 11:57 AM UTC`` over a headline), else one starting with a date just past it (a date
    and an outlet under a byline)."""
    above = range(window.start - DATELINE_ABOVE, window.start)
    below = range(window.stop, window.stop + DATELINE_BELOW)
    for i in _lines(flat, [*reversed(above), *below], DATELINE_CHARS):
        text = flat.texts[i].lstrip()
        if text[:4].isdigit() or (i < window.start and prints_any_date(text)):
            found = find_date(text)
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
        found = _meta_date(head, ("element:dated", *PUBLISHED_META_NAMES))
    if found is not None and has_clock(found):
        return found
    printed = _printed_date(flat, window)
    if found is not None:
        for clocked in (printed, _labelled_line_date(flat) if printed is None else None):
            if clocked is not None and has_clock(clocked) and clocked.date() == found.date():
                return clocked
        return found
    if printed is not None:
        return printed
    found = _labelled_line_date(flat)
    if found is None:
        found = _meta_date(head, ("element:time", *UPDATED_META_NAMES))
    if found is None:
        found = script_date(scripts(), _SCRIPT_DATE_RE, LANG_OFFSETS.get(lang or ""))
    if found is not None:
        return found
    day = url_date(url)
    line = _dateline(flat, window)
    if line is not None and (day is None or line.date() == day.date()):
        return line  # a story line's date that the URL's day contradicts is another event's
    return _year_less(flat, window, url) or day
