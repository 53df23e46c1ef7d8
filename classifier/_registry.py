"""A file-based model registry: a directory of model directories plus an ``active.json``.

``<models_dir>/<model_id>/`` holds one saved model; ``<models_dir>/active.json`` names the active
one. The store records which model tagged what; this registry only says which model to load.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from newsdesk.errors import ModelError

ACTIVE_FILE = "active.json"


def default_models_dir() -> Path:
    """``$XDG_DATA_HOME/newsdesk/models``, by default ``~/.local/share/newsdesk/models``."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "newsdesk" / "models"


def active_model_id(models_dir: Path) -> str | None:
    """The id named in ``active.json``, or ``None`` when no model was activated."""
    path = models_dir / ACTIVE_FILE
    if not path.is_file():
        return None
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["model_id"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path} is damaged ({exc!r}); run `newsdesk models activate`") from exc


def list_models(models_dir: Path) -> list[dict[str, Any]]:
    """One entry per model directory: id, path, created, labels, held-out metrics, active."""
    if not models_dir.is_dir():
        return []
    active = active_model_id(models_dir)
    found = []
    for child in sorted(models_dir.iterdir()):
        card_path = child / "card.json"
        if not (child / "model.json").is_file() or not card_path.is_file():
            continue
        try:
            card = json.loads(card_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{card_path} is not readable JSON: {exc}") from exc
        found.append(
            {
                "model_id": card.get("model_id", child.name),
                "path": str(child),
                "created": card.get("created"),
                "labels": len(card.get("labels", [])),
                "metrics": card.get("metrics", {}),
                "active": card.get("model_id", child.name) == active,
            }
        )
    return found


def add_model(source: Path, models_dir: Path) -> str:
    """Copy the model in ``source`` into the registry (after checking it loads); its id."""
    from classifier._model import TopicModel

    model_id = TopicModel.load(source).model_id
    target = models_dir / model_id
    if target.exists():
        raise ModelError(f"{model_id} is already in {models_dir}")
    shutil.copytree(source, target)
    return model_id


def resolve(models_dir: Path, model_id: str) -> Path:
    """The directory of ``model_id`` in the registry."""
    for entry in list_models(models_dir):
        if entry["model_id"] == model_id or Path(entry["path"]).name == model_id:
            return Path(entry["path"])
    known = ", ".join(e["model_id"] for e in list_models(models_dir)) or "none"
    raise ModelError(
        f"no model {model_id!r} in {models_dir} (known: {known}); "
        "add one with `newsdesk models add`"
    )


def activate(models_dir: Path, model_id: str) -> Path:
    """Make ``model_id`` the active model (it must load); returns its directory."""
    from classifier._model import TopicModel

    path = resolve(models_dir, model_id)
    loaded_id = TopicModel.load(path).model_id
    tmp = models_dir / f".{ACTIVE_FILE}.tmp"
    tmp.write_text(json.dumps({"model_id": loaded_id, "path": str(path)}) + "\n", encoding="utf-8")
    tmp.replace(models_dir / ACTIVE_FILE)
    return path


def active_model_path(models_dir: Path | None = None) -> Path | None:
    """The directory of the active model of the registry, or ``None`` when none is active."""
    directory = models_dir or default_models_dir()
    model_id = active_model_id(directory)
    return None if model_id is None else resolve(directory, model_id)
