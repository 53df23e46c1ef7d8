"""Held-out measurement: accuracy, macro-F1, per-class precision/recall/F1, confusion matrix.

Macro-F1 averages over the topics present in the data (a topic only the model knows does not
count as a class with F1 0, but predicting it is still an error). Hand-labelled files may give a
second acceptable topic (``alt``) and a ``confidence``: "strict" counts only the label, "lenient"
also accepts the second choice (the truth becomes the prediction where it equals ``alt``), and
both are reported per language (the row's ``lang``, or the script test).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from classifier._data import LabeledData
from classifier._features import is_chinese
from classifier._model import TopicModel
from classifier.taxonomy import zh_name


def score(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Metrics of ``predicted`` against ``truth`` (labels as strings)."""
    present = sorted(set(truth))
    shown = sorted(set(truth) | set(predicted))
    p, r, f, s = precision_recall_fscore_support(truth, predicted, labels=shown, zero_division=0)
    truth_a, pred_a = np.asarray(truth), np.asarray(predicted)
    per_class = {
        label: {
            "precision": round(float(p[i]), 4),
            "recall": round(float(r[i]), 4),
            "f1": round(float(f[i]), 4),
            "support": int(s[i]),
        }
        for i, label in enumerate(shown)
    }
    return {
        "n": len(truth_a),
        "accuracy": round(float((truth_a == pred_a).mean()), 4) if len(truth_a) else 0.0,
        "macro_f1": round(float(np.mean([per_class[c]["f1"] for c in present])), 4)
        if present
        else 0.0,
        "per_class": per_class,
        "confusion": {
            "labels": shown,
            "matrix": confusion_matrix(truth, predicted, labels=shown).tolist(),
        },
    }


def lenient_truth(
    truth: Sequence[str], predicted: Sequence[str], alts: Sequence[str | None]
) -> list[str]:
    """``truth`` with the prediction accepted wherever it equals the row's second choice."""
    return [
        p if a is not None and p == a else t for t, p, a in zip(truth, predicted, alts, strict=True)
    ]


def _summary(truth: list[str], predicted: list[str]) -> dict[str, Any]:
    """n, accuracy and macro-F1 (over the topics in ``truth``) without the per-class tables."""
    present = sorted(set(truth))
    f1 = f1_score(truth, predicted, labels=present, average="macro", zero_division=0)
    accuracy = float(np.mean(np.asarray(truth) == np.asarray(predicted))) if truth else 0.0
    return {"n": len(truth), "accuracy": round(accuracy, 4), "macro_f1": round(float(f1), 4)}


def by_language(data: LabeledData, predicted: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per language: strict accuracy and macro-F1; with ``alt`` in the data also the lenient
    ones; with ``confidence`` also strict accuracy on the high-confidence rows."""
    langs = [
        lang or ("zh" if is_chinese(f"{title} {text[:300]}") else "en")
        for lang, title, text in zip(data.langs, data.titles, data.texts, strict=True)
    ]
    alts = data.alts or [None] * len(data)
    lenient = lenient_truth(data.labels, predicted, alts)
    out: dict[str, dict[str, Any]] = {}
    for lang in sorted(set(langs)):
        rows = [i for i, x in enumerate(langs) if x == lang]
        pred = [predicted[i] for i in rows]
        entry = {"strict": _summary([data.labels[i] for i in rows], pred)}
        if any(alts[i] for i in rows):
            entry["lenient"] = _summary([lenient[i] for i in rows], pred)
        high = [i for i in rows if data.confidences and data.confidences[i] == "high"]
        if high:
            entry["high_confidence"] = _summary(
                [data.labels[i] for i in high], [predicted[i] for i in high]
            )
        out[lang] = entry
    return out


def evaluate(model: TopicModel, data: LabeledData) -> dict[str, Any]:
    """Metrics of ``model`` on ``data`` (all topics open), with the unmapped rows counted, and
    per language (strict, and lenient where the data has second choices)."""
    predicted = model.predict(data.titles, data.texts)
    result = score(data.labels, predicted)
    if any(data.alts):
        result["lenient"] = _summary(lenient_truth(data.labels, predicted, data.alts), predicted)
    result["by_language"] = by_language(data, predicted)
    result["n_unmapped"] = data.n_unmapped
    result["unmapped"] = dict(data.unmapped.most_common())
    result["model_id"] = model.model_id
    return result


def plot_confusion(result: dict[str, Any], path: Path, title: str = "") -> Path:
    """Write the confusion matrix of ``result`` as a PNG (matplotlib is imported only here)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = result["confusion"]["labels"]
    matrix = np.asarray(result["confusion"]["matrix"], dtype=float)
    rows = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    size = 1.0 + 0.45 * len(labels)
    fig, ax = plt.subplots(figsize=(size + 1.5, size))
    image = ax.imshow(rows, cmap="Blues", vmin=0, vmax=1)
    ticks = [f"{label} {zh_name(label)}" if zh_name(label) != label else label for label in labels]
    ax.set_xticks(range(len(labels)), [t.split()[0] for t in ticks], rotation=60, ha="right")
    ax.set_yticks(range(len(labels)), [t.split()[0] for t in ticks])
    for i, j in zip(*np.nonzero(matrix), strict=True):
        ax.text(
            j,
            i,
            int(matrix[i, j]),
            ha="center",
            va="center",
            fontsize=7,
            color="white" if rows[i, j] > 0.5 else "black",
        )
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title or f"accuracy {result['accuracy']:.3f}, macro-F1 {result['macro_f1']:.3f}")
    fig.colorbar(image, ax=ax, fraction=0.046)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
