"""The topic model: hashed n-gram TF-IDF rows → one-vs-rest LinearSVC heads, one set per
language (``classifier._heads``) → softmax scores.

``TopicModel`` follows the scikit-learn estimator contract: ``__init__`` only stores parameters,
``fit`` returns ``self`` and sets the learned attributes (ending in ``_``); using an unfitted model
raises :class:`~newsdesk.errors.ModelError`. Weights are quantized to int8 right after fitting, so
a fitted model and the same model saved and loaded again predict exactly the same.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import train_test_split

from classifier._calibrate import fit_temperature, softmax
from classifier._card import build_card
from classifier._features import Featurizer
from classifier._heads import HeadParams, fit_heads, margins
from classifier._rows import Augmenter, TrainingRows
from classifier.taxonomy import UNKNOWN
from newsdesk.errors import ModelError

log = logging.getLogger(__name__)

DEFAULT_TEMPERATURE = 0.2
PRODUCT_NNZ = 2**17  # features per block of the margin product: 10 MB of scratch


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic of an article: canonical id (or ``unknown``) and its score in [0, 1]."""

    label: str
    score: float


def _texts(values: Sequence[str | None] | None, n: int, what: str) -> list[str]:
    if values is None:
        return [""] * n
    if len(values) != n:
        raise ModelError(f"got {n} titles but {len(values)} {what}; pass one of each per article")
    return [v or "" for v in values]


