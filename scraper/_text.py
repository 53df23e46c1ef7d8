"""Plain-text helpers shared by the extractor modules (never applied to HTML)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
CJK_RE = re.compile(f"[{_CJK}]")
_WIDE = f"{_CJK}\u3000-\u303f\uff00-\uffef"
#: A line break (with its indentation) between two CJK characters: source layout, not a space.
_CJK_BREAK_RE = re.compile(f"(?<=[{_WIDE}])[ \t\r]*[\n\x01][\\s\x01]*(?=[{_WIDE}])")
_SPLIT_RE = re.compile(r"[^0-9a-z]+")
_NON_ALNUM_RE = re.compile(r"[\W_]+")


def squeeze(text: str) -> str:
    """Collapse runs of whitespace to one space; a line break (or the walk's inline-element
    mark, U+0001) between CJK characters goes."""
    if ("\n" in text or "\x01" in text) and CJK_RE.search(text):
        text = _CJK_BREAK_RE.sub("", text)
    return " ".join(text.replace("\x01", " ").split())


def heading_key(text: str) -> str:
    """Lower-cased letters and digits only: how printed headings are compared to keywords."""
    return _NON_ALNUM_RE.sub("", text.lower())


def class_tokens(value: str) -> list[str]:
    """The alphanumeric tokens of a lower-cased class/id value."""
    return [t for t in _SPLIT_RE.split(value) if t]


def token_pattern(tokens: frozenset[str] | tuple[str, ...]) -> re.Pattern[str]:
    """A pattern finding any of ``tokens`` as a whole alphanumeric token of a class/id value."""
    words = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    return re.compile(f"(?<![0-9a-z])(?:{words})(?![0-9a-z])")


def substring_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern finding any of ``words`` anywhere in a string."""
    return re.compile("|".join(re.escape(w) for w in words))


def absolute(base: str, href: str) -> str:
    """``href`` made absolute against ``base`` (fast paths for the common shapes of links)."""
    href = href.strip()
    if href.startswith(("http://", "https://")):
        return href
    if href.startswith("/") and not href.startswith("//") and "://" in base:
        start = base.index("://") + 3
        ends = [i for i in (base.find(c, start) for c in "/?#") if i >= 0]
        return (base[: min(ends)] if ends else base) + href
    return urljoin(base, href)


def cjk_share(text: str) -> float:
    """Share of CJK characters among the non-space characters of ``text``."""
    n = len(text) - text.count(" ")
    return len(CJK_RE.findall(text)) / n if n > 0 else 0.0


def weight(text: str) -> int:
    """Reading weight of a line: characters, with CJK counted thrice (a CJK char is ~a word)."""
    if text.isascii():
        return len(text)
    return len(text) + 2 * len(CJK_RE.findall(text))
