"""Benchmark the topic classifier on the shared corpora, against a reference in the same run.

Usage::

    .venv/bin/python bench/classify.py --data-dir ../shared/data/classify [--seed 42]

Trains one model exactly as ``newsdesk train`` builds the default model (every
``*/train.jsonl.gz`` and ``*/dev.jsonl.gz``, 10% of each held out, seeded, to pick the softmax
temperature and measure; then the same model fitted again on every row, both fits from one
hashing pass over the rows), times the training (reading the files excluded), and measures
accuracy and macro-F1 on each official test set (``*/test.jsonl.gz``, never trained on) with the
refitted model, and on the held-out part of every set without one (the full-text sets) with the
first fit, which never saw it. Columns:

- ``acc`` / ``macro-F1``: the 19-topic model, every topic open (how newsdesk uses it);
- ``acc(own)``: the same model choosing only among the topics of that data set, which is what the
  reference can do;
- ``ref acc``: the reference, TF-IDF + LinearSVC trained on that data set's train file alone minus
  its held-out 10% (char 1–3-grams for Chinese, word 1–2-grams for English), like the README's
  reference figures;
- ``bundled``: the bundled default model's accuracy on the official test sets (its training
  never saw them).

Then prediction throughput (titles and full articles, wall clock and CPU time, best of three runs)
and model size. Wall times depend on the machine's load; CPU times are steadier.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classifier import LabeledData, TopicModel, load_model, read_labeled
from classifier._data import source_name
from classifier._features import is_chinese
from classifier._metrics import score
from classifier._train import fit_and_refit, split


def reference_accuracy(train: LabeledData, test: LabeledData) -> float:
    """TF-IDF + LinearSVC trained on one data set alone (title and text joined)."""
    docs = [f"{t} {x}".strip() for t, x in zip(train.titles, train.texts, strict=True)]
    chinese = np.mean([is_chinese(d) for d in docs[:200]]) > 0.5
    vectorizer = (
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        if chinese
        else TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    )
    svm = LinearSVC(C=0.5).fit(vectorizer.fit_transform(docs), train.labels)
    test_docs = [f"{t} {x}".strip() for t, x in zip(test.titles, test.texts, strict=True)]
    predicted = svm.predict(vectorizer.transform(test_docs))
    return float(np.mean(predicted == np.asarray(test.labels)))


def own_label_accuracy(model: TopicModel, data: LabeledData) -> float:
    """Accuracy when the model may only choose among the topics present in ``data``."""
    scores = model.decision_function(data.titles, data.texts)
    allowed = np.isin(model.classes_, sorted(set(data.labels)))
    predicted = model.classes_[np.where(allowed, scores, -np.inf).argmax(axis=1)]
    return float(np.mean(predicted == np.asarray(data.labels)))


def throughput(model: TopicModel, titles: list[str], texts: list[str]) -> tuple[float, float]:
    """(docs per wall second, docs per CPU second) of ``predict_topics``, best of 3 runs."""
    model.predict_topics(titles[:50], texts[:50])
    walls, cpus = [], []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        model.predict_topics(titles, texts)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return len(texts) / min(walls), len(texts) / min(cpus)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the classify corpora folder")
    parser.add_argument("--seed", type=int, default=42, help="seed of the held-out splits")
    parser.add_argument("--test-size", type=float, default=0.1, help="held-out share per file")
    parser.add_argument("--no-reference", action="store_true", help="skip the reference models")
    args = parser.parse_args(argv)

    train_paths = sorted(args.data_dir.glob("*/train.jsonl.gz"))
    if not train_paths:
        parser.error(f"no */train.jsonl.gz under {args.data_dir}")
    paths = train_paths + sorted(args.data_dir.glob("*/dev.jsonl.gz"))
    datasets = [(source_name(p), read_labeled(p)) for p in paths]
    started, cpu = time.perf_counter(), time.process_time()
    trained = fit_and_refit(datasets, test_size=args.test_size, seed=args.seed, name="bench")
    held_model, model = trained.held_model, trained.model
    train_wall, train_cpu = time.perf_counter() - started, time.process_time() - cpu
    bundled = load_model()

    rows = []
    for (_, data), path in zip(datasets, train_paths, strict=False):
        fit_part, held = split(data, args.test_size, args.seed)
        test_path = path.parent / "test.jsonl.gz"
        if test_path.is_file():
            rows.append((source_name(test_path), fit_part, read_labeled(test_path), model))
        else:
            rows.append((f"{source_name(path)} (held out)", fit_part, held, held_model))

    print(
        f"{'data':<34} {'n':>6} {'acc':>7} {'macro-F1':>8} {'acc(own)':>8} {'ref acc':>7} "
        f"{'bundled':>7}"
    )
    for name, fit_part, test, measured in rows:
        result = score(test.labels, measured.predict(test.titles, test.texts))
        reference = "-" if args.no_reference else f"{reference_accuracy(fit_part, test):.4f}"
        own = own_label_accuracy(measured, test)
        shipped = (
            f"{np.mean(np.asarray(bundled.predict(test.titles, test.texts)) == test.labels):.4f}"
            if measured is model
            else "-"
        )
        print(
            f"{name:<34} {result['n']:>6} {result['accuracy']:>7.4f} {result['macro_f1']:>8.4f} "
            f"{own:>8.4f} {reference:>7} {shipped:>7}"
        )

    titles = read_labeled(args.data_dir / "thucnews_titles_zh" / "test.jsonl.gz")
    full = [
        (t, x)
        for _, _, d, _ in rows
        for t, x in zip(d.titles, d.texts, strict=True)
        if len(x) > 500
    ]
    full = (full * (1 + 2000 // max(len(full), 1)))[:2000]
    title_wall, title_cpu = throughput(model, [""] * len(titles), titles.texts)
    art_wall, art_cpu = throughput(model, [t for t, _ in full], [x for _, x in full])
    with tempfile.TemporaryDirectory() as tmp:
        size = sum(f.stat().st_size for f in model.save(Path(tmp) / "m").iterdir())
    print()
    print(
        f"training: {model.card['training_data']['rows']:,} rows ({len(paths)} files), "
        f"held-out fit + refit on every row {train_wall:.1f} s wall, {train_cpu:.1f} s CPU, "
        f"n_jobs={model.n_jobs}"
    )
    print(
        f"prediction, titles:   {title_wall:,.0f} docs/s wall, {title_cpu:,.0f} docs/s CPU "
        f"({len(titles):,} thucnews test titles)"
    )
    print(
        f"prediction, articles: {art_wall:,.0f} docs/s wall, {art_cpu:,.0f} docs/s CPU "
        f"({len(full):,} full-text articles, body cut at {model.max_body_chars} chars)"
    )
    print(
        f"model size: {size / 1e6:.2f} MB on disk ({len(model.feature_index_):,} features kept "
        f"of {model.n_features:,}); bundled default: {bundled.model_id}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
