"""The crawl on a real two-node Ray cluster on 127.0.0.1, against a portal spread over four hosts.

The portal answers on 127.0.0.2 … 127.0.0.5 (all this machine), one server per address, with
stories linking across hosts, and a robots.txt Crawl-delay longer than the crawl's own delay.
Every request is logged with its arrival time, so the tests check from the server's side that
no host ever saw two requests closer than its Crawl-delay, that nothing was fetched twice beyond
what was in flight when something was killed, and that every story was stored once. Skipped
without the ``[ray]`` extra; ``pytest -m "not ray"`` leaves the module out.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")
cluster_utils = pytest.importorskip("ray.cluster_utils")
psutil = pytest.importorskip("psutil")

from ray_cluster import cluster_processes, two_node_cluster  # noqa: E402

from newsdesk.cluster import ClusterStats, crawl_on_ray, owner_of  # noqa: E402
from newsdesk.cluster._driver import claim_window  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402

pytestmark = pytest.mark.ray

HOSTS = ("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5")
STORIES = 16  # per host
CRAWL_DELAY = 0.5  # robots.txt, per host
DELAY = 0.1  # the crawl's own --delay, shorter: the Crawl-delay must win
# Arrival jitter allowed at the server: the fetcher spaces the moments it starts requests, and an
# actor's event loop busy extracting a page can hold one back (seen: 0.238 s at a 0.3 s
# Crawl-delay on a loaded machine). A gap of the crawl's own delay (0.1 s) is still caught.
SLACK = 0.2
WORKERS = 2
CONCURRENCY = 2
BATCH = 4
ACTOR_TITLE = "ray::HostFetcher"
WORDS = (
    "社区", "志愿者", "开放日", "居民", "街道", "比赛", "球队", "冠军", "市场", "股价", "投资",
    "银行", "芯片", "算法", "手机", "研发", "数据", "网络", "展览", "博物馆", "演出", "作家",
    "电影", "非遗", "天气", "交通", "学校", "医院", "农业", "港口", "航班", "铁路",
)  # fmt: skip
DEADLINE_S = 180.0


class Portal:
    """Four hosts' worth of stories; every request is logged as (host, path, arrival time).

    The servers run in a child process (:func:`serve_hosts`), so the arrival times are not held
    up by this process's threads (the crawl's driver runs here); the log is a file of lines.
    """

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.lock = threading.Lock()
        self.bases: list[str] = []

    def page(self, host: int, path: str) -> tuple[int, str, bytes]:
        others = [self.bases[(host + k) % len(self.bases)] for k in (1, 2)]
        if path == "/robots.txt":
            return 200, "text/plain", f"User-agent: *\nCrawl-delay: {CRAWL_DELAY}\n".encode()
        if path == "/":
            links = "".join(f"<li><a href='/news/{n}.html'>第{n}条 新闻</a></li>" for n in range(5))
            more = "<a href='/list2.html'>下一页</a>" + "".join(
                f"<a href='{b}/'>友站</a>" for b in others
            )
            return 200, "text/html; charset=utf-8", _html("首页", f"<ul>{links}</ul>{more}")
        if path == "/list2.html":
            links = "".join(
                f"<li><a href='/news/{n}.html'>第{n}条 新闻</a></li>" for n in range(5, STORIES)
            )
            return 200, "text/html; charset=utf-8", _html("列表", f"<ul>{links}</ul>")
        name = path.removeprefix("/news/").removesuffix(".html")
        if path.startswith("/news/") and name.isdigit() and int(name) < STORIES:
            n = int(name)
            related = "".join(
                f"<li><a href='{b}/news/{(n + 3) % STORIES}.html'>相关新闻</a></li>" for b in others
            )
            rng = random.Random(host * 1000 + n)  # stories far apart: no near-duplicates
            text = "".join(
                "<p>" + "，".join("".join(rng.sample(WORDS, 3)) for _ in range(6)) + "。</p>"
                for _ in range(4)
            )
            body = (
                f"<article><h1>第{host}站新闻{n}</h1><div class='meta'>2024-03-0{1 + n % 9} 10:00"
                f"</div>{text}</article>"
                f"<div class='related'><h2>相关推荐</h2><ul>{related}</ul></div>"
            )
            head = "<meta property='og:type' content='article'>"
            return 200, "text/html; charset=utf-8", _html(f"新闻{n}", body, head)
        return 404, "text/html", b"<html><body>not found</body></html>"

    def story_urls(self) -> set[str]:
        return {f"{b}/news/{n}.html" for b in self.bases for n in range(STORIES)}

    def requests(self) -> list[tuple[str, str, float]]:
        lines = self.log_path.read_text(encoding="utf-8").splitlines()
        return [(host, path, float(t)) for host, path, t in (x.split("\t") for x in lines)]


def _html(title: str, body: str, head: str = "") -> bytes:
    return (
        f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>{head}"
        f"<title>{title}</title></head><body>{body}</body></html>"
    ).encode()


def serve_forever(log_path: str) -> None:
    """The child process: one threading HTTP server per loopback address (port 0 each); prints
    the base URLs as a JSON line, logs each request's arrival, serves until stdin closes."""
    portal = Portal(Path(log_path))
    log = portal.log_path.open("a", encoding="utf-8", buffering=1)
    for index, address in enumerate(HOSTS):

        class Handler(BaseHTTPRequestHandler):
            host_index = index

            def do_GET(self) -> None:
                arrived = time.monotonic()  # CLOCK_MONOTONIC: the same clock in every process
                status, ctype, body = portal.page(self.host_index, self.path)
                with portal.lock:
                    log.write(f"{self.headers['Host']}\t{self.path}\t{arrived}\n")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer((address, 0), Handler)
        portal.bases.append(f"http://{address}:{server.server_address[1]}")
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps(portal.bases), flush=True)
    sys.stdin.read()


