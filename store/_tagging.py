"""The classifier's side of the store: models, topics and training labels."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from newsdesk.errors import StoreError
from store._connect import now, write_transaction

if TYPE_CHECKING:
    from classifier import Topic

LABEL_SOURCES = ("section", "manual")

_UNTAGGED = """
SELECT id, title, text FROM articles AS a
WHERE id > ? AND duplicate_of IS NULL AND text IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM topics AS t WHERE t.article_id = a.id AND t.model_id = ?)
ORDER BY id LIMIT ?
"""
_LABELED = """
SELECT a.id, a.title, a.text, l.label FROM labels AS l
JOIN articles AS a ON a.id = coalesce(
    (SELECT id FROM articles WHERE canonical_url = l.url),
    (SELECT id FROM articles WHERE url = l.url AND url <> canonical_url ORDER BY id LIMIT 1))
WHERE l.source = ? AND a.text IS NOT NULL
ORDER BY a.id
"""


def _model_row(row: sqlite3.Row | tuple[Any, ...]) -> dict[str, Any]:
    model_id, card, path, created, active = row
    return {
        "model_id": model_id,
        "card": json.loads(card or "{}"),
        "path": path,
        "created": created,
        "active": bool(active),
    }


class TaggingMixin:
    """Topic models, tagging and labels; needs ``self.conn``."""

    conn: sqlite3.Connection

    def iter_articles_for_tagging(
        self, model_id: str, batch_size: int = 500
    ) -> Iterator[list[tuple[int, str, str]]]:
        """Batches of (article id, title, text) not yet tagged by ``model_id`` (duplicates left
        out), in id order; safe to call ``save_topics`` between batches."""
        last = 0
        while True:
            rows = self.conn.execute(_UNTAGGED, (last, model_id, batch_size)).fetchall()
            if not rows:
                return
            yield [(int(i), title or "", text or "") for i, title, text in rows]
            last = rows[-1][0]

    def save_topics(self, rows: Sequence[tuple[int, tuple[Topic, ...]]], model_id: str) -> None:
        """Store each article's topics from ``model_id`` (best first) in one transaction; the
        first becomes the article's top topic."""
        stamp = now()
        with write_transaction(self.conn):
            for article_id, topics in rows:
                self.conn.execute(
                    "DELETE FROM topics WHERE article_id = ? AND model_id = ?",
                    (article_id, model_id),
                )
                self.conn.executemany(
                    "INSERT INTO topics (article_id, model_id, rank, label, score, tagged_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(article_id, model_id, r, t.label, float(t.score), stamp)
                     for r, t in enumerate(topics)],
                )  # fmt: skip
                if topics:
                    self.conn.execute(
                        "UPDATE articles SET topic = ?, topic_score = ?, model_id = ? WHERE id = ?",
                        (topics[0].label, float(topics[0].score), model_id, article_id),
                    )

    def register_model(self, model_id: str, card: Mapping[str, Any], path: str) -> None:
        """Record a trained model (or update its card and path); it is not activated."""
        with write_transaction(self.conn):
            self.conn.execute(
                "INSERT INTO models (model_id, card, path, created, active) VALUES (?, ?, ?, ?, 0) "
                "ON CONFLICT (model_id) DO UPDATE SET card = excluded.card, path = excluded.path",
                (model_id, json.dumps(dict(card), ensure_ascii=False, default=str), path, now()),
            )

    def list_models(self) -> list[dict[str, Any]]:
        """Every registered model, newest first, with its card decoded."""
        rows = self.conn.execute(
            "SELECT model_id, card, path, created, active FROM models ORDER BY created DESC, "
            "model_id"
        )
        return [_model_row(row) for row in rows]

    def activate_model(self, model_id: str) -> None:
        """Make ``model_id`` the one active model; StoreError when it was never registered."""
        with write_transaction(self.conn):
            found = self.conn.execute("SELECT 1 FROM models WHERE model_id = ?", (model_id,))
            if found.fetchone() is None:
                raise StoreError(f"no model {model_id!r} in the database; register it first")
            self.conn.execute(
                "UPDATE models SET active = (model_id = ?) WHERE active OR model_id = ?",
                (model_id, model_id),
            )

    def active_model(self) -> dict[str, Any] | None:
        """The active model's row (card decoded), or None."""
        row = self.conn.execute(
            "SELECT model_id, card, path, created, active FROM models WHERE active = 1"
        ).fetchone()
        return _model_row(row) if row else None

    def import_labels(self, rows: Iterable[tuple[str, str, str]]) -> int:
        """Store (url, label, source) training labels; one label per URL and source, the last
        one wins. Returns the number of rows written."""
        stamp = now()
        records = []
        for url, label, source in rows:
            if source not in LABEL_SOURCES:
                raise StoreError(f"label source must be one of {LABEL_SOURCES}, not {source!r}")
            records.append((url, source, label, stamp))
        with write_transaction(self.conn):
            self.conn.executemany(
                "INSERT OR REPLACE INTO labels (url, source, label, created) VALUES (?, ?, ?, ?)",
                records,
            )
        return len(records)

    def labeled_articles(self, sources: str | Sequence[str]) -> list[tuple[str, str, str]]:
        """(title, text, label) of stored articles with a label from ``sources`` ('section',
        'manual' or both); when both label an article, the source listed first wins."""
        wanted = [sources] if isinstance(sources, str) else list(sources)
        result: dict[int, tuple[str, str, str]] = {}
        for source in wanted:
            if source not in LABEL_SOURCES:
                raise StoreError(f"label source must be one of {LABEL_SOURCES}, not {source!r}")
            for article_id, title, text, label in self.conn.execute(_LABELED, (source,)):
                result.setdefault(article_id, (title or "", text, label))
        return [result[key] for key in sorted(result)]

    def iter_article_urls_sections(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(canonical URL, section path) of every original article; the path may be empty, since
        the URL's host and path name channels too."""
        rows = self.conn.execute(
            "SELECT canonical_url, section FROM articles WHERE duplicate_of IS NULL ORDER BY id"
        )
        for url, section in rows:
            yield url, tuple(json.loads(section or "[]"))
