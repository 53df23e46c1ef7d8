"""The crawl on a Ray cluster: host partitions on actors, one driver writing the store.

``newsdesk crawl SEEDS --engine ray`` runs :func:`crawl_on_ray`. Each host belongs to exactly
one of ``workers`` fetcher actors, chosen by a stable hash (:mod:`newsdesk.cluster._partition`),
so robots.txt, Crawl-delay and the per-host limit hold across the cluster
(:mod:`newsdesk.cluster._fetcher`); the driver keeps the frontier and the results in the one
store, as a local crawl does, and routes every claimed URL to its host's actor
(:mod:`newsdesk.cluster._driver`). Ray is imported only here, on first use: without the
``[ray]`` extra the command fails with a message that names it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from newsdesk.cluster._driver import ClusterCrawl
from newsdesk.cluster._partition import owner_of
from newsdesk.cluster._stats import ClusterStats, WorkerCounts
from newsdesk.errors import ConfigError
from newsdesk.settings import Settings

if TYPE_CHECKING:
    from classifier import TopicModel
    from newsdesk._batch import ProgressCallback

__all__ = [
    "ClusterCrawl",
    "ClusterStats",
    "WorkerCounts",
    "crawl_on_ray",
    "owner_of",
    "run_cluster_crawl",
]

log = logging.getLogger(__name__)

#: Fetcher actors when ``--ray-workers`` is not given: one per CPU of the cluster, at least 2.
MIN_WORKERS = 2


def crawl_on_ray(
    settings: Settings,
    seeds: Sequence[str],
    *,
    address: str | None = None,
    workers: int | None = None,
    model: TopicModel | None = None,
    on_progress: ProgressCallback | None = None,
) -> ClusterStats:
    """Crawl from ``seeds`` into ``settings.db`` with host-partition actors on a Ray cluster.

    ``address``: the cluster (``host:port`` of its head, or ``auto`` for the one started here
    with ``ray start``); None: ``RAY_ADDRESS``, else a Ray of its own on this machine (never
    another user's cluster that happens to run here), unless this process is connected already.
    ``workers``: fetcher actors (default: the cluster's CPUs, at least :data:`MIN_WORKERS`).
    """
    from classifier import load_model
    from store import Store

    ray = _import_ray()
    started_here = not ray.is_initialized()
    if started_here:
        chosen = address or os.environ.get("RAY_ADDRESS") or "local"
        ray.init(address=chosen, log_to_driver=False)
    try:
        count = workers or max(MIN_WORKERS, int(ray.cluster_resources().get("CPU", 0)))
        if count < 1:
            raise ConfigError("--ray-workers must be at least 1")
        topic_model = model or load_model(settings.model)
        with Store(settings.db) as store:
            run = ClusterCrawl(
                settings, store, topic_model, seeds, workers=count, on_progress=on_progress
            )
            return asyncio.run(run.run())
    finally:
        if started_here:
            ray.shutdown()


def run_cluster_crawl(
    settings: Settings, seeds: Sequence[str], *, address: str | None, workers: int | None
) -> None:
    """The ``crawl --engine ray`` command: the crawl with a progress display, then the summary."""
    from newsdesk.output import print_summary, progress_reporter
    from store import Store

    show = settings.progress if settings.progress is not None else sys.stderr.isatty()
    with progress_reporter(show) as report:
        stats = crawl_on_ray(settings, seeds, address=address, workers=workers, on_progress=report)
    with Store(settings.db, readonly=True) as store:
        print_summary(store.summary(stats.crawl_id), stats.as_dict(), settings.db)


def _import_ray() -> ModuleType:
    """The ``ray`` module, or a ConfigError that says how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise ConfigError(
            "--engine ray needs Ray: pip install 'newsdesk[ray]' (or pip install 'ray[default]')"
        ) from exc
    return ray
