"""The CPU work on one fetched page: its article (when it is one) and the links it leads to.

Pure functions of a :class:`~scraper.Fetched` page that import only ``scraper``: they run in the
crawl process, in the extraction workers (:mod:`newsdesk._worker`, which must stay light: no
store, no model) and in the offline ingest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Sequence

from scraper import Article, Fetched, FrontierEntry, decode_html, discover, extract
from scraper.discovery import discover_page
from scraper.extract.listing import is_headline_list
from scraper.urls import looks_like_article

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})
MAX_ARTICLE_PAGES = 20
MIN_ARTICLE_CHARS = 150
# Shortest text of a page that declares itself an article (og:type): a list whose stories the
# extractor set aside as links leaves a line or two ("共 12 条 下一页").
MIN_DECLARED_CHARS = 50
ARTICLE_URL_SCORE = 0.5
# URLs a LinkFilter remembers (~150 bytes each) before it starts afresh.
KNOWN_URLS_MAX = 100_000


def process_page(
    fetched: Fetched, entry: FrontierEntry
) -> tuple[Article | None, list[FrontierEntry]]:
    """Extract the article (when the page is one) and discover links; pure CPU work on one page."""
    if fetched.content_type not in HTML_TYPES:
        return None, discover(fetched, None, entry.depth)
    text, used = decode_html(fetched.body, fetched.encoding)
    found = discover_page(fetched, text, entry.depth)
    article = dataclasses.replace(extract(text, fetched.final_url), encoding=used)
    return (article if is_article_page(article, found.anchors) else None), found.entries


def is_article_page(article: Article, anchors: Collection[str] = ()) -> bool:
    """Whether a page is a story rather than a listing, home or navigation page.

    A text that is a list of the page's own links (``anchors``: headlines, each maybe with a
    summary and a time) is a listing whatever it declares or dates. Otherwise the page's own
    word (og:type) decides when it gives one and some text; else a story has a body of some
    length and either an article-shaped URL or a publication date.
    """
    if is_headline_list(article.paragraphs, anchors):
        return False
    declared = article.meta.get("og:type", "").strip().lower()
    if declared:
        return declared == "article" and len(article.text) >= MIN_DECLARED_CHARS
    if len(article.text) < MIN_ARTICLE_CHARS:
        return False
    return article.published is not None or looks_like_article(article.url) >= ARTICLE_URL_SCORE


def join_pages(first: Article, rest: Sequence[Article]) -> Article:
    """One article from a story split over several pages (下一页, "Next page", ?page=2)."""
    if not rest:
        return first
    paragraphs = list(first.paragraphs)
    for page in rest:
        paragraphs.extend(p for p in page.paragraphs if p not in paragraphs)
    images = first.images + tuple(i for page in rest for i in page.images)
    return dataclasses.replace(
        first,
        paragraphs=tuple(paragraphs),
        text="\n".join(paragraphs),
        images=images,
        next_page=None,
    )


class LinkFilter:
    """Passes each discovered link once (again only when met at a shallower depth).

    Every page links its navigation and hot lists: remembering what was already passed on keeps
    scope checks, inserts and (from a worker) pickling off the links seen before. Bounded: it
    forgets everything when it holds ``limit`` URLs; the store drops known URLs anyway.
    """

    def __init__(self, limit: int = KNOWN_URLS_MAX) -> None:
        self._depths: dict[str, int] = {}
        self._limit = limit

    def fresh(self, links: Iterable[FrontierEntry]) -> list[FrontierEntry]:
        """The links not passed on before at their depth or a shallower one."""
        depths = self._depths
        if len(depths) >= self._limit:
            depths.clear()
        kept = []
        for link in links:
            known = depths.get(link.url)
            if known is None or link.depth < known:
                depths[link.url] = link.depth
                kept.append(link)
        return kept


class SeenUrls:
    """URLs met before in this run; bounded (forgets everything when it holds ``limit``)."""

    def __init__(self, limit: int = KNOWN_URLS_MAX) -> None:
        self._urls: set[str] = set()
        self._limit = limit

    def first_time(self, url: str) -> bool:
        """True (and remembered) the first time ``url`` is met."""
        if url in self._urls:
            return False
        if len(self._urls) >= self._limit:
            self._urls.clear()
        self._urls.add(url)
        return True
