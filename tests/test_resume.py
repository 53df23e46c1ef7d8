"""A crawl killed with SIGKILL mid-run resumes: nothing stored is lost or fetched twice, and the
hostile portal's server sees at most a handful of story pages asked for again."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest
from hostile_portal import HostilePortal

from newsdesk.portal import serve_portal

DEADLINE_S = 120.0
# Story pages a kill -9 may cost (asked for again after the restart): the target.
REFETCHED_MAX = 10
# Story pages the server has answered when the crawl of the hostile portal is killed.
KILL_AFTER_STORIES = 50


def _count(db: Path, sql: str) -> int:
    """A count read through a separate read-only connection, 0 while the schema does not exist."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _crawl_command(base_url: str, db: Path, workers: int, delay: float = 0.05) -> list[str]:
    return [
        sys.executable,
        "-m",
        "newsdesk",
        "crawl",
        base_url + "/",
        "--db",
        str(db),
        "--allow-private",
        "127.0.0.1",
        "--delay",
        str(delay),
        "--no-progress",
        "--workers",
        str(workers),
    ]


def _wait_for(db: Path, sql: str, at_least: int, proc: subprocess.Popen[bytes]) -> int:
    """Poll the database until the query reaches ``at_least`` (the crawl must still be running)."""
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        seen = _count(db, sql)
        if seen >= at_least:
            return seen
        if proc.poll() is not None:
            pytest.fail(f"the crawl ended before it was killed (exit {proc.returncode})")
        time.sleep(0.05)
    pytest.fail("the crawl made no progress")


@pytest.mark.slow
@pytest.mark.parametrize("workers", [0, 1])
def test_sigkill_then_resume(tmp_path: Path, workers: int) -> None:
    db = tmp_path / "resume.db"
    with serve_portal() as base_url:
        command = _crawl_command(base_url, db, workers)
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _wait_for(db, "select count(*) from articles", 12, proc)
        children = psutil.Process(proc.pid).children(recursive=True)
        assert len(children) == workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        _, alive = psutil.wait_procs(children, timeout=DEADLINE_S)
        assert alive == [], "an extraction worker outlived the killed crawl"

        stored_before = {
            row[0] for row in sqlite3.connect(db).execute("select canonical_url from articles")
        }
        fetched_before = _count(db, "select count(*) from pages")
        assert stored_before, "articles committed before the kill must be in the database"

        resumed = subprocess.run(command, capture_output=True, timeout=DEADLINE_S)
        assert resumed.returncode == 0, resumed.stderr.decode()

    conn = sqlite3.connect(db)
    stored_after = {row[0] for row in conn.execute("select canonical_url from articles")}
    assert stored_before <= stored_after, "an article stored before the kill was lost"
    assert len(stored_after) > len(stored_before)
    twice = conn.execute(
        "select url, count(*) from pages group by url having count(*) > 1"
    ).fetchall()
    assert twice == [], f"pages fetched twice after resuming: {twice[:5]}"
    assert conn.execute("select count(*) from pages").fetchone()[0] > fetched_before
    states = dict(conn.execute("select state, count(*) from frontier group by state").fetchall())
    assert states.get("queued", 0) == 0 and states.get("in_flight", 0) == 0


@pytest.mark.slow
def test_sigkill_costs_at_most_a_handful_of_story_pages(tmp_path: Path) -> None:
    """Killed mid-crawl of the hostile portal (one request per 0.1 s) at a moment the server
    chooses, not right after a write, then run again: the server answers few story pages twice,
    and every story, and nothing else, ends up stored."""
    db = tmp_path / "hostile.db"
    with HostilePortal(80) as portal:
        stories = portal.article_paths()
        command = _crawl_command(portal.base_url, db, 0, delay=0.1)
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + DEADLINE_S
        while sum(t in stories for t, _ in portal.requests()) < KILL_AFTER_STORIES:
            assert proc.poll() is None and time.monotonic() < deadline, "the crawl stalled"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        resumed = subprocess.run(command, capture_output=True, timeout=DEADLINE_S)
        assert resumed.returncode == 0, resumed.stderr.decode()
        served = Counter(target for target, status in portal.requests() if status == 200)
    again = [t for t, n in served.items() if n > 1 and t.replace("_2.html", ".html") in stories]
    assert len(again) <= REFETCHED_MAX, f"{len(again)} story pages fetched again: {again[:5]}"
    with sqlite3.connect(db) as conn:
        stored = {row[0] for row in conn.execute("select url from articles")}
    assert {portal.base_url + path for path in stories} == stored
