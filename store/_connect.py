"""Opening the database file: WAL, busy timeout, read-only URI, and the write transaction."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from newsdesk.errors import StoreError

BUSY_TIMEOUT_S = 30.0
# Readers (dashboards) get a large cache and a memory map for fast views; the crawl's writer keeps
# a small cache and no map, so its memory stays flat however large the crawl grows.
READ_CACHE_KIB = 65536
READ_MMAP_BYTES = 256 * 1024 * 1024
WRITE_CACHE_KIB = 8192
# A bulk load (Store(bulk=True)) writes into large random-access indexes (URLs, simhash bands):
# a larger cache and fewer checkpoints keep their pages in memory between batches.
BULK_CACHE_KIB = 262144
BULK_CHECKPOINT_PAGES = 16384
#: The oldest SQLite with everything the schema uses: UPDATE … FROM in the counter triggers
#: (3.33) and FTS5's trigram tokenizer for Chinese search (3.34).
MIN_SQLITE = (3, 34, 0)


def check_sqlite() -> None:
    """Refuse, with a clear message, an SQLite library too old for the schema."""
    version = sqlite3.sqlite_version_info
    if version < MIN_SQLITE:
        have, need = ".".join(map(str, version)), ".".join(map(str, MIN_SQLITE))
        raise StoreError(
            f"this Python's SQLite is {have}; newsdesk needs {need} or later (FTS5 trigram "
            "search). Use a Python built with a newer SQLite (python.org, Debian 12, Ubuntu 22.04)"
        )


def connect(path: Path, *, readonly: bool, bulk: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (we issue BEGIN ourselves), waiting up to 30 s on locks."""
    check_sqlite()
    try:
        if readonly:
            if not path.exists():
                raise StoreError(f"no database at {path}; run a crawl first or check --db")
            uri = f"file:{quote(str(path.resolve()))}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        conn.isolation_level = None
        if not readonly:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        cache = READ_CACHE_KIB if readonly else BULK_CACHE_KIB if bulk else WRITE_CACHE_KIB
        conn.execute(f"PRAGMA cache_size=-{cache}")
        if bulk:
            conn.execute(f"PRAGMA wal_autocheckpoint={BULK_CHECKPOINT_PAGES}")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute(f"PRAGMA mmap_size={READ_MMAP_BYTES if readonly else 0}")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from exc
    return conn


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT: takes the write lock up front so readers never deadlock us."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def now() -> str:
    """The current time as ISO 8601 UTC with seconds, the store's timestamp format."""
    return datetime.now(UTC).isoformat(timespec="seconds")
