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
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from newsdesk._pages import LinkFilter, SeenUrls, process_page
from newsdesk._visit import Visit
from newsdesk.cluster._partition import owner_of
from newsdesk.settings import Settings
from scraper import Article, Fetched, Fetcher, FrontierEntry, Scope
from scraper.fetch.politeness import host_key
from store import PageOutcome

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
        self._visitor = Visit(
            self.scope, SeenUrls(), self._process, self._may_follow, self._in_scope
        )
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
        """Fetch one frontier entry into outcomes, after this actor's first wait for its host."""
        await self._first_request(entry.url, delays)
        return await self._visitor(fetcher, crawl_id, entry, validators)

    async def _process(
        self, fetched: Fetched, entry: FrontierEntry
    ) -> tuple[Article | None, list[FrontierEntry]]:
        """:func:`process_page` here in the actor; the links come back once each."""
        article, links = process_page(fetched, entry)
        return article, self._links.fresh(links)

    def _may_follow(self, url: str) -> bool:
        """A story's further page is fetched only on this partition's hosts."""
        return self.scope.allows(url) and owner_of(url, self.workers) == self.index

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
