"""Choose the story among the lines of a flattened page and render it.

Cascade:

1. mark lines as *furniture* when they sit in an element whose tag (nav, aside, footer) or
   class/id tokens say so (``CLUTTER_*`` in ``_extract_data``), or in a link block already
   taken apart by ``_blocks``; an element holding most of the page is a wrapper, never furniture;
2. score each line: prose earns its reading weight minus its link share; link-dense lines and
   furniture cost; short plain lines cost a little;
3. the story container is the element whose lines sum to the highest score (prefix sums over
   the line ranges each element spans: one pass, no second tree walk); elements named like a
   story body (``CONTENT_SUBSTRINGS``, ``<article>``, ``<main>``) get a bonus;
4. render the container's lines, skipping furniture nested inside it, link-dense lines,
   boilerplate lines ("Advertisement", 分享至 ...), a repeat of the headline and repeated lines
   (captions printed twice are kept once). When no element scores above zero, every line of the
   page that is neither furniture nor link-dense is kept, so short pages still yield text.
"""

from __future__ import annotations

import re
from itertools import accumulate

from scraper._extract_data import (
    BOILERPLATE_LINES,
    CAPTION_SUBSTRINGS,
    CLUTTER_SUBSTRINGS,
    CLUTTER_TAGS,
    CLUTTER_TOKENS,
    CONTENT_SUBSTRINGS,
    HEADING_TAGS,
)
from scraper._extract_walk import Flat, Span
from scraper._text import heading_key, substring_pattern, token_pattern, weight

#: A furniture-named element holding more than this share of the page's prose is a wrapper.
WRAPPER_SHARE = 0.8
#: The same when the page names neither its headline nor its story body.
WRAPPER_SHARE_UNANCHORED = 0.5
#: Lines shorter than this are compared loosely (case, spaces, punctuation) when deduplicating.
SHORT_LINE = 300
#: Shortest headline link that introduces a teaser.
TEASER_HEADLINE_CHARS = 20
#: Most lines of a teaser card (headline link, excerpt, byline/date).
CARD_LINES = 4
#: Most lines between two teasers of one list.
TEASER_GAP = 6
#: Score multiplier for lines of an element named like a story body.
CONTENT_BONUS = 1.25


_CLUTTER_RE = re.compile(
    f"{substring_pattern(CLUTTER_SUBSTRINGS).pattern}|{token_pattern(CLUTTER_TOKENS).pattern}"
)
_CONTENT_RE = substring_pattern(CONTENT_SUBSTRINGS)
_CAPTION_RE = substring_pattern(CAPTION_SUBSTRINGS)
_PUNCT_RE = re.compile(r"[.!?。！？；;，,、:：]")


def is_clutter(span: Span) -> bool:
    """Whether an element is page furniture by its tag or its class/id tokens."""
    if span.tag in CLUTTER_TAGS:
        return True
    if span.tag in ("article", "main"):
        return False
    key = span.key
    return bool(key) and _CLUTTER_RE.search(key) is not None and not _CONTENT_RE.search(key)


def is_content(span: Span) -> bool:
    """Whether an element is named like the story body."""
    return span.tag in ("article", "main") or bool(span.key and _CONTENT_RE.search(span.key))


def _line_score(text: str, links: int, w: int) -> float:
    """What a line adds to its container: prose earns, links and furniture cost."""
    share = links / len(text)
    if share > 0.5:
        return -w * share
    if w < 40 and not _PUNCT_RE.search(text):
        return -1.0
    return w * (1.0 - share) ** 2


def mark_furniture(
    flat: Flat,
    prose: list[float],
    core: list[int],
    inside: Span | None = None,
) -> list[bool]:
    """Per line: True when it belongs to furniture (step 1 of the module cascade).

    A furniture-named element that holds a ``core`` line (the headline, the start of an element
    named like a story body) or most of the prose is a wrapper and marks nothing. With
    ``inside``, only elements strictly inside that element count, and the prose is measured
    within it.
    """
    marks = [False] * len(flat.texts)
    cumulative = [0.0, *accumulate(prose)]
    lo, hi = (inside.start, inside.end) if inside else (0, len(flat.texts))
    total = (cumulative[hi] - cumulative[lo]) or 1.0
    limit = WRAPPER_SHARE if core else WRAPPER_SHARE_UNANCHORED
    for span in flat.spans:
        if not span.clutter or span is inside or span.start < lo or span.end > hi:
            continue
        if any(span.start <= line < span.end for line in core):
            continue
        if (cumulative[span.end] - cumulative[span.start]) / total < limit:
            marks[span.start : span.end] = [True] * (span.end - span.start)
    return marks


