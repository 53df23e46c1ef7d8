"""Which worker owns a host: a stable hash of the host, so every run and every node agrees.

A host is the politeness unit of :func:`scraper.fetch.politeness.host_key` (host, plus the port
when it is not the scheme's default). The hash is BLAKE2b, not Python's ``hash()``, which is
salted per process and would send one host to different workers on different nodes.
"""

from __future__ import annotations

import hashlib

from scraper.fetch.politeness import host_key


def owner_of(url: str, workers: int) -> int:
    """The index (0 … ``workers`` − 1) of the worker that fetches every URL of ``url``'s host."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    digest = hashlib.blake2b(host_key(url).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % workers
