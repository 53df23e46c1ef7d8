"""Training rows as raw hashed counts, computed once and reused by every fit that needs them.

Headline corpora outnumber full-text ones; without help the model learns only headline habits.
So besides the labeled articles the training rows hold body chunks of every full article and
pseudo-documents (several headlines of one topic added up). Hashing is stateless, so the counts
of every article and chunk are computed once: the held-out fit and the refit on every row (see
``classifier._train``) only pick rows, and pseudo-documents are sums of count rows, not new text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from classifier._features import Featurizer


@dataclass(frozen=True, slots=True)
class Augmenter:
    """How full articles are cut into chunk rows and headlines joined into pseudo-documents;
    see the ``TopicModel`` parameters of the same names."""

    chunk_chars: int
    max_chunks: int
    max_body_chars: int
    fulltext_weight: float
    chunk_weight: float
    pseudo_doc_titles: int
    random_state: int

    def chunks(self, texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """(chunk texts, index of the article each comes from): up to ``max_chunks`` evenly
        spaced ``chunk_chars`` windows of every long body."""
        out, owner = [], []
        if self.max_chunks <= 0:
            return out, np.zeros(0, dtype=np.int64)
        for i, text in enumerate(texts):
            if len(text) < 2 * self.chunk_chars:
                continue
            body = text[: self.max_body_chars]
            starts = np.linspace(0, max(len(body) - self.chunk_chars, 0), self.max_chunks)
            for start in sorted({int(s) for s in starts}):
                out.append(body[start : start + self.chunk_chars])
                owner.append(i)
        return out, np.asarray(owner, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class TrainingRows:
    """Raw counts of labeled articles (title, body) and of their body chunks."""

    titles: sp.csr_matrix
    bodies: sp.csr_matrix
    labels: np.ndarray
    also: tuple[tuple[str, ...], ...]
    scale: np.ndarray
    chinese: np.ndarray
    long: np.ndarray
    chunks: sp.csr_matrix
    chunk_owner: np.ndarray
    chunk_chinese: np.ndarray
    row_digests: tuple[bytes, ...]
    augmenter: Augmenter

    @classmethod
    def build(
        cls,
        featurizer: Featurizer,
        augmenter: Augmenter,
        titles: Sequence[str],
        texts: Sequence[str],
        labels: Sequence[str],
        also: Sequence[tuple[str, ...]],
        scale: np.ndarray | None = None,
    ) -> TrainingRows:
        """Hash every article and chunk once; ``also`` holds the other topics each row's label
        may mean, ``scale`` a weight per row (its chunks and pseudo-documents inherit it)."""
        chunk_texts, owner = augmenter.chunks(texts)
        n = len(texts)
        title_counts, body_counts, chinese = featurizer.raw(
            [*titles, *[""] * len(chunk_texts)], [*texts, *chunk_texts]
        )
        digests = tuple(
            hashlib.sha256(json.dumps(row, ensure_ascii=False).encode("utf-8")).digest()
            for row in zip(titles, texts, labels, also, strict=True)
        )
        return cls(
            title_counts[:n],
            body_counts[:n],
            np.asarray(labels),
            tuple(tuple(a) for a in also),
            np.ones(n) if scale is None else np.asarray(scale, dtype=np.float64),
            chinese[:n],
            np.fromiter((len(t) >= 2 * augmenter.chunk_chars for t in texts), dtype=bool),
            body_counts[n:],
            owner,
            chinese[n:],
            digests,
            augmenter,
        )

    def __len__(self) -> int:
        return len(self.labels)

    def digest(self, keep: np.ndarray) -> str:
        """sha256 over the per-row sha256 of the kept (title, text, label) rows, in order."""
        digest = hashlib.sha256()
        for i in keep:
            digest.update(self.row_digests[i])
        return digest.hexdigest()

    def design(
        self, keep: np.ndarray
    ) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(title counts, body counts, labels, weights, source rows, Chinese or not) of the kept
        articles, their chunks and the pseudo-documents made of their short rows; a source row
        is the article a design row comes from (for its ``also`` topics)."""
        aug = self.augmenter
        kept = np.zeros(len(self), dtype=bool)
        kept[keep] = True
        chunk_rows = np.flatnonzero(kept[self.chunk_owner])
        groups = self._pseudo_groups(keep)
        pseudo = groups @ (self.titles + self.bodies)
        empty = sp.csr_matrix((len(chunk_rows) + pseudo.shape[0], self.titles.shape[1]))
        titles = sp.vstack([self.titles[keep], empty], format="csr")
        bodies = sp.vstack([self.bodies[keep], self.chunks[chunk_rows], pseudo], format="csr")
        owners = np.concatenate(
            [self.chunk_owner[chunk_rows], groups.indices[groups.indptr[:-1]]]
        ).astype(np.int64)
        labels = np.concatenate([self.labels[keep], self.labels[owners]]).astype(str)
        weights = (
            np.concatenate(
                [
                    np.where(self.long[keep], aug.fulltext_weight, 1.0),
                    np.full(len(chunk_rows), aug.chunk_weight),
                    np.full(pseudo.shape[0], aug.fulltext_weight),
                ]
            )
            * self.scale[np.concatenate([keep, owners])]
        )
        pseudo_owners = owners[len(chunk_rows) :]
        chinese = np.concatenate(
            [self.chinese[keep], self.chunk_chinese[chunk_rows], self.chinese[pseudo_owners]]
        )
        return titles, bodies, labels, weights, np.concatenate([keep, owners]), chinese

    def _pseudo_groups(self, keep: np.ndarray) -> sp.csr_matrix:
        """0/1 matrix (pseudo-documents x articles): ``pseudo_doc_titles`` short kept rows of
        one label, language and set of ``also`` topics per pseudo-document. Without them,
        topics never seen in full text (e.g. society) get negative weight on everything common
        in long articles and lose every full article."""
        size = self.augmenter.pseudo_doc_titles
        short = np.asarray(keep)[~self.long[keep]]
        rng = np.random.default_rng(self.augmenter.random_state)
        members: list[np.ndarray] = []
        if size > 1:
            keys = np.asarray(
                [f"{self.labels[i]}|{','.join(self.also[i])}|{self.chinese[i]}" for i in short]
            )
            for key in np.unique(keys):
                heads = short[keys == key]
                order = heads[rng.permutation(len(heads))]
                members += [order[i : i + size] for i in range(0, len(order) - size + 1, size)]
        if not members:
            return sp.csr_matrix((0, len(self)), dtype=np.float32)
        indices = np.concatenate(members)
        indptr = np.arange(len(members) + 1) * size
        data = np.ones(len(indices), dtype=np.float32)
        return sp.csr_matrix((data, indices, indptr), shape=(len(members), len(self)))
