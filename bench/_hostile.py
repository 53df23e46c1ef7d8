"""``bench/crawl.py --hostile``: the real CLI against the hostile portal, killed and resumed.

The portal of ``tests/hostile_portal.py`` (stories in 8 channels, GBK pages, faults, an endless
calendar and endless search results) runs in this process; ``newsdesk crawl URL --allow-private
127.0.0.1 --delay D`` runs as a child, is killed with SIGKILL after ``--kill-after`` seconds and
run again to the end. Figures come from the portal's request log and the database:

- requests per stored story (every request but robots.txt, over the stories stored);
- calendar and search requests (``/archive/``, ``/search``: the portal's two traps);
- story pages answered 200 more than once (what the kill cost);
- listings stored as articles (rows of ``articles`` whose URL is no story of the portal);
- coverage (stories stored, of those the portal holds).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]


def crawl_command(base: str, db: Path, delay: float) -> list[str]:
    """The CLI crawl as a new user would run it."""
    return [
        sys.executable, "-m", "newsdesk", "crawl", base + "/", "--db", str(db),
        "--allow-private", "127.0.0.1", "--delay", str(delay), "--no-progress",
    ]  # fmt: skip


def run_hostile(articles: int, delay: float, kill_after: float) -> dict[str, object]:
    """Crawl the hostile portal (killed once after ``kill_after`` s, 0: never); the figures."""
    sys.path.insert(0, str(ROOT / "tests"))
    from hostile_portal import HostilePortal

    with HostilePortal(articles) as portal, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "hostile.db"
        command = crawl_command(portal.base_url, db, delay)
        started = time.monotonic()
        if kill_after > 0:
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                proc.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
        before = len(portal.requests())
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - started
        if done.returncode != 0:
            raise SystemExit(f"hostile crawl failed:\n{done.stderr[-2000:]}")
        log = portal.requests()
        stories = portal.article_paths()
        with sqlite3.connect(db) as conn:
            stored = [urlsplit(u).path for (u,) in conn.execute("SELECT url FROM articles")]
    return figures(log, before, stories, stored, seconds, done.stdout)


def figures(
    log: list[tuple[str, int]],
    killed_at: int,
    stories: set[str],
    stored: list[str],
    seconds: float,
    summary: str,
) -> dict[str, object]:
    """The budget figures from the request log and the stored story paths."""
    asked = [target for target, _ in log if target != "/robots.txt"]
    answered = Counter(
        target.replace("_2.html", ".html")
        for target, status in log
        if status == 200 and urlsplit(target).path.replace("_2.html", ".html") in stories
    )
    pages_ok = Counter(target for target, status in log if status == 200)
    twice = sum(1 for target, n in pages_ok.items() if n > 1 and urlsplit(target).path in stories)
    twice += sum(1 for target, n in pages_ok.items() if n > 1 and target.endswith("_2.html"))
    return {
        "requests": len(asked),
        "requests_before_kill": killed_at,
        "stored": len(stored),
        "requests_per_article": round(len(asked) / max(len(stored), 1), 2),
        "calendar": sum(t.startswith("/archive/") for t in asked),
        "search": sum(t.startswith("/search") for t in asked),
        "fetched_twice": twice,
        "listings_as_articles": sum(path not in stories for path in stored),
        "coverage": f"{len(stories & set(stored))}/{len(stories)}",
        "story_pages_seen": len(answered),
        "seconds": round(seconds, 1),
        "summary": summary.strip(),
    }


def print_hostile(result: dict[str, object], articles: int, delay: float, kill: float) -> None:
    """The hostile-portal table."""
    print(
        f"hostile portal: {articles} stories, --delay {delay}, SIGKILL after {kill:g} s then "
        f"resumed; load average {os.getloadavg()[0]:.1f}"
    )
    for key, value in result.items():
        if key != "summary":
            print(f"  {key:<22} {value}")
    print(result["summary"])