def mark_teasers(flat: Flat) -> list[bool]:
    """Per line: True for the text of teaser cards that come in a run.

    A teaser card is a small element holding a headline link and an excerpt that reads like
    prose; lists of other stories give themselves away by repeating that card.
    """
    texts, links = flat.texts, flat.link_chars
    cards: set[int] = set()
    for span in flat.spans:
        if not 2 <= span.end - span.start <= CARD_LINES:
            continue
        for i in range(span.start + 1, span.end):
            headline = texts[i - 1]
            if (
                links[i] < 0.2 * len(texts[i])
                and links[i - 1] >= 0.8 * len(headline) >= TEASER_HEADLINE_CHARS
            ):
                cards.add(i)
    ordered = sorted(cards)
    marks = [False] * len(texts)
    for n, i in enumerate(ordered):
        before = n > 0 and i - ordered[n - 1] <= TEASER_GAP
        after = n + 1 < len(ordered) and ordered[n + 1] - i <= TEASER_GAP
        if before or after:
            marks[i] = True
    return marks


def choose_container(flat: Flat, scores: list[float]) -> Span | None:
    """The element whose lines score highest (step 3); None when nothing scores above zero."""
    cumulative = [0.0, *accumulate(scores)]
    best: Span | None = None
    best_score = 0.0
    for span in flat.spans:
        score = cumulative[span.end] - cumulative[span.start]
        if span.content:
            score *= CONTENT_BONUS
        if score > best_score:
            best, best_score = span, score
    return best


def caption_lines(flat: Flat) -> set[int]:
    """Lines printed as image captions (figcaption or a caption-named element)."""
    lines: set[int] = set()
    for span in flat.spans:
        if span.tag == "figcaption" or (span.key and _CAPTION_RE.search(span.key)):
            lines.update(range(span.start, span.end))
    return lines


def story_lines(
    flat: Flat, excluded: list[tuple[int, int]], title: str, title_line: int | None
) -> tuple[int, int, list[int]]:
    """The story: ``(start, end, kept line indexes)`` of the chosen container (see module doc)."""
    texts = flat.texts
    for span in flat.spans:
        span.clutter = is_clutter(span)
        span.content = is_content(span)
    core = [s.start for s in flat.spans if s.content and s.tag not in ("article", "main")]
    if title_line is not None:
        core.append(title_line)
    weights = [weight(t) for t in texts]
    scores = [
        _line_score(text, links, w)
        for text, links, w in zip(texts, flat.link_chars, weights, strict=True)
    ]
    prose = [max(0.0, v) for v in scores]
    off = [a or b for a, b in zip(mark_furniture(flat, prose, core), mark_teasers(flat), strict=True)]
    for start, end in excluded:
        off[start:end] = [True] * (end - start)
    scores = [
        -0.5 * w if furn else score for score, w, furn in zip(scores, weights, off, strict=True)
    ]
    container = choose_container(flat, scores)
    start, end = (container.start, container.end) if container else (0, len(texts))
    if container is not None:
        inner = mark_furniture(flat, prose, core, container)
        off = [a and (b or c) for a, b, c in zip(off, inner, mark_teasers(flat), strict=True)]
        for lo, hi in excluded:
            off[lo:hi] = [True] * (hi - lo)
    captions = caption_lines(flat)
    title_key = heading_key(title)
    seen: set[str] = set()
    kept: list[int] = []
    for i in range(start, end):
        text = texts[i]
        if off[i] and i not in captions:
            continue
        if flat.link_chars[i] > 0.5 * len(text) and flat.tags[i] not in HEADING_TAGS:
            continue
        key = heading_key(text) if len(text) < SHORT_LINE else text
        if key in BOILERPLATE_LINES or key in seen or (key == title_key and not kept):
            continue
        seen.add(key)
        kept.append(i)
    return start, end, kept
