"""Fetching, discovery and extraction of news pages.

Public API (re-exported from small private modules, httpx-style):

- records: :class:`Fetched`, :class:`Failure`, :class:`FrontierEntry`, :class:`Article`,
  :class:`LinkBlock`, :class:`Link`, :class:`Image`;
- :func:`extract` — the article of a page's bytes or text (pure, no network);
- :func:`decode_html` — page bytes to text, with the charset used;
- :class:`Fetcher` — polite asynchronous fetching; :func:`discover` — links, sitemaps, feeds;
- :func:`canonicalize`, :class:`Scope`, :func:`kind_of_seed` — which URLs a crawl visits.

Names are imported on first use (PEP 562): an extraction worker that needs ``extract`` and
``discover`` never loads httpx, httpcore, protego and warcio, which the fetcher pulls in
(~200 ms and ~15 MB per process).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scraper._records import Article, Failure, Fetched, FrontierEntry, Image, Link, LinkBlock
    from scraper.decode import decode_html
    from scraper.discovery import discover, kind_of_seed
    from scraper.extract import extract
    from scraper.fetch import Fetcher
    from scraper.urls import Scope, canonicalize

#: Public name → the module that defines it.
_HOMES = {
    "Article": "scraper._records",
    "Failure": "scraper._records",
    "Fetched": "scraper._records",
    "FrontierEntry": "scraper._records",
    "Image": "scraper._records",
    "Link": "scraper._records",
    "LinkBlock": "scraper._records",
    "decode_html": "scraper.decode",
    "discover": "scraper.discovery",
    "kind_of_seed": "scraper.discovery",
    "extract": "scraper.extract",
    "Fetcher": "scraper.fetch",
    "Scope": "scraper.urls",
    "canonicalize": "scraper.urls",
}

__all__ = [
    "Article",
    "Failure",
    "Fetched",
    "Fetcher",
    "FrontierEntry",
    "Image",
    "Link",
    "LinkBlock",
    "Scope",
    "canonicalize",
    "decode_html",
    "discover",
    "extract",
    "kind_of_seed",
]


def __getattr__(name: str) -> object:
    """Import a public name from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'scraper' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, for completion and ``help()``."""
    return sorted([*globals(), *_HOMES])