class TopicModel:
    """Multi-class topic classifier for Chinese and English news (title + body)."""

    def __init__(
        self,
        *,
        name: str = "topics",
        n_features: int = 2**20,
        zh_ngrams: tuple[int, int] = (1, 3),
        en_ngrams: tuple[int, int] = (1, 2),
        title_weight: float = 0.4,
        max_body_chars: int = 3000,
        min_df: int = 2,
        C: float = 1.0,
        tol: float = 1e-2,
        chunk_chars: int = 300,
        max_chunks: int = 0,
        fulltext_weight: float = 5.0,
        chunk_weight: float = 1.0,
        pseudo_doc_titles: int = 8,
        class_weight: str | None = "balanced",
        calibration_size: float = 0.1,
        threshold: float = 0.3,
        random_state: int = 42,
        n_jobs: int = 2,
    ) -> None:
        self.name = name
        self.n_features = n_features
        self.zh_ngrams = zh_ngrams
        self.en_ngrams = en_ngrams
        self.title_weight = title_weight
        self.max_body_chars = max_body_chars
        self.min_df = min_df
        self.C = C
        self.tol = tol
        self.chunk_chars = chunk_chars
        self.max_chunks = max_chunks
        self.fulltext_weight = fulltext_weight
        self.chunk_weight = chunk_weight
        self.pseudo_doc_titles = pseudo_doc_titles
        self.class_weight = class_weight
        self.calibration_size = calibration_size
        self.threshold = threshold
        self.random_state = random_state
        self.n_jobs = n_jobs

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters (scikit-learn convention)."""
        keys = (
            "name",
            "n_features",
            "zh_ngrams",
            "en_ngrams",
            "title_weight",
            "max_body_chars",
            "min_df",
            "C",
            "tol",
            "chunk_chars",
            "max_chunks",
            "fulltext_weight",
            "chunk_weight",
            "pseudo_doc_titles",
            "class_weight",
            "calibration_size",
            "threshold",
            "random_state",
            "n_jobs",
        )
        return {key: getattr(self, key) for key in keys}

    def set_params(self, **params: Any) -> TopicModel:
        """Change constructor parameters; returns ``self``."""
        for key, value in params.items():
            if key not in self.get_params():
                raise ModelError(f"unknown parameter {key!r} of TopicModel")
            setattr(self, key, value)
        return self

    @property
    def featurizer(self) -> Featurizer:
        """The hashing featurizer these parameters describe."""
        return Featurizer(
            self.n_features,
            tuple(self.zh_ngrams),
            tuple(self.en_ngrams),
            self.title_weight,
            self.max_body_chars,
        )

    # ----------------------------------------------------------------------------- training
    def _idf(self, title: sp.csr_matrix, body: sp.csr_matrix) -> np.ndarray:
        present = (title + body).tocsc()
        df = np.diff(present.indptr)
        n = present.shape[0]
        idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float16).astype(np.float32)
        idf[df < self.min_df] = 0.0
        return idf

    @property
    def _head_params(self) -> HeadParams:
        return HeadParams(self.C, self.tol, self.class_weight, self.random_state, self.n_jobs)

    def fit(
        self,
        titles: Sequence[str | None] | None,
        texts: Sequence[str | None],
        labels: Sequence[str],
        also: Sequence[Sequence[str]] | None = None,
    ) -> TopicModel:
        """Learn from articles (``titles`` may be ``None`` for headline-only corpora) and their
        topic labels; ``also[i]`` lists the other topics row ``i``'s label may mean (it is not
        taught "not" those); returns ``self``."""
        return self.fit_rows(self.training_rows(titles, texts, labels, also))

    def training_rows(
        self,
        titles: Sequence[str | None] | None,
        texts: Sequence[str | None],
        labels: Sequence[str],
        also: Sequence[Sequence[str]] | None = None,
    ) -> TrainingRows:
        """The hashed training rows of labeled articles, for :meth:`fit_rows` (one hashing pass
        serves several fits on parts of the same rows)."""
        texts_ = _texts(texts, len(labels), "texts")
        titles_ = _texts(titles, len(labels), "titles")
        augmenter = Augmenter(
            self.chunk_chars,
            self.max_chunks,
            self.max_body_chars,
            self.fulltext_weight,
            self.chunk_weight,
            self.pseudo_doc_titles,
            self.random_state,
        )
        labels_ = [str(label) for label in labels]
        also_ = [tuple(a) for a in also] if also is not None else [()] * len(labels_)
        if len(also_) != len(labels_):
            raise ModelError(f"got {len(labels_)} labels but {len(also_)} also-sets")
        return TrainingRows.build(self.featurizer, augmenter, titles_, texts_, labels_, also_)

    def fit_rows(self, rows: TrainingRows, keep: Sequence[int] | None = None) -> TopicModel:
        """Learn from the articles ``keep`` (default: all) of ``rows`` made by
        :meth:`training_rows` with the same parameters; returns ``self``."""
        started = time.perf_counter()
        keep_ = np.arange(len(rows)) if keep is None else np.asarray(keep, dtype=np.int64)
        classes = sorted(set(rows.labels[keep_].tolist()))
        if len(classes) < 2:
            raise ModelError(f"need at least two topics to train, got {classes}")
        title_counts, body_counts, y, w, source, chinese = rows.design(keep_)
        self.idf_ = self._idf(title_counts, body_counts)
        X = self.featurizer.mix(title_counts, body_counts, self.idf_)
        self.classes_ = np.asarray(classes)
        y_idx = np.searchsorted(self.classes_, y)
        position = {str(c): k for k, c in enumerate(classes)}
        maybe_row = np.zeros((len(rows), len(classes)), dtype=bool)
        for i in keep_:
            for topic in rows.also[i]:
                if topic in position:
                    maybe_row[i, position[topic]] = True
        maybe = maybe_row[source]
        self.temperature_ = self._calibration(X, y_idx, w, maybe, chinese)
        self._set_weights(*fit_heads(X, y_idx, w, maybe, chinese, self._head_params))
        self.n_train_ = len(keep_)
        seconds = time.perf_counter() - started
        self.card_ = build_card(self, rows.digest(keep_), seconds)
        log.info("trained %s on %d rows in %.1fs", self.model_id, len(keep_), seconds)
        return self

    def _calibration(
        self, X: sp.csr_matrix, y: np.ndarray, w: np.ndarray, maybe: np.ndarray, chinese: np.ndarray
    ) -> float:
        """Temperature of the softmax, fitted on a held-out part of the (augmented) training
        rows; chunks of one article may land on both sides, which makes it a little sharp.
        ``newsdesk train`` calibrates on its held-out articles instead (see ``calibrate``)."""
        if not self.calibration_size:
            return DEFAULT_TEMPERATURE
        index = np.arange(X.shape[0])
        counts = np.bincount(y)
        stratify = y if counts[counts > 0].min() >= 2 else None
        fit_idx, cal_idx = train_test_split(
            index,
            test_size=self.calibration_size,
            random_state=self.random_state,
            stratify=stratify,
        )
        fit = (X[fit_idx], y[fit_idx], w[fit_idx], maybe[fit_idx], chinese[fit_idx])
        coef, intercept = fit_heads(*fit, self._head_params)
        scores = margins(X[cal_idx], coef, intercept, chinese[cal_idx])
        return fit_temperature(scores, y[cal_idx])

    def calibrate(
        self,
        titles: Sequence[str | None] | None,
        texts: Sequence[str | None],
        labels: Sequence[str],
    ) -> TopicModel:
        """Fit the softmax temperature on held-out labeled articles (rows whose label the model
        does not know are skipped); returns ``self``. Rankings do not change, only scores."""
        self._check_fitted()
        known = {str(c): i for i, c in enumerate(self.classes_)}
        keep = [i for i, label in enumerate(labels) if str(label) in known]
        if not keep:
            raise ModelError("no calibration rows with a topic this model knows")
        texts_ = _texts(texts, len(labels), "texts")
        titles_ = _texts(titles, len(labels), "titles")
        scores = self.decision_function([titles_[i] for i in keep], [texts_[i] for i in keep])
        truth = np.asarray([known[str(labels[i])] for i in keep])
        self.temperature_ = fit_temperature(scores, truth)
        self.card_["temperature"] = self.temperature_
        self.card_["calibration_rows"] = len(keep)
        return self

    def _set_weights(self, coef: np.ndarray, intercept: np.ndarray) -> None:
        """Keep the columns with a non-zero idf and quantize their weights to int8."""
        self.feature_index_ = np.flatnonzero(self.idf_).astype(np.uint32)
        kept = coef[:, self.feature_index_]
        scale = np.maximum(np.abs(kept).max(axis=1), 1e-12) / 127.0
        self.coef_q_ = np.round(kept / scale[:, None]).astype(np.int8)
        self.coef_scale_ = scale.astype(np.float32)
        self.intercept_ = intercept
        self._build_weights()

    # ----------------------------------------------------------------------------- prediction
    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_q_"):
            raise ModelError("this TopicModel is not fitted yet; call fit (or TopicModel.load)")

    def _build_weights(self) -> None:
        """Feature → class int8 weight table (2**19 features x 19 classes is 10 MB in memory;
        float32 would be 40 MB in every process that classifies)."""
        table = np.zeros((self.n_features, len(self.classes_)), dtype=np.int8)
        table[self.feature_index_] = self.coef_q_.T
        self.weights_q_ = table

    def _product(self, X: sp.csr_matrix, chinese: np.ndarray) -> np.ndarray:
        """``X @ weights`` plus each row's language intercept: per block of rows, gather the
        int8 weight rows of the block's features and sum them weighted by the feature values
        (one sparse x dense product over the gathered rows), so float weights only ever exist
        for one block's features."""
        out = np.zeros((X.shape[0], len(self.classes_)), dtype=np.float32)
        cuts = np.searchsorted(X.indptr, np.arange(PRODUCT_NNZ, X.nnz, PRODUCT_NNZ))
        bounds = np.unique(np.concatenate([[0], cuts, [X.shape[0]]]))
        for start, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            lo, hi = X.indptr[start], X.indptr[stop]
            gathered = self.weights_q_[X.indices[lo:hi]].astype(np.float32)
            indptr = X.indptr[start : stop + 1] - lo
            positions = np.arange(hi - lo, dtype=np.int32)
            block = sp.csr_matrix((X.data[lo:hi], positions, indptr), shape=(stop - start, hi - lo))
            out[start:stop] = block @ gathered
        return out * self.coef_scale_ + self.intercept_[chinese.astype(np.int64)]

    def _margins(
        self, titles: Sequence[str | None] | None, texts: Sequence[str | None]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(margins, mask of rows with at least one known feature)."""
        self._check_fitted()
        texts_ = _texts(texts, len(texts), "texts")
        titles_ = _texts(titles, len(texts_), "titles")
        title, body, chinese = self.featurizer.raw(titles_, texts_)
        X = self.featurizer.mix(title, body, self.idf_)
        return self._product(X, chinese), np.diff(X.indptr) > 0

    def decision_function(
        self, titles: Sequence[str | None] | None, texts: Sequence[str | None]
    ) -> np.ndarray:
        """Raw margins, one column per class in ``classes_`` order."""
        return self._margins(titles, texts)[0]

    def predict_proba(
        self, titles: Sequence[str | None] | None, texts: Sequence[str | None]
    ) -> np.ndarray:
        """Scores in [0, 1] summing to 1 per row (softmax of the margins)."""
        return softmax(self.decision_function(titles, texts), self.temperature_)

    def predict(
        self, titles: Sequence[str | None] | None, texts: Sequence[str | None]
    ) -> list[str]:
        """The best topic of each article, no threshold."""
        return [
            str(label) for label in self.classes_[self.decision_function(titles, texts).argmax(1)]
        ]

    def predict_topics(
        self,
        titles: Sequence[str | None] | None,
        texts: Sequence[str | None],
        threshold: float | None = None,
    ) -> list[tuple[Topic, ...]]:
        """Every topic scoring at least ``threshold`` (default: the model's), best first; a
        single ``unknown`` topic carrying the best score when none reaches it (score 0 for an
        article without a single n-gram the model knows, e.g. an empty one)."""
        cut = self.threshold if threshold is None else threshold
        margins, known = self._margins(titles, texts)
        proba = softmax(margins, self.temperature_)
        proba[~known] = 0.0  # nothing the model has seen: no evidence for any topic
        order = np.argsort(-proba, axis=1, kind="stable")
        ranked = np.take_along_axis(proba, order, axis=1)
        labels = [str(c) for c in self.classes_]
        out = []
        for row_order, row_scores in zip(order.tolist(), ranked.tolist(), strict=True):
            chosen = [
                Topic(labels[i], round(s, 4))
                for i, s in zip(row_order, row_scores, strict=True)
                if s >= cut and s > 0
            ]
            out.append(tuple(chosen) or (Topic(UNKNOWN, round(row_scores[0], 4)),))
        return out

    # ----------------------------------------------------------------------------- identity, io
    @property
    def model_id(self) -> str:
        """Stable id of this fitted model, e.g. ``default-2026-11-29-ab12cd``."""
        self._check_fitted()
        return str(self.card_["model_id"])

    @property
    def card(self) -> dict[str, Any]:
        """The model card: labels, data digest, versions, parameters, held-out metrics."""
        self._check_fitted()
        return self.card_

    def update_card(self, **fields: Any) -> TopicModel:
        """Record more on the card (held-out ``metrics``, the training ``command``); returns
        ``self``. The card is saved with the model."""
        self._check_fitted()
        self.card_.update(fields)
        return self

    def save(self, path: str | Path) -> Path:
        """Write the model to directory ``path`` (arrays + JSON, no pickle); returns it."""
        from classifier._io import save_model

        self._check_fitted()
        return save_model(self, Path(path))

    @classmethod
    def load(cls, path: str | Path) -> TopicModel:
        """Read a model written by :meth:`save`; never executes code from the files."""
        from classifier._io import load_model_dir

        return load_model_dir(cls, Path(path))
