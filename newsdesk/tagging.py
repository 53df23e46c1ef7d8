"""Re-tagging stored articles with a topic model, in batches, resumably.

Each batch's topics are written in one transaction under the model's id, and only articles the
model has not tagged yet are read, so an interrupted run continues where it stopped and a run
with a new model keeps the old model's tags beside the new ones (the article's top topic follows
the latest run).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from classifier import TopicModel, default_model_path, load_model
from store import Store


def resolve_model(store: Store, path: Path | None) -> tuple[TopicModel, Path]:
    """The model named by ``path``, else the database's active model, else the bundled default."""
    if path is None:
        active = store.active_model()
        path = Path(active["path"]) if active and active.get("path") else default_model_path()
    return load_model(path), path


def retag(
    store: Store,
    model: TopicModel,
    model_path: Path,
    *,
    threshold: float,
    batch_size: int = 500,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Tag every article ``model`` has not tagged yet; returns how many were tagged."""
    store.register_model(model.model_id, model.card, str(model_path))
    tagged = 0
    for batch in store.iter_articles_for_tagging(model.model_id, batch_size):
        ids = [article_id for article_id, _, _ in batch]
        titles = [title for _, title, _ in batch]
        texts = [text for _, _, text in batch]
        topics = model.predict_topics(titles, texts, threshold=threshold)
        store.save_topics(list(zip(ids, topics, strict=True)), model.model_id)
        tagged += len(batch)
        if on_batch is not None:
            on_batch(tagged)
    return tagged
