"""A Ray crawl's counts: the local crawl's, plus what each host partition did and where."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsdesk._batch import CrawlStats
from newsdesk.cluster._fetcher import Report
from scraper.fetch.politeness import host_key


@dataclass(slots=True)
class WorkerCounts:
    """What one host partition did: its pages, the hosts it fetched, where it ran."""

    fetched: int = 0
    failed: int = 0
    articles: int = 0
    calls: int = 0
    hosts: set[str] = field(default_factory=set)
    pids: list[int] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)

    def add(self, report: Report) -> None:
        """Count one call's outcomes and note the process and node that answered it."""
        self.calls += 1
        for outcome in report.outcomes:
            if outcome.failure is not None:
                self.failed += 1
            else:
                self.fetched += 1
            self.articles += outcome.article is not None
            self.hosts.add(host_key(outcome.url))
        self.ran(report.pid, report.node)

    def ran(self, pid: int, node: str) -> None:
        """Note a process (and its node) this partition ran in: a second one, it was restarted."""
        if pid not in self.pids:
            self.pids.append(pid)
        if node and node not in self.nodes:
            self.nodes.append(node)

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly: counts, hosts, and the processes (more than one: it was restarted)."""
        return {
            "fetched": self.fetched,
            "failed": self.failed,
            "articles": self.articles,
            "calls": self.calls,
            "hosts": sorted(self.hosts),
            "pids": self.pids,
            "nodes": self.nodes,
        }


@dataclass(slots=True)
class ClusterStats(CrawlStats):
    """A crawl's counts plus what each worker fetched and how many URLs were sent again."""

    workers: dict[int, WorkerCounts] = field(default_factory=dict)
    resent: int = 0

    def as_dict(self) -> dict[str, object]:
        """The local crawl's counts, the engine, the re-sent URLs and the per-worker counts."""
        data = CrawlStats.as_dict(self)
        data["engine"] = "ray"
        data["resent"] = self.resent
        data["workers"] = {str(i): w.as_dict() for i, w in sorted(self.workers.items())}
        return data
