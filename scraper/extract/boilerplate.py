"""Boilerplate lines inside a story's container: credits, disclaimers, widgets and footers.

A portal prints, inside the element that holds the story, lines that are not story: the editor's
credit (``责任编辑：霍琦``, ``（责编：汤诗瑶、丁涛）``), a disclaimer (``免责声明：…``), widgets
(``扫一扫在手机打开当前页面``, ``返回腾讯网首页>>``, 'Join our mailing list', 'Was this article
helpful?', 'Table of Contents'), the heading of a list of other stories ('Related articles'), a
site footer (``版权所有``, ``ICP备``) and HTML printed as text. Such a line leaves the text when,
as a whole, it has one of those shapes (``boilerplate_kind``):

- a *credit line* is made only of labelled credits (label, colon, a few names), one of them an
  editor's or staff's (``EDITOR_LABELS``, ``STAFF_LABELS``); the names after the editors'
  labels are the story's editors (``credit_editors``);
- a *disclaimer* starts with its label and a colon (``DISCLAIMER_LABELS``, or ``<site>声明：``
  followed by a disclaimer's words), whatever its length;
- a *widget* is a short line that matches one of ``WIDGET_PATTERNS`` from start to end; a
  *footer* is a short line holding one of ``FOOTER_MARKS``; a *call to hire the site's staff*
  is a short line ending ``HIRE_US_END`` (…, talk to one of our experts.) outside quotation
  marks, which a quoted speaker may say.

Whole-line matching with a length guard keeps the story lines that merely mention such words
(a paragraph on newsletters, a quote that starts 感谢您的反馈 and goes on). ``body`` drops these
lines and, after the kinds in ``ENDING_KINDS``, the rest of a story that holds little prose.
The check runs on every line of the container, so a line is tried only against the patterns
that can start with its first character (read from the patterns themselves).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from scraper._text import heading_key, substring_pattern
from scraper.extract.widgets import (
    APP_PROMO_END,
    FOOTER_MARKS,
    HIRE_US_END,
    STATEMENT_WORDS,
    WIDGET_PATTERNS,
)
from scraper.extract.words import (
    BLOCK_HEADINGS,
    BOILERPLATE_LINES,
    CREDIT_LABELS,
    DISCLAIMER_LABELS,
    EDITOR_LABELS,
    SECTION_HEADINGS,
    STAFF_LABELS,
)

#: Longest line checked against the widget patterns (a longer one is prose).
WIDGET_CHARS = 160
#: Longest credit line (labels and a few names).
CREDIT_LINE_CHARS = 80
#: Longest disclaimer dropped (a disclaimer can run to a paragraph; a longer line is a story).
DISCLAIMER_CHARS = 600
#: Longest line compared with the boilerplate lines ("Advertisement", 分享至 ...).
LINE_CHARS = 60
#: Longest line compared with the headings of lists of other stories (相关推荐, Related ...).
HEADING_CHARS = 30
#: Kinds of boilerplate that end a story: what follows them in the container is not story
#: either, when it holds little prose (``body`` cuts it).
ENDING_KINDS = frozenset(
    ("credit", "disclaimer", "end", "footer", "home", "more", "toc", "comment")
)
#: Longest line read as a site's footer line (版权所有, ICP备 ...).
FOOTER_CHARS = 100
#: Longest line read as a promotion of the portal's app (…尽在示例财经APP).
APP_PROMO_CHARS = 40
#: Longest line read as a call to hire the site's staff (``HIRE_US_END``).
HIRE_US_CHARS = 140
#: Quotation marks: a line holding one quotes someone, and its call to action is story.
QUOTE_MARKS = frozenset('"“”«»')
#: Longest value (names) after one credit label.
CREDIT_VALUE_CHARS = 30

_CJK = "\u4e00-\u9fff"


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


#: A label's separator: a colon, or a space after a CJK label or a Latin "by".
_SEP = rf"(?:\s*[:：]\s*|(?<=[{_CJK}])\s+|(?<=by)\s+)"
_CREDITS = (*EDITOR_LABELS, *STAFF_LABELS, *CREDIT_LABELS)
_CREDIT = (
    rf"(?<![a-z])(?:{_alternatives(_CREDITS)}){_SEP}"
    rf"[^:：;；\[\]【】()（）|。？！?!\n]{{1,{CREDIT_VALUE_CHARS}}}?"
)
_CREDIT_LINE_RE = re.compile(
    rf"[\[【(（]?\s*{_CREDIT}(?:\s*[;；|,，/]?\s*{_CREDIT})*\s*[\]】)）]?", re.IGNORECASE
)
#: An editor's or staff label: a line of labelled credits holding one is a credit line.
_STAFF_RE = re.compile(
    rf"(?<![a-z])(?:{_alternatives((*EDITOR_LABELS, *STAFF_LABELS))}){_SEP}", re.IGNORECASE
)
_EDITOR_RE = re.compile(
    rf"(?<![a-z])(?:{_alternatives(EDITOR_LABELS)}){_SEP}"
    rf"([^:：;；\[\]【】()（）|。？！?!\n]{{1,{CREDIT_VALUE_CHARS}}}?)"
    rf"(?=\s*(?:[;；|,，/]?\s*(?:{_alternatives(_CREDITS)}){_SEP}"
    rf"|[\]】)）]?\s*$))",
    re.IGNORECASE,
)
_DISCLAIMER_RE = re.compile(
    rf"[\[【(（]?\s*(?:{_alternatives(DISCLAIMER_LABELS)})\s*[:：]", re.IGNORECASE
)
_DISCLAIMER_KEYS = frozenset(DISCLAIMER_LABELS)
#: "<site>声明：" followed by the words of a disclaimer (新浪声明：此消息系转载自合作媒体…).
_STATEMENT_RE = re.compile(rf"[^，。,.：:]{{0,6}}声明[:：].*?(?:{_alternatives(STATEMENT_WORDS)})")
#: Where a site's statement label may end: within the first characters of the line.
STATEMENT_LABEL_CHARS = 10
_APP_PROMO_RE = re.compile(APP_PROMO_END)
_HIRE_US_RE = re.compile(HIRE_US_END)
_FOOTER_RE = substring_pattern(FOOTER_MARKS)
_HEADINGS = frozenset(key for keys in BLOCK_HEADINGS.values() for key in keys) - SECTION_HEADINGS
#: A line of HTML printed as text (a ``<noscript>`` fallback, an ad tag): a tag with attributes.
_MARKUP_RE = re.compile(r"<[a-z][a-z0-9]*\s+[a-z-]+\s*=[^<>]*>", re.IGNORECASE)
#: A staff code glued to an editor's name (霍琦_NBJ11279).
_CODE_RE = re.compile(r"_[A-Za-z0-9]+$")
_NAME_SPLIT_RE = re.compile(r"\s*(?:[、,，/／&]|\band\b)\s*")


def _first_chars(items: Iterable[tuple[Any, Any]]) -> tuple[set[str] | None, bool]:
    """``(characters a match of the parsed pattern can start with, whether it can be empty)``;
    None when any character can (``.``, a category such as ``\\s``)."""
    chars: set[str] = set()
    for op, arg in items:
        if op is _c.LITERAL:
            return chars | {chr(arg)}, False
        if op is _c.IN and all(o is _c.LITERAL for o, _ in arg):
            return chars | {chr(a) for _, a in arg}, False
        if op is _c.SUBPATTERN or op is _c.MAX_REPEAT or op is _c.MIN_REPEAT:
            found, empty = _first_chars(arg[-1])
            empty = empty or (op is not _c.SUBPATTERN and arg[0] == 0)
        elif op is _c.BRANCH:
            found, empty = set(), False
            for branch in arg[1]:
                more, can_be_empty = _first_chars(branch)
                found = None if found is None or more is None else found | more
                empty = empty or can_be_empty
        else:
            return None, False
        if found is None:
            return None, False
        chars |= found
        if not empty:
            return chars, False
    return chars, True


def _by_start(patterns: Mapping[str, tuple[str, ...]]) -> dict[str, re.Pattern[str]]:
    """The widget patterns by the first character of the lines they match, each character's as
    one pattern with a group per purpose: a line is tried against a few patterns, not all."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for purpose, group in patterns.items():
        for pattern in group:
            found, empty = _first_chars(_parser.parse(f"(?:{pattern})"))
            if found is None or empty:
                raise ValueError(f"widget pattern {pattern!r} must start with known characters")
            for char in found:
                grouped.setdefault(char, {}).setdefault(purpose, []).append(pattern)
    return {
        char: re.compile("|".join(f"(?P<{k}>{'|'.join(v)})" for k, v in purposes.items()))
        for char, purposes in grouped.items()
    }


