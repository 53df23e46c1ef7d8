"""The one exception tree of newsdesk.

    NewsdeskError              anything newsdesk raises on purpose
    ├── ConfigError            bad settings, flags or TOML file
    ├── FetchError             a page could not be fetched (dns, connect, timeout, http, robots…)
    ├── ExtractError           bytes that cannot be decoded or parsed into an article
    ├── ModelError             a topic model that cannot be trained, loaded or used
    └── StoreError             a database that cannot be opened, migrated or written
        └── SchemaVersionError the database was written by a newer newsdesk

Foreign errors are mapped where they enter (``raise FetchError(...) from exc``); messages name the
input and say what to do.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base class of every error newsdesk raises on purpose."""


class ConfigError(NewsdeskError):
    """Settings, flags or a settings file are invalid."""


class FetchError(NewsdeskError):
    """A page could not be fetched; ``stage`` says where it failed (dns, connect, timeout, ...)."""

    def __init__(self, message: str, *, stage: str = "fetch", url: str | None = None) -> None:
        super().__init__(message)
        self.stage = stage
        self.url = url


class ExtractError(NewsdeskError):
    """Bytes or text that cannot be decoded or parsed into an article."""


class ModelError(NewsdeskError):
    """A topic model that cannot be trained, loaded or applied."""


class StoreError(NewsdeskError):
    """A database that cannot be opened, migrated or written."""


class SchemaVersionError(StoreError):
    """The database was written by a newer newsdesk than this one."""
