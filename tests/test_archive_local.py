"""Archive jobs on the local engine: shards, merge, re-runs, splits, near-duplicates, Parquet.

WARC files are written from the fixture portal (``newsdesk.archive._synthetic``); every store is
a real SQLite file and every shard a real store file.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.archive import ArchiveTask, expand_inputs, plan_tasks, run_archive, run_task
from newsdesk.archive._synthetic import write_portal_warcs
from newsdesk.archive._task import PART_SUFFIX
from newsdesk.cli import cli
from newsdesk.settings import load_settings
from scraper.fetch.warc import iter_warc, iter_warc_fast, record_offsets

RECORDS, FILES = 180, 3


def rows(db: Path, query: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(query).fetchall()


def content(db: Path) -> list[tuple[object, ...]]:
    """What a job must reproduce: every article with its id, key, text and tagging, every page."""
    articles = rows(db, "select id, canonical_url, title, text, lang, topic, simhash, duplicate_of "
                        "from articles order by id")  # fmt: skip
    pages = rows(db, "select url, article_id, status, bytes from pages order by id")
    return [*articles, *pages]


@pytest.fixture(scope="module")
def warcs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("warcs")
    write_portal_warcs(folder, RECORDS, FILES)
    return folder


@pytest.fixture(scope="module")
def reference(warcs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ref") / "ref.db"
    report = run_archive(load_settings(db=db), [str(warcs / "*.warc.gz")])
    assert report.ran == FILES and report.articles == RECORDS
    return db


def test_every_record_becomes_one_article_with_language_topic_and_simhash(reference: Path) -> None:
    (total, originals, langs, tagged, hashed), = rows(
        reference, "select count(*), count(*) - count(duplicate_of), count(distinct lang), "
                   "count(topic), count(simhash) from articles",
    )  # fmt: skip
    assert total == RECORDS and originals == RECORDS
    assert langs == 2 and tagged == RECORDS and hashed == RECORDS
    assert rows(reference, "select count(*) from pages") == [(RECORDS,)]
    assert rows(reference, "select count(*) from articles_fts") == [(RECORDS,)]


def test_fastwarc_reads_what_warcio_reads(warcs: Path) -> None:
    file = sorted(warcs.glob("*.warc.gz"))[0]
    fast = [(f.url, f.status, f.body, f.encoding) for f in iter_warc_fast(str(file))]
    slow = [(f.url, f.status, f.body, f.encoding) for f in iter_warc(file)]
    assert fast == slow and len(fast) == RECORDS // FILES


def test_a_rerun_skips_merged_inputs_and_doubles_nothing(warcs: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    first = run_archive(load_settings(db=db), [str(warcs)])
    again = run_archive(load_settings(db=db), [str(warcs)])
    assert (first.ran, again.ran, again.skipped) == (FILES, 0, FILES)
    assert rows(db, "select count(*) from articles") == [(RECORDS,)]


def test_a_shard_finished_but_not_merged_is_merged_without_running(
    warcs: Path, reference: Path, tmp_path: Path
) -> None:
    db, shards = tmp_path / "b.db", tmp_path / "shards"
    settings = load_settings(db=db)
    tasks = plan_tasks(expand_inputs([str(warcs)]))
    run_task(tasks[0], settings, shards)
    # A partial shard of a task killed mid-way: never merged, replaced by the task's retry.
    (shards / f"{tasks[1].name}{PART_SUFFIX}").write_bytes(b"half a shard")
    report = run_archive(settings, [str(warcs)], shard_dir=shards)
    assert (report.reused, report.ran) == (1, FILES - 1)
    assert content(db) == content(reference)
    assert not list(shards.glob("*.part"))


def test_files_cut_at_record_offsets_give_the_same_articles(
    warcs: Path, reference: Path, tmp_path: Path
) -> None:
    file = sorted(warcs.glob("*.warc.gz"))[0]
    offsets = record_offsets(str(file))
    assert offsets == sorted(offsets) and len(offsets) > RECORDS // FILES
    tasks = plan_tasks(expand_inputs([str(warcs)]), split_bytes=file.stat().st_size // 4)
    assert len(tasks) > FILES
    assert all(t.start in record_offsets(t.source) for t in tasks)
    db = tmp_path / "split.db"
    report = run_archive(load_settings(db=db), [str(warcs)], split_bytes=file.stat().st_size // 4)
    assert report.ran == len(tasks)
    key = "select canonical_url, title, text, topic from articles order by canonical_url"
    assert rows(db, key) == rows(reference, key)


def test_near_duplicates_and_known_urls_across_shards(warcs: Path, tmp_path: Path) -> None:
    """The same file under another name: every article is already stored (known, kept as it was).
    The same pages under other host names (same lengths, so the records stay valid): every
    article is new, and a near-duplicate of the first file's."""
    first, n = sorted(warcs.glob("*.warc.gz"))[0], RECORDS // FILES
    twin, relocated = tmp_path / "twin.warc.gz", tmp_path / "relocated.warc.gz"
    shutil.copy(first, twin)
    moved = gzip.decompress(first.read_bytes()).replace(b".portal.test/", b".mirror.test/")
    relocated.write_bytes(gzip.compress(moved))
    db = tmp_path / "d.db"
    settings = load_settings(db=db)
    run_archive(settings, [str(first)])
    known = run_archive(settings, [str(twin)])
    assert (known.ran, known.articles, known.known) == (1, 0, n)
    dup = run_archive(settings, [str(relocated)])
    assert (dup.articles, dup.duplicates) == (n, n)
    assert rows(db, "select count(*) from articles where duplicate_of like '%.portal.test/%' "
                    "and host like '%.mirror.test' and text is null and topic is null"
                ) == [(n,)]  # fmt: skip
    assert rows(db, "select count(*) from topics t join articles a on a.id = t.article_id "
                    "where a.duplicate_of is not null") == [(0,)]  # fmt: skip


