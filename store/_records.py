"""Records the store takes and gives: one page's outcome in, one search hit out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from scraper._records import Article, Failure, Fetched, FrontierEntry

if TYPE_CHECKING:
    from classifier import Topic

OutcomeState = Literal["done", "failed", "not_modified"]


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """Everything one visited URL produced, written by ``Store.save_outcomes`` in one go.

    ``duplicate_of`` names the canonical URL of an earlier copy when the pipeline already knows
    the article is a duplicate; otherwise the store looks for a near-duplicate by simhash.
    """

    url: str
    crawl_id: int
    fetched: Fetched | None = None
    article: Article | None = None
    topics: tuple[Topic, ...] = ()
    model_id: str | None = None
    failure: Failure | None = None
    discovered: tuple[FrontierEntry, ...] = ()
    state: OutcomeState = "done"
    duplicate_of: str | None = None
    depth: int = 0


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result; ``rank`` is a relevance score, higher is better (−bm25; 0 for LIKE)."""

    url: str
    title: str
    snippet: str
    rank: float
    published: str | None
