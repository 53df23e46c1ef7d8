"""One-vs-rest LinearSVC heads, one set per language, over one shared feature space.

Chinese n-grams hash into the lower half of the features and other n-grams into the upper half
(``classifier._features``), so a Chinese and an English head never share a weight; each language
gets its own intercepts and its own class balance. A topic one language never saw (English has no
agriculture corpus) gets no weights there and an intercept of ``ABSENT``: that head never picks it.
Measured on ``real_articles_dev``: see docs/architecture.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.svm import LinearSVC

ABSENT = -10.0
LANGUAGES = ("other", "zh")  # intercept rows: index 1 for Chinese rows, 0 for the rest


@dataclass(frozen=True, slots=True)
class HeadParams:
    """The LinearSVC settings shared by every head."""

    C: float
    tol: float
    class_weight: str | None
    random_state: int
    n_jobs: int


def _one_vs_rest(
    X: sp.csr_matrix,
    y: np.ndarray,
    w: np.ndarray,
    maybe: np.ndarray,
    present: np.ndarray,
    params: HeadParams,
) -> tuple[np.ndarray, np.ndarray]:
    """(coef, intercept) of one binary LinearSVC per class in ``present``, on ``n_jobs`` threads
    (liblinear releases the GIL). ``maybe[i, k]`` leaves row ``i`` out of class ``k``'s
    negatives: its corpus label may mean ``k`` too."""
    X = X.astype(np.float64)  # liblinear's dtype: converted once, not once per topic
    if params.class_weight == "balanced":
        totals = np.bincount(y, weights=w, minlength=maybe.shape[1])
        w = w * (w.sum() / (len(present) * np.maximum(totals, 1e-12)))[y]

    def one(k: int) -> LinearSVC:
        svm = LinearSVC(
            C=params.C, tol=params.tol, random_state=params.random_state, dual=True, max_iter=2000
        )
        weights = np.where(maybe[:, k] & (y != k), 0.0, w)
        return svm.fit(X, (y == k).astype(np.int8), sample_weight=weights)

    fitted = Parallel(n_jobs=params.n_jobs, prefer="threads")(delayed(one)(int(k)) for k in present)
    coef = np.vstack([svm.coef_ for svm in fitted]).astype(np.float32)
    intercept = np.concatenate([svm.intercept_ for svm in fitted]).astype(np.float32)
    return coef, intercept


def fit_heads(
    X: sp.csr_matrix,
    y: np.ndarray,
    w: np.ndarray,
    maybe: np.ndarray,
    chinese: np.ndarray,
    params: HeadParams,
) -> tuple[np.ndarray, np.ndarray]:
    """(coef of shape (classes, features), intercept of shape (2, classes)): the Chinese rows
    teach the lower half of the features, the others the upper half."""
    n_classes, half = maybe.shape[1], X.shape[1] // 2
    coef = np.zeros((n_classes, X.shape[1]), dtype=np.float32)
    intercept = np.full((len(LANGUAGES), n_classes), ABSENT, dtype=np.float32)
    for lang, cols in ((0, slice(half, None)), (1, slice(0, half))):
        rows = np.flatnonzero(chinese == bool(lang))
        present = np.unique(y[rows])
        if len(present) == 1:
            intercept[lang, present[0]] = 0.0
        if len(present) < 2:
            continue
        c, b = _one_vs_rest(X[rows], y[rows], w[rows], maybe[rows], present, params)
        coef[present, cols] = c[:, cols]
        intercept[lang, present] = b
    return coef, intercept


def margins(X: sp.csr_matrix, coef: np.ndarray, intercept: np.ndarray, chinese: np.ndarray):
    """Decision values of float weights (used while training, before quantization)."""
    return np.asarray(X @ coef.T) + intercept[chinese.astype(np.int64)]
