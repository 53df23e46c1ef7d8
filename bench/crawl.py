"""Full-pipeline crawl benchmark: fetch, extract, classify and store a generated portal.

The portal of ``bench/crawl_server.py`` (``--articles`` story pages plus section listings,
sitemaps and feeds) is served on 127.0.0.1 from its own process; each crawl size runs
:func:`newsdesk.pipeline.crawl` with the bundled default model into a fresh SQLite file in a child
process, so its peak RSS (``ru_maxrss``) belongs to that crawl alone. Politeness is relaxed for
the local host (no delay, robots.txt still obeyed, wide per-host limit). The first size is the
reference the others are compared with: pages/s should hold and peak memory should not grow.

Columns: pages/s over the crawl (model loading excluded); CPU ms/page of the crawl process, of
its extraction workers and of the portal's server (steadier than pages/s on a shared machine;
the server stands in for a remote portal but shares these CPUs); RSS after loading the
model; the process's peak RSS; and the peak RSS of the process plus its extraction workers
(sampled every 0.2 s). With ``--repeat N`` each size runs N times and every column is the median.

The crawls inherit the environment, so ``MALLOC_ARENA_MAX=1 python bench/crawl.py`` measures the
glibc setting that keeps one malloc arena for all threads (the batch writer thread's own arena
held ~7 MB: 263.5 against 271.0 MB with workers at 3,000 pages).

Each row also shows the request budget: requests per stored article and requests spent on URL
patterns that yielded no article (``trap``). ``--hostile`` runs the real CLI against the hostile
portal instead (traps, faults, GBK; killed with SIGKILL and resumed; see ``bench/_hostile.py``).

    python bench/crawl.py                                  # 1,000 and 5,000 pages, 5,000 articles
    python bench/crawl.py --sizes 500,2000 --concurrency 16 --workers 0 --repeat 3
    python bench/crawl.py --hostile --articles 300 --delay 0.2 --kill-after 25
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil


def child(
    base: str, db: Path, max_pages: int, concurrency: int, batch_size: int, workers: int
) -> None:
    """Crawl ``base`` once and print one JSON line of figures (run in its own process)."""
    from classifier import load_model
    from newsdesk.pipeline import crawl
    from newsdesk.settings import Settings

    model = load_model()
    rss_before = _peak_rss_mb()
    settings = Settings(
        db=db,
        max_pages=max_pages,
        allow_private=("127.0.0.1",),
        delay=0.0,
        concurrency=concurrency,
        per_host=concurrency,
        batch_size=batch_size,
    )
    sampler = _TreeRss()
    sampler.start()
    cpu = time.process_time()
    started = time.monotonic()
    children = _children_cpu()
    stats = crawl(settings, [base + "/"], model=model, workers=workers)
    seconds = time.monotonic() - started
    cpu = time.process_time() - cpu
    children = _children_cpu() - children
    sampler.stop.set()
    sampler.join()
    figures = {
        "pages": stats.fetched,
        "failed": stats.failed,
        "stored": stats.stored,
        "seconds": round(seconds, 2),
        "pages_per_s": round(stats.fetched / seconds, 1),
        "rss_after_model_mb": rss_before,
        "peak_rss_mb": _peak_rss_mb(),
        "tree_rss_mb": round(sampler.peak / 2**20, 1),
        "requests_per_article": round(stats.requests / max(stats.stored, 1), 2),
        "trap_requests": stats.trap_requests,
        "cpu_ms_per_page": round(cpu * 1000 / max(stats.fetched, 1), 2),
        "worker_cpu_ms_per_page": round(children * 1000 / max(stats.fetched, 1), 2),
    }
    print(json.dumps(figures))


class _TreeRss(threading.Thread):
    """Samples the RSS of this process plus its children (extraction workers) every 0.2 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.peak = 0

    def run(self) -> None:
        me = psutil.Process()
        while not self.stop.wait(0.2):
            total = me.memory_info().rss
            for kid in me.children(recursive=True):
                try:
                    total += kid.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)


