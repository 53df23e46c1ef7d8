"""Pinned extraction output of the fixture pages: the walk's lines and spans, the story text and
the link blocks, so that work on speed cannot change what is extracted unnoticed.

``fixtures/extract_snapshot.json`` holds, per ``fixtures/pages/<case>.html``, a digest of the
flattened page (``walk.flatten``: lines, link characters, tags, spans, links, images), the story
text and the link blocks. A change meant to alter the output regenerates it with
``python tests/test_extract_snapshot.py --update`` and says why in its commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import extract
from scraper.extract.article import _decode, _drop_hidden
from scraper.extract.walk import Flat, flatten

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "fixtures" / "pages"
SNAPSHOT = ROOT / "fixtures" / "extract_snapshot.json"
CASES = sorted(p.name.removesuffix(".expected.json") for p in PAGES.glob("*.expected.json"))


def flat_digest(flat: Flat) -> str:
    """SHA-256 of everything the walk produced (lines, link shares, tags, spans, links, images)."""
    record = [
        flat.texts,
        flat.link_chars,
        flat.tags,
        [(s.tag, s.start, s.end, s.key) for s in flat.spans],
        [(a.line, a.text, a.href) for a in flat.anchors],
        [(p.line, p.src, p.alt) for p in flat.pictures],
    ]
    return hashlib.sha256(json.dumps(record, ensure_ascii=False).encode()).hexdigest()


def observe(case: str) -> dict[str, Any]:
    """What the pinned stages produce on one fixture page."""
    raw = (PAGES / f"{case}.html").read_bytes()
    url = json.loads((PAGES / f"{case}.expected.json").read_text("utf-8"))["url"]
    _, _, source = _decode(raw, None)
    tree = LexborHTMLParser(source)
    body = tree.body or tree.root
    _drop_hidden(body)
    flat = flatten(body)
    article = extract(raw, url)
    return {
        "flat": flat_digest(flat),
        "lines": len(flat.texts),
        "text": article.text,
        "link_blocks": [
            [b.kind, b.heading, [[k.text, k.url, k.timestamp, k.source] for k in b.links]]
            for b in article.link_blocks
        ],
    }


def test_every_fixture_page_is_pinned() -> None:
    pinned = json.loads(SNAPSHOT.read_text("utf-8"))
    assert sorted(pinned) == CASES


@pytest.mark.parametrize("case", CASES)
def test_output_matches_the_snapshot(case: str) -> None:
    pinned = json.loads(SNAPSHOT.read_text("utf-8"))[case]
    seen = observe(case)
    assert seen["lines"] == pinned["lines"]
    assert seen["text"] == pinned["text"]
    assert seen["link_blocks"] == pinned["link_blocks"]
    assert seen["flat"] == pinned["flat"], "the walk's lines, spans or links changed"


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        raise SystemExit("usage: python tests/test_extract_snapshot.py --update")
    snapshot = {case: observe(case) for case in CASES}
    SNAPSHOT.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {len(snapshot)} cases to {SNAPSHOT.relative_to(ROOT)}")
