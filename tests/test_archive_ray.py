"""Archive jobs on a real two-node Ray cluster on 127.0.0.1 (and S3 input from a local S3 server).

One cluster for the module: a head node and a second node, one CPU each, started here and shut
down at the end. The WARC inputs are written from the fixture portal. Skipped without the
``[ray]`` extra; ``pytest -m "not ray"`` leaves the module out.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")
cluster_utils = pytest.importorskip("ray.cluster_utils")
moto_server = pytest.importorskip("moto.server")
psutil = pytest.importorskip("psutil")

from ray_cluster import cluster_processes, two_node_cluster  # noqa: E402

from newsdesk.archive import ArchiveReport, run_archive  # noqa: E402
from newsdesk.archive._synthetic import write_portal_warcs  # noqa: E402
from newsdesk.settings import load_settings  # noqa: E402

pytestmark = pytest.mark.ray

RECORDS, FILES = 480, 4
TASK_TITLE = "ray::run_task_shipped"
S3_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def rows(db: Path, query: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(query).fetchall()


def content(db: Path) -> list[tuple[object, ...]]:
    articles = rows(db, "select id, canonical_url, title, text, lang, topic, simhash, duplicate_of "
                        "from articles order by id")  # fmt: skip
    pages = rows(db, "select url, article_id, status, bytes from pages order by id")
    return [*articles, *pages]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    saved = {key: os.environ.get(key) for key in [*S3_ENV, "AWS_ENDPOINT_URL"]}
    os.environ.update(S3_ENV, AWS_ENDPOINT_URL=endpoint)
    yield endpoint
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    server.stop()


@pytest.fixture(scope="module")
def cluster(s3_endpoint: str) -> Iterator[cluster_utils.Cluster]:
    """Two Ray nodes on 127.0.0.1 whose workers reach the local S3 server."""
    with two_node_cluster({"env_vars": {**S3_ENV, "AWS_ENDPOINT_URL": s3_endpoint}}) as local:
        yield local


@pytest.fixture(scope="module")
def warcs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("warcs")
    write_portal_warcs(folder, RECORDS, FILES)
    return folder


@pytest.fixture(scope="module")
def local_db(warcs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.db"
    run_archive(load_settings(db=db), [str(warcs)])
    return db


def running_tasks(local: cluster_utils.Cluster) -> list[psutil.Process]:
    """Worker processes of this cluster running an archive task."""
    return cluster_processes(local, lambda title: title == TASK_TITLE)


def test_ray_gives_the_same_store_as_local(
    cluster: cluster_utils.Cluster, warcs: Path, local_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ray.db"
    report = run_archive(load_settings(db=db), [str(warcs)], engine="ray")
    assert (report.ran, report.articles) == (FILES, RECORDS)
    assert content(db) == content(local_db)
    # Both nodes' workers took tasks: the scheduling really spread over the cluster.
    assert len(report.workers) >= 2
    again = run_archive(load_settings(db=db), [str(warcs)], engine="ray")
    assert (again.ran, again.skipped) == (0, FILES)
    assert content(db) == content(local_db)


def test_a_worker_killed_mid_task_loses_and_doubles_nothing(
    cluster: cluster_utils.Cluster, warcs: Path, local_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "killed.db"
    outcome: list[ArchiveReport | BaseException] = []

    def job() -> None:
        try:
            outcome.append(run_archive(load_settings(db=db), [str(warcs)], engine="ray"))
        except BaseException as exc:
            outcome.append(exc)

    driver = threading.Thread(target=job)
    driver.start()
    victims: list[psutil.Process] = []
    deadline = time.monotonic() + 120
    while not victims and driver.is_alive() and time.monotonic() < deadline:
        victims = running_tasks(cluster)
        time.sleep(0.02)
    assert victims, "no archive task was seen running"
    os.kill(victims[0].pid, signal.SIGKILL)
    driver.join(timeout=300)
    assert not driver.is_alive()
    (report,) = outcome
    assert isinstance(report, ArchiveReport), report
    assert not psutil.pid_exists(victims[0].pid) or victims[0].status() == psutil.STATUS_ZOMBIE
    assert report.ran == FILES
    assert content(db) == content(local_db)
    assert rows(db, "select count(*), count(distinct canonical_url) from articles") == [
        (RECORDS, RECORDS)
    ]
    assert rows(db, "select count(*) from crawls") == [(FILES,)]


def test_s3_input_from_a_local_s3_server(
    cluster: cluster_utils.Cluster, warcs: Path, local_db: Path, tmp_path: Path
) -> None:
    import boto3

    client = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    client.create_bucket(Bucket="archive")
    for file in sorted(warcs.glob("*.warc.gz")):
        client.upload_file(str(file), "archive", f"cc-news/2024/{file.name}")
    client.put_object(Bucket="archive", Key="cc-news/2024/notes.txt", Body=b"not an archive")
    db = tmp_path / "s3.db"
    source = "s3://archive/cc-news/2024/*.warc.gz"
    report = run_archive(load_settings(db=db), [source], engine="ray")
    assert (report.ran, report.articles) == (FILES, RECORDS)
    assert content(db) == content(local_db)
    inputs = rows(db, "select json_extract(settings, '$.input'), json_extract(settings, '$.etag')"
                      " from crawls order by id")  # fmt: skip
    assert [i for i, _ in inputs] == sorted(i for i, _ in inputs)
    assert all(i.startswith("s3://archive/cc-news/2024/") and etag for i, etag in inputs)
