"""The model card: what a model knows, what it was trained on, how well it did held out."""

from __future__ import annotations

import hashlib
import json
import platform
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy
import sklearn

from classifier.taxonomy import zh_name

if TYPE_CHECKING:
    from classifier._model import TopicModel


def build_card(model: TopicModel, digest: str, seconds: float) -> dict[str, Any]:
    """A fresh card for a just-fitted model (metrics are added by whoever holds data out). The
    id's hash covers the training data, the parameters and the scikit-learn version, so two
    different models never share an id."""
    created = datetime.now(UTC).replace(microsecond=0)
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in model.get_params().items()}
    recipe = json.dumps([digest, params, sklearn.__version__], sort_keys=True)
    identity = hashlib.sha256(recipe.encode("utf-8")).hexdigest()
    return {
        "model_id": f"{model.name}-{created:%Y-%m-%d}-{identity[:6]}",
        "created": created.isoformat(),
        "labels": [{"id": str(c), "zh": zh_name(str(c))} for c in model.classes_],
        "training_data": {"sha256": digest, "rows": int(model.n_train_)},
        "training_seconds": round(seconds, 1),
        "temperature": model.temperature_,
        "params": params,
        "versions": {
            "python": platform.python_version(),
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
        },
        "metrics": {},
    }


def label_counts(labels: Sequence[str]) -> dict[str, int]:
    """Rows per label, most frequent first."""
    return dict(Counter(labels).most_common())


def _chunks(params: dict[str, Any]) -> str:
    """The card's words for the body-chunk training rows (none by default)."""
    if not params.get("max_chunks"):
        return ""
    return (
        f"up to {params['max_chunks']} body chunks of {params.get('chunk_chars')} characters "
        f"each weigh {params.get('chunk_weight')}, "
    )


def render_markdown(card: dict[str, Any]) -> str:
    """The card as a short Markdown page (written next to the model as README.md)."""
    lines = [
        f"# Topic model `{card['model_id']}`",
        "",
        f"Created {card['created']}; scikit-learn {card['versions']['sklearn']}; trained on "
        f"{card['training_data']['rows']:,} rows (sha256 `{card['training_data']['sha256']}`) "
        f"in {card['training_seconds']} s.",
        "",
    ]
    if card.get("command"):
        lines += ["Trained with:", "", "```", card["command"], "```", ""]
    lines += ["Labels: " + ", ".join(f"{lab['id']} {lab['zh']}" for lab in card["labels"]), ""]
    held_out = card.get("metrics", {}).get("held_out", {})
    if held_out:
        metrics = card["metrics"]
        share = f"{metrics.get('test_size', 0):.0%} of each data set, seed {metrics.get('seed')}"
        lines += [
            f"## Held-out metrics ({share})",
            "",
            "| data | n | accuracy | macro-F1 |",
            "|---|---|---|---|",
        ]
        for name, m in held_out.items():
            lines.append(f"| {name} | {m['n']} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} |")
        lines.append("")
    lines += _evaluation_lines(card)
    params = card.get("params", {})
    zh, en = ("–".join(map(str, params.get(k, ()))) for k in ("zh_ngrams", "en_ngrams"))
    lines += [
        "## How it works",
        "",
        "Each article's language is decided by a script test (share of CJK characters); Chinese "
        f"text is cut into character {zh}-grams (lower half of {params.get('n_features')} hash "
        f"buckets), other text into word {en}-grams (upper half), TF-IDF weighted. A full "
        f"article mixes its normalized title (weight {params.get('title_weight')}) and body "
        f"(first {params.get('max_body_chars')} characters). Full-text training rows weigh "
        f"{params.get('fulltext_weight')}x a headline, {_chunks(params)}and headlines of one "
        "topic are added up into pseudo-documents, so the model does not learn only headline "
        "habits. Chinese n-grams keep a run of whitespace as one space. One set of "
        "one-vs-rest LinearSVC heads per language (Chinese, other; "
        f"C={params.get('C')}, class weights {params.get('class_weight')} per language); a "
        "corpus label that may mean several topics (`label_sets` in `classifier/taxonomy.json`, "
        "e.g. THUCNews 时政 may be world) never counts as a negative for those topics. Scores "
        "are a softmax of the margins with temperature "
        f"{card.get('temperature', 0):.3f} fitted on held-out rows. `predict_topics` returns "
        f"every topic scoring at least the threshold (default {params.get('threshold')}), "
        "or `unknown`.",
        "",
        *_data_notes(card),
        "The full card is `card.json`; the weights are `arrays.npz` (int8, read with "
        "`allow_pickle=False`); `model.json` holds the format tag and the arrays' sha256.",
        "",
    ]
    return "\n".join(lines)


def _data_notes(card: dict[str, Any]) -> list[str]:
    """Paragraphs on how the rows were used: official dev splits trained on, the refit."""
    notes = []
    names = card.get("metrics", {}).get("held_out", {})
    if any(name.endswith("/dev") for name in names):
        notes += [
            "Files named `dev` (official development splits) are training data here, like the "
            "train files; no official test split was trained on.",
            "",
        ]
    if card.get("refit_on_all_rows"):
        notes += [
            "After the held-out measurement the model was fitted again on every row, held-out "
            "rows included, keeping the temperature; the held-out figures above are those of "
            "the first fit.",
            "",
        ]
    return notes


def _evaluation_lines(card: dict[str, Any]) -> list[str]:
    """The ``--eval`` files (never trained on): per language, strict and lenient figures."""
    evaluations = card.get("evaluations", {})
    if not evaluations:
        return []
    lines = [
        "## Measured on files never trained on (accuracy / macro-F1)",
        "",
        "| data | language | n | strict | lenient (second choice accepted) |",
        "|---|---|---|---|---|",
    ]
    for name, result in evaluations.items():
        for lang, entry in result.get("by_language", {}).items():
            strict = entry["strict"]
            lenient = entry.get("lenient")
            loose = f"{lenient['accuracy']:.3f} / {lenient['macro_f1']:.3f}" if lenient else "-"
            lines.append(
                f"| {name} | {lang} | {strict['n']} | {strict['accuracy']:.3f} / "
                f"{strict['macro_f1']:.3f} | {loose} |"
            )
    return [*lines, ""]