def test_process_pool_gives_the_same_store(warcs: Path, reference: Path, tmp_path: Path) -> None:
    db = tmp_path / "pool.db"
    report = run_archive(load_settings(db=db), [str(warcs)], workers=2)
    assert report.ran == FILES
    assert content(db) == content(reference)


def test_parquet_dataset_by_day_and_host(warcs: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "parquet"
    db = tmp_path / "p.db"
    run_archive(load_settings(db=db), [str(warcs)], out=out)
    assert {p.name.split("=")[0] for p in out.iterdir()} == {"day"}
    assert all(p.name.startswith("host=") for d in out.iterdir() for p in d.iterdir())
    table = pq.read_table(out)
    assert table.num_rows == RECORDS
    assert sorted(table.column("canonical_url").to_pylist()) == [
        u for (u,) in rows(db, "select canonical_url from articles order by canonical_url")
    ]
    # A shard merged again into another store overwrites its own files, adds none.
    run_archive(load_settings(db=tmp_path / "p2.db"), [str(warcs)], out=out)
    assert pq.read_table(out).num_rows == RECORDS


def test_cli_takes_globs_and_prints_the_report(warcs: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(cli, ["extract", "--warc", str(warcs / "*.warc.gz"), "--db",
                                      str(db), "--shards", str(tmp_path / "s")])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["articles"] == RECORDS and report["engine"] == "local"
    assert len(list((tmp_path / "s").glob("*.db"))) == FILES


def test_a_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", "--warc", str(tmp_path / "none*.warc.gz"),
                                      "--db", str(tmp_path / "x.db")])  # fmt: skip
    assert result.exit_code != 0
    assert "no WARC file matches" in result.output


def test_an_unreadable_input_is_recorded_and_the_others_are_stored(
    warcs: Path, tmp_path: Path
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in warcs.glob("*.warc.gz"):
        shutil.copy(path, inputs / path.name)
    (inputs / "0-broken.warc.gz").write_bytes(b"this is no WARC archive")
    db = tmp_path / "partial.db"
    args = ["extract", "--warc", str(inputs / "*.warc.gz"), "--db", str(db)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "0-broken.warc.gz" in result.output and "retry" in result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith("{")]
    report = json.loads(line)
    assert [f["input"] for f in report["failed_inputs"]] == [str(inputs / "0-broken.warc.gz")]
    assert rows(db, "select count(*) from articles") == [(RECORDS,)]
    (inputs / "0-broken.warc.gz").unlink()
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert json.loads(again.output.strip().splitlines()[-1])["skipped"] == FILES
    assert rows(db, "select count(*) from articles") == [(RECORDS,)]


def test_shard_names_follow_the_input_identity() -> None:
    task = ArchiveTask("s3://b/crawl/CC-NEWS-1.warc.gz", 100, "abc")
    assert task.name.startswith("CC-NEWS-1-")
    assert task.name == ArchiveTask("s3://b/crawl/CC-NEWS-1.warc.gz", 100, "abc").name
    assert task.name != ArchiveTask("s3://b/crawl/CC-NEWS-1.warc.gz", 100, "abd").name
    assert task.name != ArchiveTask("s3://b/crawl/CC-NEWS-1.warc.gz", 100, "abc", 0, 50).name
