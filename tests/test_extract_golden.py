"""Golden pages: each ``fixtures/pages/<case>.html`` is extracted and checked against
``<case>.expected.json`` (text snippets that must / must not appear, metadata, link blocks)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from scraper._records import Article, LinkBlock
from scraper.extract import extract

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
CASES = sorted(p.name.removesuffix(".expected.json") for p in PAGES.glob("*.expected.json"))


def _load(case: str) -> tuple[Article, dict]:
    expected = json.loads((PAGES / f"{case}.expected.json").read_text("utf-8"))
    article = extract((PAGES / f"{case}.html").read_bytes(), expected["url"])
    return article, expected


def _block(article: Article, kind: str, heading: str) -> LinkBlock:
    for block in article.link_blocks:
        if block.kind == kind and block.heading == heading:
            return block
    found = [(b.kind, b.heading) for b in article.link_blocks]
    raise AssertionError(f"no {kind} block headed {heading!r}; found {found}")


def test_there_are_enough_golden_pages() -> None:
    assert len(CASES) >= 20
    assert any(c.startswith("zh_") for c in CASES) and any(c.startswith("en_") for c in CASES)


@pytest.mark.parametrize("case", CASES)
def test_story_text(case: str) -> None:
    article, expected = _load(case)
    for snippet in expected["with"]:
        assert snippet in article.text, f"missing {snippet!r}"
    for snippet in expected["without"]:
        assert snippet not in article.text, f"clutter {snippet!r} in the story"
    for snippet in expected.get("once", []):
        assert article.text.count(snippet) == 1, f"{snippet!r} not printed exactly once"
    assert article.paragraphs == tuple(article.text.split("\n"))
    order = [
        next(i for i, p in enumerate(article.paragraphs) if s in p)
        for s in expected.get("paragraph_order", [])
    ]
    assert order == sorted(order)


@pytest.mark.parametrize("case", CASES)
def test_metadata(case: str) -> None:
    article, expected = _load(case)
    assert article.title == expected["title"]
    assert article.url == expected["url"]
    for field in (
        "canonical_url",
        "site",
        "lang",
        "encoding",
        "source",
        "next_page",
        "description",
    ):
        if field in expected:
            assert getattr(article, field) == expected[field], field
    if "section" in expected:
        assert article.section == tuple(expected["section"])
    if "authors" in expected:
        assert article.authors == tuple(expected["authors"])
    if "published" in expected:
        assert isinstance(article.published, datetime)
        assert article.published.isoformat().startswith(expected["published"])
        assert (article.published.tzinfo is not None) == expected.get("published_tz", False)
    for image in expected.get("images", []):
        assert any(
            i.src == image["src"] and i.caption == image["caption"] for i in article.images
        ), image


@pytest.mark.parametrize("case", CASES)
def test_link_blocks(case: str) -> None:
    article, expected = _load(case)
    for want in expected["link_blocks"]:
        block = _block(article, want["kind"], want["heading"])
        texts = [link.text for link in block.links]
        for text in want["links"]:
            assert text in texts, f"{text!r} not in {block.heading!r}: {texts}"
        for stamp in want.get("timestamps", []):
            assert stamp in [link.timestamp for link in block.links]
        for source in want.get("sources", []):
            assert source in [link.source for link in block.links]
        assert all(link.url.startswith(("http://", "https://")) for link in block.links)
    for block in article.link_blocks:
        if block.kind != "nav":
            for link in block.links:
                assert link.text not in article.text, f"headline {link.text!r} in the story"
    assert [b.position for b in article.link_blocks] == list(range(len(article.link_blocks)))