def _children_cpu() -> float:
    """CPU seconds of this process's ended children (the workers, once the crawl closed them)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(
    articles: int, sizes: list[int], concurrency: int, batch_size: int, workers: int, repeat: int
) -> None:
    """Print the benchmark table, one row per crawl size, each against a fresh database.

    The children run with ``-P`` so this folder (whose ``store.py`` would shadow the ``store``
    package) is not on their import path.
    """
    from crawl_server import portal_process

    rows = []
    with portal_process(articles, 0.0) as base, tempfile.TemporaryDirectory() as tmp:
        (server,) = psutil.Process().children()
        for size in sizes:
            runs = []
            for attempt in range(repeat):
                db = Path(tmp) / f"bench-{size}-{attempt}.db"
                command = [
                    sys.executable, "-P", __file__, "--child", base, "--db", str(db),
                    "--max-pages", str(size), "--concurrency", str(concurrency),
                    "--batch-size", str(batch_size), "--workers", str(workers),
                ]  # fmt: skip
                served = sum(server.cpu_times()[:2])
                done = subprocess.run(command, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    raise SystemExit(f"crawl of {size} pages failed:\n{done.stderr[-2000:]}")
                figures = json.loads(done.stdout.strip().splitlines()[-1])
                served = sum(server.cpu_times()[:2]) - served
                figures["server_cpu_ms_per_page"] = round(served * 1000 / figures["pages"], 2)
                runs.append(figures)
            rows.append((size, {k: statistics.median(r[k] for r in runs) for k in runs[0]}))
    print(f"$ {shlex.join([Path(sys.executable).name, *sys.argv])}")
    print(
        f"portal: {articles} articles, concurrency {concurrency}, batch {batch_size}, "
        f"extraction workers {workers}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}, median of {repeat} run(s)"
    )
    header = (
        f"{'max_pages':>9} {'fetched':>7} {'stored':>6} {'failed':>6} {'seconds':>7} "
        f"{'pages/s':>7} {'× ref':>5} {'req/art':>7} {'trap':>4} "
        f"{'CPU ms/page':>11} {'worker ms/page':>14} "
        f"{'server ms/page':>14} "
        f"{'RSS model MB':>12} "
        f"{'peak RSS MB':>11} {'+workers MB':>11}"
    )
    print(header)
    reference = rows[0][1]["pages_per_s"]
    for size, f in rows:
        print(
            f"{size:>9} {f['pages']:>7.0f} {f['stored']:>6.0f} {f['failed']:>6.0f} "
            f"{f['seconds']:>7.1f} "
            f"{f['pages_per_s']:>7.1f} {f['pages_per_s'] / reference:>5.2f} "
            f"{f['requests_per_article']:>7.2f} {f['trap_requests']:>4.0f} "
            f"{f['cpu_ms_per_page']:>11.2f} {f['worker_cpu_ms_per_page']:>14.2f} "
            f"{f['server_cpu_ms_per_page']:>14.2f} "
            f"{f['rss_after_model_mb']:>12.1f} "
            f"{f['peak_rss_mb']:>11.1f} {f['tree_rss_mb']:>11.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000, help="story pages in the portal")
    parser.add_argument("--sizes", default="1000,5000", help="max_pages per run, first = ref")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--workers", type=int, default=1, help="extraction processes")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (medians shown)")
    parser.add_argument("--hostile", action="store_true", help="the hostile portal, real CLI")
    parser.add_argument("--delay", type=float, default=0.2, help="--hostile: per-host delay")
    parser.add_argument("--kill-after", type=float, default=25.0, help="--hostile: SIGKILL at")
    parser.add_argument("--child", metavar="BASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--max-pages", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db, args.max_pages, args.concurrency, args.batch_size, args.workers)
        return
    if args.hostile:
        from _hostile import print_hostile, run_hostile

        print(f"$ {shlex.join([Path(sys.executable).name, *sys.argv])}")
        result = run_hostile(args.articles, args.delay, args.kill_after)
        print_hostile(result, args.articles, args.delay, args.kill_after)
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    run(args.articles, sizes, args.concurrency, args.batch_size, args.workers, args.repeat)


if __name__ == "__main__":
    main()
