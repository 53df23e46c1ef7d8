"""Benchmark of the store on a synthetic database: batched write rate and dashboard latencies.

    python bench/store.py --articles 200000 [--batch 500] [--runs 5] [--db PATH] [--keep]

Writes ``--articles`` synthetic outcomes (mixed Chinese/English text of ~600 characters, a hot
block of 5 links and a recommended block of 8, two images, two topics, one discovered URL each)
through ``Store.save_outcomes``; as a reference in the same run, the first ``--reference``
articles are also written to a second store whose FTS triggers are dropped, which shows what the
trigram index costs. Then times each dashboard query (median of ``--runs`` runs after one warm-up)
and prints a table. Never asserted on in the test suite.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from store import Store
from store._synthetic import synthetic_outcome

TARGET_RATE = 5000
TARGET_MS = 100.0


def write(store: Store, total: int, batch: int, seed: int) -> tuple[float, float, int]:
    """Write ``total`` articles in batches; returns (wall seconds and CPU seconds spent in
    save_outcomes, link rows). CPU time shows the cost on a machine shared with other jobs."""
    rng = random.Random(seed)
    crawl = store.start_crawl(["https://bench.example/"], {"bench": True})
    spent, cpu, links = 0.0, 0.0, 0
    for start in range(0, total, batch):
        outcomes = [
            synthetic_outcome(n, rng, crawl_id=crawl)
            for n in range(start, min(start + batch, total))
        ]
        links += sum(len(b.links) for o in outcomes if o.article for b in o.article.link_blocks)
        began, began_cpu = time.perf_counter(), time.process_time()
        store.save_outcomes(outcomes)
        spent += time.perf_counter() - began
        cpu += time.process_time() - began_cpu
        if (start // batch) % 100 == 0:
            print(f"  … {start + len(outcomes):,} articles", file=sys.stderr, flush=True)
    began = time.perf_counter()
    store.finish_crawl(crawl, {"articles": total})
    print(f"  finish_crawl (pushed_links_top refresh): {time.perf_counter() - began:.1f} s",
          file=sys.stderr)  # fmt: skip
    return spent, cpu, links


def median_ms(func: Callable[[], object], runs: int) -> tuple[float, int]:
    """Median wall time in ms of ``func`` over ``runs`` runs (after one warm-up) and its size."""
    result = func()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        func()
        times.append((time.perf_counter() - began) * 1000)
    size = len(result) if isinstance(result, list | dict) else 1
    return statistics.median(times), size


def queries(store: Store, articles: int) -> dict[str, Callable[[], object]]:
    """The dashboard questions, as the canned queries, the report and `newsdesk search` ask."""
    sql = store.conn.execute
    title_term = f"第{articles // 2}号新闻"
    last_day = sql("SELECT max(day) FROM articles").fetchone()[0]
    return {
        "articles_with_topic, first page": lambda: sql(
            "SELECT * FROM articles_with_topic LIMIT 100").fetchall(),
        "latest_articles (canned)": lambda: sql(
            "SELECT * FROM articles_with_topic ORDER BY published DESC LIMIT 100").fetchall(),
        "topic_counts_daily, last 30 days": lambda: sql(
            "SELECT * FROM topic_counts_daily WHERE day > date(?, '-30 days')", (last_day,)
        ).fetchall(),
        "topic_counts_daily, all": lambda: sql("SELECT * FROM topic_counts_daily").fetchall(),
        "site_crawl_stats, all": lambda: sql("SELECT * FROM site_crawl_stats").fetchall(),
        "pushed_links, first page": lambda: sql("SELECT * FROM pushed_links LIMIT 100").fetchall(),
        "pushed_links, top 100 by appearances": lambda: sql(
            "SELECT * FROM pushed_links ORDER BY appearances DESC LIMIT 100").fetchall(),
        "pushed_links_top (snapshot), top 100": lambda: sql(
            "SELECT * FROM pushed_links_top ORDER BY appearances DESC LIMIT 100").fetchall(),
        "search FTS, one title": lambda: store.search(title_term),
        "search FTS, common word": lambda: store.search("science policy"),
        "search LIKE fallback, common 2 chars": lambda: store.search("中国"),
        "search LIKE fallback, absent 2 chars (full scan)": lambda: store.search("热点"),
        "summary()": store.summary,
        "claim(100) + requeue": lambda: (store.claim(100), store.requeue_in_flight()),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000, help="articles to write")
    parser.add_argument("--batch", type=int, default=500, help="outcomes per save_outcomes call")
    parser.add_argument("--reference", type=int, default=20_000, help="articles for the no-FTS run")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query")
    parser.add_argument("--db", type=Path, help="database path (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    path = args.db or folder / "bench.db"
    rows: list[tuple[str, str, str, str]] = []
    with Store(path) as store:
        spent, cpu, links = write(store, args.articles, args.batch, seed=1)
        rate = args.articles / spent
        verdict = "ok" if rate >= TARGET_RATE else "MISSED"
        title = f"write {args.articles:,} articles (batch {args.batch}), wall"
        rows.append((title, f"{rate:,.0f}/s", f">= {TARGET_RATE:,}/s", verdict))
        rows.append(
            ("  same, per CPU second of the writer", f"{args.articles / cpu:,.0f}/s", "", "")
        )
        rows.append(("  link rows written, wall", f"{links / spent:,.0f}/s", "", ""))
        with Store(folder / "reference.db") as reference:
            for trigger in ("ai", "ad", "au"):
                reference.conn.execute(f"DROP TRIGGER articles_fts_{trigger}")
            n = min(args.reference, args.articles)
            ref_spent, ref_cpu, _ = write(reference, n, args.batch, seed=1)
        title = f"  reference: first {n:,} articles, FTS triggers dropped, wall"
        rows.append((title, f"{n / ref_spent:,.0f}/s", "", ""))
        rows.append(("  reference, per CPU second", f"{n / ref_cpu:,.0f}/s", "", ""))
        size_mb = path.stat().st_size / 1e6
        for name, func in queries(store, args.articles).items():
            ms, size = median_ms(func, args.runs)
            verdict = ("ok" if ms < TARGET_MS else "MISSED") + f" ({size} rows)"
            rows.append((name, f"{ms:,.1f} ms", f"< {TARGET_MS:.0f} ms", verdict))
    print(
        f"\nnewsdesk store benchmark: {args.articles:,} articles, {size_mb:,.0f} MB, "
        f"median of {args.runs} runs\n"
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>14}  {'target':>12}  verdict")
    print("-" * (width + 44))
    for name, result, target, verdict in rows:
        print(f"{name:<{width}}  {result:>14}  {target:>12}  {verdict}")
    if not args.keep and args.db is None:
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
