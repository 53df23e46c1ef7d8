"""Canonical topic ids and the alias table that maps corpus labels onto them.

The table is data (``classifier/taxonomy.json``), so a new corpus is supported by adding its label
names there, not by code. Labels that map to nothing are reported by the callers, never guessed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class TopicInfo:
    """One canonical topic: short English id, Chinese display name, accepted aliases."""

    id: str
    zh: str
    aliases: tuple[str, ...]


def _key(raw: str) -> str:
    return " ".join(raw.strip().casefold().split())


@cache
def topics() -> tuple[TopicInfo, ...]:
    """The canonical topics in display order, read once from ``taxonomy.json``."""
    text = resources.files("classifier").joinpath("taxonomy.json").read_text(encoding="utf-8")
    return tuple(
        TopicInfo(t["id"], t["zh"], tuple(t["aliases"])) for t in json.loads(text)["topics"]
    )


@cache
def alias_table() -> Mapping[str, str]:
    """Normalized alias → canonical id (ids and Chinese names map to themselves)."""
    table: dict[str, str] = {}
    for info in topics():
        for name in (info.id, info.zh, *info.aliases):
            table[_key(name)] = info.id
    return table


def topic_ids() -> tuple[str, ...]:
    """The canonical ids, in display order."""
    return tuple(info.id for info in topics())


def zh_name(topic_id: str) -> str:
    """The Chinese display name of ``topic_id`` (the id itself when it is not canonical)."""
    return next((info.zh for info in topics() if info.id == topic_id), topic_id)


def normalize_label(raw: str | None) -> str | None:
    """The canonical id for a corpus label such as ``体育``, ``news_sports`` or ``Sci/Tech``;
    ``None`` when the label maps to nothing. A ``category/subcategory`` label that is not listed
    falls back to its category (``sports/football_nfl`` → ``sports``)."""
    if raw is None:
        return None
    table, key = alias_table(), _key(str(raw))
    while key not in table and "/" in key:
        key = key.rsplit("/", 1)[0]
    return table.get(key)


@cache
def _label_sets() -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    text = resources.files("classifier").joinpath("taxonomy.json").read_text(encoding="utf-8")
    corpora = json.loads(text).get("label_sets", {}).get("corpora", {})
    return {
        corpus: {topic: tuple(also) for topic, also in sets.items()}
        for corpus, sets in corpora.items()
    }


def also_means(corpus: str, topic: str) -> tuple[str, ...]:
    """The other topics a row of ``corpus`` labelled ``topic`` may be about (``()`` for a corpus
    or label without an entry): training does not teach such a row "not" those topics."""
    return _label_sets().get(corpus, {}).get(topic, ())
