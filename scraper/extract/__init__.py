"""Extraction: the story of a page, its metadata, and its clutter as typed link blocks.

One module per stage of the cascade (see :mod:`scraper.extract.article`): ``walk`` flattens the
tree into lines and spans, ``names`` reads class/id names, ``blocks`` takes link lists apart,
``body``, ``cards`` and ``listing`` choose the story, ``meta``, ``byline`` and ``dates`` read
the metadata around it; ``data`` and ``words`` hold the selector and keyword lists as data.

The package is itself callable, so ``from scraper import extract`` keeps giving the function
whether or not a submodule was imported first: Python binds ``scraper.extract`` to this package
as soon as any ``scraper.extract.*`` module loads, which would otherwise hide the function.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from scraper.extract.article import MAX_PAGE_CHARS, extract

__all__ = ["MAX_PAGE_CHARS", "extract"]


class _CallablePackage(ModuleType):
    """This package, callable as :func:`extract`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Extract a page: the same as ``scraper.extract.extract``."""
        return extract(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
