"""Topic classification of news articles (Chinese and English, title + body).

Knows text and labels only: it never imports ``scraper`` or ``store``. The public API::

    model = load_model()                          # the bundled default model
    model.predict_topics(titles, texts)           # [(Topic('society', 0.81),), ...]
    TopicModel(name="mine").fit(titles, texts, labels).save("models/mine")

The bundled default model (``classifier/models/default``, card in its ``README.md``) is trained by
one command from the shared corpora's train and dev splits (their test splits stay held out)::

    newsdesk train --out classifier/models/default
        --data ../shared/data/classify/*/train.jsonl.gz ../shared/data/classify/*/dev.jsonl.gz

(one command line; the ``dev`` files are training data, see the card).

Models are plain arrays + JSON (see ``classifier._io``); loading never unpickles anything.
"""

from __future__ import annotations

import importlib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from classifier import taxonomy
from classifier._data import LabeledData, read_labeled, read_many
from classifier.taxonomy import UNKNOWN, normalize_label

if TYPE_CHECKING:
    from classifier._model import Topic, TopicModel

__all__ = [
    "UNKNOWN",
    "LabeledData",
    "Topic",
    "TopicModel",
    "default_model_path",
    "load_model",
    "normalize_label",
    "read_labeled",
    "read_many",
    "taxonomy",
]


def __getattr__(name: str) -> object:
    """``Topic`` and ``TopicModel`` on first use: the model module loads numpy, SciPy and
    scikit-learn (~2 s), which listing models, deriving labels or reading data never need."""
    if name not in ("Topic", "TopicModel"):
        raise AttributeError(f"module 'classifier' has no attribute {name!r}")
    value = getattr(importlib.import_module("classifier._model"), name)
    globals()[name] = value
    return value


def default_model_path() -> Path:
    """Directory of the default model bundled with the package."""
    return Path(str(resources.files("classifier").joinpath("models", "default")))


def load_model(path: str | Path | None = None) -> TopicModel:
    """The model saved in directory ``path``; ``None`` → the bundled default model."""
    from classifier._model import TopicModel

    return TopicModel.load(default_model_path() if path is None else Path(path))
