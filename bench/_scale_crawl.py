"""Crawl figures of bench/scale.py: a 10-host loopback portal crawled locally and on Ray.

Ten hosts (127.0.0.2 … 127.0.0.11, all this machine) each serve the generated portal of
``bench/crawl_server.py`` (their own stories, listings, sitemaps, feeds) from one server process,
so the crawler does not share its GIL. The same crawl runs with ``--engine local`` (one process,
:func:`newsdesk.pipeline.crawl`) and on a two-node Ray cluster started here on 127.0.0.1
(:func:`newsdesk.cluster.crawl_on_ray`, one host-partition actor per node unless told), each into
a fresh SQLite file, once per per-host delay. Columns: pages fetched, seconds (model loading and
the cluster's start excluded; the actors' start included), pages/s, the server's requests per
host per second (mean over hosts, and the busiest host's), the closest two requests any host
saw and the share of requests closer than the delay to the previous one at their host (stamped
by one server process for all ten hosts, so a busy machine shows some jitter here; the strict
check is tests/test_cluster_crawl.py). The cluster's start-up time is printed.

    python bench/_scale_crawl.py                       # 60 stories per host, delays 0.05 and 0
    python bench/_scale_crawl.py --articles 100 --delays 0.1 --ray-workers 4
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the packages before bench/ (whose store.py is a script)
HOSTS = tuple(f"127.0.0.{n}" for n in range(2, 12))


async def _serve(articles: int) -> None:
    """Serve every host; print their bases; on each stdin line print and reset the log."""
    sys.path.append(str(ROOT / "bench"))
    from crawl_server import Portal, _PortalProtocol, _Site

    loop = asyncio.get_running_loop()
    log: dict[str, list[float]] = {address: [] for address in HOSTS}
    bases = []
    for seed, address in enumerate(HOSTS):
        site = _Site(Portal(articles, seed), latency=0.0)
        server = await loop.create_server(
            lambda site=site, address=address: _PortalProtocol(site, log[address]), address, 0
        )
        site.base = f"http://{address}:{server.sockets[0].getsockname()[1]}"
        site.prepare()
        bases.append(site.base)
    print(json.dumps(bases), flush=True)
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while await reader.readline():
        print(json.dumps({host: times for host, times in log.items() if times}), flush=True)
        for times in log.values():
            times.clear()


@contextlib.contextmanager
def hosts_process(articles: int) -> Iterator[tuple[list[str], subprocess.Popen[str]]]:
    """The ten hosts in a child process; yields their base URLs and the process."""
    command = [sys.executable, __file__, "--serve", "--articles", str(articles)]
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        yield json.loads(child.stdout.readline()), child
    finally:
        child.terminate()
        child.wait(timeout=10)


def server_log(child: subprocess.Popen[str]) -> dict[str, list[float]]:
    """Arrival times per host since the last call."""
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write("\n")
    child.stdin.flush()
    return json.loads(child.stdout.readline())


def host_rates(log: dict[str, list[float]], delay: float) -> tuple[float, float, float, float]:
    """Mean and busiest requests/s per host, the closest two arrivals at any host (seconds) and
    the share of arrivals closer than ``delay`` to the one before at their host."""
    rates, gaps = [], []
    for times in log.values():
        times.sort()
        if len(times) > 1:
            rates.append((len(times) - 1) / (times[-1] - times[0]))
            gaps.extend(b - a for a, b in itertools.pairwise(times))
    short = sum(gap < delay for gap in gaps) / max(1, len(gaps))
    mean = sum(rates) / max(1, len(rates))
    return mean, max(rates, default=0.0), min(gaps, default=0.0), short


@contextlib.contextmanager
def ray_cluster() -> Iterator[float]:
    """A head and a second node on 127.0.0.1 (one CPU each); yields the seconds it took."""
    import ray
    from ray._private import ray_constants
    from ray.cluster_utils import Cluster

    # This machine routes only 127.0.0.0/8, and Ray swaps a 127.0.0.1 address for the host's
    # own (eth0) unless RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0, read when ray is imported (by
    # bench/scale.py before this): set what that variable sets.
    ray_constants.ENABLE_RAY_CLUSTER = False

    started = time.monotonic()
    node = {"num_cpus": 1, "object_store_memory": 96 * 2**20, "node_ip_address": "127.0.0.1"}
    cluster = Cluster(initialize_head=True, head_node_args={**node, "include_dashboard": False})
    cluster.add_node(**node)
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, log_to_driver=False)
    try:
        yield time.monotonic() - started
    finally:
        ray.shutdown()
        cluster.shutdown()


def crawl_figures(
    articles: int = 60, delays: tuple[float, ...] = (0.05, 0.0), ray_workers: int = 2
) -> list[dict[str, object]]:
    """Crawl the 10-host portal locally and on Ray for each delay; one row per crawl."""
    from classifier import load_model
    from newsdesk.cluster import crawl_on_ray
    from newsdesk.pipeline import crawl
    from newsdesk.settings import Settings

    model = load_model(None)
    rows: list[dict[str, object]] = []
    with hosts_process(articles) as (bases, child), ray_cluster() as startup:
        print(f"ray: two-node cluster started in {startup:.1f} s", flush=True)
        seeds = [base + "/" for base in bases]
        for delay in delays:
            for engine in ("local", "ray"):
                with tempfile.TemporaryDirectory() as folder:
                    settings = Settings(
                        db=Path(folder) / "crawl.db", allow_private=("127.0.0.0/8",), delay=delay
                    )
                    server_log(child)
                    if engine == "local":
                        stats = crawl(settings, seeds, model=model)
                    else:
                        stats = crawl_on_ray(settings, seeds, model=model, workers=ray_workers)
                    mean, busiest, closest, short = host_rates(server_log(child), delay)
                rows.append(
                    {
                        "engine": engine if engine == "local" else f"ray×{ray_workers}",
                        "delay": delay,
                        "pages": stats.fetched,
                        "stored": stats.stored,
                        "seconds": round(stats.elapsed, 2),
                        "pages/s": round(stats.fetched / stats.elapsed, 1),
                        "req/host/s": round(mean, 1),
                        "busiest": round(busiest, 1),
                        "closest_s": round(closest, 3),
                        "short_%": round(100 * short, 1),
                    }
                )
                print(json.dumps(rows[-1]), flush=True)
    return rows


def print_table(rows: list[dict[str, object]]) -> None:
    """The rows as a table, each Ray row with its pages/s against the local row before it."""
    heads = ("engine", "delay", "pages", "stored", "s", "pages/s", "× local", "req/host/s",
             "busiest", "closest s", "<delay %")  # fmt: skip
    widths = (7, 5, 6, 6, 7, 8, 7, 10, 7, 9, 8)
    print(" ".join(f"{head:>{width}}" for head, width in zip(heads, widths, strict=True)))
    local = 0.0
    for row in rows:
        rate = float(row["pages/s"])  # type: ignore[arg-type]
        local = rate if row["engine"] == "local" else local
        print(
            f"{row['engine']:>7} {row['delay']:>5} {row['pages']:>6} {row['stored']:>6} "
            f"{row['seconds']:>7} {rate:>8.1f} {rate / local if local else 0:>7.2f} "
            f"{row['req/host/s']:>10} {row['busiest']:>7} {row['closest_s']:>9} {row['short_%']:>8}"
        )


def crawl_section(articles: int = 60, delays: tuple[float, ...] = (0.05, 0.0)) -> None:
    """The crawl part of bench/scale.py: the table, with the load average before and after."""
    print(f"\ncrawl: 10 loopback hosts x {articles} stories, local vs Ray; load {os.getloadavg()}")
    print_table(crawl_figures(articles, delays))
    print(f"load average after: {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60, help="stories per host")
    parser.add_argument("--delays", default="0.05,0", help="per-host delays to run, in seconds")
    parser.add_argument("--ray-workers", type=int, default=2)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.articles))
        return
    delays = tuple(float(d) for d in args.delays.split(","))
    print(f"load average before: {os.getloadavg()}")
    print_table(crawl_figures(args.articles, delays, args.ray_workers))
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
