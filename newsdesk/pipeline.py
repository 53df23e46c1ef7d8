"""The pipeline: frontier (store) → Fetcher → extract → classifier → store.

One crawl is a loop over the frontier kept in the database. Fetches run concurrently on one event
loop (the :class:`scraper.fetch.Fetcher` enforces global and per-host limits); finished pages are
collected into batches, each batch is tagged by the topic model in one call and written by
:meth:`store.Store.save_outcomes` in one transaction together with the pages' frontier state, so a
``kill -9`` at any moment loses at most the pages of the batch not yet written, and those are
fetched again on restart (``requeue_in_flight``), while nothing written is fetched twice.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import multiprocessing
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsdesk.errors import ExtractError, FetchError
from newsdesk.settings import Settings
from scraper import (
    Article,
    Failure,
    Fetched,
    Fetcher,
    FrontierEntry,
    Scope,
    canonicalize,
    decode_html,
    discover,
    extract,
    kind_of_seed,
)
from scraper.urls import looks_like_article
from store import PageOutcome, Store

if TYPE_CHECKING:
    from classifier import TopicModel

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})
MAX_ARTICLE_PAGES = 20
MIN_ARTICLE_CHARS = 150
ARTICLE_URL_SCORE = 0.5
SEED_PRIORITY = 100.0
# URLs this run already sent to the frontier, remembered to skip scope checks and inserts of
# links met again (every page links its nav and hot lists); cleared when full, so bounded.
KNOWN_URLS_MAX = 200_000
# Seconds between counts of the queued frontier for the progress display (a full-table scan).
COUNT_EVERY_S = 2.0
# Seconds between an extraction worker's checks that the crawl process still lives.
PARENT_CHECK_S = 1.0


@dataclass(slots=True)
class CrawlStats:
    """Running counts of one crawl, reported to the progress callback and stored on its row."""

    crawl_id: int = 0
    fetched: int = 0
    stored: int = 0
    failed: int = 0
    not_modified: int = 0
    queued: int = 0
    started: float = field(default_factory=time.monotonic)
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def elapsed(self) -> float:
        """Seconds since the crawl started."""
        return time.monotonic() - self.started

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly copy for the crawl's row and the CLI summary."""
        return {
            "fetched": self.fetched,
            "stored": self.stored,
            "failed": self.failed,
            "not_modified": self.not_modified,
            "failures": dict(self.failures),
            "elapsed_s": round(self.elapsed, 3),
            "pages_per_s": round(self.fetched / self.elapsed, 2) if self.elapsed else 0.0,
        }


ProgressCallback = Callable[[CrawlStats], None]


def seed_entries(seeds: Iterable[str]) -> list[FrontierEntry]:
    """Canonical frontier entries for the seeds; ValueError on a URL that is not http(s)."""
    entries = []
    for seed in seeds:
        url = canonicalize(seed)
        if url is None:
            raise ValueError(f"not an http(s) URL: {seed!r}")
        entries.append(FrontierEntry(url, 0, SEED_PRIORITY, kind_of_seed(url)))
    return entries


def process_page(
    fetched: Fetched, entry: FrontierEntry
) -> tuple[Article | None, list[FrontierEntry]]:
    """Extract the article (when the page is one) and discover links; pure CPU work on one page."""
    if fetched.content_type not in HTML_TYPES:
        return None, discover(fetched, None, entry.depth)
    text, used = decode_html(fetched.body, fetched.encoding)
    links = discover(fetched, text, entry.depth)
    article = dataclasses.replace(extract(text, fetched.final_url), encoding=used)
    return (article if is_article_page(article) else None), links


def is_article_page(article: Article) -> bool:
    """Whether a page is a story rather than a listing, home or navigation page.

    The page's own word (og:type) decides when it gives one; otherwise a story has a body of some
    length and either an article-shaped URL or a publication date.
    """
    declared = article.meta.get("og:type", "").strip().lower()
    if declared:
        return declared == "article"
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


