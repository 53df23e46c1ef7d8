"""The page as lines: what the walk (``walk``) produces and every later stage reads.

``Flat`` holds the lines of text with their link share and tag, the block elements as line
ranges (``Span``, whose name flags ``names`` sets), the links (``Anchor``) and images
(``Picture``) with the line they sit on. They live apart from the walk so that a compiled build
of ``walk`` (``compiled``) fills the same records as the pure-Python one.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Span:
    """A block-level element and the range ``[start, end)`` of lines inside it."""

    tag: str
    start: int
    end: int
    key: str = ""
    clutter: bool = False
    content: bool = False
    caption: bool = False
    nav: bool = False
    crumb: bool = False
    overlay: bool = False


@dataclass(slots=True)
class Anchor:
    """A link, the line it is printed on, and its printed text."""

    line: int
    text: str
    href: str


@dataclass(slots=True)
class Picture:
    """An image, the line it sits before, and its ``src``/``alt``."""

    line: int
    src: str
    alt: str


@dataclass(slots=True)
class Flat:
    """The page as lines of text plus the structure needed to score and group them."""

    texts: list[str] = field(default_factory=list)
    link_chars: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    anchor_lines: list[int] = field(default_factory=list)


def span_key(attrs: dict[str, str | None]) -> str:
    """The lower-cased class, id, itemprop and role of an element, space-separated."""
    get = attrs.get
    return " ".join(
        (get("class") or "", get("id") or "", get("itemprop") or "", get("role") or "")
    ).lower()
