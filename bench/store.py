"""Benchmark of the store on a synthetic database: batched write rate and dashboard latencies.

    python bench/store.py --articles 1000000 [--batch 500] [--runs 5] [--db PATH] [--keep]
    python bench/store.py --existing --db PATH [--runs 5]
    python bench/store.py --parts 50000 [--batch 500]

Writes ``--articles`` synthetic outcomes (mixed Chinese/English text of ~600 characters, a hot
block of 5 links and a recommended block of 8, two images, two topics, one discovered URL each)
through ``save_outcomes`` of a ``Store(bulk=True)``: full-text indexing deferred (search finds
the unindexed articles by LIKE), 256 MiB writer cache. Then times ``index_search`` catching the
trigram index up and reports insert, catch-up and end-to-end rates, wall and CPU. As a
reference in the same run, the first ``--reference`` articles go to a second store that indexes
every batch (``fts_lag=0``). Then times each dashboard query (median of ``--runs`` runs after one
warm-up), and search again with ``--tail`` articles written but not indexed. ``--existing``
only times the queries on a database kept by an earlier run (``--keep``), migrating it first:
a before/after comparison without writing the articles again. ``--parts N`` writes N articles,
then N more while timing every statement ``save_outcomes`` runs (CPU time), and prints the cost
per article of each statement, of COMMIT and of the Python around them, then of the full-text
catch-up. Never asserted on in the test suite.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from store import Store
from store._datasette import CANNED_QUERIES as CANNED
from store._synthetic import synthetic_outcome

TARGET_RATE = 5000
TARGET_MS = 100.0


def write(store: Store, total: int, batch: int, seed: int, first: int = 0) -> dict[str, float]:
    """Write ``total`` articles (numbered from ``first``) in batches; wall and CPU seconds spent
    in save_outcomes, the median per-batch rates (CPU time shows the cost on a machine shared
    with other jobs), link rows written."""
    rng = random.Random(seed)
    crawl = store.start_crawl(["https://bench.example/"], {"bench": True})
    walls, cpus, links = [], [], 0
    for start in range(first, first + total, batch):
        outcomes = [
            synthetic_outcome(n, rng, crawl_id=crawl)
            for n in range(start, min(start + batch, first + total))
        ]
        links += sum(len(b.links) for o in outcomes if o.article for b in o.article.link_blocks)
        began, began_cpu = time.perf_counter(), time.process_time()
        stored = store.save_outcomes(outcomes)
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - began_cpu)
        assert stored == len(outcomes), (stored, len(outcomes))
        if ((start - first) // batch) % 200 == 0:
            print(f"  … {start + len(outcomes):,} articles", file=sys.stderr, flush=True)
    return {
        "wall": sum(walls),
        "cpu": sum(cpus),
        "median_wall_rate": statistics.median(batch / w for w in walls),
        "median_cpu_rate": statistics.median(batch / c for c in cpus if c > 0),
        "links": links,
    }


def timed(func: Callable[[], int]) -> tuple[int, float, float]:
    """(result, wall seconds, CPU seconds) of ``func()``."""
    began, began_cpu = time.perf_counter(), time.process_time()
    result = func()
    return result, time.perf_counter() - began, time.process_time() - began_cpu


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
    host = sql("SELECT host FROM articles WHERE id = 1").fetchone()[0]
    middle = sql("SELECT canonical_url FROM articles WHERE id = ?", (articles // 2,)).fetchone()
    middle_url = middle[0] if middle else ""
    return {
        "articles_with_topic, first page": lambda: sql(
            "SELECT * FROM articles_with_topic LIMIT 100").fetchall(),
        "latest_articles (canned)": lambda: sql(
            "SELECT * FROM articles_with_topic ORDER BY published DESC LIMIT 100").fetchall(),
        "topic_counts_daily, last 30 days": lambda: sql(
            "SELECT * FROM topic_counts_daily WHERE day > date(?, '-30 days')", (last_day,)
        ).fetchall(),
        "topic_counts_daily, one site, last 365 days": lambda: sql(
            "SELECT * FROM topic_counts_daily WHERE host = ? AND day > date(?, '-365 days')",
            (host, last_day)).fetchall(),
        "topic_counts_daily, first page (100 rows)": lambda: sql(
            "SELECT * FROM topic_counts_daily LIMIT 100").fetchall(),
        "topic_counts_by_day, all": lambda: sql("SELECT * FROM topic_counts_by_day").fetchall(),
        "site_crawl_stats, all": lambda: sql("SELECT * FROM site_crawl_stats").fetchall(),
        "pushed_links, first page": lambda: sql("SELECT * FROM pushed_links LIMIT 100").fetchall(),
        "pushed_links, top 100 by appearances": lambda: sql(
            "SELECT * FROM pushed_links ORDER BY appearances DESC LIMIT 100").fetchall(),
        "topic_counts_daily, one day": lambda: sql(
            "SELECT * FROM topic_counts_daily WHERE day = ?", (last_day,)).fetchall(),
        "topic_counts_daily, one site, all days": lambda: sql(
            "SELECT * FROM topic_counts_daily WHERE host = ?", (host,)).fetchall(),
        "link_blocks view, one article": lambda: sql(
            "SELECT * FROM link_blocks WHERE article_id = ?", (articles // 2,)).fetchall(),
        "article_link_blocks (canned)": lambda: sql(
            CANNED["article_link_blocks"]["sql"], {"url": middle_url}).fetchall(),
        "search_articles (canned), one title": lambda: sql(
            CANNED["search_articles"]["sql"], {"q": title_term}).fetchall(),
        "search_articles (canned), common word": lambda: sql(
            CANNED["search_articles"]["sql"], {"q": "science"}).fetchall(),
        "search FTS, one title": lambda: store.search(title_term),
        "search FTS, common word": lambda: store.search("science policy"),
        "search LIKE fallback, common 2 chars": lambda: store.search("中国"),
        "search LIKE fallback, absent 2 chars (full scan)": lambda: store.search("热点"),
        "topic_share_daily (canned)": lambda: sql(CANNED["topic_share_daily"]["sql"]).fetchall(),
        "top_pushed_links (canned)": lambda: sql(CANNED["top_pushed_links"]["sql"]).fetchall(),
        "summary()": store.summary,
        "frontier_counts()": store.frontier_counts,
        "claim(100) + requeue": lambda: (store.claim(100), store.requeue_in_flight()),
    }  # fmt: skip


def time_queries(store: Store, articles: int, runs: int, rows: list[tuple[str, ...]]) -> None:
    """Median times of the dashboard questions, and the whole topic_counts_daily as a dump
    (every day × site × topic row: no dashboard shows that many, so it has no target)."""
    for name, func in queries(store, articles).items():
        ms, size = median_ms(func, runs)
        verdict = ("ok" if ms < TARGET_MS else "MISSED") + f" ({size} rows)"
        rows.append((name, f"{ms:,.1f} ms", f"< {TARGET_MS:.0f} ms", verdict))
    ms, size = median_ms(lambda: store.conn.execute("SELECT * FROM topic_counts_daily").fetchall(),
                         runs)  # fmt: skip
    rows.append(("topic_counts_daily, all (dump)", f"{ms:,.1f} ms", "—", f"({size} rows)"))


def existing(path: Path, runs: int) -> None:
    """Time the queries on a database a previous run kept (migrated first if older)."""
    rows: list[tuple[str, ...]] = []
    began = time.perf_counter()
    with Store(path) as store:
        rows.append(("open (and migrate)", f"{time.perf_counter() - began:.2f} s", "", ""))
        indexed = store.index_search()  # time the FTS path, as the full run does
        rows.append(("index_search() backlog first", f"{indexed:,}", "", ""))
        n = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        time_queries(store, n, runs, rows)
    show(f"newsdesk store benchmark, existing {path}: {n:,} articles, median of {runs} runs", rows)


class TimedConnection(sqlite3.Connection):
    """A connection that adds the CPU time of each statement to ``self.spent`` (by its SQL)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spent: dict[str, float] = {}

    def _timed(self, method: Callable[..., Any], sql: str, *args: Any) -> Any:
        began = time.process_time()
        try:
            return method(sql, *args)
        finally:
            key = " ".join(sql.split())[:64]
            self.spent[key] = self.spent.get(key, 0.0) + time.process_time() - began

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        return self._timed(super().execute, sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        return self._timed(super().executemany, sql, *args)


def parts(n: int, batch: int) -> None:
    """Per-article CPU µs of each statement of save_outcomes over n articles written after n
    others, the Python around them, and the full-text catch-up of all 2n."""
    connect = sqlite3.connect
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-parts-"))
    timed_connect = mock.patch.object(
        sqlite3, "connect", lambda *a, **k: connect(*a, factory=TimedConnection, **k)
    )
    with timed_connect, Store(folder / "parts.db", bulk=True) as store:
        write(store, n, batch, seed=1)
        spent: dict[str, float] = store.conn.spent  # type: ignore[attr-defined]
        spent.clear()
        w = write(store, n, batch, seed=2, first=n)
        in_sql = sum(spent.values())
        rows = sorted(spent.items(), key=lambda kv: -kv[1])
        fts_cpu = timed(store.index_search)[2]
    for file in folder.iterdir():
        file.unlink()
    folder.rmdir()
    print(f"\nsave_outcomes, articles {n:,}-{2 * n:,} (batch {batch}), CPU µs per article\n")
    print(f"{w['cpu'] / n * 1e6:8.1f}  save_outcomes in all")
    print(f"{(w['cpu'] - in_sql) / n * 1e6:8.1f}  Python (records to rows, simhash, counters)")
    for sql, seconds in rows:
        if seconds / n * 1e6 >= 0.5:
            print(f"{seconds / n * 1e6:8.1f}  {sql}")
    print(f"{fts_cpu / (2 * n) * 1e6:8.1f}  full-text catch-up per article ({2 * n:,} articles)")


def show(title: str, rows: list[tuple[str, ...]]) -> None:
    print(f"\n{title}\n")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>14}  {'target':>12}  verdict")
    print("-" * (width + 44))
    for name, result, target, verdict in rows:
        print(f"{name:<{width}}  {result:>14}  {target:>12}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000, help="articles to write")
    parser.add_argument("--batch", type=int, default=500, help="outcomes per save_outcomes call")
    parser.add_argument(
        "--reference", type=int, default=20_000, help="articles for the FTS-every-batch run"
    )
    parser.add_argument(
        "--tail", type=int, default=5000, help="articles written unindexed before the last searches"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query")
    parser.add_argument("--db", type=Path, help="database path (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--existing", action="store_true", help="only time the queries on the existing --db"
    )
    parser.add_argument(
        "--parts", type=int, metavar="N", help="only time each statement of N writes after N"
    )
    args = parser.parse_args()
    if args.parts:
        parts(args.parts, args.batch)
        return
    if args.existing:
        existing(args.db, args.runs)
        return

    folder = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    path = args.db or folder / "bench.db"
    rows: list[tuple[str, ...]] = []

    def rate(name: str, count: int, seconds: float, target: bool = False) -> None:
        per_s = count / seconds
        verdict = ("ok" if per_s >= TARGET_RATE else "MISSED") if target else ""
        rows.append((name, f"{per_s:,.0f}/s", f">= {TARGET_RATE:,}/s" if target else "", verdict))

    n = args.articles
    with Store(path, bulk=True) as store:
        w = write(store, n, args.batch, seed=1)
        title = f"insert {n:,} articles (batch {args.batch}, bulk, FTS deferred), wall"
        rate(title, n, w["wall"], True)
        rate("  same, per CPU second", n, w["cpu"])
        rows.append(
            (
                "  median batch, wall / CPU",
                f"{w['median_wall_rate']:,.0f}/s",
                f"{w['median_cpu_rate']:,.0f}/s",
                "",
            )
        )
        rate("  link rows written, wall", w["links"], w["wall"])
        indexed, fts_wall, fts_cpu = timed(store.index_search)
        rate(f"FTS catch-up (index_search, {indexed:,} articles), wall", indexed, fts_wall)
        rate("  same, per CPU second", indexed, fts_cpu)
        rate("insert + FTS catch-up, end to end, wall", n, w["wall"] + fts_wall, True)
        rate("  same, per CPU second", n, w["cpu"] + fts_cpu)
        began = time.perf_counter()
        store.finish_crawl(1, {"articles": n})
        rows.append(("finish_crawl", f"{time.perf_counter() - began:.2f} s", "", ""))
        with Store(folder / "reference.db", fts_lag=0) as reference:
            m = min(args.reference, n)
            r = write(reference, m, args.batch, seed=1)
        rate(f"reference: first {m:,} articles, FTS every batch, wall", m, r["wall"])
        rate("  reference, per CPU second", m, r["cpu"])
        size_mb = path.stat().st_size / 1e6
        time_queries(store, n, args.runs, rows)
        write(store, args.tail, args.batch, seed=2, first=n)
        for term in (f"第{n + args.tail - 7}号新闻", "science policy", "absent-term"):
            ms, size = median_ms(lambda t=term: store.search(t), args.runs)
            name = f"search {term!r} with {store.search_backlog():,} unindexed"
            rows.append((name, f"{ms:,.1f} ms", f"< {TARGET_MS:.0f} ms",
                         ("ok" if ms < TARGET_MS else "MISSED") + f" ({size} rows)"))  # fmt: skip
    show(f"newsdesk store benchmark: {args.articles:,} articles, {size_mb:,.0f} MB, "
         f"median of {args.runs} runs", rows)  # fmt: skip
    for file in folder.iterdir():  # the reference store always goes; bench.db with --keep stays
        if file.name.startswith("reference") or not args.keep:
            file.unlink()
    if not any(folder.iterdir()):
        folder.rmdir()


if __name__ == "__main__":
    main()
