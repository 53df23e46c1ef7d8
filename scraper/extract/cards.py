"""Runs of look-alike blocks that are not the story: teaser cards and carousel copies.

- teaser cards: a small element holding a headline link, maybe a line of links or a byline,
  and an excerpt that reads like prose; lists of other stories give themselves away by
  repeating that card (``mark_teasers``);
- carousel copies: sliders print all their slides a second time right after the first copy,
  for seamless scrolling (``carousel_repeats``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from scraper.extract.dates import prints_date
from scraper.extract.walk import Flat

#: Share of link text above which a line is a link, not prose.
LINK_DENSE = 0.5
#: Shortest headline link that introduces a teaser.
TEASER_HEADLINE_CHARS = 20
#: Most lines of a teaser card (headline link, excerpt, byline/date).
CARD_LINES = 5
#: Cards up to this many lines may have any link line as headline; larger ones need a line
#: of one link (or an image link and the headline), not a row of share buttons.
SMALL_CARD_LINES = 4
#: Longest byline or date line between a teaser's headline and its excerpt.
BYLINE_CHARS = 80
#: Most lines between two teasers of one list.
TEASER_GAP = 6
#: Shortest line compared with the lines above it for a repeated run (a carousel).
REPEAT_CHARS = 40
#: Fewest lines of a run printed a second time, in the same order, to be a carousel's copy.
REPEAT_RUN = 3
#: Most lines between two lines of such a run (an author or a date line between slides).
REPEAT_GAP = 3


def mark_teasers(flat: Flat) -> list[bool]:
    """Per line: True for the text of teaser cards that come in a run.

    A teaser card is a small element holding a headline link (one link, or an image link and
    the headline; a row of share buttons is no headline) and an excerpt that reads like prose;
    lists of other stories give themselves away by repeating that card.
    """
    texts, links, anchor_lines = flat.texts, flat.link_chars, flat.anchor_lines
    cards: set[int] = set()
    for span in flat.spans:
        start, end = span.start, span.end
        if not 2 <= end - start <= CARD_LINES:
            continue
        small = end - start <= SMALL_CARD_LINES
        for i in range(start + 1, end):
            if links[i] >= 0.2 * len(texts[i]):
                continue
            j = i - 1
            while j > start:
                text, linked = texts[j], links[j]
                if linked >= 0.8 * len(text) >= TEASER_HEADLINE_CHARS and (
                    small or _links_on(anchor_lines, j) <= 2
                ):
                    break
                if not (
                    linked > LINK_DENSE * len(text)
                    or len(text) < TEASER_HEADLINE_CHARS
                    or (len(text) <= BYLINE_CHARS and prints_date(text))
                ):
                    break
                j -= 1
            if links[j] >= 0.8 * len(texts[j]) >= TEASER_HEADLINE_CHARS and (
                small or _links_on(anchor_lines, j) <= 2
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


def _links_on(anchor_lines: list[int], line: int) -> int:
    """How many links are printed on ``line`` (``anchor_lines`` is sorted)."""
    return bisect_right(anchor_lines, line) - bisect_left(anchor_lines, line)


def carousel_repeats(texts: list[str], start: int, end: int) -> set[int]:
    """Lines of ``[start, end)`` that print again, in order, the run of lines right above them.

    Carousels and sliders repeat all their slides (quotes, testimonials) right after the first
    copy for seamless scrolling; a story may print a line or a list twice, but not back to back.
    """
    first: dict[str, int] = {}
    pairs: list[tuple[int, int]] = []
    for i in range(start, end):
        text = texts[i]
        if len(text) < REPEAT_CHARS:
            continue
        if text in first:
            pairs.append((i, first[text]))
        else:
            first[text] = i
    found: set[int] = set()
    run: list[tuple[int, int]] = []
    for line, earlier in [*pairs, (-1, -1)]:
        if run and 0 < line - run[-1][0] <= REPEAT_GAP and 0 < earlier - run[-1][1] <= REPEAT_GAP:
            run.append((line, earlier))
            continue
        if (
            len(run) >= REPEAT_RUN
            and run[0][0] - run[-1][1] <= REPEAT_GAP
            and len({texts[i] for i, _ in run}) > 1
        ):
            found.update(i for i, _ in run)
        run = [(line, earlier)]
    return found
