"""WARC round trip: ``crawl --warc DIR`` then ``extract --warc FILE --db PATH`` without network.

The fixture portal is crawled once through the CLI with an archive; every archive file is then
re-processed into a fresh database, which must hold the same articles (canonical URL and title).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.portal import serve_portal
from scraper.fetch import iter_warc


@dataclass(frozen=True)
class RoundTrip:
    crawled: Path
    ingested: Path
    warcs: list[Path]
    base: str
    outputs: list[str]


def articles(db: Path) -> set[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return set(conn.execute("select canonical_url, title from articles"))


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoundTrip]:
    tmp = tmp_path_factory.mktemp("warc")
    crawled, ingested, archive = tmp / "crawled.db", tmp / "ingested.db", tmp / "archive"
    runner = CliRunner()
    with serve_portal() as base:
        command = ["crawl", base + "/", "--db", str(crawled), "--allow-private", "127.0.0.1"]
        options = ["--delay", "0", "--warc", str(archive), "--no-progress"]
        result = runner.invoke(cli, command + options)
        assert result.exit_code == 0, result.output
    warcs = sorted(archive.glob("*.warc.gz"))
    outputs = []
    for warc in warcs:
        result = runner.invoke(cli, ["extract", "--warc", str(warc), "--db", str(ingested)])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    yield RoundTrip(crawled, ingested, warcs, base, outputs)


def test_the_crawl_archives_every_page(round_trip: RoundTrip) -> None:
    assert round_trip.warcs, "the crawl wrote no WARC file"
    archived = {f.url for f in iter_warc(round_trip.warcs[0].parent, statuses=range(100, 600))}
    with contextlib.closing(sqlite3.connect(round_trip.crawled)) as conn:
        fetched = {url for (url,) in conn.execute("select final_url from pages")}
    assert fetched and fetched <= archived


def test_ingest_rebuilds_the_same_articles_offline(round_trip: RoundTrip) -> None:
    crawled = articles(round_trip.crawled)
    assert len(crawled) >= 10
    assert articles(round_trip.ingested) == crawled


def test_ingest_joins_split_stories_as_the_crawl_did(round_trip: RoundTrip) -> None:
    query = "select canonical_url, text from articles where duplicate_of is null"
    texts = []
    for db in (round_trip.crawled, round_trip.ingested):
        with contextlib.closing(sqlite3.connect(db)) as conn:
            texts.append(dict(conn.execute(query)))
    assert texts[0] == texts[1]


def test_ingest_reports_its_stats(round_trip: RoundTrip) -> None:
    stats = json.loads(round_trip.outputs[-1].strip().splitlines()[-1])
    assert stats["fetched"] > 0 and stats["stored"] > 0
    with contextlib.closing(sqlite3.connect(round_trip.ingested)) as conn:
        rows = conn.execute("select stats from crawls where finished is not null").fetchall()
    assert len(rows) == len(round_trip.warcs)
    assert json.loads(rows[-1][0])["stored"] == stats["stored"]
