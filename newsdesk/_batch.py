"""Running crawl counts, and the batch write: tag a batch's articles in one call, store it in one.

Shared by the crawl loop (:mod:`newsdesk.pipeline`) and the offline ingest
(:mod:`newsdesk._ingest`).
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from store import PageOutcome, Store

if TYPE_CHECKING:
    from classifier import TopicModel


@dataclass(slots=True)
class CrawlStats:
    """Running counts of one crawl, reported to the progress callback and stored on its row.

    ``stored`` counts articles the store inserted or updated: duplicates of a stored story
    (tracking parameters, a redirect, a near-duplicate) are fetched but not stored again.
    ``skipped`` counts URLs the crawl budget did not fetch; ``trap_requests`` the requests spent
    on URL patterns that yielded no story, ``trap_patterns`` the costliest of them.
    """

    crawl_id: int = 0
    fetched: int = 0
    stored: int = 0
    failed: int = 0
    not_modified: int = 0
    queued: int = 0
    skipped: int = 0
    trap_requests: int = 0
    trap_patterns: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        """Pages asked for: fetched, failed or not modified (robots.txt and retries aside)."""
        return self.fetched + self.failed + self.not_modified

    @property
    def elapsed(self) -> float:
        """Seconds since the crawl started."""
        return time.monotonic() - self.started

    def pages_left(self, max_pages: int | None) -> int | None:
        """How many more pages may be claimed under ``max_pages``, or None for no limit."""
        if max_pages is None:
            return None
        return max(0, max_pages - self.fetched - self.failed)

    def count(self, outcome: PageOutcome) -> None:
        """Count one page's outcome as fetched, failed (by stage) or not modified."""
        if outcome.failure is not None:
            self.failed += 1
            self.failures[outcome.failure.stage] += 1
        elif outcome.state == "not_modified":
            self.not_modified += 1
        else:
            self.fetched += 1

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly copy for the crawl's row and the CLI summary."""
        return {
            "fetched": self.fetched,
            "stored": self.stored,
            "failed": self.failed,
            "not_modified": self.not_modified,
            "failures": dict(self.failures),
            "requests": self.requests,
            "requests_per_article": round(self.requests / self.stored, 2) if self.stored else None,
            "trap_requests": self.trap_requests,
            "trap_patterns": dict(self.trap_patterns),
            "skipped": self.skipped,
            "elapsed_s": round(self.elapsed, 3),
            "pages_per_s": round(self.fetched / self.elapsed, 2) if self.elapsed else 0.0,
        }


ProgressCallback = Callable[[CrawlStats], None]


def batch_due(batch: Sequence[PageOutcome], since: float, size: int, after: float) -> bool:
    """Whether a batch begun at ``since`` (monotonic) is full or ``after`` seconds old."""
    if not batch:
        return False
    return len(batch) >= size or time.monotonic() - since >= after


def tag_outcomes(
    outcomes: Sequence[PageOutcome], model: TopicModel, threshold: float
) -> list[PageOutcome]:
    """Attach topics to every outcome that carries an article, in one model call."""
    indexed = [(i, o.article) for i, o in enumerate(outcomes) if o.article is not None]
    if not indexed:
        return list(outcomes)
    titles = [a.title for _, a in indexed]
    texts = [a.text for _, a in indexed]
    predictions = model.predict_topics(titles, texts, threshold=threshold)
    tagged = list(outcomes)
    for (i, _), topics in zip(indexed, predictions, strict=True):
        tagged[i] = dataclasses.replace(tagged[i], topics=topics, model_id=model.model_id)
    return tagged


def write_batch(
    store: Store, batch: Sequence[PageOutcome], model: TopicModel, threshold: float
) -> int:
    """Tag and store ``batch`` in one transaction; the number of articles stored."""
    if not batch:
        return 0
    return store.save_outcomes(tag_outcomes(batch, model, threshold))