@contextlib.contextmanager
def serve_hosts(folder: Path) -> Iterator[Portal]:
    """The four hosts, served from a child process; the portal's log is read from ``folder``."""
    portal = Portal(folder / f"requests-{time.monotonic_ns()}.log")
    portal.log_path.touch()
    boot = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
        f"import test_cluster_crawl as t; t.serve_forever({str(portal.log_path)!r})"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", boot], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        portal.bases = json.loads(child.stdout.readline())
        yield portal
    finally:
        if child.stdin is not None:
            child.stdin.close()
        child.wait(timeout=30)


@pytest.fixture(scope="module")
def cluster() -> Iterator[cluster_utils.Cluster]:
    """A head node and a second node on 127.0.0.1, one CPU each; this process is the driver."""
    with two_node_cluster() as local:
        yield local


def settings_for(db: Path) -> Settings:
    return Settings(
        db=db,
        allow_private=("127.0.0.0/8",),
        delay=DELAY,
        concurrency=CONCURRENCY,
        batch_size=BATCH,
        progress=False,
    )


def allowance() -> int:
    """URLs claimed and not committed at most: what a kill may make the crawl fetch again."""
    return claim_window(WORKERS, settings_for(Path("unused.db"))) + BATCH


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return conn.execute(sql).fetchall()


def count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        return int(rows(db, sql)[0][0])
    except sqlite3.OperationalError:
        return 0


def check_politeness(portal: Portal) -> None:
    """No host saw two requests closer than its Crawl-delay (less the arrival jitter)."""
    times: dict[str, list[float]] = defaultdict(list)
    for host, _, arrived in portal.requests():
        times[host].append(arrived)
    assert len(times) == len(HOSTS)
    for host, arrivals in times.items():
        arrivals.sort()
        gaps = [b - a for a, b in itertools.pairwise(arrivals)]
        assert min(gaps) >= CRAWL_DELAY - SLACK, (host, min(gaps))


def refetched(portal: Portal) -> int:
    """Pages (robots.txt aside) requested more than once."""
    seen = Counter((host, path) for host, path, _ in portal.requests() if path != "/robots.txt")
    return sum(n - 1 for n in seen.values() if n > 1)


def check_stored_once(db: Path, portal: Portal) -> None:
    stored = [url for (url,) in rows(db, "SELECT url FROM articles")]
    assert sorted(stored) == sorted(portal.story_urls())


def seeds_of(portal: Portal) -> list[str]:
    return [base + "/" for base in portal.bases]


def test_hosts_are_partitioned_and_polite(cluster: cluster_utils.Cluster, tmp_path: Path) -> None:
    db = tmp_path / "ray.db"
    with serve_hosts(tmp_path) as portal:
        stats = crawl_on_ray(settings_for(db), seeds_of(portal), workers=WORKERS)
    check_stored_once(db, portal)
    check_politeness(portal)
    assert refetched(portal) == 0
    (raw,) = rows(db, f"SELECT stats FROM crawls WHERE id = {stats.crawl_id}")[0]
    workers = json.loads(str(raw))["workers"]
    assert sum(w["fetched"] + w["failed"] for w in workers.values()) == stats.fetched + stats.failed
    for index, counts in workers.items():
        for host in counts["hosts"]:
            assert owner_of(f"http://{host}/", WORKERS) == int(index)
    nodes = {node for counts in workers.values() for node in counts["nodes"]}
    assert len(nodes) == 2, "the two workers ran on the two nodes"


