"""The spine end to end: ``newsdesk demo`` crawls the fixture portal into a temporary database.

The facts asserted come from the portal's manifest (``fixtures/portal/_manifest.json``), written
with the portal, so a change to either shows up here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.portal import default_portal_root
from store import Store

MANIFEST = json.loads((default_portal_root() / "_manifest.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class DemoRun:
    db: Path
    base: str
    output: str

    def article(self, path: str) -> dict[str, Any]:
        with Store(self.db, readonly=True) as store:
            found = store.article(self.base + path)
        assert found is not None, f"no article stored for {path}"
        return found

    def rows(self, table: str, where: str, *args: object) -> list[dict[str, Any]]:
        return list(sqlite_utils.Database(self.db)[table].rows_where(where, list(args)))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRun]:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(db), "--no-progress"])
    assert result.exit_code == 0, result.output
    match = re.search(r"(http://127\.0\.0\.1:\d+)/", result.output)
    assert match, result.output
    yield DemoRun(db, match.group(1), result.output)


def test_summary_is_printed(demo: DemoRun) -> None:
    for line in ("pages fetched", "articles stored", "failures", "articles per topic", "elapsed"):
        assert line in demo.output


def test_seed_story(demo: DemoRun) -> None:
    seed = next(a for a in MANIFEST["articles"] if a.get("seed"))
    article = demo.article(seed["path"])
    assert article["title"] == seed["title"]
    assert article["published"].startswith(seed["published_iso"][:19])
    assert article["source"] == seed["source"]
    text = article["text"]
    assert seed["first_paragraph"] in text and seed["last_paragraph"] in text
    for caption in seed["captions"]:
        assert text.count(caption) == 1, caption
    kinds = {block["kind"]: block for block in article["link_blocks"]}
    assert kinds["recommended"]["heading"] == "相关推荐"
    assert kinds["hot"]["heading"] == "热点推荐"
    for block in (kinds["recommended"], kinds["hot"]):
        assert len(block["links"]) >= 3
        for link in block["links"]:
            assert link["url"].startswith("http")
            assert link["text"] not in text, "a clutter headline leaked into the story"
    assert article["topic"] == "society"


def test_every_article_is_stored_once_with_a_topic(demo: DemoRun) -> None:
    for entry in MANIFEST["articles"]:
        article = demo.article(entry["path"])
        assert article["title"] == entry["title"]
        assert article["topics"], f"{entry['path']} has no topic"
    canonical = [a["canonical_url"] for a in demo.rows("articles", "duplicate_of is null")]
    assert len(canonical) == len(set(canonical)) == len(MANIFEST["articles"])


def test_topics_match_the_portal_sections(demo: DemoRun) -> None:
    right = sum(
        demo.article(entry["path"])["topic"] == entry["topic"] for entry in MANIFEST["articles"]
    )
    assert right / len(MANIFEST["articles"]) >= 0.8


def test_gbk_pages_read_without_mojibake(demo: DemoRun) -> None:
    gbk = [path for paths in MANIFEST["gbk"].values() for path in paths]
    assert len(gbk) >= 10
    by_path = {a["path"]: a for a in MANIFEST["articles"]}
    for path in gbk:
        article = demo.article(path)
        assert article["title"] == by_path[path]["title"]
        assert by_path[path]["first_paragraph"] in article["text"]
        assert "\ufffd" not in article["text"]


def test_robots_disallow_is_obeyed(demo: DemoRun) -> None:
    for path in MANIFEST["robots_disallowed"]:
        assert demo.rows("pages", "url = ?", demo.base + path) == []
        failures = demo.rows("failures", "url = ?", demo.base + path)
        assert [f["stage"] for f in failures] == ["robots"]


def test_dead_link_is_a_recorded_failure(demo: DemoRun) -> None:
    for path in MANIFEST["dead_links"]:
        failures = demo.rows("failures", "url = ?", demo.base + path)
        assert failures and failures[0]["stage"] == "http"
        assert "404" in failures[0]["message"]


def test_tracking_duplicates_and_redirects_store_one_article(demo: DemoRun) -> None:
    for dup in MANIFEST["tracking_duplicates"]:
        assert len(demo.rows("articles", "canonical_url = ?", demo.base + dup["canonical"])) == 1
        assert demo.rows("frontier", "url = ?", demo.base + dup["url"]) == []
    for redirect in MANIFEST["redirects"]:
        assert len(demo.rows("articles", "canonical_url = ?", demo.base + redirect["target"])) == 1


def test_two_page_article_is_joined(demo: DemoRun) -> None:
    two = MANIFEST["two_page_article"]
    entry = next(a for a in MANIFEST["articles"] if a["path"] == two["path"])
    article = demo.article(two["path"])
    assert entry["first_paragraph"] in article["text"]
    assert entry["last_paragraph"] in article["text"]
    assert demo.rows("articles", "canonical_url = ?", demo.base + two["pages"][1]) == []
