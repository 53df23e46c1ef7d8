"""The crawl driver on Ray: the store's single writer, routing frontier URLs to host partitions.

The driver does what the local crawl loop (:mod:`newsdesk.pipeline`) does with its store — start
the crawl's row, queue again what a killed run left in flight, claim queued URLs (marked
``in_flight``), write finished pages with their frontier states and discovered links in one
transaction (:func:`newsdesk._batch.write_batch`), finish the row — but it fetches nothing: each
claimed URL goes to the :class:`~newsdesk.cluster._fetcher.HostFetcher` actor that owns its host
(:func:`~newsdesk.cluster._partition.owner_of`), in calls of up to :data:`CALL_SIZE` URLs, and
the links a page leads to reach their own host's actor through the frontier. Claimed URLs wait
in one queue per host and are sent with the hosts in turn, ``per_host + 1`` of a host at most:
the frontier gives URLs in priority order, often dozens of one host in a row, which would keep
one host's gate busy while the others idle (on ten hosts at a 50 ms delay: 6.3 requests per
host per second without this, 18.1 with it, of 20 allowed). The crawl budget
(:mod:`newsdesk._budget`) decides on each claimed URL and judges each written batch here, as in
the local loop, so URL patterns that lead nowhere are held back and skipped cluster-wide.

Durability is the store's, as in a local crawl: a URL is ``in_flight`` from its claim until its
outcome is committed, so a driver killed with ``kill -9`` loses nothing committed and the next
run fetches again at most the URLs that were sent to the actors (:func:`claim_window`) and the
batch not yet written; URLs claimed and not sent are queued again and fetched once. A dead actor
is restarted by Ray (``max_restarts``) and its calls in flight re-sent (``max_task_retries``);
should Ray give up, the driver starts a new actor for the partition and re-sends the calls
itself, up to :data:`MAX_RESENDS` times.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsdesk._batch import ProgressCallback, batch_due, write_batch
from newsdesk._budget import CrawlBudget
from newsdesk.cluster._fetcher import HostFetcher, Job, Report
from newsdesk.cluster._partition import owner_of
from newsdesk.cluster._stats import ClusterStats, WorkerCounts
from newsdesk.pipeline import SEED_PRIORITY, _settings_record, seed_entries
from newsdesk.settings import Settings
from scraper import Failure, FrontierEntry, Scope, canonicalize
from scraper.fetch.politeness import host_key
from store import PageOutcome, Store

if TYPE_CHECKING:
    from classifier import TopicModel

log = logging.getLogger(__name__)

#: URLs per actor call: fewer calls (each a round trip through Ray) against answers sooner.
CALL_SIZE = 8
#: URLs out at the actors per fetch slot of each worker, as the local crawl's WINDOW_PER_SLOT.
WINDOW_PER_SLOT = 2
#: Windows of URLs claimed ahead, so that the URLs sent can take the hosts in turn.
HOLD_PER_WINDOW = 4
#: Oldest a batch of finished pages gets before it is written: what a kill -9 may lose.
FLUSH_AFTER_S = 1.0
#: Times Ray restarts a dead actor, and re-sends the calls it had in flight, before giving up.
MAX_RESTARTS = 20
MAX_TASK_RETRIES = 3
#: Times the driver itself re-sends a call after Ray gave up on its actor.
MAX_RESENDS = 2
#: CPUs an actor reserves: fetching waits on the network, so two share a core.
ACTOR_CPUS = 0.5


@dataclass(slots=True)
class _Call:
    worker: int
    jobs: list[Job]
    resends: int = 0


class ClusterCrawl:
    """One crawl run with ``workers`` host-partition actors on the connected Ray cluster."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        model: TopicModel,
        seeds: Sequence[str],
        *,
        workers: int,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.model = model
        self.seeds = list(seeds)
        self.workers = workers
        self.on_progress = on_progress
        self.stats = ClusterStats(workers={i: WorkerCounts() for i in range(workers)})
        self._scope = Scope(settings.scope_options(), self.seeds)
        self._actors: list[Any] = []
        self._delays: dict[str, float] = {}
        self._batch: list[PageOutcome] = []
        self._batch_since = 0.0
        self._waiting: list[FrontierEntry] = []
        self._held: dict[str, deque[Job]] = {}
        self._host_sent: Counter[str] = Counter()
        self._sent = 0
        self.budget = CrawlBudget()

    @property
    def window(self) -> int:
        """URLs sent to the actors and not answered yet, at most (see :func:`claim_window`)."""
        return claim_window(self.workers, self.settings)

    async def run(self) -> ClusterStats:
        """Crawl until the frontier is empty or ``max_pages`` pages were fetched."""
        store, settings = self.store, self.settings
        record = {**_settings_record(settings), "engine": "ray", "ray_workers": self.workers}
        self.stats.crawl_id = store.start_crawl(self.seeds, record)
        self.budget = CrawlBudget(store.url_patterns())
        requeued = store.requeue_in_flight()
        if requeued:
            log.info("resuming: %d pages that were in flight are queued again", requeued)
        if settings.recrawl:
            log.info("recrawl: %d stored pages queued again", store.requeue_done_for_recrawl())
        store.add_frontier(seed_entries(self.seeds), self.stats.crawl_id)
        self._actors = [self._start_actor(i) for i in range(self.workers)]
        try:
            for index, pid, node in await asyncio.gather(
                *(a.identity.remote() for a in self._actors)
            ):
                self.stats.workers[index].ran(pid, node)
            await self._add_robots_sitemaps()
            await self._loop()
            await self._flush()
        finally:
            _kill_actors(self._actors)
        self.budget.save(store)
        self.stats.trap_requests = self.budget.trap_requests()
        self.stats.trap_patterns = self.budget.trap_patterns()
        store.finish_crawl(self.stats.crawl_id, self.stats.as_dict())
        return self.stats

    def _start_actor(self, index: int) -> Any:
        import ray

        actor_class = ray.remote(HostFetcher).options(
            max_restarts=MAX_RESTARTS,
            max_task_retries=MAX_TASK_RETRIES,
            num_cpus=ACTOR_CPUS,
            scheduling_strategy="SPREAD",
        )
        return actor_class.remote(index, self.workers, self.settings, self.seeds)

    async def _add_robots_sitemaps(self) -> None:
        """Sitemaps named in the seed hosts' robots.txt, asked of each host's own actor."""
        refs = [self._actors[owner_of(s, self.workers)].sitemaps.remote(s) for s in self.seeds]
        entries = []
        for urls, delays in await asyncio.gather(*refs):
            self._delays.update(delays)
            for url in urls:
                canonical = canonicalize(url)
                if canonical and self._scope.allows(canonical):
                    entries.append(FrontierEntry(canonical, 0, SEED_PRIORITY - 1, "sitemap"))
        if entries:
            self.store.add_frontier(entries, self.stats.crawl_id)

    async def _loop(self) -> None:
        """Keep the window of claimed URLs full; the store is only touched here, between awaits."""
        pending: dict[asyncio.Future[Report], _Call] = {}
        while True:
            must_flush = (
                batch_due(self._batch, self._batch_since, self.settings.batch_size, FLUSH_AFTER_S)
                or not pending
            )
            if must_flush or self._sent <= self.window // 2:
                self._top_up(pending)
            if must_flush and self._batch:
                await self._flush()
                continue  # the batch's links are in the frontier now: claim again
            if not pending:
                if not self._waiting:
                    break
                self._top_up(pending, force=True)
                continue
            done, _ = await asyncio.wait(
                pending, timeout=FLUSH_AFTER_S, return_when=asyncio.FIRST_COMPLETED
            )
            for future in done:
                self._collect(future, pending.pop(future), pending)

    def _top_up(self, pending: dict[asyncio.Future[Report], _Call], *, force: bool = False) -> None:
        """Claim URLs (within ``max_pages``) into per-host queues and send some on.

        The crawl budget (:class:`newsdesk._budget.CrawlBudget`, as in a local crawl) decides on
        each claimed URL: it starts, waits for its pattern's pages in flight, or is skipped;
        ``force``: the first waiting URL starts. Up to :data:`HOLD_PER_WINDOW` windows are
        claimed ahead, so that the URLs sent can take the hosts in turn (the frontier gives them
        in priority order, often many of one host in a row); a URL claimed and not sent is
        queued again after a kill and fetched once, so only the window counts towards what a
        kill fetches twice.
        """
        waiting, self._waiting = self._waiting, []
        held = sum(len(queue) for queue in self._held.values())
        room = HOLD_PER_WINDOW * self.window - self._sent - held - len(waiting)
        budget = self.stats.pages_left(self.settings.max_pages)
        if budget is not None:
            room = min(room, budget - self._sent - held - len(waiting))
        claimed = self.store.claim(room) if room > 0 else []
        for n, entry in enumerate([*waiting, *claimed]):
            decision = self.budget.decide(entry, force=force and n == 0)
            if decision == "wait":
                self._waiting.append(entry)
            elif decision == "skip":
                self.stats.skipped += 1
            else:
                validators = self.store.validators(entry.url) if self.settings.recrawl else None
                self._held.setdefault(host_key(entry.url), deque()).append((entry, validators))
        self._dispatch(pending)

    def _dispatch(self, pending: dict[asyncio.Future[Report], _Call]) -> None:
        """Send held URLs to their hosts' owners, the hosts in turn: at most ``per_host + 1`` of
        a host sent (more would only wait at the actor's host gate) and the window in all."""
        cap, room = self.settings.per_host + 1, self.window - self._sent
        by_worker: dict[int, list[Job]] = {}
        while room > 0:
            ready = [h for h, queue in self._held.items() if self._host_sent[h] < cap]
            if not ready:
                break
            for host in ready[:room]:
                queue = self._held[host]
                job = queue.popleft()
                if not queue:
                    del self._held[host]
                self._host_sent[host] += 1
                by_worker.setdefault(owner_of(job[0].url, self.workers), []).append(job)
            room -= len(ready[:room])
        for worker, jobs in by_worker.items():
            for start in range(0, len(jobs), CALL_SIZE):
                self._send(pending, _Call(worker, jobs[start : start + CALL_SIZE]))
            self._sent += len(jobs)

    def _send(self, pending: dict[asyncio.Future[Report], _Call], call: _Call) -> None:
        hosts = {host_key(entry.url) for entry, _ in call.jobs}
        delays = {h: self._delays[h] for h in hosts if h in self._delays}
        ref = self._actors[call.worker].visit.remote(self.stats.crawl_id, call.jobs, delays)
        pending[asyncio.wrap_future(ref.future())] = call

    def _collect(
        self,
        future: asyncio.Future[Report],
        call: _Call,
        pending: dict[asyncio.Future[Report], _Call],
    ) -> None:
        """Take a call's outcomes into the batch; re-send or fail its URLs if its actor died."""
        from ray.exceptions import RayActorError

        try:
            report = future.result()
        except RayActorError as exc:
            if call.resends >= MAX_RESENDS:
                self._answered(call)
                self._fail(call, "ActorDied", str(exc))
                return
            log.warning("worker %d is gone (%s); starting another", call.worker, exc)
            self._actors[call.worker] = self._start_actor(call.worker)
            self.stats.resent += len(call.jobs)
            self._send(pending, dataclasses.replace(call, resends=call.resends + 1))
            return
        except Exception as exc:  # a bug in the actor: its URLs are recorded as failed
            log.error("worker %d failed on a call: %s", call.worker, exc)
            self._answered(call)
            self._fail(call, type(exc).__name__, str(exc))
            return
        self._answered(call)
        self.stats.workers[call.worker].add(report)
        self._delays.update(report.delays)
        self._take(report.outcomes)

    def _answered(self, call: _Call) -> None:
        """The call's URLs are no longer out at their hosts."""
        self._sent -= len(call.jobs)
        for entry, _ in call.jobs:
            self._host_sent[host_key(entry.url)] -= 1

    def _fail(self, call: _Call, error: str, message: str) -> None:
        crawl_id = self.stats.crawl_id
        self._take(
            [
                PageOutcome(
                    entry.url,
                    crawl_id,
                    failure=Failure(entry.url, "worker", error, message[:500]),
                    state="failed",
                    depth=entry.depth,
                )
                for entry, _ in call.jobs
            ]
        )

    def _take(self, outcomes: list[PageOutcome]) -> None:
        if not self._batch:
            self._batch_since = time.monotonic()
        for outcome in outcomes:
            self.stats.count(outcome)
        self._batch.extend(outcomes)

    async def _flush(self) -> None:
        """Tag and write the batch in one transaction, in a thread while the actors go on."""
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        self.stats.stored += await asyncio.to_thread(self._write, batch)
        if self.on_progress is not None:
            self.on_progress(self.stats)

    def _write(self, batch: list[PageOutcome]) -> int:
        """Drop the links of spent URL patterns, write the batch, then let the budget judge it."""
        spent = self.budget.spent
        batch = [
            dataclasses.replace(o, discovered=tuple(x for x in o.discovered if not spent(x.url)))
            if o.discovered
            else o
            for o in batch
        ]
        stored = write_batch(self.store, batch, self.model, self.settings.threshold)
        self.budget.settle(batch, self.store)
        self.budget.save(self.store)
        return stored


def claim_window(workers: int, settings: Settings) -> int:
    """URLs the driver keeps sent to its actors: each worker's fetch slots, twice over.

    A kill fetches again at most these plus the batch not written yet (``batch_size``).
    """
    return max(2, workers * settings.concurrency * WINDOW_PER_SLOT)


def _kill_actors(actors: list[Any]) -> None:
    import ray

    for actor in actors:
        ray.kill(actor, no_restart=True)