class Crawl:
    """One run of the crawl loop over a store's frontier.

    ``workers`` processes extract and discover links (CPU work that would stall fetching on the
    event loop); with 0 (the default) it runs on the loop itself. Workers are spawned, so the
    program's main module must be import-safe (``if __name__ == "__main__"``). On two CPUs one
    worker measured +15-50 % pages/s on an idle machine, none on a busy one, and costs ~85 MB.
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
        self.scope = Scope(settings, self.seeds)
        self.on_progress = on_progress
        self.workers = workers
        self.stats = CrawlStats()
        self._batch: list[PageOutcome] = []
        self._known: set[str] = set()
        self._pool: Executor | None = None
        self._next_count = 0.0

    async def run(self) -> CrawlStats:
        """Crawl until the frontier is empty or ``max_pages`` pages were fetched."""
        store, settings = self.store, self.settings
        self.stats.crawl_id = store.start_crawl(self.seeds, _settings_record(settings))
        requeued = store.requeue_in_flight()
        if requeued:
            log.info("resuming: %d pages that were in flight are queued again", requeued)
        if settings.recrawl:
            log.info("recrawl: %d stored pages queued again", store.requeue_done_for_recrawl())
        store.add_frontier(seed_entries(self.seeds), self.stats.crawl_id)
        try:
            if self.workers > 0:
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(
                    self.workers, context, _exit_with_parent, (os.getpid(),)
                )
            async with Fetcher(settings) as fetcher:
                await self._add_robots_sitemaps(fetcher)
                await self._loop(fetcher)
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
        await self._flush()
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

    def _budget(self) -> int | None:
        """How many more pages may be claimed, or None for no limit."""
        if self.settings.max_pages is None:
            return None
        return max(0, self.settings.max_pages - self.stats.fetched - self.stats.failed)

    async def _loop(self, fetcher: Fetcher) -> None:
        """Keep the window of fetches full; the store is only touched here, between awaits.

        The window holds twice the fetches the Fetcher runs at once and is topped up once half
        of it is free, so claims go to the store in chunks rather than one URL at a time.
        """
        pending: set[asyncio.Task[list[PageOutcome]]] = set()
        window = max(2, self.settings.concurrency * 2)
        claimed = 0
        while True:
            budget = self._budget()
            room = window - len(pending)
            if budget is not None:
                room = min(room, budget - claimed)
            if room > 0 and len(pending) <= window // 2:
                for entry in self.store.claim(room):
                    claimed += 1
                    validators = self.store.validators(entry.url) if self.settings.recrawl else None
                    pending.add(asyncio.create_task(self._visit(fetcher, entry, validators)))
            if not pending:
                break
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                claimed -= 1
                self._collect(task.result())
            if len(self._batch) >= self.settings.batch_size or not pending:
                await self._flush()

    def _collect(self, outcomes: list[PageOutcome]) -> None:
        for outcome in outcomes:
            if outcome.failure is not None:
                self.stats.failed += 1
                self.stats.failures[outcome.failure.stage] += 1
            elif outcome.state == "not_modified":
                self.stats.not_modified += 1
            else:
                self.stats.fetched += 1
        self._batch.extend(outcomes)

    async def _flush(self) -> None:
        """Tag the batch's articles in one call and write the batch in one transaction.

        The work runs in a thread, so fetches in flight go on meanwhile (SQLite and much of the
        model release the GIL); the loop waits for it before it touches the store again.
        """
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        await asyncio.to_thread(self._write, batch)
        self.stats.stored += sum(1 for o in batch if o.article is not None)
        if self.on_progress is not None:
            self.on_progress(self.stats)

    def _write(self, batch: list[PageOutcome]) -> None:
        self.store.save_outcomes(tag_outcomes(batch, self.model, self.settings.threshold))
        if self.on_progress is not None and time.monotonic() >= self._next_count:
            self._next_count = time.monotonic() + COUNT_EVERY_S
            self.stats.queued = self.store.frontier_counts().get("queued", 0)

    async def _visit(
        self, fetcher: Fetcher, entry: FrontierEntry, validators: tuple[str | None, ...] | None
    ) -> list[PageOutcome]:
        """Fetch one frontier entry into outcomes (more than one for a split article)."""
        crawl_id = self.stats.crawl_id
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
        try:
            article, links = await self._process(fetched, entry)
        except ExtractError as exc:
            failure = Failure(entry.url, "extract", type(exc).__name__, str(exc))
            return [PageOutcome(entry.url, crawl_id, fetched, failure=failure, state="failed")]
        extra: list[PageOutcome] = []
        if article is not None and article.next_page:
            article, extra = await self._follow_pages(fetcher, article, entry)
        discovered = tuple(self._in_scope(links))
        first = PageOutcome(
            entry.url, crawl_id, fetched, article, discovered=discovered, depth=entry.depth
        )
        return [first, *extra]

    async def _process(
        self, fetched: Fetched, entry: FrontierEntry
    ) -> tuple[Article | None, list[FrontierEntry]]:
        """:func:`process_page` in the worker processes, or here when there are none."""
        if self._pool is None:
            return process_page(fetched, entry)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, process_page, fetched, entry)

    async def _follow_pages(
        self, fetcher: Fetcher, article: Article, entry: FrontierEntry
    ) -> tuple[Article, list[PageOutcome]]:
        """Fetch the article's further pages and join them; each page is also a stored fetch."""
        pages: list[Article] = []
        outcomes: list[PageOutcome] = []
        seen = {canonicalize(article.url)}
        next_url = canonicalize(article.next_page or "")
        while next_url and next_url not in seen and len(pages) < MAX_ARTICLE_PAGES:
            seen.add(next_url)
            if not self.scope.allows(next_url):
                break
            try:
                fetched = await fetcher.fetch(next_url)
                page = extract(fetched.body, fetched.final_url, encoding=fetched.encoding)
            except (FetchError, ExtractError) as exc:
                stage = getattr(exc, "stage", "extract")
                failure = Failure(next_url, stage, type(exc).__name__, str(exc))
                outcomes.append(
                    PageOutcome(next_url, self.stats.crawl_id, failure=failure, state="failed")
                )
                break
            pages.append(page)
            outcomes.append(PageOutcome(next_url, self.stats.crawl_id, fetched, depth=entry.depth))
            next_url = canonicalize(page.next_page or "")
        return join_pages(article, pages), outcomes

    def _in_scope(self, links: Iterable[FrontierEntry]) -> Iterable[FrontierEntry]:
        """Links within depth and scope that this run has not sent to the frontier yet."""
        known = self._known
        if len(known) > KNOWN_URLS_MAX:
            known.clear()
        for link in links:
            if link.url in known or link.depth > self.settings.max_depth:
                continue
            if self.scope.allows(link.url):
                known.add(link.url)
                yield link


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: end the worker once the crawl process is gone (e.g. ``kill -9``)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def tag_outcomes(
    outcomes: Sequence[PageOutcome], model: TopicModel, threshold: float
) -> list[PageOutcome]:
    """Attach topics to every outcome that carries an article, in one model call."""
    indexed = [(i, o.article) for i, o in enumerate(outcomes) if o.article is not None]
    if not indexed:
        return list(outcomes)
    titles = [a.title for _, a in indexed]
    texts = [a.text for _, a in indexed]
    predictions = model.predict_topics(titles, texts, threshold=threshold)
    tagged = list(outcomes)
    for (i, _), topics in zip(indexed, predictions, strict=True):
        tagged[i] = dataclasses.replace(tagged[i], topics=topics, model_id=model.model_id)
    return tagged


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
