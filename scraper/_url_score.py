"""The shape of a URL: its "looks like an article" score and its pattern.

Article pages are fetched before listings (the store claims them first) and the score prices
discovered links. The pattern (:func:`url_pattern`) is what URLs that differ only by numbers or
query values share (``/cal/2026/08/01/``, ``?p=4``, ``?q=…``): the crawl budgets requests by it.
Both are pure functions of the URL string, re-exported by :mod:`scraper.urls`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# Memoized scores (~150 bytes each): a portal's story pages link the same recent stories.
SCORE_CACHE_SIZE = 8192


@dataclass(frozen=True, slots=True)
class UrlFeature:
    """One named clue in a URL's path or query, with how much it moves the article score."""

    name: str
    pattern: re.Pattern[str]
    weight: float


def _feature(name: str, pattern: str, weight: float) -> UrlFeature:
    return UrlFeature(name, re.compile(pattern, re.IGNORECASE), weight)


ARTICLE_BASE_SCORE = 0.3
ARTICLE_THRESHOLD = 0.5
# Only the first characters of path and query are scored (real article URLs are far shorter).
MAX_SCORED_CHARS = 400

# Clues matched against "path?query" of a canonical URL. Positive: article; negative: listing.
URL_FEATURES = (
    _feature(
        "date path /2020/06/19/ or /2020/06-19/",
        r"/(?:19|20)\d\d[/-](?:0?[1-9]|1[0-2])[/-](?:[0-2]?\d|3[01])/",
        0.4,
    ),
    _feature(
        "date archive: the path ends with a date /2020/06/19/",
        r"/(?:19|20)\d\d[/-](?:0?[1-9]|1[0-2])(?:[/-](?:[0-2]?\d|3[01]))?/?(?:\?|$)",
        -0.6,
    ),
    _feature("compact date /20200619/", r"/(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])/", 0.35),
    _feature(
        "month path /202006/ or /20/0619/",
        r"/(?:(?:19|20)\d\d(?:0[1-9]|1[0-2])|\d\d/[01]\d[0-3]\d)/",
        0.2,
    ),
    _feature("numeric id leaf /275221/ or 10236789.shtml", r"\d{5,}[^/?]*/?(?:\?|$)", 0.25),
    _feature("id query ?id=8576", r"[?&](?:id|aid|idx|tid|articleid|newsid|docid)=\w{3,}", 0.25),
    _feature(
        "long alphanumeric id",
        r"[/_.=-](?=[a-z0-9]{12})[a-z0-9]*?(?:\d[a-z]|[a-z]\d)[a-z0-9]*(?:[/_.?&-]|$)",
        0.2,
    ),
    _feature("html leaf with long slug", r"/[^/?]{10,}\.s?html?(?:\?|$)", 0.2),
    _feature("hyphenated title slug", r"/(?:[a-z0-9]+-){3,}[a-z0-9]+", 0.25),
    _feature("article segment", r"/(?:article|articles|a|story|stories|detail|content|post)/", 0.3),
    _feature("article leaf", r"/(?:doc-|news_?view|detail|show|read)[^/]*(?:\?|$)", 0.3),
    _feature("root path", r"^/?(?:\?|$)", -0.6),
    _feature("short path", r"^/[a-z_-]{0,20}/?(?:\?|$)", -0.3),
    _feature(
        "index page",
        r"^/(?:[a-z_-]+/){0,2}(?:index|default|home)(?:_\d+)?\.(?:s?html?|php|aspx?)(?:\?|$)",
        -0.5,
    ),
    _feature(
        "list segment",
        r"/(?:list|channel|category|categories|tag|topic|column|search|archive)s?(?:/|\?|$|_)",
        -0.25,
    ),
    _feature("page query", r"[?&](?:page|p|pn|pageno|pagenum|start|offset)=\d+", -0.35),
    _feature(
        "paged leaf /page/2 or list_2.html",
        r"/(?:page/\d+|[a-z]+_\d{1,3}\.s?html?)/?(?:\?|$)",
        -0.3,
    ),
)


@functools.lru_cache(maxsize=SCORE_CACHE_SIZE)
def looks_like_article(url: str) -> float:
    """How much ``url`` looks like an article rather than a listing, in [0, 1], by its shape.

    Memoized: a portal's pages link the same URLs over and over, and scoring runs 16 patterns.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return 0.0
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    target = target[:MAX_SCORED_CHARS]
    score = ARTICLE_BASE_SCORE + sum(f.weight for f in URL_FEATURES if f.pattern.search(target))
    return round(min(1.0, max(0.0, score)), 3)


_DIGITS = re.compile(r"\d+")
# A path segment this long, or with this many - and _, is a slug or an id, not a section name;
# so are letters with ID_RUNS runs of digits or one of ID_DIGITS (list_12.html is a page number).
SLUG_CHARS = 24
SLUG_SEPARATORS = 2
ID_RUNS = 3
ID_DIGITS = 5


@functools.lru_cache(maxsize=SCORE_CACHE_SIZE)
def url_pattern(url: str) -> str:
    """The URL with its numbers, slugs and query values blanked: ``host/path?keys``.

    Runs of digits become ``#``, consecutive all-number segments (a date path, a page number)
    one ``#`` segment, a slug or an id (long, hyphenated, or letters mixed with digits) ``*``,
    and the query keeps its sorted keys only, so a calendar's days, a list's pages, a search's
    queries and a section's stories each share one pattern (a crawl keeps one count per
    pattern, not one per story).
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    segments: list[str] = []
    for segment in parts.path[:MAX_SCORED_CHARS].split("/"):
        shape = _segment_shape(segment)
        if shape != "#" or not segments or segments[-1] != "#":
            segments.append(shape)
    keys = sorted({pair.partition("=")[0] for pair in parts.query.split("&") if pair})
    query = "?" + "&".join(keys) if keys else ""
    return f"{parts.netloc.lower()}{'/'.join(segments) or '/'}{query}"


def _segment_shape(segment: str) -> str:
    """``#`` for a number (or numbers joined by - _ .), ``*`` for a slug or an id, else the
    segment with its digit runs as ``#``."""
    shape = _DIGITS.sub("#", segment)
    if shape != segment and not shape.strip("#-_."):
        return "#"
    separators = segment.count("-") + segment.count("_")
    if len(segment) > SLUG_CHARS or separators >= SLUG_SEPARATORS:
        return "*"
    if shape == segment:
        return segment
    runs = [len(run) for run in _DIGITS.findall(segment)]
    return "*" if len(runs) >= ID_RUNS or max(runs) >= ID_DIGITS else shape