def is_credit_line(text: str) -> bool:
    """Whether ``text`` is a line of labelled credits, one of them an editor's or staff's."""
    if len(text) > CREDIT_LINE_CHARS:
        return False
    line = text.strip()
    return _CREDIT_LINE_RE.fullmatch(line) is not None and _STAFF_RE.search(line) is not None


def credit_editors(text: str) -> tuple[str, ...]:
    """The editors a credit line names (``（责编：汤诗瑶、丁涛）`` → 汤诗瑶, 丁涛; a staff code
    such as ``_NBJ11279`` is cut off); () for other lines."""
    if not is_credit_line(text):
        return ()
    names: list[str] = []
    for match in _EDITOR_RE.finditer(text.strip()):
        names += [_CODE_RE.sub("", n) for n in _NAME_SPLIT_RE.split(match.group(1).strip()) if n]
    return tuple(names)


_WIDGETS = _by_start(WIDGET_PATTERNS)
#: First characters (lower-cased) of the lines each check may accept, so that a line is only
#: tried against the patterns that can match it: a line starting with a bracket or one of a
#: label's first characters may be a credit or a disclaimer, one starting with a key's first
#: character (or punctuation) may be a boilerplate line or heading.
_OPENERS = frozenset("[【(（")
_CREDIT_STARTS = _OPENERS | {label[0].lower() for label in _CREDITS}
_DISCLAIMER_STARTS = _OPENERS | {label[0].lower() for label in DISCLAIMER_LABELS}
_KEY_STARTS = frozenset(key[0] for key in (*_HEADINGS, *BOILERPLATE_LINES, *_DISCLAIMER_KEYS))
_STARTS = frozenset(_WIDGETS) | _CREDIT_STARTS | _DISCLAIMER_STARTS | _KEY_STARTS


