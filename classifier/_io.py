"""Saving and loading models as plain arrays + JSON: nothing in the files is ever executed.

A model directory holds ``model.json`` (format tag, parameters, classes, sha256 of the arrays),
``arrays.npz`` (read with ``allow_pickle=False``), ``card.json`` and a ``README.md`` rendering it.
Anything unexpected — unknown format or version, a digest that does not match, arrays of the wrong
dtype or shape — raises :class:`~newsdesk.errors.ModelError` instead of being trusted.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from classifier._card import render_markdown
from newsdesk.errors import ModelError

if TYPE_CHECKING:
    from classifier._model import TopicModel

FORMAT = "newsdesk-topic-model"
VERSION = 4  # 2: one intercept row per language, hash space split by language; 3: Chinese n-grams
# keep a run of whitespace as one space; 4: English word n-grams coded in numpy, not by
# scikit-learn's HashingVectorizer (an older model's features would no longer match its weights)
MAX_BYTES = 25 * 1024 * 1024  # the budget of issue 14
ARRAYS = {  # name → dtype; shapes are checked against the classes and the kept features
    "feature_index": np.uint32,
    "idf": np.float16,
    "coef_q": np.int8,
    "coef_scale": np.float32,
    "intercept": np.float32,
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_model(model: TopicModel, path: Path) -> Path:
    """Write ``model`` into directory ``path`` (created if missing)."""
    path.mkdir(parents=True, exist_ok=True)
    arrays = path / "arrays.npz"
    np.savez_compressed(
        arrays,
        feature_index=model.feature_index_,
        idf=model.idf_[model.feature_index_].astype(np.float16),
        coef_q=model.coef_q_,
        coef_scale=model.coef_scale_,
        intercept=model.intercept_,
    )
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in model.get_params().items()}
    header = {
        "format": FORMAT,
        "version": VERSION,
        "params": params,
        "classes": [str(c) for c in model.classes_],
        "temperature": model.temperature_,
        "n_train": model.n_train_,
        "arrays_sha256": _sha256(arrays),
    }
    _write_json(path / "model.json", header)
    _write_json(path / "card.json", model.card_)
    (path / "README.md").write_text(render_markdown(model.card_), encoding="utf-8")
    size = sum(f.stat().st_size for f in path.iterdir() if f.is_file())
    if size > MAX_BYTES:
        raise ModelError(
            f"model in {path} is {size:,} bytes, over the {MAX_BYTES:,} limit; lower n_features"
        )
    return path


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(
            f"{path} is missing; is {path.parent} a newsdesk model directory?"
        ) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(
            f"{path} is not readable JSON ({exc}); retrain or re-copy the model"
        ) from exc
    if not isinstance(data, dict):
        raise ModelError(f"{path} must hold a JSON object")
    return data


def _read_arrays(path: Path, expected_sha: object) -> dict[str, np.ndarray]:
    if not path.is_file():
        raise ModelError(f"{path} is missing; the model directory is incomplete")
    if _sha256(path) != expected_sha:
        raise ModelError(
            f"{path} does not match the digest in model.json; it was changed after "
            "saving — retrain or re-copy the model"
        )
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{path} is not a plain numpy archive: {exc}") from exc
    if set(arrays) != set(ARRAYS):
        raise ModelError(f"{path} holds arrays {sorted(arrays)}, expected {sorted(ARRAYS)}")
    for name, dtype in ARRAYS.items():
        if arrays[name].dtype != dtype:
            raise ModelError(f"{path}: array {name} is {arrays[name].dtype}, expected {dtype}")
    return arrays


def load_model_dir(cls: type[TopicModel], path: Path) -> TopicModel:
    """Rebuild a fitted ``cls`` from directory ``path``."""
    if not path.is_dir():
        raise ModelError(f"model directory {path} does not exist")
    header = _read_json(path / "model.json")
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise ModelError(
            f"{path} is not a {FORMAT} v{VERSION} model (format "
            f"{header.get('format')!r}, version {header.get('version')!r}); retrain it with "
            "`newsdesk train`"
        )
    arrays = _read_arrays(path / "arrays.npz", header.get("arrays_sha256"))
    try:
        params = {k: tuple(v) if isinstance(v, list) else v for k, v in header["params"].items()}
        model = cls(**params)
        classes = np.asarray([str(c) for c in header["classes"]])
        temperature = float(header["temperature"])
        n_train = int(header["n_train"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path}/model.json is incomplete or invalid: {exc!r}") from exc
    n_kept, n_classes = len(arrays["feature_index"]), len(classes)
    index = arrays["feature_index"]
    if (
        arrays["coef_q"].shape != (n_classes, n_kept)
        or arrays["idf"].shape != (n_kept,)
        or arrays["coef_scale"].shape != (n_classes,)
        or arrays["intercept"].shape != (2, n_classes)
        or (n_kept and int(index.max()) >= model.n_features)
        or not (temperature > 0)
    ):
        raise ModelError(f"{path}: arrays do not fit {n_classes} classes and {n_kept} features")
    model.classes_ = classes
    model.temperature_ = temperature
    model.n_train_ = n_train
    model.feature_index_ = index
    model.idf_ = np.zeros(model.n_features, dtype=np.float32)
    model.idf_[index] = arrays["idf"].astype(np.float32)
    model.coef_q_ = arrays["coef_q"]
    model.coef_scale_ = arrays["coef_scale"]
    model.intercept_ = arrays["intercept"]
    model.card_ = _read_json(path / "card.json")
    model._build_weights()
    return model
