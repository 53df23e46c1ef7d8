"""Two schedulers for the one task function: this process (or a process pool), and Ray.

Both yield finished shards as they complete. Ray's own machinery does the distributing: one
``num_cpus=1`` task per archive task, ``max_retries`` re-running a task whose worker process or
node died (the retry overwrites its own partial shard), the object store bringing each shard back
to the driver. There is no scheduler of ours beyond "submit all, take what finishes".
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from newsdesk.archive._inputs import ArchiveTask
from newsdesk.archive._task import ShardResult, run_task, run_task_shipped, save_shipped
from newsdesk.errors import ConfigError
from newsdesk.settings import Settings

log = logging.getLogger(__name__)

ENGINES = ("local", "ray")
# Ray re-runs a task this many times when its worker dies (not when the task raises).
RAY_MAX_RETRIES = 3


def run_local(
    tasks: Sequence[ArchiveTask], settings: Settings, shard_dir: Path, workers: int = 1
) -> Iterator[ShardResult]:
    """Run the tasks in this process (``workers`` ≤ 1) or in a pool of ``workers`` processes."""
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield run_task(task, settings, shard_dir)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = [pool.submit(run_task, task, settings, shard_dir) for task in tasks]
        for future in as_completed(futures):
            yield future.result()


def run_ray(
    tasks: Sequence[ArchiveTask],
    settings: Settings,
    shard_dir: Path,
    address: str | None = None,
    max_retries: int = RAY_MAX_RETRIES,
) -> Iterator[ShardResult]:
    """Submit every task to Ray (the cluster at ``address`` or ``RAY_ADDRESS``, else a local
    Ray started for the job) and save each shard under ``shard_dir`` as it comes back."""
    try:
        import ray
    except ImportError as exc:
        raise ConfigError("--engine ray needs Ray: pip install 'newsdesk[ray]'") from exc
    started = not ray.is_initialized()
    if started:
        # "local" starts a Ray for this job: None would join any cluster running on this machine.
        ray.init(address=address or os.environ.get("RAY_ADDRESS") or "local",
                 logging_level=logging.WARNING, log_to_driver=False)  # fmt: skip
    try:
        remote = ray.remote(num_cpus=1, max_retries=max_retries)(run_task_shipped)
        pending = {remote.remote(task, settings): task for task in tasks}
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                pending.pop(ref)
                result, data = ray.get(ref)
                yield save_shipped(result, data, shard_dir)
    finally:
        if started:
            ray.shutdown()


def run_tasks(
    engine: str,
    tasks: Sequence[ArchiveTask],
    settings: Settings,
    shard_dir: Path,
    *,
    workers: int = 1,
    ray_address: str | None = None,
) -> Iterator[ShardResult]:
    """The finished shards of ``tasks`` run by ``engine`` ("local" or "ray"), as they finish."""
    if engine == "local":
        return run_local(tasks, settings, shard_dir, workers)
    if engine == "ray":
        return run_ray(tasks, settings, shard_dir, ray_address)
    raise ConfigError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
