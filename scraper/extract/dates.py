"""Find publication dates in metadata values and printed date lines; parse with dateutil.

Regular expressions only *locate* a date in plain text (``2020-06-19 10:40:47``,
``2020年6月19日 10:40``, ``June 19, 2020``); python-dateutil does the parsing. A date is
timezone-aware only when the page states an offset.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType

from dateutil import parser as dateparser
from dateutil.parser import isoparse

_NUMERIC_RE = re.compile(
    r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*T?\s*(\d{1,2}:\d{2}(?::\d{2})?)(\s*(?:Z|[+-]\d{2}:?\d{2}))?)?"
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_WORDY_RE = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{_MONTHS})[a-z]*\.?,?\s+(?:19|20)\d\d"
    rf"|(?:{_MONTHS})[a-z]*\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)"
    r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?",
    re.IGNORECASE,
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
