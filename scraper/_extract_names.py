"""What elements are called: furniture, story body, caption, navigation, breadcrumb.

Each block element's tag and class/id/itemprop/role tokens are matched once against the named
lists in ``_extract_data``; the answers are stored on the :class:`Span` as flags. Pages repeat
the same class names many times, so answers are memoised per page (never across pages).
"""

from __future__ import annotations

from scraper._extract_data import (
    BREADCRUMB_SUBSTRINGS,
    CAPTION_SUBSTRINGS,
    CLUTTER_SUBSTRINGS,
    CLUTTER_TAGS,
    CLUTTER_TOKENS,
    CONTENT_SUBSTRINGS,
    NAV_TOKENS,
)
from scraper._extract_walk import Flat, Span
from scraper._text import class_tokens, substring_pattern

_CLUTTER_RE = substring_pattern(CLUTTER_SUBSTRINGS)
_CONTENT_RE = substring_pattern(CONTENT_SUBSTRINGS)
_CAPTION_RE = substring_pattern(CAPTION_SUBSTRINGS)
_CRUMB_RE = substring_pattern(BREADCRUMB_SUBSTRINGS)
#: Tags that hold a story whatever their class says (WordPress puts "tag-..." on them).
STORY_TAGS = frozenset(("article", "main"))

Flags = tuple[bool, bool, bool, bool, bool]
#: The flags of most elements (a plain ``<p>``, ``<li>``, ``<div>``): the Span defaults.
_PLAIN: Flags = (False, False, False, False, False)


def _flags(tag: str, key: str) -> Flags:
    """(clutter, content, caption, nav, crumb) for one tag and lower-cased class/id key."""
    if not key:
        return tag in CLUTTER_TAGS, tag in STORY_TAGS, tag == "figcaption", tag == "nav", False
    tokens = set(class_tokens(key))
    content = _CONTENT_RE.search(key) is not None
    clutter = tag in CLUTTER_TAGS or (
        tag not in STORY_TAGS
        and not content
        and (_CLUTTER_RE.search(key) is not None or not CLUTTER_TOKENS.isdisjoint(tokens))
    )
    caption = tag == "figcaption" or _CAPTION_RE.search(key) is not None
    nav = tag == "nav" or not NAV_TOKENS.isdisjoint(tokens)
    crumb = _CRUMB_RE.search(key) is not None
    return clutter, content or tag in STORY_TAGS, caption, nav, crumb


def name_spans(flat: Flat) -> None:
    """Set the name flags of every span of ``flat`` (see the module docstring)."""
    seen: dict[tuple[str, str], Flags] = {}
    for span in flat.spans:
        pair = (span.tag, span.key)
        flags = seen.get(pair)
        if flags is None:
            flags = seen[pair] = _flags(span.tag, span.key)
        if flags != _PLAIN:
            span.clutter, span.content, span.caption, span.nav, span.crumb = flags


def is_clutter(span: Span) -> bool:
    """Whether an element is page furniture by its tag or its class/id tokens."""
    return _flags(span.tag, span.key)[0]
