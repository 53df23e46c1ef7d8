"""The merged shards as a Parquet dataset, partitioned by day and host (the site key).

Each merged shard adds its articles as read back from the store, so near-duplicates across shards
are already resolved (``duplicate_of`` set, text dropped); its files are named after the shard,
so a shard written again replaces its own files instead of adding copies. DuckDB, Spark and
pandas read the folder directly (``read_parquet('DIR/**/*.parquet', hive_partitioning=true)``).
"""

from __future__ import annotations

from pathlib import Path

from newsdesk.errors import ConfigError
from store import Store
from store._export import COLUMNS, LIST_COLUMNS, export_rows

PARTITIONS = ("day", "host")


def write_shard_parquet(store: Store, crawl_id: int, out: Path, name: str) -> int:
    """Write the articles a merge stored under ``crawl_id`` into the dataset at ``out``."""
    try:
        import pyarrow as pa
        import pyarrow.dataset as ds
    except ImportError as exc:
        raise ConfigError("--out needs pyarrow: pip install 'newsdesk[ray]'") from exc
    types = {"id": pa.int64(), "topic_score": pa.float64()}
    schema = pa.schema([
        (c, pa.list_(pa.string()) if c in LIST_COLUMNS else types.get(c, pa.string()))
        for c in COLUMNS
    ])  # fmt: skip
    rows = list(export_rows(store, f"crawl_id = {int(crawl_id)}"))
    if not rows:
        return 0
    ds.write_dataset(
        pa.Table.from_pylist(rows, schema=schema),
        out,
        format="parquet",
        partitioning=ds.partitioning(
            pa.schema([(p, pa.string()) for p in PARTITIONS]), flavor="hive"
        ),
        basename_template=f"{name}-{{i}}.parquet",
        existing_data_behavior="overwrite_or_ignore",
    )
    return len(rows)
