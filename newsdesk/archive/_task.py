"""The one task function of an archive job, whichever scheduler runs it.

``run_task`` reads one task's WARC records (fastwarc), and extracts, detects the language of,
tags and simhashes its pages through the offline ingest (:func:`newsdesk._ingest.ingest_into`)
into a shard: a store file in today's schema, named after the task. The shard is written as
``<name>.db.part`` (a retried task deletes its own partial file first) and renamed to
``<name>.db`` only when complete, so a finished shard is never half-written and a task killed
mid-way leaves nothing the driver would merge. An input that cannot be read (missing, not a
WARC archive, unreachable) gives a result with its ``error`` and no shard: the driver records it
and goes on, and the next run tries that input again. ``run_task_shipped`` is the same work for a
scheduler whose workers may sit on other machines (Ray), in a scratch folder of the worker's
machine: the finished shard comes back as bytes through the object store (no shared file system
needed), and the driver saves it with ``save_shipped``.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import socket
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.archive._inputs import ArchiveTask
from newsdesk.errors import ExtractError
from newsdesk.settings import Settings

if TYPE_CHECKING:
    from classifier import TopicModel

SHARD_SUFFIX = ".db"
PART_SUFFIX = ".db.part"
SCRATCH_DIR = "newsdesk-shards"


@dataclass(frozen=True, slots=True)
class ShardResult:
    """A finished shard: where it is, the task's counts, its wall and CPU seconds, and which
    process on which machine ran it."""

    task: ArchiveTask
    path: str
    stats: dict[str, object] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    pid: int = 0
    node: str = ""
    error: str | None = None


def shard_path(shard_dir: Path, task: ArchiveTask) -> Path:
    """Where the finished shard of ``task`` lives."""
    return shard_dir / f"{task.name}{SHARD_SUFFIX}"


@functools.lru_cache(maxsize=2)
def _topic_model(path: Path | None) -> TopicModel:
    """The topic model, loaded once per worker process (1.3 s) rather than once per task."""
    from classifier import load_model

    return load_model(path)


def run_task(task: ArchiveTask, settings: Settings, shard_dir: Path) -> ShardResult:
    """Process one task's pages into its shard under ``shard_dir`` (see the module doc)."""
    from newsdesk._ingest import ingest_into
    from scraper.fetch.warc import iter_warc_fast
    from store import Store
    from store._merge import finish_shard, seal_shard

    wall, cpu = time.monotonic(), time.process_time()
    final = shard_path(shard_dir, task)
    part = final.with_name(task.name + PART_SUFFIX)
    shard_dir.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{part}{suffix}").unlink(missing_ok=True)
    crawl = {"source": "archive", "input": task.source, "size": task.size, "etag": task.etag,
             "start": task.start, "end": task.end}  # fmt: skip
    pages = iter_warc_fast(task.source, start=task.start, end=task.end)
    try:
        with Store(part, bulk=True) as store:
            stats = ingest_into(
                store, settings, pages, _topic_model(settings.model), crawl, [task.source]
            )
            finish_shard(store, stats.crawl_id, stats.as_dict())
            seal_shard(store)
    except ExtractError as exc:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{part}{suffix}").unlink(missing_ok=True)
        return ShardResult(task, "", {}, time.monotonic() - wall, time.process_time() - cpu,
                           os.getpid(), socket.gethostname(), str(exc))  # fmt: skip
    os.replace(part, final)
    return ShardResult(
        task,
        str(final),
        stats.as_dict(),
        time.monotonic() - wall,
        time.process_time() - cpu,
        os.getpid(),
        socket.gethostname(),
    )


def run_task_shipped(task: ArchiveTask, settings: Settings) -> tuple[ShardResult, bytes]:
    """``run_task`` in the scratch folder of the worker's machine (where a retry finds and
    replaces its own partial shard); the shard comes back as bytes and leaves the scratch."""
    result = run_task(task, settings, Path(tempfile.gettempdir()) / SCRATCH_DIR)
    if result.error is not None:
        return result, b""
    path = Path(result.path)
    data = path.read_bytes()
    path.unlink()
    return result, data


def save_shipped(result: ShardResult, data: bytes, shard_dir: Path) -> ShardResult:
    """Write a shipped shard under ``shard_dir`` (temp name, then rename); the result there."""
    if result.error is not None:
        return result
    final = shard_path(shard_dir, result.task)
    part = final.with_name(result.task.name + PART_SUFFIX)
    shard_dir.mkdir(parents=True, exist_ok=True)
    part.write_bytes(data)
    os.replace(part, final)
    return dataclasses.replace(result, path=str(final))
