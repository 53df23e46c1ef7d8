"""The pipeline: frontier (store) → Fetcher → extract → classifier → store.

One crawl is a loop over the frontier kept in the database. Fetches run concurrently on one event
loop (the :class:`scraper.fetch.Fetcher` enforces global and per-host limits); finished pages are
collected into batches, each batch is tagged by the topic model in one call and written by
:meth:`store.Store.save_outcomes` in one transaction together with the pages' frontier state, so a
``kill -9`` at any moment loses at most the pages of the batch not yet written, and those are
fetched again on restart (``requeue_in_flight``), while nothing written is fetched twice. A batch
is written when it is full or :data:`FLUSH_AFTER_S` old, so a kill loses half a second of pages.
Every claimed URL passes the crawl budget (:mod:`newsdesk._budget`): URL patterns that keep
leading to nothing new (calendars, search results, endless pages) are held back, then skipped.

The parts: the CPU work on a page (article and links) in :mod:`newsdesk._pages`, run in
extraction worker processes by :mod:`newsdesk._worker` when ``workers > 0``; the running counts
and the batch write (tag, then store) in :mod:`newsdesk._batch`; the offline twin of the loop,
for archived pages, in :mod:`newsdesk._ingest`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from newsdesk._batch import CrawlStats, ProgressCallback, batch_due, tag_outcomes, write_batch
from newsdesk._budget import CrawlBudget
from newsdesk._pages import MAX_ARTICLE_PAGES, LinkFilter, SeenUrls, join_pages, process_page
from newsdesk._visit import Visit
from newsdesk._worker import Workers
from newsdesk.settings import Settings
from scraper import (
    Article,
    Fetched,
    Fetcher,
    FrontierEntry,
    Scope,
    canonicalize,
    kind_of_seed,
)
from store import PageOutcome, Store

if TYPE_CHECKING:
    from classifier import TopicModel

__all__ = [
    "MAX_ARTICLE_PAGES",
    "Crawl",
    "CrawlStats",
    "ProgressCallback",
    "crawl",
    "ingest",
    "join_pages",
    "process_page",
    "seed_entries",
    "tag_outcomes",
]

log = logging.getLogger(__name__)

SEED_PRIORITY = 100.0
# Pages claimed ahead per fetch slot (settings.concurrency). 4 was no faster than 2 on the
# crawl benchmark (114.7 against 128.6 pages/s, medians of 3 runs of 3,000 pages).
WINDOW_PER_SLOT = 2
# Seconds between counts of the queued frontier for the progress display (a full-table scan).
COUNT_EVERY_S = 2.0
# Oldest a batch of finished pages gets before it is written: what a kill -9 may lose.
FLUSH_AFTER_S = 0.5


def seed_entries(seeds: Iterable[str]) -> list[FrontierEntry]:
    """Canonical frontier entries for the seeds; ValueError on a URL that is not http(s)."""
    entries = []
    for seed in seeds:
        url = canonicalize(seed)
        if url is None:
            raise ValueError(f"not an http(s) URL: {seed!r}")
        entries.append(FrontierEntry(url, 0, SEED_PRIORITY, kind_of_seed(url)))
    return entries


class Crawl:
    """One run of the crawl loop over a store's frontier.

    ``workers`` processes extract and discover links (CPU work that would stall fetching on the
    event loop; see :mod:`newsdesk._worker`); with 0 (the default) it runs on the loop itself.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        model: TopicModel,
        seeds: Sequence[str],
        on_progress: ProgressCallback | None = None,
        *,
        workers: int = 0,
    ) -> None:
        self.settings = settings
        self.store = store
        self.model = model
        self.seeds = list(seeds)
        self.scope = Scope(settings.scope_options(), self.seeds)
        self.on_progress = on_progress
        self.workers = workers
        self.stats = CrawlStats()
        self._batch: list[PageOutcome] = []
        self._links = LinkFilter()
        self._workers: Workers | None = None
        self._visit = Visit(
            self.scope, SeenUrls(), self._process, self.scope.allows, self._in_scope
        )
        self._next_count = 0.0
        self._batch_since = 0.0
        self._waiting: list[FrontierEntry] = []
        self.budget = CrawlBudget()

    async def run(self) -> CrawlStats:
        """Crawl until the frontier is empty or ``max_pages`` pages were fetched."""
        store, settings = self.store, self.settings
        self.stats.crawl_id = store.start_crawl(self.seeds, _settings_record(settings))
        requeued = store.requeue_in_flight()
        if requeued:
            log.info("resuming: %d pages that were in flight are queued again", requeued)
        if settings.recrawl:
            log.info("recrawl: %d stored pages queued again", store.requeue_done_for_recrawl())
        self.budget = CrawlBudget(store.url_patterns(), probe=not requeued)
        store.add_frontier(seed_entries(self.seeds), self.stats.crawl_id)
        async with contextlib.AsyncExitStack() as stack:
            if self.workers > 0:
                self._workers = await stack.enter_async_context(Workers(self.workers))
            fetcher = await stack.enter_async_context(Fetcher(settings.fetch_options()))
            await self._add_robots_sitemaps(fetcher)
            await self._loop(fetcher)
        self._workers = None
        await self._flush()
        self.budget.save(store)
        self.stats.trap_requests = self.budget.trap_requests()
        self.stats.trap_patterns = self.budget.trap_patterns()
        store.finish_crawl(self.stats.crawl_id, self.stats.as_dict())
        return self.stats

    async def _add_robots_sitemaps(self, fetcher: Fetcher) -> None:
        """Sitemaps named in the seed hosts' robots.txt join the frontier."""
        entries = []
        for seed in self.seeds:
            for url in await fetcher.sitemaps_for(seed):
                canonical = canonicalize(url)
                if canonical and self.scope.allows(canonical):
                    entries.append(FrontierEntry(canonical, 0, SEED_PRIORITY - 1, "sitemap"))
        if entries:
            self.store.add_frontier(entries, self.stats.crawl_id)

    async def _loop(self, fetcher: Fetcher) -> None:
        """Keep the window of fetches full; the store is only touched here, between awaits.

        The window holds :data:`WINDOW_PER_SLOT` times the fetches the Fetcher runs at once and
        is topped up once half of it is free, so claims go to the store in chunks rather than
        one URL at a time. It is also topped up right before a batch is written: the write
        takes the store for a while, and the pages claimed before it keep the fetches and the
        extraction workers busy meanwhile.
        """
        pending: set[asyncio.Task[list[PageOutcome]]] = set()
        try:
            await self._run_window(fetcher, pending)
        finally:
            for task in pending:
                task.cancel()

    async def _run_window(
        self, fetcher: Fetcher, pending: set[asyncio.Task[list[PageOutcome]]]
    ) -> None:
        window = max(2, self.settings.concurrency * WINDOW_PER_SLOT)
        while True:
            must_flush = (
                batch_due(self._batch, self._batch_since, self.settings.batch_size, FLUSH_AFTER_S)
                or not pending
            )
            if must_flush or len(pending) <= window // 2:
                self._top_up(fetcher, pending, window)
            if must_flush and self._batch:
                await self._flush()
                continue  # the batch's links are in the frontier now: claim again
            if not pending:
                if not self._waiting:
                    break
                self._start_waiting(fetcher, pending, force=True)
                continue
            timeout = FLUSH_AFTER_S if self._batch else None
            done, _ = await asyncio.wait(
                pending, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            pending -= done
            for task in done:
                self._collect(task.result())

    def _top_up(
        self, fetcher: Fetcher, pending: set[asyncio.Task[list[PageOutcome]]], window: int
    ) -> None:
        """Claim frontier entries into the window, within ``max_pages``, and start the visits
        the crawl budget allows; entries whose pattern has enough pages in flight wait."""
        self._start_waiting(fetcher, pending)
        room = window - len(pending) - len(self._waiting)
        budget = self.stats.pages_left(self.settings.max_pages)
        if budget is not None:
            room = min(room, budget - len(pending) - len(self._waiting))
        if room <= 0:
            return
        for entry in self.store.claim(room):
            self._start(fetcher, pending, entry)

    def _start(
        self,
        fetcher: Fetcher,
        pending: set[asyncio.Task[list[PageOutcome]]],
        entry: FrontierEntry,
        *,
        force: bool = False,
    ) -> None:
        decision = self.budget.decide(entry, force=force)
        if decision == "wait":
            self._waiting.append(entry)
        elif decision == "start":
            validators = self.store.validators(entry.url) if self.settings.recrawl else None
            visit = self._visit(fetcher, self.stats.crawl_id, entry, validators)
            pending.add(asyncio.create_task(visit))
        else:
            self.stats.skipped += 1

    def _start_waiting(
        self,
        fetcher: Fetcher,
        pending: set[asyncio.Task[list[PageOutcome]]],
        *,
        force: bool = False,
    ) -> None:
        """Decide again on the entries that wait (``force``: start the first one anyway)."""
        waiting, self._waiting = self._waiting, []
        for n, entry in enumerate(waiting):
            self._start(fetcher, pending, entry, force=force and n == 0)

    def _collect(self, outcomes: list[PageOutcome]) -> None:
        for outcome in outcomes:
            self.stats.count(outcome)
        if not self._batch:
            self._batch_since = time.monotonic()
        self._batch.extend(outcomes)

    async def _flush(self) -> None:
        """Tag the batch's articles in one call and write the batch in one transaction.

        The work runs in a thread, so fetches in flight go on meanwhile (SQLite and much of the
        model release the GIL); the loop waits for it before it touches the store again.
        """
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        self.stats.stored += await asyncio.to_thread(self._write, batch)
        if self.on_progress is not None:
            self.on_progress(self.stats)

    def _write(self, batch: list[PageOutcome]) -> int:
        batch = self.budget.judge(batch, self.store)
        stored = write_batch(self.store, batch, self.model, self.settings.threshold)
        self.budget.save(self.store)
        if self.on_progress is not None and time.monotonic() >= self._next_count:
            self._next_count = time.monotonic() + COUNT_EVERY_S
            self.stats.queued = self.store.frontier_counts().get("queued", 0)
        return stored

    async def _process(
        self, fetched: Fetched, entry: FrontierEntry
    ) -> tuple[Article | None, list[FrontierEntry]]:
        """:func:`process_page` in the worker processes, or here when there are none; the links
        come back once each (:class:`~newsdesk._pages.LinkFilter`)."""
        if self._workers is not None:
            return await self._workers.process(fetched, entry.depth)
        article, links = process_page(fetched, entry)
        return article, self._links.fresh(links)

    def _in_scope(self, links: Iterable[FrontierEntry]) -> Iterable[FrontierEntry]:
        """The links within depth and scope whose URL pattern is not spent."""
        max_depth, allows, spent = self.settings.max_depth, self.scope.allows, self.budget.spent
        return (
            link
            for link in links
            if link.depth <= max_depth and allows(link.url) and not spent(link.url)
        )


def _settings_record(settings: Settings) -> dict[str, object]:
    """The settings as JSON-friendly values for the crawl's row."""
    return {
        k: (str(v) if v is not None and not isinstance(v, int | float | bool | str | tuple) else v)
        for k, v in dataclasses.asdict(settings).items()
    }


def crawl(
    settings: Settings,
    seeds: Sequence[str],
    *,
    model: TopicModel | None = None,
    on_progress: ProgressCallback | None = None,
    workers: int | None = None,
) -> CrawlStats:
    """Crawl from ``seeds`` into ``settings.db`` with the given (or configured) topic model.

    ``workers``: extraction processes (see :class:`Crawl`); default ``settings.workers``.
    """
    from classifier import load_model

    topic_model = model or load_model(settings.model)
    with Store(settings.db) as store:
        count = settings.workers if workers is None else workers
        crawl_run = Crawl(settings, store, topic_model, seeds, on_progress, workers=count)
        return asyncio.run(crawl_run.run())


def ingest(
    settings: Settings, pages: Iterable[Fetched], *, model: TopicModel | None = None
) -> CrawlStats:
    """Extract, tag and store already-fetched pages (e.g. from a WARC archive) offline.

    Split stories are joined as in a crawl; see :func:`newsdesk._ingest.ingest_pages`.
    """
    from newsdesk._ingest import ingest_pages

    return ingest_pages(settings, pages, model=model)
