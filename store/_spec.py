"""The building blocks of the schema description: a column, an index, a table (with the schema
versions that create and retire them). :mod:`store._schema` lists the tables.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Column:
    """One column: SQLite type (as sqlite-utils names it), description, schema version added."""

    name: str
    type: str
    doc: str
    since: int = 1


@dataclass(frozen=True, slots=True)
class Index:
    """An index on ``columns`` ("-name" sorts descending; an expression such as
    ``nullif(day, '')`` needs a ``name``), ``unique`` when it enforces a key; created by
    migration ``since``, dropped by migration ``until`` (if any); partial when ``where`` is set."""

    columns: tuple[str, ...]
    unique: bool = False
    since: int = 1
    until: int | None = None
    name: str | None = None
    where: str | None = None

    def exists_in(self, version: int) -> bool:
        """Whether the index is part of schema ``version``."""
        return self.since <= version and (self.until is None or version < self.until)


@dataclass(frozen=True, slots=True)
class Table:
    """A table: its columns in order, primary key, foreign keys and indexes; created by
    migration ``since``, dropped by migration ``until`` (if any)."""

    name: str
    doc: str
    columns: tuple[Column, ...]
    pk: str | tuple[str, ...] = "id"
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    indexes: tuple[Index, ...] = ()
    since: int = 1
    until: int | None = None

    def exists_in(self, version: int) -> bool:
        """Whether the table is part of schema ``version``."""
        return self.since <= version and (self.until is None or version < self.until)
