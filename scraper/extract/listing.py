"""Pages that are lists of headlines (a section front, a blog index, a product grid), not a story.

The story cascade (``body``) treats link text as clutter, so on an index page it keeps
a stray line or two. Here the page kind is decided from structure alone:

1. the story found holds little prose (``LISTING_MAX_PROSE``);
2. a *headline* is a line that is mostly link text and reads like a title: several words, or
   enough CJK characters (``HEADLINE_CHARS``, ``HEADLINE_WORDS``);
3. each element is scored again with headlines earning half their reading weight and short
   links (menus, tags) costing a little; the best element is the listing when it holds at least
   ``MIN_HEADLINES`` headlines and outweighs the story's prose ``LISTING_RATIO`` times; a
   page declaring itself an article (og:type, JSON-LD ``@type``) must clear a higher ratio,
   and its headlines must outweigh the listing's other prose (``ARTICLE_HEADLINE_SHARE``);
4. its lines are rendered in order, headlines and the short lines printed with them (author,
   date, price) included, furniture and link blocks left out.

The crawl asks once more, after extraction, with :func:`is_headline_list`: a text whose lines
are, all along, the texts of the page's own links (a headline, its summary, its time; again and
again) is a list of headlines, whatever dates it carries, and is kept as a page, not an article.
A story whose text lets other headlines in (a related list above it, "trending" links between
its paragraphs) keeps more prose beside them, and longer paragraphs, than a list's summaries.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import accumulate, pairwise

from scraper.extract.cards import LINK_DENSE
from scraper.extract.walk import Flat, Span

#: Page types (og:type, JSON-LD @type, lower-cased) that say the page is one story.
ARTICLE_TYPES: frozenset[str] = frozenset(
    ("article", "newsarticle", "blogposting", "reportagenews", "report", "scholarlyarticle")
)
#: Most prose (reading weight) a story may hold for its page to be taken as a listing.
LISTING_MAX_PROSE = 700.0
#: Shortest headline (characters), and fewest words when the line is not CJK.
HEADLINE_CHARS = 25
HEADLINE_WORDS = 4
#: Fewest headlines in the listing element.
MIN_HEADLINES = 8
#: How many times the listing's score must exceed the story's prose; more when the page
#: declares itself an article (a short story above a long list of other stories stays one).
LISTING_RATIO = 1.5
LISTING_RATIO_ARTICLE = 4.0
#: On a page declaring itself an article, how many times the headlines must outweigh the other
#: prose of the listing element (a story above a list of related stories is not a listing).
ARTICLE_HEADLINE_SHARE = 1.5
#: Share of a headline's reading weight it earns.
HEADLINE_SHARE = 0.5
#: Share of link text from which a line is a headline (a title with a few words beside it
#: is a reply or a comment, not a headline).
HEADLINE_LINKS = 0.8


def declares_article(kinds: list[str]) -> bool:
    """Whether any declared page type (og:type, JSON-LD @type) names a single story."""
    return any(kind.lower() in ARTICLE_TYPES for kind in kinds)


def _is_headline(text: str, links: int, weight: int) -> bool:
    if links < HEADLINE_LINKS * len(text) or len(text) < HEADLINE_CHARS:
        return False
    return weight > 2 * len(text) or len(text.split()) >= HEADLINE_WORDS


def listing_lines(
    flat: Flat,
    scores: list[float],
    weights: list[int],
    off: list[bool],
    prose: float,
    article: bool = False,
) -> tuple[Span, list[int]] | None:
    """The listing element and its lines, when the page is a list of headlines (see module)."""
    texts, link_chars = flat.texts, flat.link_chars
    heads = [
        not off[i] and _is_headline(texts[i], link_chars[i], weights[i]) for i in range(len(texts))
    ]
    if sum(heads) < MIN_HEADLINES:
        return None
    values = []
    for i, score in enumerate(scores):
        if off[i]:
            values.append(score)
        elif heads[i]:
            values.append(HEADLINE_SHARE * weights[i])
        elif link_chars[i] > LINK_DENSE * len(texts[i]):
            values.append(-1.0)
        else:
            values.append(max(score, 0.0))
    cumulative = [0.0, *accumulate(values)]
    counts = [0, *accumulate(heads)]
    best: Span | None = None
    best_score = 0.0
    for span in flat.spans:
        score = cumulative[span.end] - cumulative[span.start]
        if score > best_score and counts[span.end] - counts[span.start] >= MIN_HEADLINES:
            best, best_score = span, score
    ratio = LISTING_RATIO_ARTICLE if article else LISTING_RATIO
    if best is None or best_score < ratio * max(prose, 1.0):
        return None
    lines = [i for i in range(best.start, best.end) if not off[i]]
    if article:
        headlines = sum(weights[i] for i in lines if heads[i])
        if headlines < ARTICLE_HEADLINE_SHARE * sum(values[i] for i in lines if not heads[i]):
            return None
    return best, lines


#: Fewest lines of a text that are link texts of its page for the text to be a headline list.
LISTED_MIN_HEADLINES = 5
#: Most lines between two headlines (a summary, a time, a source) of a headline list.
LISTED_MAX_GAP = 4
#: Share of the text's lines the headlines must run across (first to last): a story ending in
#: a list of related links is not a headline list.
LISTED_SPAN_SHARE = 0.6
#: A line is a headline when a link text makes up at least this share of it (a time or a
#: source may follow on the same line: "地铁新建工程第0期开工 11月26日 16:00" is 0.48).
LISTED_LINE_SHARE = 0.4
#: Most characters of the other lines per character of headline (a list's summaries and times
#: came to 1.4 to 3.2 on the lists we wrote; stories with leaked headlines to 5.6 and more).
LISTED_OTHER_RATIO = 4.5
#: Longest line that is no headline (a summary); a story has longer paragraphs.
LISTED_MAX_OTHER_CHARS = 300
#: Characters of a line looked up among the link texts (a cheap index).
_PREFIX = 6


def is_headline_list(lines: Sequence[str], anchors: Collection[str]) -> bool:
    """Whether ``lines`` (an extracted text's paragraphs) are a list of the page's own links.

    ``anchors`` are the page's normalized link texts (``scraper.discovery.discover_page``). The
    text is a headline list when at least :data:`LISTED_MIN_HEADLINES` lines are link texts,
    most gaps between them are short, they run across most of the text, and the other lines are
    few and short (:data:`LISTED_OTHER_RATIO`, :data:`LISTED_MAX_OTHER_CHARS`).
    """
    if len(lines) < LISTED_MIN_HEADLINES or len(anchors) < LISTED_MIN_HEADLINES:
        return False
    index: dict[str, list[str]] = {}
    for anchor in anchors:
        index.setdefault(anchor[:_PREFIX], []).append(anchor)
    heads = [
        i
        for i, line in enumerate(lines)
        if any(
            line.startswith(a) and len(a) >= LISTED_LINE_SHARE * len(line)
            for a in index.get(line[:_PREFIX], ())
        )
    ]
    if len(heads) < LISTED_MIN_HEADLINES:
        return False
    gaps = sorted(b - a for a, b in pairwise(heads))
    if gaps[len(gaps) // 2] > LISTED_MAX_GAP:
        return False
    if heads[-1] - heads[0] + 1 < LISTED_SPAN_SHARE * len(lines):
        return False
    headed = set(heads)
    others = [len(line) for i, line in enumerate(lines) if i not in headed]
    if max(others, default=0) > LISTED_MAX_OTHER_CHARS:
        return False
    return sum(others) <= LISTED_OTHER_RATIO * sum(len(lines[i]) for i in heads)
