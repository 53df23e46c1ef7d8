"""Find publication dates in metadata values and printed date lines; parse with dateutil.

Regular expressions only *locate* a date in plain text (``2020-06-19 10:40:47``,
``2020年6月19日 10:40``, ``June 19, 2020``); python-dateutil does the parsing. A date is
timezone-aware only when the page states an offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from types import MappingProxyType

from dateutil import parser as dateparser
from dateutil.parser import isoparse

from scraper._text import substring_pattern

_NUMERIC_RE = re.compile(
    r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
    r"(?:(?:\s*T?\s*|-)(\d{1,2}:\d{2}(?::\d{2})?)(\s*(?:Z|[+-]\d{2}:?\d{2}))?)?"
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_WORDY_RE = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{_MONTHS})[a-z]*\.?,?\s+(?:19|20)\d\d"
    rf"|(?:{_MONTHS})[a-z]*\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)"
    r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?",
    re.IGNORECASE,
)
#: A year-last date with a time of day, as ASP and IIS pages print it (``7/5/2005 9:23:57 PM``):
#: month first, as those servers' default (US) locale prints it, unless the first number is over
#: 12. Without a time the order is too often the other one (05/07/2005 in Europe): not read.
_SLASHED_RE = re.compile(
    r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s*([AaPp])\.?[Mm]\b\.?)?"
)
#: A year, then month/day and a time, each in its own element (``2023 05/10 10:23:45``).
_YEAR_APART_RE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s+(\d{1,2})\s*/\s*(\d{1,2})\s+(\d{1,2}:\d{2}(?::\d{2})?)"
)
#: UTC offsets (seconds) of zone abbreviations printed in date lines and meta tags (CST is
#: left out: China and US Central Time share it).
ZONE_OFFSETS: Mapping[str, int] = MappingProxyType(
    {
        "UTC": 0,
        "GMT": 0,
        "Z": 0,
        "BST": 3600,
        "CET": 3600,
        "CEST": 7200,
        "EET": 7200,
        "EEST": 10800,
        "MSK": 10800,
        "IST": 19800,
        "EST": -18000,
        "EDT": -14400,
        "MST": -25200,
        "MDT": -21600,
        "PST": -28800,
        "PDT": -25200,
        "HKT": 28800,
        "SGT": 28800,
        "JST": 32400,
        "KST": 32400,
        "AEST": 36000,
        "AEDT": 39600,
    }
)


def _zone(name: str | None, offset: int | None) -> int | None:
    """dateutil's zone lookup: known abbreviations only; others (CST ...) stay naive."""
    return ZONE_OFFSETS.get(name or "", offset)


def _parse(value: str, fuzzy: bool = False) -> datetime:
    """dateutil's ISO 8601 parser when the value is ISO-shaped (5x faster), else its parser."""
    if not fuzzy and _ISO_RE.match(value):
        try:
            return isoparse(value)
        except ValueError:
            pass
    return dateparser.parse(value, fuzzy=fuzzy, tzinfos=_zone)


#: An ISO 8601 date or date-time, read by dateutil's fast ISO parser.
_ISO_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)
#: A printed date-only string, such as ``2023-03-23 12:38:08``: used beside links in lists.
TIMESTAMP_RE = re.compile(
    r"^\s*(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$"
)


def parse_date(value: str | None) -> datetime | None:
    """Parse an ISO-like or free-form date value (meta tags, JSON-LD); None when not a date."""
    if not value or len(value) > 80:
        return None
    try:
        found = _parse(value.strip())
    except (ValueError, OverflowError, TypeError):
        return find_date(value)
    if found.year < 1990 or found.year > 2100:
        return None
    return found


def _may_hold_year(text: str) -> bool:
    """Whether ``text`` holds "19" or "20": every date the patterns locate prints a year that
    starts so, and most lines hold neither, which settles them without a search."""
    return "20" in text or "19" in text


def prints_date(text: str) -> bool:
    """Whether a line prints something shaped like a date (located only, not parsed)."""
    if not _may_hold_year(text):
        return False
    return _NUMERIC_RE.search(text) is not None or _WORDY_RE.search(text) is not None


def prints_any_date(text: str) -> bool:
    """Whether a line prints a date :func:`find_date` reads: :func:`prints_date`'s shapes or a
    year-last date with a time (kept apart: the story rules call ``prints_date``)."""
    if not _may_hold_year(text):
        return False
    if _NUMERIC_RE.search(text) is not None or _WORDY_RE.search(text) is not None:
        return True
    return "/" in text and (
        _SLASHED_RE.search(text) is not None or _YEAR_APART_RE.search(text) is not None
    )


def _slashed(match: re.Match[str]) -> datetime | None:
    """The date of a ``_SLASHED_RE`` match (a 12-hour clock when it says AM or PM)."""
    first, second, year, hour, minute, second_s, half = match.groups()
    month, day = (int(second), int(first)) if int(first) > 12 else (int(first), int(second))
    hour_n = int(hour) % 12 + (12 if half and half.lower() == "p" else 0) if half else int(hour)
    try:
        return datetime(int(year), month, day, hour_n, int(minute), int(second_s or 0))
    except ValueError:
        return None


