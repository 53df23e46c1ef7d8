"""Offline ingest: archived pages (e.g. from a WARC file) through extract, tag and store.

The network-free twin of the crawl loop in :mod:`newsdesk.pipeline`, which re-exports it as
``ingest``. Pages come in archive order; a story split over pages is joined as the crawl joins
it, since the crawl archives a story's further pages right after its first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from newsdesk._batch import CrawlStats, write_batch
from newsdesk._pages import MAX_ARTICLE_PAGES, join_pages, process_page
from newsdesk.errors import ExtractError
from newsdesk.settings import Settings
from scraper import Article, Failure, Fetched, FrontierEntry, canonicalize, extract
from store import PageOutcome, Store

if TYPE_CHECKING:
    from classifier import TopicModel

# Split stories held at once while waiting for their next pages.
MAX_WAITING = 1000


def ingest_pages(
    settings: Settings, pages: Iterable[Fetched], *, model: TopicModel | None = None
) -> CrawlStats:
    """Extract, tag and store already-fetched pages (e.g. from a WARC archive) offline.

    A story split over pages is joined as in a crawl: its first page waits (in memory, until the
    archive ends at the latest) for the pages its "next page" link names, which a crawl archives
    right after it.
    """
    from classifier import load_model

    topic_model = model or load_model(settings.model)
    with Store(settings.db) as store:
        stats = ingest_into(store, settings, pages, topic_model, {"source": "ingest"})
        store.finish_crawl(stats.crawl_id, stats.as_dict())
    return stats


def ingest_into(
    store: Store,
    settings: Settings,
    pages: Iterable[Fetched],
    model: TopicModel,
    crawl: Mapping[str, object],
    seeds: Sequence[str] = (),
) -> CrawlStats:
    """The loop of :func:`ingest_pages` on an open store, under a new crawl row (``seeds`` and
    ``crawl`` settings) it leaves unfinished: the archive tasks finish their shards without
    search indexing (``newsdesk.archive``)."""
    stats = CrawlStats()
    stats.crawl_id = store.start_crawl(list(seeds), dict(crawl))
    batch: list[PageOutcome] = []
    waiting: dict[str, tuple[PageOutcome, list[Article]]] = {}
    for fetched in pages:
        chain = waiting.pop(canonicalize(fetched.url) or fetched.url, None)
        outcome, article = _ingest_one(fetched, stats, continued=chain is not None)
        if chain is not None and article is not None:
            chain[1].append(article)
            batch.append(dataclasses.replace(outcome, article=None))
            outcome, chained = chain
        elif article is not None:
            chained = [article]
        else:
            batch.extend([_joined(*chain)] if chain is not None else [])
            batch.append(outcome)
            continue
        next_url = canonicalize(article.next_page or "", fetched.final_url)
        seen = {canonicalize(a.url) for a in chained}
        more = len(chained) < MAX_ARTICLE_PAGES and len(waiting) < MAX_WAITING
        if next_url and next_url not in seen and more:
            waiting[next_url] = (outcome, chained)
        else:
            batch.append(_joined(outcome, chained))
        if len(batch) >= settings.batch_size:
            stats.stored += write_batch(store, batch, model, settings.threshold)
            batch = []
    batch.extend(_joined(*chain) for chain in waiting.values())
    stats.stored += write_batch(store, batch, model, settings.threshold)
    return stats


def _ingest_one(
    fetched: Fetched, stats: CrawlStats, *, continued: bool
) -> tuple[PageOutcome, Article | None]:
    """One archived page's outcome and article (any page's when it continues a story)."""
    try:
        if continued:
            article: Article | None = extract(
                fetched.body, fetched.final_url, encoding=fetched.encoding
            )
        else:
            article, _ = process_page(fetched, FrontierEntry(fetched.url))
    except ExtractError as exc:
        failure = Failure(fetched.url, "extract", type(exc).__name__, str(exc))
        stats.failed += 1
        stats.failures["extract"] += 1
        outcome = PageOutcome(fetched.url, stats.crawl_id, fetched, failure=failure, state="failed")
        return outcome, None
    stats.fetched += 1
    return PageOutcome(fetched.url, stats.crawl_id, fetched, article), article


def _joined(outcome: PageOutcome, pages: list[Article]) -> PageOutcome:
    """The first page's outcome carrying the story joined from all its pages."""
    return dataclasses.replace(outcome, article=join_pages(pages[0], pages[1:]))
