"""Plain-text helpers shared by the extractor modules (never applied to HTML)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
CJK_RE = re.compile(f"[{_CJK}]")
_CJK_RUN_RE = re.compile(f"[{_CJK}]+")
_WIDE = f"{_CJK}\u3000-\u303f\uff00-\uffef"
#: The walk's mark for the end of an inline element (see ``walk``): whitespace to
#: ``str.split``, so plain lines and link texts need no replace.
GAP = "\x1f"
#: A line break (with its indentation) between two CJK characters: source layout, not a space.
_CJK_BREAK_RE = re.compile(f"(?<=[{_WIDE}])[ \t\r]*[\n{GAP}]\\s*(?=[{_WIDE}])")
_NON_ALNUM_RE = re.compile(r"[\W_]+")


def squeeze(text: str) -> str:
    """Collapse runs of whitespace to one space; a line break (or the walk's inline-element
    mark ``GAP``) between CJK characters goes."""
    if ("\n" in text or GAP in text) and CJK_RE.search(text):
        text = _CJK_BREAK_RE.sub("", text)
    return " ".join(text.split())


def heading_key(text: str) -> str:
    """Lower-cased letters and digits only: how printed headings are compared to keywords."""
    lowered = text.lower()
    if lowered.isalnum():
        return lowered
    words = lowered.replace(" ", "")
    return words if words.isalnum() else _NON_ALNUM_RE.sub("", words)


def token_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern finding any of ``words`` as a whole token (a run of ``[0-9a-z]``) of a
    lower-cased class/id value, in one search."""
    return re.compile(f"(?<![0-9a-z])(?:{_trie(list(words), whole=True)})(?![0-9a-z])")


def substring_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern finding any of ``words`` anywhere in a string.

    The words are merged into a trie (``re`` tries alternatives one by one, so sharing their
    prefixes makes a search about twice as fast); a word that another one starts with ends its
    branch, since finding it is enough.
    """
    return re.compile(_trie(list(words)))


def _trie(words: list[str], whole: bool = False) -> str:
    """The words as a trie pattern; with ``whole``, a word that another one starts with may
    still be followed by the rest of the longer one (the caller checks where tokens end)."""
    longer = [word for word in words if word]
    if len(longer) < len(words) and not (whole and longer):
        return ""
    branches: dict[str, list[str]] = {}
    for word in longer:
        branches.setdefault(word[0], []).append(word[1:])
    alternatives = [
        re.escape(first) + _trie(rest, whole) for first, rest in sorted(branches.items())
    ]
    found = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    if len(longer) < len(words):
        return f"(?:{found})?"
    return found


def absolute(base: str, href: str) -> str:
    """``href`` made absolute against ``base`` (fast paths for the common shapes of links)."""
    href = href.strip()
    if href.startswith(("http://", "https://")):
        return href
    if href[:1] == "/" and href[1:2] != "/" and "://" in base:
        start = base.index("://") + 3
        end = len(base)
        for mark in "/?#":
            at = base.find(mark, start, end)
            if at >= 0:
                end = at
        return base[:end] + href
    return urljoin(base, href)


def cjk_count(text: str) -> int:
    """How many CJK characters ``text`` holds, counted by runs once a first one is found (a
    match per run, not per character: four times as fast on Chinese text)."""
    if text.isascii():
        return 0
    first = CJK_RE.search(text)
    if first is None:
        return 0
    return sum(map(len, _CJK_RUN_RE.findall(text, first.start())))


def cjk_share(text: str) -> float:
    """Share of CJK characters among the non-space characters of ``text``."""
    n = len(text) - text.count(" ")
    return cjk_count(text) / n if n > 0 else 0.0


def weight(text: str) -> int:
    """Reading weight of a line: characters, with CJK counted thrice (a CJK char is ~a word)."""
    return len(text) + 2 * cjk_count(text)
