"""Text → sparse feature rows: hashed n-grams, TF-IDF weighted, title and body mixed.

Chinese has no spaces, so a Chinese document is cut into character 1–3-grams; any other document
into word 1–2-grams. The language is decided per document by a cheap script test (the share of CJK
characters among its letters). Hashing keeps no vocabulary, so the saved model is only arrays.
Title and body land in one shared space: title-only corpora (headlines) and full-text corpora teach
the same weights, and a full article mixes its normalized title and body rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DIGITS = str.maketrans("0123456789", "0000000000")
CJK_SHARE = 0.3
PROBE_CHARS = 300


def cjk_share(text: str, probe: int = PROBE_CHARS) -> float:
    """Share of CJK characters among the letters of the first ``probe`` characters."""
    sample = text[:probe]
    letters = sum(ch.isalpha() for ch in sample)
    return len(_CJK.findall(sample)) / letters if letters else 0.0


def is_chinese(text: str) -> bool:
    """True when ``text`` is written mostly in CJK characters."""
    return cjk_share(text) >= CJK_SHARE


def _zh_preprocess(text: str) -> str:
    return "".join(text.lower().split()).translate(_DIGITS)


def _en_preprocess(text: str) -> str:
    return text.lower().translate(_DIGITS)


@dataclass(frozen=True, slots=True)
class Featurizer:
    """Stateless hashing of titles and bodies; ``idf`` (learned by the model) is applied on top."""

    n_features: int
    zh_ngrams: tuple[int, int]
    en_ngrams: tuple[int, int]
    title_weight: float
    max_body_chars: int

    def _vectorizers(self) -> tuple[HashingVectorizer, HashingVectorizer]:
        common = {
            "n_features": self.n_features,
            "alternate_sign": False,
            "norm": None,
            "dtype": np.float32,
        }
        zh = HashingVectorizer(
            analyzer="char", ngram_range=self.zh_ngrams, preprocessor=_zh_preprocess, **common
        )
        en = HashingVectorizer(
            analyzer="word", ngram_range=self.en_ngrams, preprocessor=_en_preprocess, **common
        )
        return zh, en

    def counts(self, docs: Sequence[str], chinese: np.ndarray) -> sp.csr_matrix:
        """Sublinear term counts of ``docs``, each hashed with its language's analyzer."""
        zh_vec, en_vec = self._vectorizers()
        order = np.concatenate([np.flatnonzero(chinese), np.flatnonzero(~chinese)])
        parts = []
        if chinese.any():
            parts.append(zh_vec.transform([docs[i] for i in np.flatnonzero(chinese)]))
        if (~chinese).any():
            parts.append(en_vec.transform([docs[i] for i in np.flatnonzero(~chinese)]))
        if not parts:
            return sp.csr_matrix((0, self.n_features), dtype=np.float32)
        stacked = sp.vstack(parts, format="csr")
        inverse = np.empty_like(order)
        inverse[order] = np.arange(len(order))
        matrix = stacked[inverse]
        matrix.data = 1.0 + np.log(matrix.data, dtype=np.float32)
        return matrix

    def raw(
        self, titles: Sequence[str], texts: Sequence[str]
    ) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """(title counts, body counts), bodies cut to ``max_body_chars``."""
        bodies = [text[: self.max_body_chars] for text in texts]
        chinese = np.fromiter(
            (is_chinese(f"{t} {b[:PROBE_CHARS]}") for t, b in zip(titles, bodies, strict=True)),
            dtype=bool,
            count=len(bodies),
        )
        return self.counts(titles, chinese), self.counts(bodies, chinese)

    def mix(self, title: sp.csr_matrix, body: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
        """TF-IDF rows: normalized title and body mixed by ``title_weight`` (a row missing
        either part is just the other), normalized again."""
        weights = sp.diags(idf.astype(np.float32))
        t = normalize(title @ weights)
        b = normalize(body @ weights)
        has_t = np.diff(t.indptr) > 0
        has_b = np.diff(b.indptr) > 0
        both = has_t & has_b
        tw = np.where(both, self.title_weight, 1.0).astype(np.float32)
        bw = np.where(both, 1.0 - self.title_weight, 1.0).astype(np.float32)
        return normalize(sp.diags(tw) @ t + sp.diags(bw) @ b, copy=False).tocsr()