def test_same_store_as_a_local_crawl(cluster: cluster_utils.Cluster, tmp_path: Path) -> None:
    from newsdesk.pipeline import crawl

    def stored(db: Path, bases: list[str]) -> list[tuple[object, ...]]:
        found = rows(db, "SELECT url, title, published, text FROM articles ORDER BY url")
        return [(_relative(str(url), bases), *rest) for url, *rest in found]

    with serve_hosts(tmp_path) as portal:
        crawl_on_ray(settings_for(tmp_path / "ray.db"), seeds_of(portal), workers=WORKERS)
        ray_rows = stored(tmp_path / "ray.db", portal.bases)
    with serve_hosts(tmp_path) as portal:
        crawl(settings_for(tmp_path / "local.db"), seeds_of(portal))
        local_rows = stored(tmp_path / "local.db", portal.bases)
    assert len(ray_rows) == len(HOSTS) * STORIES
    assert ray_rows == local_rows


def _relative(url: str, bases: list[str]) -> str:
    """``url`` with its server's base (port chosen per run) replaced by the host's index."""
    for index, base in enumerate(bases):
        if url.startswith(base):
            return f"{index}{url.removeprefix(base)}"
    return url


def actor_processes(local: cluster_utils.Cluster) -> list[psutil.Process]:
    """This cluster's fetcher actors."""
    return cluster_processes(local, lambda title: title.startswith(ACTOR_TITLE))


def test_a_worker_killed_mid_crawl_is_restarted_and_nothing_is_lost(
    cluster: cluster_utils.Cluster, tmp_path: Path
) -> None:
    db = tmp_path / "ray.db"
    with serve_hosts(tmp_path) as portal:
        running: set[int] = set()  # this crawl's actor processes, from its progress reports

        def note(stats: ClusterStats) -> None:
            running.update(pid for counts in stats.workers.values() for pid in counts.pids)

        def run() -> None:
            crawl_on_ray(settings_for(db), seeds_of(portal), workers=WORKERS, on_progress=note)

        thread = threading.Thread(target=run)
        thread.start()
        deadline = time.monotonic() + DEADLINE_S
        victims: list[psutil.Process] = []
        while len(portal.requests()) < 12 or not victims:
            assert time.monotonic() < deadline and thread.is_alive()
            time.sleep(0.05)
            victims = [p for p in actor_processes(cluster) if p.pid in running]
        victim = victims[0]
        served_before = len(portal.requests())
        os.kill(victim.pid, signal.SIGKILL)
        thread.join(DEADLINE_S)
        assert not thread.is_alive()
    assert len(portal.requests()) > served_before + 10, "the crawl went on after the kill"
    check_stored_once(db, portal)
    check_politeness(portal)
    assert refetched(portal) <= allowance()
    (raw,) = rows(db, "SELECT stats FROM crawls ORDER BY id DESC LIMIT 1")[0]
    workers = json.loads(str(raw))["workers"]
    assert any(victim.pid in w["pids"] and len(w["pids"]) > 1 for w in workers.values())


def test_driver_killed_then_run_again_loses_nothing(
    cluster: cluster_utils.Cluster, tmp_path: Path
) -> None:
    db = tmp_path / "ray.db"
    config = tmp_path / "newsdesk.toml"
    config.write_text(f"[newsdesk]\nbatch_size = {BATCH}\n", encoding="utf-8")
    env = {**os.environ, "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}
    with serve_hosts(tmp_path) as portal:
        command = [
            sys.executable, "-m", "newsdesk", "crawl", *seeds_of(portal), "--db", str(db),
            "--engine", "ray", "--ray-address", cluster.address, "--ray-workers", str(WORKERS),
            "--allow-private", "127.0.0.0/8", "--delay", str(DELAY),
            "--concurrency", str(CONCURRENCY), "--config", str(config), "--no-progress",
        ]  # fmt: skip
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + DEADLINE_S
        while count(db, "SELECT count(*) FROM articles") < 10:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stored_before = count(db, "SELECT count(*) FROM articles")
        assert stored_before < len(portal.story_urls()), "killed before the end"
        done = subprocess.run(command, env=env, capture_output=True, timeout=DEADLINE_S)
        assert done.returncode == 0, done.stderr.decode()
    check_stored_once(db, portal)
    check_politeness(portal)
    assert refetched(portal) <= allowance()
