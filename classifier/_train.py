"""Training from labeled files: a seeded, stratified held-out part of every file, one model on
the rest, metrics per file on the card. Used by ``newsdesk train`` and ``bench/classify.py``."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.model_selection import train_test_split

from classifier._data import LabeledData, read_labeled, source_name
from classifier._metrics import evaluate
from classifier._model import TopicModel
from newsdesk.errors import ModelError

log = logging.getLogger(__name__)


def split_index(data: LabeledData, test_size: float, seed: int) -> tuple[list[int], list[int]]:
    """(train, held out) row numbers of one data set, stratified by label when every label has
    2+ rows."""
    index = list(range(len(data)))
    if test_size <= 0 or len(data) < 2:
        return index, []
    counts = Counter(data.labels)
    stratify = data.labels if min(counts.values()) >= 2 else None
    try:
        fit_idx, held_idx = train_test_split(
            index, test_size=test_size, random_state=seed, stratify=stratify
        )
    except ValueError as exc:
        raise ModelError(f"cannot hold out {test_size} of {len(data)} rows: {exc}") from exc
    return list(fit_idx), list(held_idx)


def split(data: LabeledData, test_size: float, seed: int) -> tuple[LabeledData, LabeledData]:
    """(train, held out) of one data set, as :func:`split_index` cuts it."""
    fit_idx, held_idx = split_index(data, test_size, seed)
    return data.subset(fit_idx), data.subset(held_idx)


@dataclass(frozen=True, slots=True)
class Trained:
    """The result of :func:`fit_and_refit`: the model fitted without the held-out rows (its
    card holds the held-out metrics), the model to keep, and every labeled row."""

    held_model: TopicModel
    model: TopicModel
    metrics: dict[str, Any]
    everything: LabeledData


def fit_and_refit(
    datasets: Sequence[tuple[str, LabeledData]],
    *,
    test_size: float = 0.1,
    seed: int = 42,
    refit: bool = True,
    **params: Any,
) -> Trained:
    """Fit one model on the train part of every named data set; the held-out parts calibrate
    the scores and measure it. Then (with ``refit`` and a held-out part) fit the same model
    again on every row, held-out ones included (they are worth more as training data than as
    a second opinion), keeping the temperature and the held-out metrics of the first fit: they
    estimate it slightly pessimistically. Every row is hashed once for both fits."""
    everything, fit_index, held = LabeledData(), [], {}
    for name, data in datasets:
        fit_part, held_part = split_index(data, test_size, seed)
        fit_index += [len(everything) + i for i in fit_part]
        if held_part:
            held[name] = data.subset(held_part)
        everything.extend(data)
    if not fit_index:
        raise ModelError("no training rows with a known topic label; check the label names")
    params.setdefault("random_state", seed)
    held_all = LabeledData()
    for part in held.values():
        held_all.extend(part)
    if len(held_all):  # calibrate on the held-out rows instead of a second internal fit
        params.setdefault("calibration_size", 0.0)
    first = TopicModel(**params)
    started = time.perf_counter()
    rows = first.training_rows(
        everything.titles, everything.texts, everything.labels, everything.also
    )
    hashing = time.perf_counter() - started
    first.fit_rows(rows, fit_index)
    first.update_card(training_seconds=round(first.card["training_seconds"] + hashing, 1))
    if len(held_all):
        first.calibrate(held_all.titles, held_all.texts, held_all.labels)
    metrics: dict[str, Any] = {
        "test_size": test_size,
        "seed": seed,
        "n_unmapped": everything.n_unmapped,
        "unmapped": dict(everything.unmapped.most_common()),
        "held_out": {},
    }
    for name, part in held.items():
        result = evaluate(first, part)
        metrics["held_out"][name] = {k: result[k] for k in ("n", "accuracy", "macro_f1")}
    if len(held_all):
        result = evaluate(first, held_all)
        metrics["held_out"]["all"] = {k: result[k] for k in ("n", "accuracy", "macro_f1")}
        metrics["per_class"] = result["per_class"]
    first.update_card(metrics=metrics)
    model = first
    if refit and len(held_all):
        model = TopicModel(**first.get_params()).fit_rows(rows)
        model.temperature_ = first.temperature_
        fields = ("temperature", "calibration_rows", "metrics")
        model.update_card(**{k: first.card[k] for k in fields if k in first.card})
        seconds = first.card["training_seconds"] + model.card["training_seconds"]
        model.update_card(refit_on_all_rows=True, training_seconds=round(seconds, 1))
    return Trained(first, model, metrics, everything)


def train_from_data(
    datasets: Sequence[tuple[str, LabeledData]],
    *,
    test_size: float = 0.1,
    seed: int = 42,
    refit: bool = True,
    **params: Any,
) -> tuple[TopicModel, dict[str, Any]]:
    """:func:`fit_and_refit`, keeping (model, metrics): the returned model saw every row (with
    ``refit``), its card holds the held-out metrics of the first fit."""
    trained = fit_and_refit(datasets, test_size=test_size, seed=seed, refit=refit, **params)
    return trained.model, trained.metrics


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
