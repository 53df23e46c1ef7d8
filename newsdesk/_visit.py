"""One frontier entry fetched and taken apart into page outcomes, for every crawl engine.

The local crawl loop (:mod:`newsdesk.pipeline`) and the Ray fetcher actors
(:mod:`newsdesk.cluster`) differ in where a page is processed (worker processes, or in the actor)
and which further pages of a split story they may fetch; the steps between a fetch and its
outcomes are the same and live here: a fetch failure, a 304, a redirect out of scope, a page
already taken apart in this run, an extraction failure (an extractor bug on one page must not end
a days-long crawl), and the story joined with its further pages.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from newsdesk._pages import MAX_ARTICLE_PAGES, SeenUrls, join_pages
from newsdesk.errors import ExtractError, FetchError
from scraper import (
    Article,
    Failure,
    Fetched,
    Fetcher,
    FrontierEntry,
    Scope,
    canonicalize,
    extract,
)
from store import PageOutcome

log = logging.getLogger(__name__)

#: The article and the fresh links of a fetched page.
Process = Callable[[Fetched, FrontierEntry], Awaitable[tuple[Article | None, list[FrontierEntry]]]]


@dataclass(slots=True)
class Visit:
    """What one engine brings to a visit: its scope, the pages it took apart, where a page is
    processed, which further pages of a story it may fetch, and which links it keeps."""

    scope: Scope
    pages: SeenUrls
    process: Process
    may_follow: Callable[[str], bool]
    in_scope: Callable[[Iterable[FrontierEntry]], Iterable[FrontierEntry]]

    async def __call__(
        self,
        fetcher: Fetcher,
        crawl_id: int,
        entry: FrontierEntry,
        validators: tuple[str | None, ...] | None,
    ) -> list[PageOutcome]:
        """Fetch ``entry`` into outcomes (more than one for a split article)."""
        etag, modified = validators or (None, None)
        try:
            fetched = await fetcher.fetch(entry.url, etag=etag, last_modified=modified)
        except FetchError as exc:
            failure = Failure(entry.url, exc.stage, type(exc).__name__, str(exc))
            return [
                PageOutcome(entry.url, crawl_id, failure=failure, state="failed", depth=entry.depth)
            ]
        if fetched.status == 304:
            return [
                PageOutcome(entry.url, crawl_id, fetched, state="not_modified", depth=entry.depth)
            ]
        final = canonicalize(fetched.final_url)
        if final is None or not self.scope.allows(final):
            reason = self.scope.refusal(fetched.final_url) or "not an http(s) URL"
            failure = Failure(
                entry.url, "redirect", "OutOfScope", f"redirected out of scope: {reason}"
            )
            return [PageOutcome(entry.url, crawl_id, fetched, failure=failure, state="failed")]
        if not self.pages.first_time(final):
            # A redirect led here from another URL of this run, or here to it: the page was
            # taken apart once already; its fetch is recorded, its article is not stored again.
            return [PageOutcome(entry.url, crawl_id, fetched, depth=entry.depth)]
        try:
            article, links = await self.process(fetched, entry)
        except ExtractError as exc:
            failure = Failure(entry.url, "extract", type(exc).__name__, str(exc))
            return [PageOutcome(entry.url, crawl_id, fetched, failure=failure, state="failed")]
        except Exception as exc:  # an extractor bug on one page must not end a days-long crawl
            log.exception("extraction failed unexpectedly on %s", entry.url)
            failure = Failure(entry.url, "extract", type(exc).__name__, f"unexpected: {exc}")
            return [PageOutcome(entry.url, crawl_id, fetched, failure=failure, state="failed")]
        extra: list[PageOutcome] = []
        if article is not None and article.next_page:
            article, extra = await self.follow(fetcher, crawl_id, article, entry)
        discovered = tuple(self.in_scope(links))
        first = PageOutcome(
            entry.url, crawl_id, fetched, article, discovered=discovered, depth=entry.depth
        )
        return [first, *extra]

    async def follow(
        self, fetcher: Fetcher, crawl_id: int, article: Article, entry: FrontierEntry
    ) -> tuple[Article, list[PageOutcome]]:
        """Fetch the story's further pages (while ``may_follow``) and join them; each page is
        also a stored fetch."""
        pages: list[Article] = []
        outcomes: list[PageOutcome] = []
        seen = {canonicalize(article.url)}
        next_url = canonicalize(article.next_page or "")
        while next_url and next_url not in seen and len(pages) < MAX_ARTICLE_PAGES:
            seen.add(next_url)
            if not self.may_follow(next_url):
                break
            try:
                fetched = await fetcher.fetch(next_url)
                page = extract(fetched.body, fetched.final_url, encoding=fetched.encoding)
            except (FetchError, ExtractError) as exc:
                stage = getattr(exc, "stage", "extract")
                failure = Failure(next_url, stage, type(exc).__name__, str(exc))
                outcomes.append(PageOutcome(next_url, crawl_id, failure=failure, state="failed"))
                break
            pages.append(page)
            outcomes.append(PageOutcome(next_url, crawl_id, fetched, depth=entry.depth))
            next_url = canonicalize(page.next_page or "")
        return join_pages(article, pages), outcomes
