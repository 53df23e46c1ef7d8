"""Where extraction time goes, stage by stage, optionally against another revision in the same run.

Usage::

    .venv/bin/python bench/extract_stages.py --dataset DIR [--dataset DIR ...] \\
        [--rev REV --rev REV] [--compiled REV] [--repeat 3]

A data set folder is the one ``bench/extract.py`` reads (``<id>.html`` or ``<id>.html.gz`` and
``<id>.json`` with the page's ``url``). Each page is extracted ``--repeat`` times and the fastest
run kept; a stage's time is the time spent in the functions ``scraper.extract.article`` calls for
it (decode, lexbor parse, ``<head>``, hidden elements, the walk, class/id names, link blocks, the
story, the metadata around it); ``other`` is the rest of ``extract``. Each ``--rev`` (a git
revision, or ``.`` for the working tree, the default) runs its ``scraper`` and ``newsdesk``
packages (``git archive``) in a worker process of its own, and the workers take turns page by
page (who goes first alternates), so all see the same machine load; the table ends with the
median per-page ratio of each one's total over the first one's (``--rev`` trees come first, in
the order given, then ``--compiled`` ones). A ``--compiled`` revision runs with its compiled
walk built in its exported tree (``scraper.extract.build_walk``: needs Cython and a compiler).
Figures are wall-clock milliseconds: compare columns of one run, not runs on a busy machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from types import MappingProxyType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: The functions ``scraper.extract.article`` calls, by stage (names missing from an older
#: revision are skipped).
STAGES = MappingProxyType(
    {
        "decode": ("_decode",),
        "parse": ("LexborHTMLParser",),
        "head": ("read_head",),
        "hidden": ("_drop_hidden",),
        "walk": ("flatten",),
        "names": ("name_spans",),
        "link blocks": ("link_blocks",),
        "story": ("caption_lines", "overlay_ranges", "declares_article", "story_lines"),
        "metadata": (
            "choose_title",
            "byline_window",
            "detect_lang",
            "find_published",
            "find_authors",
            "find_source",
            "find_editors",
            "find_section",
            "find_images",
            "find_next_page",
        ),
    }
)


def pages(folder: Path) -> Iterator[tuple[Path, str]]:
    """``(page file, url)`` for every page of a data set folder, sorted by id."""
    for meta_path in sorted(folder.glob("*.json")):
        stem = meta_path.name.removesuffix(".json")
        for raw_path in (folder / f"{stem}.html", folder / f"{stem}.html.gz"):
            if raw_path.exists():
                yield raw_path, json.loads(meta_path.read_text("utf-8")).get("url") or ""
                break


def _read(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if path.suffix == ".gz" else raw


def _timed(article: Any, spent: dict[str, float]) -> None:
    """Wrap the stage functions in the ``article`` module so that their time adds to ``spent``."""
    clock = time.perf_counter

    def wrap(stage: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = clock()
            try:
                return func(*args, **kwargs)
            finally:
                spent[stage] += clock() - start

        return run

    for stage, names in STAGES.items():
        for name in names:
            func = getattr(article, name, None)
            if func is not None:
                setattr(article, name, wrap(stage, func))


def worker(root: str, repeat: int) -> None:
    """Extract the pages named on stdin (``path<TAB>url``) with the ``scraper`` under ``root``;
    print each page's fastest run, per stage, as a JSON line."""
    sys.path.insert(0, root)
    from scraper.extract import article  # the tree is chosen at run time

    spent = dict.fromkeys(STAGES, 0.0)
    _timed(article, spent)
    for line in sys.stdin:
        path, _, url = line.rstrip("\n").partition("\t")
        raw = _read(Path(path))
        best: dict[str, float] | None = None
        for _ in range(repeat):
            for stage in spent:
                spent[stage] = 0.0
            start = time.perf_counter()
            try:
                article.extract(raw, url or None)
            except Exception as exc:  # a page the extractor refuses is reported, not timed
                print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
                break
            total = time.perf_counter() - start
            if best is None or total < best["total"]:
                best = {**spent, "total": total}
        else:
            assert best is not None
            best["other"] = best["total"] - sum(best[stage] for stage in STAGES)
            print(json.dumps({k: 1000 * v for k, v in best.items()}), flush=True)


def _export(rev: str, into: Path) -> None:
    """The ``scraper`` and ``newsdesk`` packages of revision ``rev``, unpacked into ``into``."""
    tar = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "scraper", "newsdesk"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(tar)) as archive:
        archive.extractall(into, filter="data")


def _start(root: Path, repeat: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, __file__, "--worker", str(root), "--repeat", str(repeat)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def _ask(proc: subprocess.Popen[str], path: Path, url: str) -> dict[str, float]:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(f"{path}\t{url}\n")
    proc.stdin.flush()
    return json.loads(proc.stdout.readline())


def compare(folders: list[Path], trees: dict[str, Path], repeat: int) -> dict[str, list[dict]]:
    """Run every page through every tree's worker in turn; the per-page stage times by tree."""
    procs = {name: _start(root, repeat) for name, root in trees.items()}
    results: dict[str, list[dict]] = {name: [] for name in trees}
    try:
        for n, (path, url) in enumerate(p for folder in folders for p in pages(folder)):
            order = list(procs) if n % 2 == 0 else list(reversed(procs))
            answers = {name: _ask(procs[name], path, url) for name in order}
            if any("error" in answer for answer in answers.values()):
                continue
            for name, answer in answers.items():
                results[name].append(answer)
    finally:
        for proc in procs.values():
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait()
    return results


def table(results: dict[str, list[dict]]) -> str:
    """Median milliseconds per stage for each tree, and the median per-page ratio of totals."""
    names = list(results)
    head = "| stage | " + " | ".join(f"{n} median ms" for n in names) + " |"
    lines = [head, "|---" * (len(names) + 1) + "|"]
    for stage in (*STAGES, "other", "total"):
        cells = [f"{statistics.median(r[stage] for r in results[n]):.3f}" for n in names]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    pages_run = len(results[names[0]])
    note = f"\n{pages_run} pages, fastest of each page's runs"
    first = results[names[0]]
    for name in names[1:]:
        pairs = zip(results[name], first, strict=True)
        ratio = statistics.median(a["total"] / b["total"] for a, b in pairs)
        note += f"\nmedian per-page ratio {name} / {names[0]}: {ratio:.3f}"
    return "\n".join(lines) + note


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the workers, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", action="append", type=Path)
    parser.add_argument(
        "--rev", action="append", help="git revision to time, '.' for the working tree (default)"
    )
    parser.add_argument(
        "--compiled", action="append", default=[], help="git revision to time with its walk built"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per page; the fastest counts")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.repeat)
        return 0
    if not args.dataset:
        parser.error("--dataset is required")
    with tempfile.TemporaryDirectory() as tmp:
        trees: dict[str, Path] = {}
        for rev in args.rev or ([] if args.compiled else ["."]):
            if rev == ".":
                trees["working tree"] = ROOT
            else:
                trees[rev] = Path(tmp) / rev.replace("/", "_")
                _export(rev, trees[rev])
        for rev in args.compiled:
            name = f"{rev} compiled"
            trees[name] = Path(tmp) / name.replace("/", "_").replace(" ", "_")
            _export(rev, trees[name])
            subprocess.run(
                [sys.executable, "-m", "scraper.extract.build_walk"],
                cwd=trees[name],
                env={**os.environ, "PYTHONPATH": str(trees[name])},
                check=True,
                capture_output=True,
            )
        print(table(compare(args.dataset, trees, args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
