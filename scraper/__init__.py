"""Fetching, discovery and extraction of news pages.

Public API (re-exported from small private modules, httpx-style):

- records: :class:`Fetched`, :class:`Failure`, :class:`FrontierEntry`, :class:`Article`,
  :class:`LinkBlock`, :class:`Link`, :class:`Image`;
- :func:`extract` — the article of a page's bytes or text (pure, no network);
- :func:`decode_html` — page bytes to text, with the charset used;
- :class:`Fetcher` — polite asynchronous fetching; :func:`discover` — links, sitemaps, feeds;
- :func:`canonicalize`, :class:`Scope`, :func:`kind_of_seed` — which URLs a crawl visits.
"""

from scraper._records import Article, Failure, Fetched, FrontierEntry, Image, Link, LinkBlock
from scraper.decode import decode_html
from scraper.discover import discover, kind_of_seed
from scraper.extract import extract
from scraper.fetch import Fetcher
from scraper.urls import Scope, canonicalize

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
