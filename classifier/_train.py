"""Training from labeled files: a seeded, stratified held-out part of every file, one model on
the rest, metrics per file on the card. Used by ``newsdesk train`` and ``bench/classify.py``."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sklearn.model_selection import train_test_split

from classifier._data import LabeledData, read_labeled, source_name
from classifier._metrics import evaluate
from classifier._model import TopicModel
from newsdesk.errors import ModelError

log = logging.getLogger(__name__)


def split(data: LabeledData, test_size: float, seed: int) -> tuple[LabeledData, LabeledData]:
    """(train, held out) of one file, stratified by label when every label has 2+ rows."""
    if test_size <= 0 or len(data) < 2:
        return data, LabeledData()
    counts = Counter(data.labels)
    stratify = data.labels if min(counts.values()) >= 2 else None
    index = list(range(len(data)))
    try:
        fit_idx, held_idx = train_test_split(
            index, test_size=test_size, random_state=seed, stratify=stratify
        )
    except ValueError as exc:
        raise ModelError(f"cannot hold out {test_size} of {len(data)} rows: {exc}") from exc
    return data.subset(fit_idx), data.subset(held_idx)


def fit_held_out(
    datasets: Sequence[tuple[str, LabeledData]],
    *,
    test_size: float = 0.1,
    seed: int = 42,
    **params: Any,
) -> tuple[TopicModel, dict[str, Any], LabeledData]:
    """Fit one model on the train part of every named data set; the held-out parts calibrate
    the scores and measure it. Returns (model, metrics, every labeled row)."""
    train, held, everything = LabeledData(), {}, LabeledData()
    for name, data in datasets:
        fit_part, held_part = split(data, test_size, seed)
        train.extend(fit_part)
        everything.extend(data)
        train.unmapped.update(data.unmapped)
        if len(held_part):
            held[name] = held_part
    if not len(train):
        raise ModelError("no training rows with a known topic label; check the label names")
    params.setdefault("random_state", seed)
    held_all = LabeledData()
    for part in held.values():
        held_all.extend(part)
    if len(held_all):  # calibrate on the held-out rows instead of a second internal fit
        params.setdefault("calibration_size", 0.0)
    model = TopicModel(**params).fit(train.titles, train.texts, train.labels)
    if len(held_all):
        model.calibrate(held_all.titles, held_all.texts, held_all.labels)
    metrics: dict[str, Any] = {
        "test_size": test_size,
        "seed": seed,
        "n_unmapped": train.n_unmapped,
        "unmapped": dict(train.unmapped.most_common()),
        "held_out": {},
    }
    for name, part in held.items():
        result = evaluate(model, part)
        metrics["held_out"][name] = {k: result[k] for k in ("n", "accuracy", "macro_f1")}
    if len(held_all):
        result = evaluate(model, held_all)
        metrics["held_out"]["all"] = {k: result[k] for k in ("n", "accuracy", "macro_f1")}
        metrics["per_class"] = result["per_class"]
    model.update_card(metrics=metrics)
    return model, metrics, everything


def refit_all(held_model: TopicModel, everything: LabeledData) -> TopicModel:
    """The same model fitted again on every row, held-out ones included (they are worth more as
    training data than as a second opinion), keeping the temperature and the held-out metrics
    of ``held_model``: they estimate this model slightly pessimistically."""
    params = held_model.get_params()
    model = TopicModel(**params).fit(everything.titles, everything.texts, everything.labels)
    model.temperature_ = held_model.temperature_
    fields = ("temperature", "calibration_rows", "metrics")
    model.update_card(**{k: held_model.card[k] for k in fields if k in held_model.card})
    seconds = held_model.card["training_seconds"] + model.card["training_seconds"]
    model.update_card(refit_on_all_rows=True, training_seconds=round(seconds, 1))
    return model


def train_from_data(
    datasets: Sequence[tuple[str, LabeledData]],
    *,
    test_size: float = 0.1,
    seed: int = 42,
    refit: bool = True,
    **params: Any,
) -> tuple[TopicModel, dict[str, Any]]:
    """:func:`fit_held_out`, then (with ``refit`` and a held-out part) :func:`refit_all`: the
    returned model saw every row, its card holds the held-out metrics of the first fit."""
    model, metrics, everything = fit_held_out(datasets, test_size=test_size, seed=seed, **params)
    if refit and test_size > 0 and len(everything) > model.n_train_:
        model = refit_all(model, everything)
    return model, metrics


def train_files(
    paths: Sequence[Path], *, test_size: float = 0.1, seed: int = 42, **params: Any
) -> tuple[TopicModel, dict[str, Any]]:
    """:func:`train_from_data` over files, each named after its folder and file stem."""
    datasets = [(source_name(Path(p)), read_labeled(p)) for p in paths]
    for name, data in datasets:
        if data.n_unmapped:
            log.warning(
                "%s: %d rows with unmapped labels left out: %s",
                name,
                data.n_unmapped,
                dict(data.unmapped.most_common(10)),
            )
    return train_from_data(datasets, test_size=test_size, seed=seed, **params)
