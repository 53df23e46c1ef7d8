"""Exporting articles as JSON lines, CSV or Parquet, optionally filtered.

``where`` is a SQL expression on the ``articles`` table passed to sqlite-utils ``rows_where``:
it is trusted input (the user's own database and command line), not escaped. Parquet needs
pyarrow, imported only when asked for.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from newsdesk.errors import StoreError
from store._store import Store

FORMATS = ("jsonl", "csv", "parquet")
COLUMNS = (
    "id", "canonical_url", "url", "host", "site", "lang", "title", "text", "published", "day",
    "authors", "source", "editors", "section", "description", "topic", "topic_score",
    "model_id", "first_seen", "last_seen", "duplicate_of",
)  # fmt: skip
LIST_COLUMNS = ("authors", "editors", "section")
PARQUET_BATCH = 5000


def export_rows(store: Store, where: str | None = None) -> Iterator[dict[str, Any]]:
    """Articles as dicts, lists decoded, in id order."""
    select = ", ".join(COLUMNS)
    for row in store.db["articles"].rows_where(where, select=select, order_by="id"):
        for key in LIST_COLUMNS:
            row[key] = json.loads(row[key] or "[]")
        yield row


def _write_jsonl(rows: Iterator[dict[str, Any]], stream: IO[str]) -> int:
    n = 0
    for n, row in enumerate(rows, 1):  # noqa: B007
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    return n


def _write_csv(rows: Iterator[dict[str, Any]], stream: IO[str]) -> int:
    writer = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    n = 0
    for n, row in enumerate(rows, 1):  # noqa: B007
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if k in LIST_COLUMNS else v
                         for k, v in row.items()})  # fmt: skip
    return n


def _write_parquet(rows: Iterator[dict[str, Any]], out: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise StoreError("parquet export needs pyarrow: pip install 'newsdesk[parquet]'") from exc
    types = {"id": pa.int64(), "topic_score": pa.float64()}
    schema = pa.schema([
        (c, pa.list_(pa.string()) if c in LIST_COLUMNS else types.get(c, pa.string()))
        for c in COLUMNS
    ])  # fmt: skip
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def export(store: Store, fmt: str, *, where: str | None = None, out: Path | None = None) -> int:
    """Write the articles (those matching ``where``) to ``out`` (stdout when None, not for
    parquet); returns the number of rows."""
    if fmt not in FORMATS:
        raise StoreError(f"export format must be one of {FORMATS}, not {fmt!r}")
    rows = export_rows(store, where)
    if fmt == "parquet":
        if out is None:
            raise StoreError("parquet export needs --out FILE")
        return _write_parquet(rows, out)
    writer = _write_jsonl if fmt == "jsonl" else _write_csv
    if out is None:
        return writer(rows, sys.stdout)
    with out.open("w", encoding="utf-8", newline="") as stream:
        return writer(rows, stream)
