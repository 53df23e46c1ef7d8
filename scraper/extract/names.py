"""What elements are called: furniture, story body, caption, navigation, breadcrumb, overlay.

Each block element's tag and class/id/itemprop/role tokens are matched once against the named
lists in ``data``; the answers are stored on the :class:`Span` as flags. Pages repeat
the same class names many times, so answers are memoised per page (never across pages).
"""

from __future__ import annotations

from scraper._text import substring_pattern, token_pattern
from scraper.extract.data import (
    BREADCRUMB_SUBSTRINGS,
    CAPTION_SUBSTRINGS,
    CLUTTER_SUBSTRINGS,
    CLUTTER_TAGS,
    CLUTTER_TOKENS,
    CONTENT_SUBSTRINGS,
    NAV_TOKENS,
    OVERLAY_SUBSTRINGS,
)
from scraper.extract.walk import Flat

_CLUTTER_RE = substring_pattern(CLUTTER_SUBSTRINGS)
_CLUTTER_TOKEN_RE = token_pattern(CLUTTER_TOKENS)
_NAV_RE = token_pattern(NAV_TOKENS)
#: The ``NAV_TOKENS`` that hold no other one ("nav", "menu"): a key holding none of them
#: cannot name navigation, and most keys are settled without a search.
_NAV_HINTS = tuple(w for w in NAV_TOKENS if not any(o != w and o in w for o in NAV_TOKENS))
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
#: Tags that have a flag without any class or id.
_NAMED_BY_TAG = CLUTTER_TAGS | STORY_TAGS | frozenset(("figcaption", "nav"))
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
    rare = _RARE_RE.search(key) is not None
    content = rare and _CONTENT_RE.search(key) is not None
    story = tag in STORY_TAGS
    clutter = tag in CLUTTER_TAGS or (
        not story
        and not content
        and (_CLUTTER_RE.search(key) is not None or _CLUTTER_TOKEN_RE.search(key) is not None)
    )
    caption = tag == "figcaption" or (rare and _CAPTION_RE.search(key) is not None)
    nav = tag == "nav" or (
        any(hint in key for hint in _NAV_HINTS) and _NAV_RE.search(key) is not None
    )
    crumb = rare and _CRUMB_RE.search(key) is not None
    overlay = rare and not content and not story and _OVERLAY_RE.search(key) is not None
    return clutter, content or tag in STORY_TAGS, caption, nav, crumb, overlay


def name_spans(flat: Flat) -> None:
    """Set the name flags of every span of ``flat`` (see the module docstring)."""
    seen: dict[tuple[str, str], Flags] = {}
    for span in flat.spans:
        if not span.key and span.tag not in _NAMED_BY_TAG:
            continue
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
