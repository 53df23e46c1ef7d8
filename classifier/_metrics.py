"""Held-out measurement: accuracy, macro-F1, per-class precision/recall/F1, confusion matrix.

Macro-F1 averages over the topics present in the data (a topic only the model knows does not
count as a class with F1 0, but predicting it is still an error).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from classifier._data import LabeledData
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


def evaluate(model: TopicModel, data: LabeledData) -> dict[str, Any]:
    """Metrics of ``model`` on ``data`` (all topics open), with the unmapped rows counted."""
    result = score(data.labels, model.predict(data.titles, data.texts))
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
