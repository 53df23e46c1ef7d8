"""An optional compiled walk: ``walk.py`` built by Cython as ``scraper.extract._walk_c``.

The walk is the extractor's largest stage (about a third of a page's time), and it is plain
Python over selectolax nodes, so Cython compiles the very same source: same function, same
records (``lines``), identical output, with the interpreter's dispatch taken out. Nothing needs
it: ``pip install`` builds nothing, and without the extension ``walk.flatten`` runs as before.
To build it (the ``speed`` extra and a C compiler; see ``build_walk``)::

    pip install -e '.[speed]' && python -m scraper.extract.build_walk

The extension carries the SHA-256 of the ``walk.py`` it was built from; :func:`load_flatten`
takes it only when that still matches the ``walk.py`` beside it, so editing the walk without
building again falls back to the pure-Python walk instead of running stale code.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from selectolax.lexbor import LexborNode

from scraper.extract import walk
from scraper.extract.lines import Flat

log = logging.getLogger(__name__)

#: The compiled module's name, in this package.
MODULE = "scraper.extract._walk_c"
#: The source that is compiled.
SOURCE = Path(walk.__file__).with_suffix(".py")


def source_digest(source: Path = SOURCE) -> str | None:
    """SHA-256 of the walk's source, or None when it cannot be read (then nothing compiled is
    trusted)."""
    try:
        return hashlib.sha256(source.read_bytes()).hexdigest()
    except OSError:
        return None


def usable(module: ModuleType, source: Path = SOURCE) -> bool:
    """Whether a compiled walk was built from the current ``walk.py``."""
    built = getattr(module, "SOURCE_SHA256", None)
    return built is not None and built == source_digest(source)


def load_flatten() -> Callable[[LexborNode], Flat]:
    """The compiled ``flatten`` when it is built and up to date, else ``walk.flatten``."""
    try:
        module = importlib.import_module(MODULE)
    except ImportError:
        return walk.flatten
    if not usable(module):
        log.warning("%s was built from another walk.py; using the pure-Python walk", MODULE)
        return walk.flatten
    return module.flatten


def load_from(path: Path) -> ModuleType:
    """A compiled walk loaded from ``path`` without installing it (tests compare it)."""
    spec = importlib.util.spec_from_file_location(MODULE, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load a compiled walk from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
