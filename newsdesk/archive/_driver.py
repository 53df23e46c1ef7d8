"""The driver of an archive job: plan the tasks, skip what is done, merge shards as they come.

Re-running the same command is cheap and safe: a task whose shard the store has merged (the
merge's crawl row names it) is skipped, a finished shard not merged yet (the driver died between)
is merged without running its task again, and everything else runs. Shards are merged in task
order as soon as the ones before them are in, so the store comes out the same whichever engine ran
the tasks and in whatever order they finished (near-duplicates: the earlier input's copy stays the
original). One writer, one transaction per shard. The search index is caught up at the end; when
the tasks run elsewhere (Ray, a process pool) the driver also indexes what it merged while it waits
for the next shard, so less of the indexing is left for the end, when the workers are idle.
An input that cannot be read is logged and listed in the report's ``failed_inputs`` with its
reason; the other inputs are merged as usual, and the next run tries the failed one again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.archive._engines import run_tasks
from newsdesk.archive._inputs import expand_inputs, plan_tasks
from newsdesk.archive._parquet import write_shard_parquet
from newsdesk.archive._task import ShardResult, shard_path
from newsdesk.settings import Settings
from store import Store
from store._merge import merge_shard, merged_shards

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ArchiveReport:
    """What an archive job did: tasks planned, skipped (merged before), reused (shard on disk),
    run; the pages the tasks run read, stored and failed on; the merged counts (``articles`` new
    to the store, ``duplicates`` of articles from earlier shards, ``known`` already stored); and
    where the time went."""

    engine: str
    tasks: int = 0
    skipped: int = 0
    reused: int = 0
    ran: int = 0
    fetched: int = 0
    stored: int = 0
    failed: int = 0
    pages: int = 0
    articles: int = 0
    duplicates: int = 0
    known: int = 0
    parquet_rows: int = 0
    indexed: int = 0
    seconds: float = 0.0
    task_seconds: float = 0.0
    task_cpu_seconds: float = 0.0
    merge_seconds: float = 0.0
    index_seconds: float = 0.0
    workers: dict[str, int] = field(default_factory=dict)
    failed_inputs: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly copy, seconds rounded."""
        return {
            key: round(value, 3) if isinstance(value, float) else value
            for key, value in ((k, getattr(self, k)) for k in self.__slots__)
        }


def default_shard_dir(db: Path) -> Path:
    """Shards live next to the store: ``<db>.shards/``."""
    return db.with_name(db.name + ".shards")


def run_archive(
    settings: Settings,
    inputs: Sequence[str],
    *,
    engine: str = "local",
    workers: int = 1,
    ray_address: str | None = None,
    shard_dir: Path | None = None,
    out: Path | None = None,
    split_bytes: int | None = None,
    on_shard: Callable[[ShardResult], None] | None = None,
) -> ArchiveReport:
    """Re-process the WARC files named by ``inputs`` into ``settings.db`` (see the module doc);
    ``out`` also leaves the merged articles as a Parquet dataset."""
    wall = time.monotonic()
    shard_dir = shard_dir or default_shard_dir(Path(settings.db))
    tasks = plan_tasks(expand_inputs(inputs), split_bytes)
    report = ArchiveReport(engine, tasks=len(tasks))
    with Store(settings.db, bulk=True) as store:
        merged = merged_shards(store)
        todo = [task for task in tasks if task.name not in merged]
        report.skipped = len(tasks) - len(todo)
        on_disk = {task.name: shard_path(shard_dir, task) for task in todo}
        ready: dict[str, Path | None] = {n: p for n, p in on_disk.items() if p.exists()}
        report.reused = len(ready)
        order = [task.name for task in todo]
        position = 0

        def merge_ready() -> None:
            nonlocal position
            while position < len(order) and order[position] in ready:
                name = order[position]
                shard = ready.pop(name)
                if shard is not None:
                    _merge(store, shard, name, out, report)
                position += 1
            if overlap and position < len(order):
                _index(store, report)

        runs = [task for task in todo if task.name not in ready]
        # Tasks running elsewhere leave the driver waiting: it indexes what it merged meanwhile.
        overlap = engine != "local" or workers > 1
        merge_ready()
        for result in run_tasks(engine, runs, settings, shard_dir, workers=workers,
                                ray_address=ray_address):  # fmt: skip
            report.ran += 1
            if result.error is not None:
                log.error("input %s failed: %s", result.task.source, result.error)
                report.failed_inputs.append({"input": result.task.source, "error": result.error})
                ready[result.task.name] = None
                merge_ready()
                continue
            report.task_seconds += result.seconds
            report.task_cpu_seconds += result.cpu_seconds
            for key in ("fetched", "stored", "failed"):
                setattr(report, key, getattr(report, key) + int(result.stats.get(key, 0)))
            worker = f"{result.node}:{result.pid}"
            report.workers[worker] = report.workers.get(worker, 0) + 1
            ready[result.task.name] = Path(result.path)
            if on_shard is not None:
                on_shard(result)
            merge_ready()
        _index(store, report)
    report.seconds = time.monotonic() - wall
    return report


def _index(store: Store, report: ArchiveReport) -> None:
    started = time.monotonic()
    report.indexed += store.index_search()
    report.index_seconds += time.monotonic() - started


def _merge(store: Store, shard: Path, name: str, out: Path | None, report: ArchiveReport) -> None:
    started = time.monotonic()
    counts = merge_shard(store, shard, name)
    report.merge_seconds += time.monotonic() - started
    report.pages += counts.pages
    report.articles += counts.articles
    report.duplicates += counts.duplicates
    report.known += counts.known
    if out is not None:
        report.parquet_rows += write_shard_parquet(store, counts.crawl_id, out, name)
    log.info("merged shard %s: %d articles", name, counts.articles)
