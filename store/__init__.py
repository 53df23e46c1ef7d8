"""The SQLite store of newsdesk: schema, migrations, frontier, writes, search, views, reports.

Every SQL statement of the project lives in this package. The public names are re-exported here;
the modules starting with an underscore are private.
"""

from newsdesk.errors import SchemaVersionError, StoreError
from store._records import PageOutcome, SearchHit
from store._schema import SCHEMA_VERSION
from store._simhash import simhash
from store._store import Store
from store._write import find_near_duplicate

__all__ = [
    "SCHEMA_VERSION",
    "PageOutcome",
    "SchemaVersionError",
    "SearchHit",
    "Store",
    "StoreError",
    "find_near_duplicate",
    "simhash",
]
