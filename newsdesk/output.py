"""What the CLI shows people: article JSON, the crawl summary, progress on a terminal or in logs."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    from newsdesk.pipeline import CrawlStats, ProgressCallback
    from scraper import Article

log = logging.getLogger(__name__)
LOG_EVERY_S = 10.0


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def article_to_dict(article: Article) -> dict[str, Any]:
    """The article as plain JSON values (dates in ISO 8601), for ``newsdesk extract``."""
    return _jsonable(dataclasses.asdict(article))


@contextlib.contextmanager
def progress_reporter(show_bar: bool) -> Iterator[ProgressCallback]:
    """A progress callback: a rich bar on a terminal, else a log line every few seconds."""
    if not show_bar:
        last = [0.0]

        def log_line(stats: CrawlStats) -> None:
            now = time.monotonic()
            if now - last[0] >= LOG_EVERY_S:
                last[0] = now
                log.info(
                    "fetched %d, stored %d, failed %d, queued %d (%.1f pages/s)",
                    stats.fetched,
                    stats.stored,
                    stats.failed,
                    stats.queued,
                    stats.fetched / max(stats.elapsed, 1e-9),
                )

        yield log_line
        return
    columns = (
        TextColumn("[bold]crawling"),
        BarColumn(),
        TextColumn("{task.fields[line]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task("crawl", total=None, line="starting")

        def update(stats: CrawlStats) -> None:
            rate = stats.fetched / max(stats.elapsed, 1e-9)
            line = (
                f"{rate:5.1f} pages/s  fetched {stats.fetched}  stored {stats.stored}  "
                f"failed {stats.failed}  queued {stats.queued}"
            )
            bar.update(task, completed=stats.fetched, total=stats.fetched + stats.queued, line=line)

        yield update


def print_summary(summary: Mapping[str, Any], stats: Mapping[str, Any], db: Path) -> None:
    """The end-of-crawl table: pages, articles, failures by reason, articles per topic, the
    request budget (requests per stored article, requests on URL patterns that yielded no
    article and which, URLs the budget skipped), time."""
    console = Console()
    table = Table(title=f"newsdesk crawl → {db}", show_header=False)
    table.add_row("pages fetched", str(summary.get("pages_fetched", stats.get("fetched"))))
    table.add_row("articles stored", str(summary.get("articles_stored", stats.get("stored"))))
    failures = summary.get("failures_by_stage") or stats.get("failures") or {}
    table.add_row("failures", ", ".join(f"{k}: {v}" for k, v in sorted(failures.items())) or "none")
    topics = summary.get("articles_per_topic") or {}
    ranked = sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))
    table.add_row("articles per topic", ", ".join(f"{k}: {v}" for k, v in ranked) or "none")
    if "requests" in stats:
        table.add_row("request budget", _budget_line(stats))
    table.add_row(
        "elapsed", f"{stats.get('elapsed_s', 0):.1f} s ({stats.get('pages_per_s', 0)} pages/s)"
    )
    console.print(table)


def _budget_line(stats: Mapping[str, Any]) -> str:
    """Requests per stored article, trap requests (by pattern) and skipped URLs, in one cell."""
    per_article = stats.get("requests_per_article")
    line = f"{stats['requests']} requests"
    if per_article is not None:
        line += f", {per_article} per stored article"
    line += f"; {stats.get('trap_requests', 0)} on URL patterns that yielded no article"
    patterns = stats.get("trap_patterns") or {}
    if patterns:
        line += " (" + ", ".join(f"{k}: {v}" for k, v in patterns.items()) + ")"
    return line + f"; {stats.get('skipped', 0)} URLs skipped"