def widget_kind(lowered: str) -> str | None:
    """The purpose of the widget pattern that a lower-cased line matches as a whole, or None."""
    widgets = _WIDGETS.get(lowered[:1])
    match = widgets.fullmatch(lowered) if widgets is not None else None
    return match.lastgroup if match is not None else None


def _anywhere(lowered: str) -> str | None:
    """The kinds a short (lower-cased) line may have whatever it starts with: ``"footer"``
    (版权所有, ICP备…), ``"app"`` (…尽在示例财经APP) or ``"cta"`` (…, talk to our experts,
    outside quotation marks); else None."""
    if (
        len(lowered) <= HIRE_US_CHARS
        and " our " in lowered
        and _HIRE_US_RE.search(lowered)
        and QUOTE_MARKS.isdisjoint(lowered)
    ):
        return "cta"
    if len(lowered) > FOOTER_CHARS:
        return None
    if _FOOTER_RE.search(lowered):
        return "footer"
    if len(lowered) <= APP_PROMO_CHARS and _APP_PROMO_RE.search(lowered):
        return "app"
    return None


def boilerplate_kind(text: str) -> str | None:
    """What a line of the story's container is when it is not story: ``"credit"``,
    ``"disclaimer"``, ``"markup"``, ``"more"`` (the heading of a list of other stories),
    ``"line"`` (one of ``BOILERPLATE_LINES``) or a widget's purpose (a key of
    ``WIDGET_PATTERNS``); None for a story line."""
    if text[:1] == "<":
        return "markup" if _MARKUP_RE.match(text) else None
    size = len(text)
    if size > DISCLAIMER_CHARS:
        return None
    if text.find("声明", 0, STATEMENT_LABEL_CHARS) >= 0 and _STATEMENT_RE.match(text):
        return "disclaimer"
    if size > WIDGET_CHARS:
        if text[:1].lower() in _DISCLAIMER_STARTS and _DISCLAIMER_RE.match(text):
            return "disclaimer"
        return None
    lowered = text.lower()
    first = lowered[:1]
    alnum = first.isalnum()
    if alnum and first not in _STARTS:
        return _anywhere(lowered)
    if first in _DISCLAIMER_STARTS and _DISCLAIMER_RE.match(lowered):
        return "disclaimer"
    kind = widget_kind(lowered)
    if kind is not None:
        return kind
    if size <= LINE_CHARS and (not alnum or first in _KEY_STARTS):
        key = heading_key(text)
        if key in BOILERPLATE_LINES:
            return "line"
        if key in _DISCLAIMER_KEYS:
            return "disclaimer"
        if size <= HEADING_CHARS and key in _HEADINGS:
            return "more"
    if first in _CREDIT_STARTS and is_credit_line(text):
        return "credit"
    return _anywhere(lowered)
