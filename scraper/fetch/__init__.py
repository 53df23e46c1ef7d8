"""Fetching: polite asynchronous HTTP and the WARC archive.

``fetch`` holds :class:`Fetcher` (robots.txt, per-host delays, retries, size caps), built from
:class:`FetchOptions`; ``pool`` and ``aio`` are its sharded httpcore transport on asyncio,
``body`` reads and decompresses bodies under a cap, ``politeness`` keeps per-host slots and
delays, ``robots`` reads robots.txt, ``warc`` writes and reads WARC archives.
"""

from scraper.fetch.fetch import Fetcher, FetchOptions
from scraper.fetch.warc import iter_warc

__all__ = ["FetchOptions", "Fetcher", "iter_warc"]
