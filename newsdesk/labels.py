"""Weak topic labels from a portal's own sections, and hand labels from a CSV file.

Portals file their stories under channels: a host (sports.163.com), a path segment (/ent/, /sport/)
or a breadcrumb (网易首页 > 网易体育 > 正文). ``derive_label`` reads those through the data table
``newsdesk/data/channels.json`` and the classifier's alias table; a story whose channels say
nothing, or disagree, gets no label rather than a guess.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from classifier import normalize_label, taxonomy
from newsdesk.errors import ConfigError
from store import Store


@cache
def channel_table() -> Mapping[str, Mapping[str, str]]:
    """The host and path channel tables, read once from ``channels.json``."""
    text = resources.files("newsdesk").joinpath("data/channels.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {"hosts": data["hosts"], "paths": data["paths"]}


def _from_crumb(crumb: str) -> str | None:
    """A topic from one breadcrumb: an alias, or exactly one Chinese topic name inside it."""
    label = normalize_label(crumb)
    if label:
        return label
    inside = {info.id for info in taxonomy.topics() if info.zh in crumb}
    return inside.pop() if len(inside) == 1 else None


def derive_label(url: str, section: Sequence[str] = ()) -> str | None:
    """The topic a portal's channels give a story, or None when they say nothing or disagree."""
    table = channel_table()
    parts = urlsplit(url)
    host_labels = (parts.hostname or "").split(".")
    found = {table["hosts"][h] for h in host_labels[:-2] if h in table["hosts"]}
    found |= {table["paths"][p] for p in parts.path.lower().split("/") if p in table["paths"]}
    found |= {label for crumb in section if (label := _from_crumb(crumb))}
    return found.pop() if len(found) == 1 else None


def derive_labels(store: Store) -> tuple[int, int]:
    """Write a ``section`` label for every stored article whose channels name one topic.

    Returns (articles labeled, articles seen).
    """
    rows = []
    seen = 0
    for url, section in store.iter_article_urls_sections():
        seen += 1
        label = derive_label(url, section)
        if label:
            rows.append((url, label, "section"))
    store.import_labels(rows)
    return len(rows), seen


def read_label_csv(path: Path) -> Iterator[tuple[str, str, str]]:
    """(url, canonical label, 'manual') rows of a CSV file with ``url`` and ``label`` columns."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"url", "label"} <= set(reader.fieldnames):
                raise ConfigError(f"{path}: needs a header with 'url' and 'label' columns")
            for line, row in enumerate(reader, start=2):
                label = normalize_label(row["label"])
                if label is None:
                    raise ConfigError(f"{path}:{line}: unknown label {row['label']!r}")
                yield row["url"], label, "manual"
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
