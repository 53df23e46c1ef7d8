"""``Store``: the one object that opens the database and owns every statement run on it."""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType

from sqlite_utils import Database

from newsdesk.errors import StoreError
from store._connect import connect
from store._frontier import FrontierMixin
from store._fts import FTS_LAG, SearchIndexMixin
from store._migrate import check_version, migrate
from store._read import ReadMixin
from store._schema import SCHEMA_VERSION
from store._tagging import TaggingMixin
from store._write import WriteMixin

log = logging.getLogger(__name__)


class Store(FrontierMixin, WriteMixin, TaggingMixin, SearchIndexMixin, ReadMixin):
    """A newsdesk SQLite database: created or migrated on open (WAL, 30 s busy timeout).

    ``readonly=True`` opens with a ``mode=ro`` URI for readers (search, serve, report); it refuses
    a database that still needs migrating. ``.db`` is the ``sqlite_utils.Database``.
    ``fts_lag``: ``save_outcomes`` indexes new articles for full-text search once more than this
    many wait (search finds the waiting ones anyway, by LIKE); None leaves indexing to
    ``index_search`` / ``finish_crawl``, 0 indexes every batch. ``bulk=True`` is for loading
    many batches fast: indexing is left to the end (``fts_lag=None``), and the writer keeps a
    256 MiB cache and checkpoints the WAL every 64 MiB instead of 4.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        readonly: bool = False,
        fts_lag: int | None = FTS_LAG,
        bulk: bool = False,
    ) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.fts_lag = None if bulk else fts_lag
        self.conn = connect(self.path, readonly=readonly, bulk=bulk)
        self.db = Database(self.conn)
        try:
            if readonly:
                version = check_version(self.db, self.path)
                if version < SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path} has schema version {version}, older than {SCHEMA_VERSION}; "
                        "open it once without --readonly (e.g. run a crawl) to migrate it"
                    )
            else:
                migrate(self.db, self.path)
        except BaseException:
            self.conn.close()
            raise

    def close(self) -> None:
        """Close the connection (checkpointing the WAL when the last writer leaves)."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "readonly" if self.readonly else "read-write"
        return f"<Store {self.path} {mode}>"
