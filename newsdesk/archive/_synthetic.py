"""WARC files of many distinct articles built from the fixture portal, for tests and benchmarks.

The portal has 65 one-page articles; record ``n`` is article ``n mod 65`` served under its own
URL (ten hosts, a ``/v<k>`` prefix), its first paragraph prefixed with words drawn from the
portal's own paragraphs (seeded by ``n``) and its last paragraph taken from another article of
the same language, so the records are distinct stories to the near-duplicate check, not copies.
Pages keep their encodings (GBK, GB18030, UTF-8). No network: the records are written with warcio
as the crawl writes its archive.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from newsdesk.portal import PORTAL_ROOT
from scraper.fetch.warc import WarcWriter

HOSTS = 10
_HEADERS = [("User-Agent", "newsdesk-synthetic")]


@dataclass(frozen=True, slots=True)
class _Page:
    path: str
    lang: str
    encoding: str
    html: str
    first: str
    last: str


def _pages(root: Path) -> list[_Page]:
    """The portal's one-page articles whose first and last paragraphs appear verbatim."""
    manifest = json.loads((root / "_manifest.json").read_text(encoding="utf-8"))
    pages = []
    for article in manifest["articles"]:
        if len(article["pages"]) != 1:
            continue
        file = root / article["path"].lstrip("/")
        html = file.read_bytes().decode(article["encoding"])
        first, last = article["first_paragraph"], article["last_paragraph"]
        if first in html and last in html and first != last:
            pages.append(_Page(article["path"], article["lang"], article["encoding"], html,
                               first, last))  # fmt: skip
    return pages


def _words(pages: list[_Page], lang: str) -> list[str]:
    text = " ".join(p.first + " " + p.last for p in pages if p.lang == lang)
    return text.split() if lang == "en" else [c for c in text if not c.isspace()]


def write_portal_warcs(
    directory: Path, records: int, files: int = 1, *, root: Path | None = None, seed: int = 0
) -> list[Path]:
    """Write ``records`` HTML responses over ``files`` gzip WARC files in ``directory``."""
    pages = _pages(root or PORTAL_ROOT)
    words = {lang: _words(pages, lang) for lang in {p.lang for p in pages}}
    by_lang = {lang: [p for p in pages if p.lang == lang] for lang in words}
    writer = WarcWriter(directory, max_bytes=1 << 62, prefix=f"synthetic-{seed}")
    per_file = -(-records // files)
    for n in range(records):
        if n and n % per_file == 0:
            writer.close()
        page, k = pages[n % len(pages)], n // len(pages)
        rng = random.Random(seed * 1_000_003 + n)
        pool = by_lang[page.lang]
        other = pool[(pool.index(page) + 1 + k) % len(pool)]
        joiner = " " if page.lang == "en" else ""
        extra = joiner.join(rng.choice(words[page.lang]) for _ in range(40))
        base = f"http://site{n % HOSTS}.portal.test/v{k}"
        html = page.html.replace(page.first, extra + joiner + page.first)
        if other is not page:
            html = html.replace(page.last, other.last)
        writer.write_exchange(
            base + page.path,
            _HEADERS,
            [("Content-Type", f"text/html; charset={page.encoding}")],
            status=200,
            reason="OK",
            http_version="HTTP/1.1",
            payload=html.replace("{{BASE}}", base).encode(page.encoding, "replace"),
        )
    writer.close()
    return writer.paths
