"""Benchmark newsdesk's extractor against reference extractors on the same pages, in one run.

Usage::

    .venv/bin/python bench/extract.py --dataset DIR [--dataset DIR ...] [--extractor NAME ...]

A data set folder holds ``<id>.html`` or ``<id>.html.gz`` (the page bytes) and ``<id>.json``
(``{"body": ground truth, "url": ...}``). Every extractor gets the raw bytes.

Metric (scrapinghub article-extraction-benchmark, CJK-aware): tokens are ``\\w+`` runs, except
that each CJK ideograph or kana is a token; per page, precision and recall over the multiset of
token 4-gram shingles; the headline F1 is the harmonic mean of the mean page precision and the
mean page recall. Also printed: the mean per-page F1 (a crash counts 0), pages whose output
looks like mojibake, the leak rate where a set lists ``without`` snippets (clutter that must
stay out: per page, the share of them found in the text, whitespace squeezed; the set's figure
is the mean over its pages), and the median milliseconds per page, wall clock and CPU time of this
process (the latter is steadier on a shared machine). Extractors take turns page by page, so
all of them run under the same load. The reference extractors
(trafilatura, readability-lxml, resiliparse) are optional: a missing one is skipped with a note.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._meta import meta_table, score_metadata

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
TOKEN_RE = re.compile(f"[{_CJK}]|[^\\W{_CJK}]+")
CJK_RE = re.compile(f"[{_CJK}]")
MOJIBAKE_RE = re.compile("[\u0080-\u00ff\ufffd]")
SHINGLE = 4

Extractor = Callable[[bytes, str], str]


def tokenize(text: str) -> list[str]:
    """CJK characters are one token each; everything else splits into ``\\w+`` runs."""
    return TOKEN_RE.findall(text or "")


def shingles(tokens: list[str], n: int = SHINGLE) -> Counter:
    """The multiset of token n-grams (the whole sequence when it is shorter than n)."""
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True, slots=True)
class PageScore:
    """Precision/recall/F1 of one page; ``has_p``/``has_r`` say whether they count in means."""

    p: float
    r: float
    f1: float
    has_p: bool
    has_r: bool


def score(truth: str, predicted: str) -> PageScore:
    """Shingle precision, recall and F1 of one page (nothing expected and nothing found: 1)."""
    true, pred = shingles(tokenize(truth)), shingles(tokenize(predicted))
    tp = sum((true & pred).values())
    fp, fn = sum(pred.values()) - tp, sum(true.values()) - tp
    if fp == 0 and fn == 0:
        return PageScore(1.0, 1.0, 1.0, tp > 0, tp > 0)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return PageScore(p, r, f1, tp + fp > 0, tp + fn > 0)


def looks_mojibake(predicted: str, truth: str) -> bool:
    """U+FFFD runs, or non-ASCII text that is not CJK where CJK text was expected."""
    if not predicted:
        return False
    n = len(predicted)
    if len(CJK_RE.findall(truth)) > 0.2 * max(1, len(truth)):
        foreign = sum(1 for ch in predicted if ord(ch) > 127) - len(CJK_RE.findall(predicted))
        return foreign > 0.3 * n or len(MOJIBAKE_RE.findall(predicted)) > 0.05 * n
    return predicted.count("\ufffd") > 20


_SPACE_RE = re.compile(r"\s+")


def leak_share(without: list[str], predicted: str) -> float:
    """Share of a page's ``without`` snippets (clutter) found in the text, whitespace squeezed."""
    text = _SPACE_RE.sub(" ", predicted or "")
    found = sum(1 for s in without if _SPACE_RE.sub(" ", s).strip() in text)
    return found / len(without)


def pages(folder: Path) -> Iterator[tuple[str, bytes, dict]]:
    """``(id, raw bytes, metadata)`` for every page of a data set folder, sorted by id."""
    for meta_path in sorted(folder.glob("*.json")):
        stem = meta_path.name.removesuffix(".json")
        raw_path = folder / f"{stem}.html"
        if raw_path.exists():
            raw = raw_path.read_bytes()
        elif (folder / f"{stem}.html.gz").exists():
            raw = gzip.decompress((folder / f"{stem}.html.gz").read_bytes())
        else:
            continue
        yield stem, raw, json.loads(meta_path.read_text("utf-8"))


def newsdesk_text(raw: bytes, url: str) -> str:
    """newsdesk's story text: also the plugin for the shared harness (``extract:newsdesk_text``)."""
    from scraper.extract import extract

    return extract(raw, url or None).text


def make_newsdesk() -> Extractor:
    return newsdesk_text


def make_trafilatura() -> Extractor:
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    return lambda raw, url: trafilatura.extract(raw, url=url or None) or ""


def make_readability() -> Extractor:
    from readability import Document
    from selectolax.lexbor import LexborHTMLParser

    logging.getLogger("readability").setLevel(logging.CRITICAL)

    def run(raw: bytes, url: str) -> str:
        html = Document(raw, url=url or None).summary(html_partial=True)
        tree = LexborHTMLParser(html)
        return tree.root.text(separator="\n", strip=True) if tree.root else ""

    return run


