"""newsdesk: crawl news portals, separate story from clutter, tag topics, store in SQLite.

This package holds the CLI and the pipeline that wires ``scraper``, ``classifier`` and ``store``.
Importing it stays cheap: the heavy parts load only when a command needs them.
"""

from newsdesk.errors import (
    ConfigError,
    ExtractError,
    FetchError,
    ModelError,
    NewsdeskError,
    SchemaVersionError,
    StoreError,
)

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "ExtractError",
    "FetchError",
    "ModelError",
    "NewsdeskError",
    "SchemaVersionError",
    "StoreError",
    "__version__",
]
