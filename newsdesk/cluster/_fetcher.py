"""A host partition's fetcher: the Ray actor that fetches and takes apart its hosts' pages.

:class:`HostFetcher` is a plain class; the driver turns it into a Ray actor
(``ray.remote(HostFetcher)``), so this module imports without Ray. One actor owns the hosts that
:func:`~newsdesk.cluster._partition.owner_of` gives its index, and is the only process of the
cluster that requests them: its :class:`scraper.Fetcher` (built from ``Settings.fetch_options()``,
as in a local crawl) keeps each host's robots.txt, Crawl-delay and per-host limit, which are then
cluster-wide. A page is visited as in the local crawl (:mod:`newsdesk.pipeline`): fetch, scope
check of the final URL, :func:`newsdesk._pages.process_page`, the further pages of a split story,
the links kept within depth and scope. The actor neither stores nor tags: it hands its outcomes
back to the driver, the single writer.

An actor that Ray restarts after a crash knows nothing of its predecessor's last requests, so a
fresh actor waits one delay of a host (the one the driver last heard of; ``Settings.delay`` at
least) from its own start before it first requests that host: the spacing holds across restarts.
It also waits the host's Crawl-delay between robots.txt and the first page.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from newsdesk._pages import MAX_ARTICLE_PAGES, LinkFilter, SeenUrls, join_pages, process_page
from newsdesk.cluster._partition import owner_of
from newsdesk.errors import ExtractError, FetchError
from newsdesk.settings import Settings
from scraper import Article, Failure, Fetcher, FrontierEntry, Scope, canonicalize, extract
from scraper.fetch.politeness import host_key
from store import PageOutcome

log = logging.getLogger(__name__)

#: (entry, (etag, last_modified) or None): one URL to visit, with its validators on a recrawl.
Job = tuple[FrontierEntry, tuple[str | None, str | None] | None]


@dataclass(slots=True)
class Report:
    """What one call of :meth:`HostFetcher.visit` gives back to the driver."""

    outcomes: list[PageOutcome]
    worker: int
    pid: int
    node: str
    delays: dict[str, float] = field(default_factory=dict)


class HostFetcher:
    """Fetches the URLs of one host partition (worker ``index`` of ``workers``)."""

    def __init__(self, index: int, workers: int, settings: Settings, seeds: Sequence[str]) -> None:
        self.index = index
        self.workers = workers
        self.settings = settings
        self.scope = Scope(settings.scope_options(), seeds)
        self._born = time.monotonic()
        self._ready: dict[str, asyncio.Future[None]] = {}
        # Host → spacing (Crawl-delay included), reported with every answer: should this actor
        # die, its successor is told how long to wait before it first requests each host.
        self._delays: dict[str, float] = {}
        self._links = LinkFilter()
        self._pages = SeenUrls()
        self._fetcher: Fetcher | None = None
        self._node = _node_id()

    async def visit(
        self, crawl_id: int, jobs: Sequence[Job], delays: Mapping[str, float]
    ) -> Report:
        """Visit ``jobs`` concurrently (the fetcher spaces each host); their outcomes, in order.

        ``delays``: the host delays (Crawl-delay included) the driver knows, for the first wait.
        """
        fetcher = await self._started()
        visits = [self._visit(fetcher, crawl_id, e, validators, delays) for e, validators in jobs]
        results = await asyncio.gather(*visits)
        outcomes = [o for r in results for o in r]
        return Report(outcomes, self.index, os.getpid(), self._node, dict(self._delays))

    async def sitemaps(self, seed: str) -> tuple[list[str], dict[str, float]]:
        """The sitemaps named in the robots.txt of ``seed``'s host (fetched once, by this owner),
        and the delays of the hosts this actor knows so far."""
        fetcher = await self._started()
        await self._first_request(seed, {})
        return await fetcher.sitemaps_for(seed), dict(self._delays)

    async def identity(self) -> tuple[int, int, str]:
        """(index, process id, node id): where this partition runs now."""
        return self.index, os.getpid(), self._node

    async def _started(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = await Fetcher(self.settings.fetch_options()).__aenter__()
        return self._fetcher

    async def _host_delay(self, fetcher: Fetcher, url: str) -> float:
        """The spacing the fetcher keeps for ``url``'s host: the delay, or a longer Crawl-delay."""
        delay = self.settings.delay
        if self.settings.obey_robots:
            crawl_delay = (await fetcher.robots_for(url)).crawl_delay(fetcher.agent) or 0.0
            delay = max(delay, min(crawl_delay, self.settings.max_backoff))
        return delay

    async def _first_request(self, url: str, delays: Mapping[str, float]) -> None:
        """Wait until this actor may request ``url``'s host for the first time (once per host)."""
        key = host_key(url)
        ready = self._ready.get(key)
        if ready is None:
            ready = self._ready[key] = asyncio.ensure_future(self._prepare_host(url, delays))
        await ready

    async def _prepare_host(self, url: str, delays: Mapping[str, float]) -> None:
        """A host's first requests from this actor: robots.txt, then the pages.

        Both wait: robots.txt one delay of the host from the actor's start (a predecessor killed
        a moment ago may have just requested the host; a crawl starting afresh pays this once
        per host), the first page the host's Crawl-delay after robots.txt (the fetcher alone
        would space it by ``delay``, since it learns the Crawl-delay from that very answer).
        """
        fetcher = await self._started()
        wait = self._born + delays.get(host_key(url), self.settings.delay) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        if self.settings.obey_robots:
            await fetcher.robots_for(url)
            self._delays[host_key(url)] = delay = await self._host_delay(fetcher, url)
            await asyncio.sleep(delay)

    async def _visit(
        self,
        fetcher: Fetcher,
        crawl_id: int,
        entry: FrontierEntry,
        validators: tuple[str | None, str | None] | None,
        delays: Mapping[str, float],
    ) -> list[PageOutcome]:
        """Fetch one frontier entry into outcomes (more than one for a split article)."""
        await self._first_request(entry.url, delays)
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
        if not self._pages.first_time(final):
            return [PageOutcome(entry.url, crawl_id, fetched, depth=entry.depth)]
        try:
            article, links = process_page(fetched, entry)
        except ExtractError as exc:
            failure = Failure(entry.url, "extract", type(exc).__name__, str(exc))
            return [PageOutcome(entry.url, crawl_id, fetched, failure=failure, state="failed")]
        except Exception as exc:  # an extractor bug on one page must not end the crawl
            log.exception("extraction failed unexpectedly on %s", entry.url)
            failure = Failure(entry.url, "extract", type(exc).__name__, f"unexpected: {exc}")
            return [PageOutcome(entry.url, crawl_id, fetched, failure=failure, state="failed")]
        extra: list[PageOutcome] = []
        if article is not None and article.next_page:
            article, extra = await self._follow_pages(fetcher, crawl_id, article, entry)
        discovered = tuple(self._in_scope(self._links.fresh(links)))
        first = PageOutcome(
            entry.url, crawl_id, fetched, article, discovered=discovered, depth=entry.depth
        )
        return [first, *extra]

    async def _follow_pages(
        self, fetcher: Fetcher, crawl_id: int, article: Article, entry: FrontierEntry
    ) -> tuple[Article, list[PageOutcome]]:
        """Fetch the story's further pages on this partition's hosts and join them."""
        pages: list[Article] = []
        outcomes: list[PageOutcome] = []
        seen = {canonicalize(article.url)}
        next_url = canonicalize(article.next_page or "")
        while next_url and next_url not in seen and len(pages) < MAX_ARTICLE_PAGES:
            seen.add(next_url)
            if not self.scope.allows(next_url) or owner_of(next_url, self.workers) != self.index:
                break  # another worker's host: this one must not request it
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

    def _in_scope(self, links: Iterable[FrontierEntry]) -> Iterable[FrontierEntry]:
        max_depth, allows = self.settings.max_depth, self.scope.allows
        return (link for link in links if link.depth <= max_depth and allows(link.url))


def _node_id() -> str:
    """The Ray node this actor runs on (empty outside Ray)."""
    try:
        import ray
    except ImportError:
        return ""
    return ray.get_runtime_context().get_node_id() if ray.is_initialized() else ""