def make_resiliparse() -> Extractor:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    def run(raw: bytes, url: str) -> str:
        return extract_plain_text(bytes_to_str(raw, detect_encoding(raw)), main_content=True) or ""

    return run


EXTRACTORS: Mapping[str, Callable[[], Extractor]] = MappingProxyType(
    {
        "newsdesk": make_newsdesk,
        "trafilatura": make_trafilatura,
        "readability": make_readability,
        "resiliparse": make_resiliparse,
    }
)


@dataclass(frozen=True, slots=True)
class Summary:
    """One row of the table: an extractor on a data set."""

    dataset: str
    extractor: str
    pages: int
    p: float
    r: float
    f1: float
    mean_f1: float
    mojibake: int
    errors: int
    median_ms: float
    median_cpu_ms: float
    leak: float | None = None


@dataclass(slots=True)
class _Tally:
    """What one extractor did on the pages of one data set so far."""

    scores: list[PageScore] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    leaks: list[float] = field(default_factory=list)
    mojibake: int = 0
    errors: int = 0

    def summary(self, dataset: str, name: str) -> Summary:
        ps = [s.p for s in self.scores if s.has_p]
        rs = [s.r for s in self.scores if s.has_r]
        p = statistics.mean(ps) if ps else 0.0
        r = statistics.mean(rs) if rs else 0.0
        return Summary(
            dataset=dataset,
            extractor=name,
            pages=len(self.scores),
            p=p,
            r=r,
            f1=2 * p * r / (p + r) if p + r else 0.0,
            mean_f1=statistics.mean(s.f1 for s in self.scores) if self.scores else 0.0,
            mojibake=self.mojibake,
            errors=self.errors,
            median_ms=statistics.median(self.wall) if self.wall else float("nan"),
            median_cpu_ms=statistics.median(self.cpu) if self.cpu else float("nan"),
            leak=statistics.mean(self.leaks) if self.leaks else None,
        )


def run(extractors: dict[str, Extractor], folder: Path) -> list[Summary]:
    """Run the extractors over one data set, page by page in turn, and summarise each.

    Interleaving pages (rather than running one extractor over the whole set, then the next)
    exposes every extractor to the same machine load, so the timings compare fairly.
    """
    tallies = {name: _Tally() for name in extractors}
    for _, raw, meta in pages(folder):
        truth, url = meta.get("body") or "", meta.get("url") or ""
        for name, extractor in extractors.items():
            tally = tallies[name]
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                text = extractor(raw, url)
            except Exception as exc:  # a crash is scored as an empty page
                logging.getLogger(__name__).warning("%s failed on %s: %s", name, folder.name, exc)
                text = ""
                tally.errors += 1
            tally.cpu.append((time.process_time() - cpu) * 1000)
            tally.wall.append((time.perf_counter() - wall) * 1000)
            tally.scores.append(score(truth, text))
            tally.mojibake += looks_mojibake(text, truth)
            if meta.get("without"):
                tally.leaks.append(leak_share(meta["without"], text))
    return [tally.summary(folder.name, name) for name, tally in tallies.items()]


def _percent(share: float | None) -> str:
    """A share as a percentage, or a dash where the set has nothing to measure it by."""
    return "—" if share is None else f"{100 * share:.1f}"


def table(rows: list[Summary]) -> str:
    """A markdown table of the summaries."""
    lines = [
        "| dataset | extractor | pages | P | R | F1 | mean F1 | mojibake | errors "
        "| median ms | median CPU ms | leak % |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {s.dataset} | {s.extractor} | {s.pages} | {s.p:.3f} | {s.r:.3f} | {s.f1:.3f} "
        f"| {s.mean_f1:.3f} | {s.mojibake} | {s.errors} | {s.median_ms:.2f} "
        f"| {s.median_cpu_ms:.2f} | {_percent(s.leak)} |"
        for s in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run every extractor on every data set, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", action="append", required=True, type=Path)
    parser.add_argument(
        "--extractor", action="append", choices=sorted(EXTRACTORS), help="default: all"
    )
    args = parser.parse_args(argv)
    loaded: dict[str, Extractor] = {}
    for name in args.extractor or list(EXTRACTORS):
        try:
            loaded[name] = EXTRACTORS[name]()
        except ImportError as exc:
            print(f"note: skipping {name} ({exc})", file=sys.stderr)
    rows, meta_rows = [], []
    for folder in args.dataset:
        warm = next(pages(folder), None)
        for name, extractor in loaded.items():
            if warm is not None:  # one untimed call: lazy imports do not count
                try:
                    extractor(warm[1], warm[2].get("url") or "")
                except Exception as exc:  # the timed run records it as an error
                    print(f"note: {name} failed its warm-up page: {exc}", file=sys.stderr)
        rows += run(loaded, folder)
        meta_rows += score_metadata(folder, pages(folder), loaded)
        print(f"done {folder.name}", file=sys.stderr, flush=True)
    print(table(rows))
    if meta_rows:
        print("\nMetadata (share right, pages scored; see bench/_meta.py):\n")
        print(meta_table(meta_rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
