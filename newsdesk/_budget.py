"""The crawl budget: URL patterns that keep leading to nothing new stop being fetched.

A portal's endless spaces — a calendar's days, a search's result pages, ``?page=`` past the
end, sort orders and session parameters — are URLs that differ only by numbers or query values,
so they share a pattern (:func:`scraper.urls.url_pattern`; a URL with a query also counts under
its host and query keys alone, so a ``?sid=`` on every path is one pattern). Each fetched page
is judged by what it yielded, right before its batch is written: it was a story, or it led to
a link shaped like a story (or to a sitemap or feed) that the frontier did not hold yet; and
when a story is stored later, the page that found it first is credited (its URL may not look
like a story's). A page that led to nothing new outside its own pattern (a calendar day to more
days, a result page to the next) passes half its priority on to its links, so branches that
lead somewhere are expanded first, and a branch whose priority fell below
:data:`PRIORITY_FLOOR` (some 7 to 9 such pages in a row) is not followed further (yield-driven
priority). A pattern earns room by its yield:

- a pattern fetches at most :data:`FIRST_SLOTS` pages at once until its pages yield, one more
  per page that yielded (up to :data:`MAX_SLOTS`), and half as many per dry page in a row
  (story-shaped URLs are not held back until a page of their pattern was dry);
- after :data:`DRY_LIMIT` dry pages in a row the pattern is spent: its queued URLs are marked
  ``skipped`` and its links are no longer queued. A page that yields resets the count, so a
  date archive that leads to stories is followed as long as it does.

Seeds, sitemaps and feeds are never held back (they are the best listings). The counts live in
the store (``url_patterns``), so a resumed crawl keeps them; a new crawl of the same database
(one that resumes nothing) gives each spent pattern one page to try again (``probe``).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from scraper.urls import url_pattern

if TYPE_CHECKING:
    from scraper import FrontierEntry
    from store import PageOutcome, Store

#: Dry pages in a row after which a pattern is spent.
DRY_LIMIT = 8
#: Pages of a pattern fetched at once before any of them yielded.
FIRST_SLOTS = 2
#: Most pages of one pattern fetched at once.
MAX_SLOTS = 64
#: Frontier kinds never held back.
EXEMPT_KINDS = frozenset({"sitemap", "feed"})
#: Link kinds whose first discovery counts as a yield.
YIELD_KINDS = frozenset({"article", "sitemap", "feed"})
#: Share of its priority a page that yielded nothing passes on to its links.
DRY_PRIORITY_SHARE = 0.5
#: Links below this priority are not queued: a listing link (10 to 30) falls below it after 7
#: to 9 dry pages in a row.
PRIORITY_FLOOR = 0.1
#: Patterns listed in the summary.
SHOWN_PATTERNS = 3
#: Requests from which a pattern that never yielded counts as a trap (one dead link is not).
TRAP_MIN_REQUESTS = 2

Decision = Literal["start", "wait", "skip"]


@dataclass(slots=True)
class PatternCount:
    """One pattern's counts: pages fetched, of them yielding, dry in a row, being fetched now."""

    requests: int = 0
    yielded: int = 0
    dry: int = 0
    running: int = 0

    def slots(self) -> int:
        """Pages of the pattern that may be fetched at once."""
        room = min(MAX_SLOTS, FIRST_SLOTS + self.yielded)
        return max(1, room >> self.dry)


