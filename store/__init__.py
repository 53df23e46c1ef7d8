"""The SQLite store of newsdesk: schema, migrations, frontier, writes, search, views, reports.

Every SQL statement of the project lives in this package. The public names are re-exported here;
the modules starting with an underscore are private. Importing it stays cheap: Datasette,
uvicorn and pyarrow load only when serving or exporting Parquet.
"""

from newsdesk.errors import SchemaVersionError, StoreError
from store._datasette import make_server as make_datasette_server
from store._datasette import serve as serve_datasette
from store._export import export as export_articles
from store._records import PageOutcome, SearchHit
from store._report import render_report, write_report
from store._schema import SCHEMA_VERSION
from store._simhash import simhash
from store._store import Store

__all__ = [
    "SCHEMA_VERSION",
    "PageOutcome",
    "SchemaVersionError",
    "SearchHit",
    "Store",
    "StoreError",
    "export_articles",
    "make_datasette_server",
    "render_report",
    "serve_datasette",
    "simhash",
    "write_report",
]
