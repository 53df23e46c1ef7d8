"""A reader in another process queries while this process writes: never locked, never torn."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from store import Store
from store._synthetic import synthetic_outcome

ROOT = Path(__file__).resolve().parents[1]
BATCHES = 30
BATCH_SIZE = 40

READER = """
import json, sys
from store import Store
path, total = sys.argv[1], int(sys.argv[2])
seen, errors, reads, torn = [], [], 0, 0
with Store(path, readonly=True) as store:
    print("ready", flush=True)
    while not seen or seen[-1] < total:
        try:
            count = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            torn += store.conn.execute(
                "SELECT count(*) FROM articles AS a WHERE NOT EXISTS "
                "(SELECT 1 FROM link_blocks AS l WHERE l.article_id = a.id)"
            ).fetchone()[0]
            store.search("新闻", limit=5)
            store.conn.execute("SELECT * FROM topic_counts_daily").fetchall()
            store.summary()
        except Exception as exc:
            errors.append(repr(exc))
            if len(errors) > 20:
                break
            continue
        reads += 1
        if not seen or count != seen[-1]:
            seen.append(count)
print(json.dumps({"seen": seen, "errors": errors, "reads": reads, "torn": torn}))
"""


def test_a_reader_process_never_sees_locks_or_half_written_batches(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    rng = random.Random(7)
    total = BATCHES * BATCH_SIZE
    with Store(path) as store:
        crawl = store.start_crawl([], {})
        batches = [
            [synthetic_outcome(b * BATCH_SIZE + i, rng, crawl_id=crawl) for i in range(BATCH_SIZE)]
            for b in range(BATCHES)
        ]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        reader = subprocess.Popen(
            [sys.executable, "-c", READER, str(path), str(total)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert reader.stdout is not None
        assert reader.stdout.readline().strip() == "ready"
        for batch in batches:
            store.save_outcomes(batch)
        out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    result = json.loads(out)
    assert result["errors"] == []
    assert result["torn"] == 0
    seen = result["seen"]
    assert seen == sorted(seen) and seen[-1] == total
    assert all(count % BATCH_SIZE == 0 for count in seen), "a reader saw part of a batch"
    assert len(seen) > 2, f"the reader did not run alongside the writer: {seen}"