class CrawlBudget:
    """The budget of one crawl run over the store's saved pattern counts (see module)."""

    def __init__(
        self, saved: Mapping[str, tuple[int, int, int]] | None = None, *, probe: bool = False
    ) -> None:
        self._counts = {key: PatternCount(*row) for key, row in (saved or {}).items()}
        if probe:
            for count in self._counts.values():
                count.dry = min(count.dry, DRY_LIMIT - 1)
        self._spent = {key for key, count in self._counts.items() if count.dry >= DRY_LIMIT}
        self._changed: set[str] = set()
        self._running: dict[str, tuple[tuple[str, ...], str | None, float]] = {}
        self._skipped: list[str] = []
        self.requests: Counter[str] = Counter()

    @staticmethod
    def keys(url: str) -> tuple[str, ...]:
        """The patterns ``url`` counts under: its own, and its host with its query keys."""
        pattern = url_pattern(url)
        head, sep, query = pattern.partition("?")
        if not sep:
            return (pattern,)
        return (pattern, f"{head.partition('/')[0]}?{query}")

    def _count(self, key: str) -> PatternCount:
        count = self._counts.get(key)
        if count is None:
            count = self._counts[key] = PatternCount()
        return count

    def spent(self, url: str) -> bool:
        """Whether one of the URL's patterns is spent (its links are not worth queueing)."""
        return bool(self._spent) and not self._spent.isdisjoint(self.keys(url))

    def decide(self, entry: FrontierEntry, *, force: bool = False) -> Decision:
        """Whether a claimed entry is fetched now, waits for its pattern's pages in flight, or
        is skipped; ``force`` starts it unless its pattern is spent."""
        keys = self.keys(entry.url)
        exempt = entry.kind in EXEMPT_KINDS or entry.depth == 0
        counts = [self._count(key) for key in keys]
        if not exempt:
            if any(count.dry >= DRY_LIMIT for count in counts):
                self._skipped.append(entry.url)
                return "skip"
            trusted = entry.kind == "article" and not any(count.dry for count in counts)
            if not (force or trusted) and any(c.running >= c.slots() for c in counts):
                return "wait"
        for count in counts:
            count.running += 1
        self._running[entry.url] = (keys, entry.referrer, entry.priority)
        return "start"

    def judge(self, batch: Sequence[PageOutcome], store: Store) -> list[PageOutcome]:
        """Judge the batch's pages before it is written: a story, or a page that led to a
        story, sitemap or feed the frontier does not hold, yielded; a failure or a page that led
        nowhere new is dry, and its links come back at half its priority."""
        links = {
            link.url
            for outcome in batch
            if outcome.url in self._running and outcome.article is None
            for link in outcome.discovered
        }
        fresh = links - store.known_urls(links) if links else set()
        leads = {link.url for _, link in self._leads(batch)}
        return self._judged(batch, leads & fresh, fresh)

    def settle(self, batch: Sequence[PageOutcome], store: Store) -> None:
        """Judge the batch's pages after it was written (as :meth:`judge`, but a link is new
        when the frontier names the page as its referrer; the links keep their priority)."""
        leads = [(link.url, link.referrer) for _, link in self._leads(batch) if link.referrer]
        self._judged(batch, store.first_found(leads) if leads else set(), None)

    def _leads(self, batch: Sequence[PageOutcome]) -> Iterable[tuple[PageOutcome, FrontierEntry]]:
        """The links of story, sitemap or feed kind (patterns not spent) of the batch's pages."""
        return (
            (outcome, link)
            for outcome in batch
            if outcome.url in self._running and outcome.article is None
            for link in outcome.discovered
            if link.kind in YIELD_KINDS and not self.spent(link.url)
        )

    def _judged(
        self, batch: Sequence[PageOutcome], new: set[str], fresh: set[str] | None
    ) -> list[PageOutcome]:
        """Record each page's yield (``new``: its new story, sitemap or feed links) and, when
        ``fresh`` (all its links the frontier did not hold) is known, quiet the links of pages
        that led nowhere new outside their own pattern."""
        judged = list(batch)
        for i, outcome in enumerate(batch):
            running = self._running.pop(outcome.url, None)
            if running is None:
                continue
            keys, referrer, priority = running
            if outcome.state == "not_modified":
                self._record(keys, None)
                continue
            result = outcome.article is not None or any(
                link.url in new for link in outcome.discovered
            )
            self._record(keys, result)
            if outcome.article is not None and referrer is not None:
                self._credit(self.keys(referrer))
            if result or fresh is None or not outcome.discovered:
                continue
            own = keys[0]
            if not any(u in fresh and url_pattern(u) != own for u in _urls(outcome)):
                judged[i] = dataclasses.replace(outcome, discovered=_quieter(outcome, priority))
        return judged

    def _record(self, keys: tuple[str, ...], yielded: bool | None) -> None:
        for key in keys:
            count = self._count(key)
            count.running = max(0, count.running - 1)
            self.requests[key] += 1
            count.requests += 1
            if yielded is None:
                self._changed.add(key)
            elif yielded:
                self._credit((key,))
            else:
                count.dry += 1
                self._changed.add(key)
                if count.dry >= DRY_LIMIT:
                    self._spent.add(key)

    def _credit(self, keys: tuple[str, ...]) -> None:
        """A page of these patterns yielded: one more slot, and the dry run starts afresh."""
        for key in keys:
            count = self._count(key)
            count.yielded += 1
            count.dry = 0
            self._changed.add(key)
            self._spent.discard(key)

    def save(self, store: Store) -> None:
        """Write the changed pattern counts and the URLs skipped since the last save."""
        rows = [
            (key, self._counts[key].requests, self._counts[key].yielded, self._counts[key].dry)
            for key in self._changed
        ]
        skipped, self._skipped = self._skipped, []
        self._changed.clear()
        if rows or skipped:
            store.save_budget(rows, skipped)

    def trap_requests(self) -> int:
        """Requests of this run on URL patterns that never yielded and were asked for at least
        :data:`TRAP_MIN_REQUESTS` times (host-level keys aside)."""
        return sum(n for _, n in self._traps())

    def trap_patterns(self) -> dict[str, int]:
        """The patterns of :meth:`trap_requests` that cost the most, with their requests."""
        return dict(sorted(self._traps(), key=lambda kv: (-kv[1], kv[0]))[:SHOWN_PATTERNS])

    def _traps(self) -> Iterable[tuple[str, int]]:
        counts = self._counts
        return (
            (key, n)
            for key, n in self.requests.items()
            if "/" in key and counts[key].yielded == 0 and counts[key].requests >= TRAP_MIN_REQUESTS
        )


def _quieter(outcome: PageOutcome, priority: float) -> tuple[FrontierEntry, ...]:
    """The page's links at :data:`DRY_PRIORITY_SHARE` of the page's own priority (at most),
    those that fall below :data:`PRIORITY_FLOOR` left out."""
    quieter = []
    for link in outcome.discovered:
        lowered = round(min(link.priority, priority) * DRY_PRIORITY_SHARE, 3)
        if lowered >= PRIORITY_FLOOR:
            quieter.append(dataclasses.replace(link, priority=lowered))
    return tuple(quieter)


def _urls(outcome: PageOutcome) -> Iterable[str]:
    return (link.url for link in outcome.discovered)
