"""Re-processing WARC archives, on this machine or on a Ray cluster: ``newsdesk extract --warc``.

::

    inputs (paths, globs, s3:// …) ─► tasks (one per file; a much larger file cut at records)
        ─► run_task (fastwarc → extract → language → topics → simhash) ─► one SQLite shard each
        ─► driver: merge shards in task order into --db (one writer, bulk INSERT … SELECT,
           near-duplicates across shards) ─► search index caught up ─► optional Parquet dataset

``--engine local`` runs the task function in this process (or ``--workers N`` processes),
``--engine ray`` as Ray tasks; the shards and the store come out the same.
"""

from newsdesk.archive._driver import ArchiveReport, default_shard_dir, run_archive
from newsdesk.archive._engines import ENGINES, run_tasks
from newsdesk.archive._inputs import ArchiveTask, expand_inputs, plan_tasks
from newsdesk.archive._task import ShardResult, run_task

__all__ = [
    "ENGINES",
    "ArchiveReport",
    "ArchiveTask",
    "ShardResult",
    "default_shard_dir",
    "expand_inputs",
    "plan_tasks",
    "run_archive",
    "run_task",
    "run_tasks",
]
