"""Training rows beyond the labeled ones: body chunks of full articles and pseudo-documents.

Headline corpora outnumber full-text ones; without help the model learns only headline habits.
Full-text rows are weighted up and also cut into body chunks; topics known only from headlines get
long pseudo-documents (several of their headlines joined), so that they do not lose every long
article.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Augmenter:
    """How to add chunk and pseudo-document rows; see the ``TopicModel`` parameters."""

    chunk_chars: int
    max_chunks: int
    max_body_chars: int
    fulltext_weight: float
    pseudo_doc_titles: int
    random_state: int

    def rows(
        self, titles: list[str], texts: list[str], labels: list[str]
    ) -> tuple[list[str], list[str], list[str], np.ndarray]:
        """(titles, texts, labels, weights) of the labeled rows plus the added ones."""
        long_ = [len(text) >= 2 * self.chunk_chars for text in texts]
        out_t, out_b, out_y = list(titles), list(texts), list(labels)
        weights = [self.fulltext_weight if is_long else 1.0 for is_long in long_]
        for text, label, is_long in zip(texts, labels, long_, strict=True):
            if not is_long or self.max_chunks <= 0:
                continue
            body = text[: self.max_body_chars]
            starts = np.linspace(0, max(len(body) - self.chunk_chars, 0), self.max_chunks)
            for start in sorted({int(s) for s in starts}):
                out_t.append("")
                out_b.append(body[start : start + self.chunk_chars])
                out_y.append(label)
                weights.append(self.fulltext_weight / 2)
        for body, label in self._pseudo_documents(titles, texts, labels, long_):
            out_t.append("")
            out_b.append(body)
            out_y.append(label)
            weights.append(self.fulltext_weight)
        return out_t, out_b, out_y, np.asarray(weights, dtype=np.float64)

    def _pseudo_documents(
        self,
        titles: list[str],
        texts: list[str],
        labels: list[str],
        long_: list[bool],
    ) -> list[tuple[str, str]]:
        """``pseudo_doc_titles`` short rows of one topic joined. Without them, topics
        never seen in full text (e.g. society) get negative weight on everything common in long
        articles and lose every full article."""
        size = self.pseudo_doc_titles
        if size <= 1:
            return []
        groups: dict[str, list[str]] = {}
        for title, text, label, is_long in zip(titles, texts, labels, long_, strict=True):
            if not is_long:
                groups.setdefault(label, []).append(f"{title}。{text}" if title else text)
        rng = np.random.default_rng(self.random_state)
        out = []
        for label in sorted(groups):
            heads = groups[label]
            order = rng.permutation(len(heads))
            for start in range(0, len(order) - size + 1, size):
                joined = "。".join(heads[i] for i in order[start : start + size])
                out.append((joined, label))
        return out
