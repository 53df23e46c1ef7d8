"""Labeled data from JSONL(.gz) or CSV files, labels mapped onto the canonical topics.

Rows need ``text`` and ``label``, ``title`` is optional. A label the alias table does not know is
counted and reported in :class:`LabeledData.unmapped`; the row is left out, never guessed.
Evaluation files may add ``alt`` (an acceptable second choice), ``confidence`` (``high``/``low``)
and ``lang``. A file's corpus is its folder name: it decides which other topics a label may mean
(``taxonomy.also_means``).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from classifier.taxonomy import also_means, normalize_label
from newsdesk.errors import ModelError


@dataclass(slots=True)
class LabeledData:
    """Parallel lists of titles, texts and canonical labels, plus what could not be mapped."""

    titles: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)
    also: list[tuple[str, ...]] = field(default_factory=list)
    alts: list[str | None] = field(default_factory=list)
    confidences: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def n_unmapped(self) -> int:
        """Rows left out because their label maps to no topic."""
        return sum(self.unmapped.values())

    def add(
        self,
        title: str,
        text: str,
        raw_label: str,
        source: str = "",
        *,
        alt: str | None = None,
        confidence: str = "",
        lang: str = "",
    ) -> bool:
        """Append one row if its label maps to a topic; count it as unmapped otherwise. The
        row's corpus is the part of ``source`` before ``/`` (see ``taxonomy.also_means``)."""
        label = normalize_label(raw_label)
        if label is None:
            self.unmapped[str(raw_label)] += 1
            return False
        self.titles.append(title)
        self.texts.append(text)
        self.labels.append(label)
        self.sources.append(source)
        self.also.append(also_means(source.split("/")[0], label))
        self.alts.append(normalize_label(alt) if alt else None)
        self.confidences.append(confidence)
        self.langs.append(lang)
        return True

    _COLUMNS = ("titles", "texts", "labels", "sources", "also", "alts", "confidences", "langs")

    def extend(self, other: LabeledData) -> None:
        """Append every row (and unmapped count) of ``other``."""
        for name in self._COLUMNS:
            getattr(self, name).extend(getattr(other, name))
        self.unmapped.update(other.unmapped)

    def subset(self, index: list[int] | range) -> LabeledData:
        """The rows at ``index`` (unmapped counts are not carried over)."""
        return LabeledData(
            **{name: [getattr(self, name)[i] for i in index] for name in self._COLUMNS}
        )


def _open_text(path: Path) -> io.TextIOBase:
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return open(path, encoding="utf-8", newline="")


def _rows(path: Path) -> Iterator[dict[str, object]]:
    stem = path.name.removesuffix(".gz")
    with _open_text(path) as handle:
        if stem.endswith(".csv"):
            yield from csv.DictReader(handle)
            return
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ModelError(f"{path}:{number} is not a JSON object: {exc}") from exc
            if not isinstance(row, dict):
                raise ModelError(f"{path}:{number} is not a JSON object")
            yield row


def source_name(path: Path) -> str:
    """Short name of a data file, e.g. ``thucnews_titles_zh/test`` for its test.jsonl.gz."""
    stem = path.name.split(".")[0]
    return f"{path.parent.name}/{stem}" if path.parent.name else stem


def read_labeled(path: str | Path) -> LabeledData:
    """Read one JSONL(.gz) or CSV(.gz) file of labeled rows."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"data file {path} does not exist")
    data, source = LabeledData(), source_name(path)
    try:
        for number, row in enumerate(_rows(path), 1):
            if "text" not in row or "label" not in row:
                raise ModelError(f"{path}: row {number} needs 'text' and 'label' fields")
            data.add(
                str(row.get("title") or ""),
                str(row["text"] or ""),
                str(row["label"]),
                source,
                alt=str(row["alt"]) if row.get("alt") else None,
                confidence=str(row.get("confidence") or ""),
                lang=str(row.get("lang") or ""),
            )
    except (OSError, UnicodeDecodeError, EOFError, csv.Error) as exc:
        raise ModelError(f"cannot read {path}: {exc}") from exc
    return data


def read_many(paths: list[Path] | tuple[Path, ...]) -> LabeledData:
    """All rows of several files, in order."""
    data = LabeledData()
    for path in paths:
        data.extend(read_labeled(path))
    return data
