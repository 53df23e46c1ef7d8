"""Beyond one machine: the archive job (``extract --warc``) on the local engine and on Ray.

One run, on one WARC set of ``--records`` distinct articles built from the fixture portal
(``newsdesk.archive._synthetic``, ``--files`` files), measures back to back:

1. reading: records/s of fastwarc (``iter_warc_fast``) and warcio (``iter_warc``), both turning
   every response into a ``Fetched`` with its body decoded, over the same files;
2. the job on ``--engine local`` in one process, then on ``--engine ray`` with a local Ray of
   ``--cpus`` CPUs (started here; its start-up and a first no-op task are timed apart):
   pages/s over the whole job (tasks, merge, search index), the ratio, pages/s per core, pages
   per CPU-second of the tasks (per-core efficiency that the machine's other load disturbs
   less), and the peak resident memory of each Ray worker (sampled every 0.25 s);
3. the merge alone: the local run's shards merged into a fresh store (articles/s, no search
   indexing), then the search index caught up (articles/s).

The load average (``uptime``) is printed with every figure: the machine is shared.

    python bench/scale.py                          # 20,000 records in 20 files, 2 Ray CPUs
    python bench/scale.py --records 4000 --files 8 --keep /tmp/scale
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

# Run as a script, bench/ comes first on sys.path and bench/store.py would shadow the store.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsdesk.archive import run_archive
from newsdesk.archive._synthetic import write_portal_warcs
from newsdesk.settings import load_settings
from scraper.fetch.warc import iter_warc, iter_warc_fast
from store import Store
from store._merge import merge_shard


def load() -> str:
    """The 1, 5 and 15 minute load averages, as uptime prints them."""
    return "load " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def say(label: str, value: str) -> None:
    print(f"{label:<44} {value:<40} [{load()}]", flush=True)


def read_rates(files: list[Path]) -> dict[str, float]:
    """Records/s of both readers over ``files``, the faster of two passes each."""
    rates = {}
    for name, reader in (("fastwarc", lambda f: iter_warc_fast(str(f))), ("warcio", iter_warc)):
        best = float("inf")
        for _ in range(2):
            started = time.perf_counter()
            count = sum(1 for file in files for _ in reader(file))
            best = min(best, time.perf_counter() - started)
        rates[name] = count / best
    return rates


@contextlib.contextmanager
def worker_memory(raylet_pids: list[int]) -> Iterator[dict[int, float]]:
    """Peak RSS in MB of each process under the raylets, sampled while the block runs."""
    peaks: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.25):
            for pid in raylet_pids:
                with contextlib.suppress(psutil.Error):
                    for child in psutil.Process(pid).children(recursive=True):
                        with contextlib.suppress(psutil.Error):
                            if child.cmdline()[:1] and child.cmdline()[0].startswith("ray::"):
                                rss = child.memory_info().rss / 2**20
                                peaks[child.pid] = max(peaks.get(child.pid, 0.0), rss)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peaks
    finally:
        done.set()
        thread.join()


def start_ray(cpus: int) -> tuple[float, float, list[int]]:
    """Start a local Ray; seconds to start it, seconds for a first no-op task, raylet pids."""
    import ray

    started = time.perf_counter()
    ray.init(address="local", num_cpus=cpus, include_dashboard=False, log_to_driver=False)
    up = time.perf_counter() - started
    started = time.perf_counter()
    ray.get(ray.remote(lambda: None).remote())
    first = time.perf_counter() - started
    node = ray._private.worker._global_node
    pids = [info.process.pid for info in node.all_processes.get("raylet", [])]
    return up, first, pids


def job(warcs: Path, work: Path, name: str, engine: str) -> dict[str, object]:
    db = work / f"{name}.db"
    report = run_archive(load_settings(db=db), [str(warcs)], engine=engine,
                         shard_dir=work / f"{name}.shards")  # fmt: skip
    figures = report.as_dict()
    figures["pages_per_s"] = report.pages / report.seconds
    figures["pages_per_cpu_s"] = report.pages / report.task_cpu_seconds
    return figures


def merge_alone(shards: Path, work: Path) -> dict[str, float]:
    """Articles merged, wall and CPU seconds (no indexing); then the same for the index."""
    db = work / "merge.db"
    articles = 0
    with Store(db, bulk=True) as store:
        wall, cpu = time.perf_counter(), time.process_time()
        for shard in sorted(shards.glob("*.db")):
            articles += merge_shard(store, shard, shard.stem).articles
        merged, merged_cpu = time.perf_counter() - wall, time.process_time() - cpu
        wall, cpu = time.perf_counter(), time.process_time()
        indexed = store.index_search()
        return {
            "articles": articles, "merge_s": merged, "merge_cpu_s": merged_cpu,
            "indexed": indexed, "index_s": time.perf_counter() - wall,
            "index_cpu_s": time.process_time() - cpu,
        }  # fmt: skip


def archive(args: argparse.Namespace, work: Path) -> None:
    """The archive sections (1-3 of the module doc)."""
    import ray

    warcs = work / "warcs"
    started = time.perf_counter()
    files = write_portal_warcs(warcs, args.records, args.files)
    size = sum(f.stat().st_size for f in files) / 2**20
    say("WARC set", f"{args.records} records, {len(files)} files, {size:.0f} MB")
    say("  built in", f"{time.perf_counter() - started:.1f} s")

    rates = read_rates(files[:2])
    say("read fastwarc", f"{rates['fastwarc']:.0f} records/s")
    say("read warcio", f"{rates['warcio']:.0f} records/s")
    say("  fastwarc / warcio", f"{rates['fastwarc'] / rates['warcio']:.2f}x")

    local = job(warcs, work, "local", "local")
    say("local, 1 process", f"{local['pages_per_s']:.1f} pages/s ({local['seconds']} s)")
    say("  pages per task CPU-second", f"{local['pages_per_cpu_s']:.1f}")
    say("  merge / index in the job", f"{local['merge_seconds']} s / {local['index_seconds']} s")

    up, first, raylets = start_ray(args.cpus)
    say("Ray start (local, ray.init)", f"{up:.1f} s")
    say("  first no-op task", f"{first:.2f} s")
    try:
        with worker_memory(raylets) as peaks:
            remote = job(warcs, work, "ray", "ray")
    finally:
        ray.shutdown()
    ratio = remote["pages_per_s"] / local["pages_per_s"]
    say(f"ray, {args.cpus} CPUs", f"{remote['pages_per_s']:.1f} pages/s ({remote['seconds']} s)")
    say("  ray / local", f"{ratio:.2f}x (target >= 1.7x)")
    per_core = remote["pages_per_s"] / args.cpus / local["pages_per_s"]
    say("  pages/s per core vs local", f"{per_core:.2f} (target >= 0.85)")
    cpu_ratio = remote["pages_per_cpu_s"] / local["pages_per_cpu_s"]
    say(
        "  pages per task CPU-second vs local", f"{remote['pages_per_cpu_s']:.1f} ({cpu_ratio:.2f})"
    )
    busy = [mb for mb in peaks.values() if mb > 0]
    if busy:
        say("  peak RSS per Ray worker", f"median {statistics.median(busy):.0f} MB, "
            f"max {max(busy):.0f} MB over {len(busy)} processes")  # fmt: skip
    say("  workers used", json.dumps(remote["workers"]))

    m = merge_alone(work / "local.shards", work)
    say("merge alone (no search index)", f"{m['articles'] / m['merge_s']:.0f} articles/s "
        f"({m['articles']:.0f} in {m['merge_s']:.2f} s; target >= 5,000/s)")  # fmt: skip
    say("  per CPU-second", f"{m['articles'] / m['merge_cpu_s']:.0f} articles")
    say("search index catch-up", f"{m['indexed'] / m['index_s']:.0f} articles/s "
        f"({m['index_s']:.2f} s)")  # fmt: skip
    say("  per CPU-second", f"{m['indexed'] / m['index_cpu_s']:.0f} articles")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray")
    parser.add_argument("--keep", type=Path, help="Work folder to keep (default: a temp one)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="newsdesk-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        archive(args, work)
        __import__("_scale_crawl").crawl_section()  # crawl on Ray: bench/_scale_crawl.py
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
