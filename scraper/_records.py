"""Records produced by the scraper: a fetch, a discovered URL, an extracted article, a failure.

Frozen, slotted dataclasses: the producer defines them, consumers (pipeline, store) import them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

BlockKind = Literal["recommended", "hot", "related", "nav", "other"]
UrlKind = Literal["article", "listing", "sitemap", "feed", "unknown"]


@dataclass(frozen=True, slots=True)
class Fetched:
    """One HTTP exchange: what was asked, what came back, and when."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    encoding: str | None
    fetched_at: datetime
    elapsed_ms: float = 0.0
    redirects: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased ("" when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True, slots=True)
class Failure:
    """A page that failed at one stage; recorded as a row, never swallowed."""

    url: str
    stage: str
    error: str
    message: str


@dataclass(frozen=True, slots=True)
class FrontierEntry:
    """A URL waiting to be fetched, with how it was found and how urgent it is."""

    url: str
    depth: int = 0
    priority: float = 0.0
    kind: UrlKind = "unknown"
    referrer: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """One link of a clutter block, with the timestamp or source printed beside it, if any."""

    text: str
    url: str
    timestamp: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class LinkBlock:
    """A list of links around the story (相关推荐, 热点推荐, Most read, nav ...), kept as data."""

    kind: BlockKind
    heading: str
    links: tuple[Link, ...]
    position: int = 0


@dataclass(frozen=True, slots=True)
class Image:
    """An image of the story with its caption (图为…), when the page gives one."""

    src: str
    caption: str | None = None
    alt: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """The main story of a page and everything known about it."""

    url: str
    title: str
    text: str
    canonical_url: str | None = None
    site: str | None = None
    lang: str | None = None
    paragraphs: tuple[str, ...] = ()
    published: datetime | None = None
    authors: tuple[str, ...] = ()
    source: str | None = None
    editors: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    description: str | None = None
    images: tuple[Image, ...] = ()
    link_blocks: tuple[LinkBlock, ...] = ()
    encoding: str | None = None
    next_page: str | None = None
    meta: Mapping[str, str] = field(default_factory=dict)
