"""Metadata accuracy for ``bench/extract.py``: title, publish day and minute, byline.

Truth per page: ``metadata.json`` of the data set folder (``{id: {title, byline, published}}``,
as ``readability_testpages`` has it) when present, else the page's own JSON (``author``,
``date``; ``UNKNOWN`` means none). The title is scored only from ``metadata.json``: the page JSON
of other sets holds the raw ``<title>``, not the headline.

Run alone (``python bench/_meta.py --dataset DIR``) it lists newsdesk's misses page by page:
truth and answer per field, for reading why each was missed.

Comparisons, each over the pages whose truth has the field:

- **title exact**: equal after squeezing whitespace;
- **day** / **minute**: the predicted time's date (and ``HH:MM``) equals the truth's, both read
  in the truth's offset when both carry one, else as printed; minute counts only pages whose
  truth prints a time of day;
- **byline exact**: the truth, lower-cased with everything but letters and digits and a leading
  "by" dropped, equals the authors joined, the source, or the authors and the source joined,
  normalised the same way; **byline contains**: either normalised string holds the other.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

from dateutil import parser as dateparser


@dataclass(frozen=True, slots=True)
class Meta:
    """What an extractor says about a page (or what the truth says)."""

    title: str | None = None
    names: tuple[str, ...] = ()
    source: str | None = None
    published: datetime | None = None
    has_time: bool = False


MetaExtractor = Callable[[bytes, str], Meta]
_NON_ALNUM = re.compile(r"[\W_]+")
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_UNKNOWN = ("", "unknown", "none", "null")


def _norm(text: str | None) -> str:
    key = _NON_ALNUM.sub("", (text or "").lower())
    return key[2:] if re.match(r"by\s", (text or "").strip(), re.IGNORECASE) else key


def _when(value: str | None) -> tuple[datetime | None, bool]:
    """A truth date and whether it prints a time of day; partial dates (a year) are none."""
    if not value or value.strip().lower() in _UNKNOWN or len(re.findall(r"\d+", value)) < 3:
        return None, False
    try:
        return dateparser.parse(value), bool(_CLOCK.search(value))
    except (ValueError, OverflowError):
        return None, False


def truths(folder: Path) -> dict[str, Meta]:
    """``{page id: truth}`` for a data set folder (empty when it holds no metadata)."""
    listed = folder / "metadata.json"
    found: dict[str, Meta] = {}
    if listed.exists():
        for stem, item in json.loads(listed.read_text("utf-8")).items():
            when, clock = _when(item.get("published"))
            byline = item.get("byline")
            found[stem] = Meta(item.get("title"), (byline,) if byline else (), None, when, clock)
        return found
    for path in folder.glob("*.json"):
        item = json.loads(path.read_text("utf-8"))
        author = item.get("author")
        author = None if not author or author.strip().lower() in _UNKNOWN else author
        when, clock = _when(item.get("date"))
        if author or when:
            found[path.name.removesuffix(".json")] = Meta(None, (author,) if author else (), None,
                                                          when, clock)  # fmt: skip
    return found


def newsdesk_meta(raw: bytes, url: str) -> Meta:
    from scraper.extract import extract

    article = extract(raw, url or None)
    return Meta(article.title, article.authors, article.source, article.published)


def make_trafilatura_meta() -> MetaExtractor:
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    config = {"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%d %H:%M"}

    def run(raw: bytes, url: str) -> Meta:
        tree = load_html(raw)
        if tree is None:
            return Meta()
        doc = extract_metadata(tree, url or None, date_config=config)
        names = tuple(n.strip() for n in (doc.author or "").split(";") if n.strip())
        when = dateparser.parse(doc.date) if doc.date else None
        return Meta(doc.title, names, None, when)

    return run


META_EXTRACTORS: Mapping[str, Callable[[], MetaExtractor]] = MappingProxyType(
    {"newsdesk": lambda: newsdesk_meta, "trafilatura": make_trafilatura_meta}
)


def _same(found: datetime, truth: datetime, fmt: str) -> bool:
    if found.tzinfo is not None and truth.tzinfo is not None:
        found = found.astimezone(truth.tzinfo)
    return found.strftime(fmt) == truth.strftime(fmt)


def judge(found: Meta, truth: Meta) -> dict[str, bool]:
    """Whether each field the truth has is right (see the module doc for each comparison)."""
    verdicts: dict[str, bool] = {}
    if truth.title:
        title = " ".join((found.title or "").split())
        verdicts["title"] = title == " ".join(truth.title.split())
    if truth.published is not None:
        when = found.published
        verdicts["day"] = when is not None and _same(when, truth.published, "%F")
        if truth.has_time:
            verdicts["minute"] = when is not None and _same(when, truth.published, "%F %H:%M")
    if truth.names:
        want = _norm(truth.names[0])
        joined = _norm(" ".join(found.names))
        source = _norm(found.source)
        both = joined + source
        verdicts["byline"] = want in (joined, source, both)
        verdicts["contains"] = bool(both) and (want in both or both in want)
    return verdicts


@dataclass(slots=True)
class MetaTally:
    """Right answers and pages scored, per field, of one extractor on one set."""

    right: dict[str, int] = field(default_factory=dict)
    scored: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, ok: bool) -> None:
        self.scored[name] = self.scored.get(name, 0) + 1
        self.right[name] = self.right.get(name, 0) + ok

    def score(self, found: Meta, truth: Meta) -> list[str]:
        """Count one page (see the module doc for each comparison); the fields missed."""
        verdicts = judge(found, truth)
        for name, ok in verdicts.items():
            self.add(name, ok)
        return [name for name, ok in verdicts.items() if not ok]

    def cells(self) -> list[str]:
        """Share right (pages scored) per field, a dash where none was scored."""
        shares = []
        for key in ("title", "day", "minute", "byline", "contains"):
            n = self.scored.get(key)
            shares.append(f"{self.right[key] / n:.3f} ({n})" if n else "—")
        return shares


def meta_table(rows: list[tuple[str, str, MetaTally]]) -> str:
    """A markdown table of metadata accuracy: share right (pages scored)."""
    lines = [
        "| dataset | extractor | title exact | day | minute | byline exact | byline contains |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [f"| {d} | {n} | " + " | ".join(t.cells()) + " |" for d, n, t in rows]
    return "\n".join(lines)


def score_metadata(
    folder: Path, items: Iterable[tuple[str, bytes, dict]], names: Iterable[str]
) -> list[tuple[str, str, MetaTally]]:
    """Metadata rows of the named extractors that read metadata, on one data set's pages
    (``items`` as ``bench.extract.pages`` yields them); none when the set has no truth."""
    expected = truths(folder)
    runners: dict[str, MetaExtractor] = {}
    for name in names:
        if name in META_EXTRACTORS:
            runners[name] = META_EXTRACTORS[name]()
    if not expected or not runners:
        return []
    tallies = {name: MetaTally() for name in runners}
    for stem, raw, page in items:
        truth = expected.get(stem)
        if truth is None:
            continue
        for name, runner in runners.items():
            try:
                found = runner(raw, page.get("url") or "")
            except Exception:  # a crash finds nothing
                found = Meta()
            tallies[name].score(found, truth)
    return [(folder.name, name, tally) for name, tally in tallies.items()]


def main(argv: list[str] | None = None) -> int:
    """Print newsdesk's metadata misses, page by page, on each data set given."""
    import argparse
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.extract import pages

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--dataset", action="append", required=True, type=Path)
    for folder in parser.parse_args(argv).dataset:
        expected = truths(folder)
        for stem, raw, page in pages(folder):
            truth = expected.get(stem)
            if truth is None:
                continue
            found = newsdesk_meta(raw, page.get("url") or "")
            missed = [k for k, ok in judge(found, truth).items() if not ok and k != "contains"]
            if missed:
                print(f"{folder.name}/{stem}: missed {', '.join(missed)}")
                print(f"  truth: {truth.title!r} {truth.published} {truth.names}")
                print(f"  found: {found.title!r} {found.published} {found.names} {found.source!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
