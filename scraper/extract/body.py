"""Choose the story among the lines of a flattened page and render it.

Cascade:

1. mark lines as *furniture* when they sit in an element whose tag (nav, aside, footer) or
   class/id tokens say so (``names``), in a run of teaser cards (``cards``),
   in a link block already taken apart by ``blocks``, in a consent dialog or in a dialog
   (``role="dialog"``) holding little prose and not the headline (a drawer, a follow box). A
   furniture-named element that holds the headline, an element named like a story body, or
   most of the prose is a wrapper, never furniture. When furniture would hold
   nearly all prose, names are ignored, unless an element named like a story body holds prose
   outside it (a short post under its comments); teaser runs holding nearly all prose are the
   page's content (a listing), not furniture;
2. score each line: prose earns its reading weight (CJK characters count thrice) times the
   square of its non-link share; link-dense lines and furniture cost; short plain lines cost 1;
3. the story container is the element whose lines sum to the highest score (prefix sums over
   the line ranges each element spans: one pass, no second tree walk); elements named like a
   story body (``CONTENT_SUBSTRINGS``, ``<article>``, ``<main>``) get a bonus;
4. render the container's lines, skipping furniture nested inside it (captions excepted),
   link-dense lines, captions that carry a photo credit or are printed more than once,
   boilerplate lines (credits 责任编辑：…, disclaimers, widgets such as 分享至, "Join our
   mailing list", Table of Contents: ``boilerplate``), chrome lines (datelines,
   bare URLs, photo credits), a repeat of the headline, a short line that repeats the one
   before (text printed twice outside a caption element is kept once) and a carousel's second
   copy of its slides. When nothing scores above zero, every line that is neither furniture
   nor link-dense is kept, so short pages still yield text;
5. cut the story's edges: the short plain lines above its first paragraph (a byline, a
   kicker), and everything after a line that ends a story (a credit, a footer, 相关推荐, a
   table of contents) when little prose follows it;
6. when the story holds little prose, the page may be a list of headlines instead
   (``listing``): then that list is the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate, compress
from operator import or_

from scraper._text import heading_key, weight
from scraper.extract.boilerplate import ENDING_KINDS, boilerplate_kind
from scraper.extract.cards import LINK_DENSE, carousel_repeats, mark_teasers
from scraper.extract.data import HEADING_TAGS
from scraper.extract.dates import prints_date
from scraper.extract.listing import LISTING_MAX_PROSE, listing_lines
from scraper.extract.walk import Flat, Span
from scraper.extract.words import (
    BOILERPLATE_PATTERNS,
    BOILERPLATE_PREFIXES,
    CAPTION_CREDIT_MARKS,
    CREDIT_NAMES,
    DATELINE_WORDS,
)

#: A furniture-named element holding more than this share of the page's prose is a wrapper.
WRAPPER_SHARE = 0.8
#: The same when the page names neither its headline nor its story body.
WRAPPER_SHARE_UNANCHORED = 0.5
#: When furniture-named elements (or teaser cards) hold more than this share of the prose, the
#: names lie (a forum thread whose posts are named "comment", a builder that names every box
#: "widget"), or the page is a listing whose teasers are its content.
MOSTLY_FURNITURE = 0.85
#: Score of the first line that reads as a paragraph; short lines above it are dropped.
LEAD_PROSE_SCORE = 80.0
#: Most short lines above the first paragraph that are dropped; more are a list, not a byline.
LEAD_LINES = 3
#: Most share of the story's prose cut after a line that ends a story (a credit, 相关推荐).
TAIL_SHARE = 0.15
#: ... and fewer lines than this share of the lines above (a table after a heading is story).
TAIL_LINES_SHARE = 0.5
#: Lines above the first paragraph at least this long are kept (a standfirst).
LEAD_SHORT_CHARS = 60
#: Longest line checked for being chrome (datelines, credits).
CHROME_CHARS = 120
#: Longest line that is dropped as a photo credit when it names an agency.
CREDIT_CHARS = 70
#: Letters a dateline may hold besides its date and words like "Updated" (a name, a place).
DATELINE_SPARE_CHARS = 12
#: Longest line dropped when it repeats the line before (captions printed twice).
CAPTION_CHARS = 200
#: How much longer or shorter than the headline a line repeating it may be (spaces, marks).
TITLE_SLACK = 12
#: What a furniture line costs its container, per unit of reading weight.
FURNITURE_COST = 0.5
#: Reading weight under which a line without punctuation is a label, not prose.
SHORT_WEIGHT = 40
#: Score multiplier for lines of an element named like a story body.
CONTENT_BONUS = 1.25


#: A dialog holding less than this share of the page's prose is left out of the story (the
#: dev set's closed dialogs hold at most 0.09; a shop's slide-in sheets, its description, 0.21).
DIALOG_SHARE = 0.1


#: Punctuation that makes a short line read as a sentence.
_PUNCT_RE = re.compile(r"[.!?。！？；;，,、:：]")
#: Month names, removed from a candidate dateline before measuring it.
_MONTH_RE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?", re.IGNORECASE
)
_WORD_RE = re.compile(r"[^\W\d_]+\.?")
_PATTERN_RE = re.compile("|".join(f"(?:{p})" for p in BOILERPLATE_PATTERNS))
#: The first letters of the agencies' names: a line holding none of them names none (most
#: Chinese lines), which one quick search settles.
_CREDIT_INITIALS_RE = re.compile("[" + re.escape("".join({n[0] for n in CREDIT_NAMES})) + "]")
_CREDIT_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in CREDIT_NAMES) + r")(?!\w)")


def is_chrome_line(text: str) -> bool:
    """A line that is page chrome wherever it stands: a dateline, a bare URL, a photo credit."""
    if len(text) > CHROME_CHARS:
        return False
    lowered = text.lower()
    if lowered.startswith(BOILERPLATE_PREFIXES) or _PATTERN_RE.fullmatch(lowered):
        return True
    if (
        len(text) < CREDIT_CHARS
        and not text.endswith(".")
        and _CREDIT_INITIALS_RE.search(lowered)
        and _CREDIT_RE.search(lowered)
    ):
        return "/" in text or lowered.startswith("(") or lowered.rstrip(") ").endswith(CREDIT_NAMES)
    if " " not in text and lowered.startswith(("http://", "https://", "www.")):
        return True
    if text.endswith((".", "。", "!", "！", "?", "？")) or not prints_date(text):
        return False
    words = [w for w in _WORD_RE.findall(_MONTH_RE.sub(" ", lowered)) if w not in DATELINE_WORDS]
    return sum(len(w) for w in words) < DATELINE_SPARE_CHARS


def _line_score(text: str, links: int, w: int) -> float:
    """What a line adds to its container: prose earns, links and furniture cost."""
    share = links / len(text)
    if share > LINK_DENSE:
        return -w * share
    if w < SHORT_WEIGHT and not _PUNCT_RE.search(text):
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
    anchored = sorted(core)
    for span in flat.spans:
        if not span.clutter or span is inside or span.start < lo or span.end > hi:
            continue
        first_core = bisect_left(anchored, span.start)
        if first_core < len(anchored) and anchored[first_core] < span.end:
            continue
        if (cumulative[span.end] - cumulative[span.start]) / total < limit:
            marks[span.start : span.end] = [True] * (span.end - span.start)
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


def credited_captions(flat: Flat) -> set[int]:
    """Lines of captions that carry a photo credit, or that the page prints more than once.

    Such captions belong to the picture (a slideshow repeats them; a credit names the agency),
    so they stay out of the story; ``find_images`` still reads them.
    """
    texts = flat.texts
    seen: dict[str, int] = {}
    spans = [s for s in flat.spans if s.caption]
    for span in spans:
        for i in range(span.start, span.end):
            seen[texts[i]] = seen.get(texts[i], 0) + 1
    lines: set[int] = set()
    for span in spans:
        lowered = " ".join(texts[span.start : span.end]).lower()
        if (
            any(mark in lowered for mark in CAPTION_CREDIT_MARKS)
            or _CREDIT_RE.search(lowered)
            or any(seen[texts[i]] > 1 for i in range(span.start, span.end))
        ):
            lines.update(range(span.start, span.end))
    return lines


def caption_lines(flat: Flat) -> set[int]:
    """Lines printed as image captions (figcaption or a caption-named element)."""
    lines: set[int] = set()
    for span in flat.spans:
        if span.caption:
            lines.update(range(span.start, span.end))
    return lines


def _named_body_apart(flat: Flat, prose: list[float], furniture: list[bool]) -> bool:
    """Whether an element named like a story body holds prose outside all furniture.

    Then furniture holding most of the prose is real (a short post under a long comment
    thread), not a builder naming every box "comment".
    """
    return any(
        span.content
        and span.tag not in ("article", "main")
        and not furniture[span.start]
        and sum(prose[span.start : span.end]) > 0
        for span in flat.spans
    )


def _dialogs(
    flat: Flat, prose: list[float], total: float, title_line: int | None
) -> list[tuple[int, int]]:
    """Line ranges of dialogs (``role="dialog"``) that hold little of the page's prose and not
    its headline: a menu drawer or a "follow this author" box, closed until clicked. A dialog
    holding much of the prose (a shop's description in a slide-in sheet) stays."""
    limit = DIALOG_SHARE * total
    return [
        (span.start, span.end)
        for span in flat.spans
        if span.key
        and span.key.endswith(" dialog")
        and not (title_line is not None and span.start <= title_line < span.end)
        and sum(prose[span.start : span.end]) < limit
    ]


def story_lines(
    flat: Flat,
    excluded: list[tuple[int, int]],
    title: str,
    title_line: int | None,
    captions: set[int],
    article: bool = False,
) -> tuple[int, int, list[int]]:
    """The story: ``(start, end, kept line indexes)`` of the chosen container (see module doc).

    A story with little prose may give way to the page's list of headlines
    (``listing``), less readily when the page declares itself an ``article``.
    """
    texts = flat.texts
    core = [s.start for s in flat.spans if s.content and s.tag not in ("article", "main")]
    if title_line is not None:
        core.append(title_line)
    weights = list(map(weight, texts))
    scores = list(map(_line_score, texts, flat.link_chars, weights))
    prose = [v if v > 0.0 else 0.0 for v in scores]
    total = sum(prose)
    excluded = excluded + _dialogs(flat, prose, total, title_line)
    furniture = mark_furniture(flat, prose, core)
    hidden = sum(compress(prose, furniture))
    if hidden > MOSTLY_FURNITURE * total and not _named_body_apart(flat, prose, furniture):
        furniture = [False] * len(texts)
    teasers = mark_teasers(flat)
    if sum(compress(prose, teasers)) > MOSTLY_FURNITURE * total:
        teasers = [False] * len(texts)
    off = list(map(or_, furniture, teasers))
    for start, end in excluded:
        off[start:end] = [True] * (end - start)
    line_scores = scores
    scores = [
        -FURNITURE_COST * w if furn else score
        for score, w, furn in zip(scores, weights, off, strict=True)
    ]
    container = choose_container(flat, scores)
    start, end = (container.start, container.end) if container else (0, len(texts))
    if container is not None:
        inner = mark_furniture(flat, prose, core, container)
        off = [a and (b or c) for a, b, c in zip(off, inner, teasers, strict=True)]
        for lo, hi in excluded:
            off[lo:hi] = [True] * (hi - lo)
    credited = credited_captions(flat) if captions else set()
    title_key = heading_key(title)
    previous = ""
    repeats = carousel_repeats(texts, start, end)
    kept: list[int] = []
    endings: list[int] = []
    link_chars, tags = flat.link_chars, flat.tags
    for i in range(start, end):
        text = texts[i]
        if (off[i] and i not in captions) or i in credited:
            continue
        if link_chars[i] > LINK_DENSE * len(text) and tags[i] not in HEADING_TAGS:
            continue
        if text == previous and len(text) < CAPTION_CHARS:
            continue
        if i in repeats:
            continue
        kind = boilerplate_kind(text)
        if kind is not None and tags[i] != "pre":
            if kind in ENDING_KINDS:
                endings.append(len(kept))
            continue
        if (
            not kept
            and abs(len(text) - len(title)) < TITLE_SLACK
            and heading_key(text) == title_key
        ):
            continue
        if is_chrome_line(text) and tags[i] not in HEADING_TAGS:
            continue
        previous = text
        kept.append(i)
    kept = _trim_lead(flat, _trim_tail(kept, endings, prose), scores)
    story_prose = sum(prose[i] for i in kept)
    if story_prose < LISTING_MAX_PROSE:
        listed = _listing(flat, line_scores, weights, furniture, excluded, story_prose, article)
        if listed is not None:
            return listed
    return start, end, kept


def _listing(
    flat: Flat,
    scores: list[float],
    weights: list[int],
    furniture: list[bool],
    excluded: list[tuple[int, int]],
    prose: float,
    article: bool,
) -> tuple[int, int, list[int]] | None:
    """The page's list of headlines as ``(start, end, kept)``, or None (``listing``)."""
    off = list(furniture)
    for lo, hi in excluded:
        off[lo:hi] = [True] * (hi - lo)
    found = listing_lines(flat, scores, weights, off, prose, article)
    if found is None:
        return None
    span, lines = found
    kept: list[int] = []
    previous = ""
    for i in lines:
        text = flat.texts[i]
        if text == previous or boilerplate_kind(text) is not None:
            continue
        previous = text
        kept.append(i)
    return span.start, span.end, kept


def _trim_lead(flat: Flat, kept: list[int], scores: list[float]) -> list[int]:
    """Drop the short plain lines (byline, "Opinion Columnist") above the first paragraph."""
    for n, i in enumerate(kept[: LEAD_LINES + 1]):
        if scores[i] >= LEAD_PROSE_SCORE:
            lead = [
                j
                for j in kept[:n]
                if len(flat.texts[j]) >= LEAD_SHORT_CHARS or flat.tags[j] in HEADING_TAGS
            ]
            return lead + kept[n:]
    return kept


def _trim_tail(kept: list[int], endings: list[int], prose: list[float]) -> list[int]:
    """Cut the story at the first boilerplate line that ends one (a credit, 相关推荐, Table of
    Contents: ``ENDING_KINDS``) when what follows holds little of its prose."""
    total = sum(prose[i] for i in kept)
    for n in endings:
        if (
            sum(prose[i] for i in kept[n:]) <= TAIL_SHARE * total
            and len(kept) - n <= TAIL_LINES_SHARE * n
        ):
            return kept[:n]
    return kept