def find_date(text: str) -> datetime | None:
    """The first printed date in a line of text, or None."""
    if not _may_hold_year(text):
        return None
    match = _NUMERIC_RE.search(text)
    if match:
        year, month, day, clock, zone = match.groups()
        value = f"{year}-{int(month):02d}-{int(day):02d}"
        if clock:
            value += f" {clock}{(zone or '').strip()}"
        try:
            return _parse(value)
        except (ValueError, OverflowError):
            return None
    match = _WORDY_RE.search(text)
    if match:
        try:
            return _parse(match.group(0).replace(" at ", " "), fuzzy=True)
        except (ValueError, OverflowError):
            return None
    if "/" not in text:
        return None
    match = _SLASHED_RE.search(text)
    if match:
        return _slashed(match)
    match = _YEAR_APART_RE.search(text)
    if match:
        year, month, day, clock = match.groups()
        try:
            return _parse(f"{year}-{int(month):02d}-{int(day):02d} {clock}")
        except (ValueError, OverflowError):
            return None
    return None


#: A relative time printed beside a link (``2 hours ago``, ``3分钟前``).
RELATIVE_RE = re.compile(
    r"^\s*(?:\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago"
    r"|\d+\s*(?:秒|分钟|小时|天|周|个月)前|刚刚|昨天(?:\s*\d{1,2}:\d{2})?|yesterday|just now)\s*$",
    re.IGNORECASE,
)


def is_timestamp(text: str) -> bool:
    """Whether a short printed string is only a date/time (absolute or relative)."""
    return bool(TIMESTAMP_RE.match(text) or RELATIVE_RE.match(text))


_TRAILING_RE = re.compile(
    r"\s*((?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s*$"
)


def split_timestamp(text: str) -> tuple[str, str | None]:
    """Split a printed line into what precedes a trailing date and the date itself."""
    if RELATIVE_RE.match(text):
        return "", text.strip()
    match = _TRAILING_RE.search(text)
    if not match:
        return text, None
    return text[: match.start()].strip(), match.group(1)


def has_clock(value: datetime) -> bool:
    """Whether a parsed date carries a time of day (a date-only value parses as midnight)."""
    return bool(value.hour or value.minute or value.second or value.tzinfo)


def from_timestamp(digits: str, offset_hours: int | None) -> datetime | None:
    """A Unix time in seconds (10 digits) or milliseconds (13), in the given offset or UTC."""
    if len(digits) not in (10, 13):
        return None
    seconds = int(digits) / (1000 if len(digits) == 13 else 1)
    zone = timezone(timedelta(hours=offset_hours)) if offset_hours is not None else UTC
    found = datetime.fromtimestamp(seconds, zone)
    return found if 1990 <= found.year <= 2100 else None


def script_date_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern for ``key: "value"`` / ``key = 'value'`` / ``"key":123`` in lower-cased script
    text, the value in group 1 (quoted) or 2 (a bare number). The keys form a trie, which
    keeps a search through long scripts fast."""
    names = substring_pattern(tuple(k.lower() for k in keys)).pattern
    return re.compile(
        rf"(?:{names})[\"']?\s*[:=]\s*(?:[\"']([^\"'\n]{{6,40}})[\"']|(\d{{10,13}})\b)"
    )


#: A quoted string that is only a date (``s="2020-02-12"``), the last resort in scripts.
_QUOTED_DATE_RE = re.compile(
    r"[\"']((?:19|20)\d\d-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)[\"']"
)


def script_date(
    scripts: Iterable[str], pattern: re.Pattern[str], offset_hours: int | None
) -> datetime | None:
    """The first publication time that inline scripts assign to a key of ``pattern``, else the
    first quoted string that is only a date."""
    texts = [t for t in scripts if t]
    for text in texts:
        lowered = text.lower()
        for match in pattern.finditer(lowered):
            before = lowered[match.start() - 1] if match.start() else " "
            if before.isalnum() or before in "_.":
                continue  # the key is the end of a longer name (fact, obj.ct)
            quoted, number = match.groups()
            value = quoted or number or ""
            found = (
                from_timestamp(value, offset_hours)
                if value.isdigit()
                else (parse_date(value) if prints_date(value) else None)
            )
            if found is not None:
                return found
    for text in texts:
        match = _QUOTED_DATE_RE.search(text)
        if match:
            return parse_date(match.group(1))
    return None


#: A month and day without a year after a publication label: 发布时间：10-08 14:20.
_MONTH_DAY_RE = re.compile(
    r"(?<!\d)(\d{1,2})\s*[-/月]\s*(\d{1,2})(?!\d)\s*日?\s*(\d{1,2}:\d{2}(?::\d{2})?)?"
)
#: A date in a URL path: /2019/10/08/, /2019-10-08/, /20191008/.
_URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)")
#: A year in a URL path (/2019/ or /2019-...): a year-less printed date takes it.
_URL_YEAR_RE = re.compile(r"/((?:19|20)\d\d)(?!\d)")


def month_day(text: str, year: int) -> datetime | None:
    """A year-less printed date (``10-08 14:20``, ``10月8日``) completed with ``year``."""
    match = _MONTH_DAY_RE.search(text)
    if match is None:
        return None
    month, day, clock = match.groups()
    hour, minute, second = ([int(p) for p in clock.split(":")] + [0])[:3] if clock else (0, 0, 0)
    try:
        return datetime(year, int(month), int(day), hour, minute, second)
    except ValueError:
        return None


def url_date(url: str) -> datetime | None:
    """The day a URL path prints (``/2019/10/08/``, ``/20191008/``), or None."""
    match = _URL_DATE_RE.search(url)
    if match is None:
        return None
    try:
        return datetime(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def url_year(url: str) -> int | None:
    """The year a URL path prints, or None."""
    match = _URL_YEAR_RE.search(url)
    return int(match.group(1)) if match else None
