"""robots.txt rules per origin, parsed with protego, following RFC 9309.

How the answer for ``/robots.txt`` becomes rules (RFC 9309 section 2.3.1):

    2xx                      the file's rules (first 500 KiB, as Google reads)
    4xx, incl. 401 and 403   "unavailable": everything is allowed
    5xx, network failure     "unreachable": everything is disallowed, asked again after 5 min
    redirects                followed (up to five hops, by the Fetcher)

The 401/403 choice follows the RFC rather than Google's older "403 means disallow"; a server in
trouble (5xx) is left alone, which is the careful side.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from protego import Protego

log = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 500 * 1024
# Seconds after which an unreachable robots.txt is asked for again.
UNREACHABLE_RETRY_AFTER = 300.0


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one origin's robots.txt says to the crawler's user agent."""

    origin: str
    parser: Protego | None = None
    allow_all: bool = True
    reason: str = "no robots.txt"
    stage: str = "robots"
    checked: float = field(default_factory=time.monotonic)

    def stale(self) -> bool:
        """True for "unreachable" rules old enough to try robots.txt again."""
        age = time.monotonic() - self.checked
        return self.parser is None and not self.allow_all and age > UNREACHABLE_RETRY_AFTER

    def allows(self, url: str, agent: str) -> bool:
        """True when ``agent`` may fetch ``url``."""
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str) -> float:
        """Seconds between requests asked by Crawl-delay or Request-rate (0 when none)."""
        if self.parser is None:
            return 0.0
        delay = float(self.parser.crawl_delay(agent) or 0.0)
        rate = self.parser.request_rate(agent)
        if rate is not None and rate.requests:
            delay = max(delay, rate.seconds / rate.requests)
        return delay

    def sitemaps(self) -> list[str]:
        """The ``Sitemap:`` URLs the file lists, made absolute against the robots.txt URL."""
        if self.parser is None:
            return []
        return [urljoin(self.origin + "/robots.txt", s.strip()) for s in self.parser.sitemaps]


def robots_url(url: str) -> str:
    """The robots.txt URL of ``url``'s origin."""
    return origin_of(url) + "/robots.txt"


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url`` (lower-case), the unit robots.txt applies to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups match (``newsdesk/0.1 (+url)`` → ``newsdesk``)."""
    token = user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"
    return token or "*"


def rules_from_response(origin: str, status: int, body: bytes) -> RobotsRules:
    """Rules for an origin from the status and body its ``/robots.txt`` answered with."""
    if 200 <= status < 300:
        text = body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        return RobotsRules(origin, Protego.parse(text), reason="robots.txt")
    if 400 <= status < 500:
        return RobotsRules(origin, allow_all=True, reason=f"robots.txt answered {status}")
    return rules_unreachable(origin, f"robots.txt answered {status}")


def rules_unreachable(origin: str, reason: str, stage: str = "robots") -> RobotsRules:
    """Rules when robots.txt could not be read: disallow everything (RFC 9309 "unreachable").

    ``stage`` is the failure pages of this origin report: ``dns``, ``connect`` or ``timeout``
    when the site itself cannot be reached, so failures say what really went wrong.
    """
    log.warning("%s: %s; treating the whole site as disallowed for now", origin, reason)
    return RobotsRules(origin, allow_all=False, reason=reason, stage=stage)
