"""What elements are called: furniture, story body, caption, navigation, breadcrumb, overlay.

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
    OVERLAY_SUBSTRINGS,
)
from scraper._extract_walk import Flat
from scraper._text import class_tokens, substring_pattern

_CLUTTER_RE = substring_pattern(CLUTTER_SUBSTRINGS)
_CONTENT_RE = substring_pattern(CONTENT_SUBSTRINGS)
_CAPTION_RE = substring_pattern(CAPTION_SUBSTRINGS)
_CRUMB_RE = substring_pattern(BREADCRUMB_SUBSTRINGS)
_OVERLAY_RE = substring_pattern(OVERLAY_SUBSTRINGS)
#: Any of the rarer names at all: most class values hold none, and one search settles them.
_RARE_RE = substring_pattern(
    (*CONTENT_SUBSTRINGS, *CAPTION_SUBSTRINGS, *BREADCRUMB_SUBSTRINGS, *OVERLAY_SUBSTRINGS)
)
#: Tags that hold a story whatever their class says (WordPress puts "tag-..." on them).
STORY_TAGS = frozenset(("article", "main"))

Flags = tuple[bool, bool, bool, bool, bool, bool]
#: The flags of most elements (a plain ``<p>``, ``<li>``, ``<div>``): the Span defaults.
_PLAIN: Flags = (False, False, False, False, False, False)


def _flags(tag: str, key: str) -> Flags:
    """(clutter, content, caption, nav, crumb, overlay) for one tag and lower-cased class/id
    key."""
    if not key:
        return (
            tag in CLUTTER_TAGS,
            tag in STORY_TAGS,
            tag == "figcaption",
            tag == "nav",
            False,
            False,
        )
    tokens = set(class_tokens(key))
    rare = _RARE_RE.search(key) is not None
    content = rare and _CONTENT_RE.search(key) is not None
    clutter = tag in CLUTTER_TAGS or (
        tag not in STORY_TAGS
        and not content
        and (_CLUTTER_RE.search(key) is not None or not CLUTTER_TOKENS.isdisjoint(tokens))
    )
    caption = tag == "figcaption" or (rare and _CAPTION_RE.search(key) is not None)
    nav = tag == "nav" or not NAV_TOKENS.isdisjoint(tokens)
    crumb = rare and _CRUMB_RE.search(key) is not None
    overlay = rare and not content and tag not in STORY_TAGS and _OVERLAY_RE.search(key) is not None
    return clutter, content or tag in STORY_TAGS, caption, nav, crumb, overlay


def name_spans(flat: Flat) -> None:
    """Set the name flags of every span of ``flat`` (see the module docstring)."""
    seen: dict[tuple[str, str], Flags] = {}
    for span in flat.spans:
        pair = (span.tag, span.key)
        flags = seen.get(pair)
        if flags is None:
            flags = seen[pair] = _flags(span.tag, span.key)
        if flags != _PLAIN:
            span.clutter, span.content, span.caption, span.nav, span.crumb, span.overlay = flags


def overlay_ranges(flat: Flat, title_line: int | None) -> list[tuple[int, int]]:
    """Line ranges of consent and cookie dialogs (``OVERLAY_SUBSTRINGS``), left out of the
    story wherever they stand; an element holding the headline or named like a story body
    is never one."""
    return [
        (span.start, span.end)
        for span in flat.spans
        if span.overlay and (title_line is None or not span.start <= title_line < span.end)
    ]
