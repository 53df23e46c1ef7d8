"""Benchmark the topic classifier on the shared corpora, against a reference in the same run.

Usage::

    .venv/bin/python bench/classify.py --data-dir ../shared/data/classify [--seed 42]

Trains one model exactly as ``newsdesk train`` builds the default model (every
``*/train.jsonl.gz`` and ``*/dev.jsonl.gz``, 10% of each held out, seeded, to pick the softmax
temperature and measure; then the same model fitted again on every row), times the training
(reading the files excluded; wall clock and CPU time) and measures:

- ``real_articles_dev`` (whole articles from many sites, never trained on): per language,
  strict (the label only) and lenient (the second choice ``alt`` accepted), accuracy and macro-F1;
- each official test split (``*/test.jsonl.gz``, never trained on) with the refitted model, and
  the held-out 10% of every set without one (the full-text sets among them) with the first fit,
  which never saw it.

Next to every figure: the reference, a plain TF-IDF + LinearSVC trained in the same run on the
same cleaned rows (the train parts minus the held-out 10%, labels through the same aliases): one
model per language, char 1–3-grams for Chinese, word 1–2-grams otherwise, sublinear tf, C=0.5,
balanced class weights, full-text rows (≥ 400 characters) weighted ×5 — the "plain model on all
the data" of issue 14. ``bundled`` is the bundled default model on the same rows.

With ``--leave-out``, one more fit without the full-text corpora Sina, Sogou and BBC, measured on
them (the rows whose label the rest of their language's data teaches): how the model reads whole
articles from sources it never saw, the situation of the held-out real articles, next to the
reference fitted on the same rows.

Then prediction throughput on whole articles (wall clock and CPU time, best of three runs) and
model size. Wall times depend on the machine's load; CPU times are steadier.
"""

from __future__ import annotations

import argparse
import os
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
from classifier._metrics import by_language, score
from classifier._train import fit_and_refit, split


class Reference:
    """Plain TF-IDF + LinearSVC, one model per language (see the module docstring)."""

    def __init__(self, data: LabeledData) -> None:
        docs = [f"{t} {x}".strip() for t, x in zip(data.titles, data.texts, strict=True)]
        chinese = np.asarray([is_chinese(d) for d in docs])
        labels = np.asarray(data.labels)
        weights = np.asarray([5.0 if len(x) >= 400 else 1.0 for x in data.texts])
        self.models = {}
        for zh in (True, False):
            rows = np.flatnonzero(chinese == zh)
            vectorizer = (
                TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
                if zh
                else TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
            )
            X = vectorizer.fit_transform([docs[i] for i in rows])
            svm = LinearSVC(C=0.5, class_weight="balanced")
            self.models[zh] = (vectorizer, svm.fit(X, labels[rows], sample_weight=weights[rows]))

    def predict(self, data: LabeledData) -> list[str]:
        """The best topic of every row, each by its language's model."""
        docs = [f"{t} {x}".strip() for t, x in zip(data.titles, data.texts, strict=True)]
        chinese = np.asarray([is_chinese(d) for d in docs])
        out = np.empty(len(docs), dtype=object)
        for zh, (vectorizer, svm) in self.models.items():
            rows = np.flatnonzero(chinese == zh)
            if len(rows):
                out[rows] = svm.predict(vectorizer.transform([docs[i] for i in rows]))
        return [str(label) for label in out]


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


def _fmt(result: dict) -> str:
    return f"{result['accuracy']:.3f} {result['macro_f1']:.3f}"


def dev_table(data: LabeledData, predictions: dict[str, list[str]]) -> None:
    """Per language and model: strict and lenient accuracy and macro-F1."""
    print(f"real_articles_dev ({len(data)} whole articles): accuracy macro-F1")
    print(f"{'model':<10} {'lang':<5} {'n':>4}  {'strict':>11}  {'lenient':>11}")
    for name, predicted in predictions.items():
        for lang, entry in by_language(data, predicted).items():
            lenient = entry.get("lenient", entry["strict"])
            print(
                f"{name:<10} {lang:<5} {entry['strict']['n']:>4}  {_fmt(entry['strict'])}  "
                f"{_fmt(lenient)}"
            )
    print()


LEFT_OUT = ("sina_fulltext_zh", "sogou_fulltext_zh", "bbc_en")


def leave_corpus_out(datasets: list[tuple[str, LabeledData]], seed: int, reference: bool) -> None:
    """Fit on every set but the full-text corpora of ``LEFT_OUT`` and measure on those."""
    fit, held = LabeledData(), {}
    for name, data in datasets:
        if name.split("/")[0] in LEFT_OUT:
            held[name] = data
        else:
            fit.extend(data)
    model = TopicModel(name="leave-out", random_state=seed, calibration_size=0.0)
    model.fit(fit.titles, fit.texts, fit.labels, fit.also)
    ref = Reference(fit) if reference else None
    fit_chinese = [is_chinese(f"{t} {x[:300]}") for t, x in zip(fit.titles, fit.texts, strict=True)]
    pairs = list(zip(fit.labels, fit_chinese, strict=True))
    known = {zh: {label for label, chinese in pairs if chinese == zh} for zh in (False, True)}
    print("left out of training (whole articles from a source never seen): accuracy macro-F1")
    print(f"{'data':<40} {'n':>6}  {'model':>11}  {'reference':>11}")
    for name, data in held.items():
        rows = zip(data.titles, data.texts, data.labels, strict=True)
        keep = [i for i, (t, x, y) in enumerate(rows) if y in known[is_chinese(f"{t} {x[:300]}")]]
        test = data.subset(keep)
        result = _fmt(score(test.labels, model.predict(test.titles, test.texts)))
        other = "-" if ref is None else _fmt(score(test.labels, ref.predict(test)))
        print(f"{name:<40} {len(test):>6}  {result:>11}  {other:>11}")
    print()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the classify corpora folder")
    parser.add_argument("--seed", type=int, default=42, help="seed of the held-out splits")
    parser.add_argument("--test-size", type=float, default=0.1, help="held-out share per file")
    parser.add_argument("--no-reference", action="store_true", help="skip the reference model")
    parser.add_argument(
        "--leave-out",
        action="store_true",
        help=f"also fit without {', '.join(LEFT_OUT)} and measure on them",
    )
    args = parser.parse_args(argv)

    train_paths = sorted(args.data_dir.glob("*/train.jsonl.gz"))
    if not train_paths:
        parser.error(f"no */train.jsonl.gz under {args.data_dir}")
    paths = train_paths + sorted(args.data_dir.glob("*/dev.jsonl.gz"))
    datasets = [(source_name(p), read_labeled(p)) for p in paths]
    print(f"load average before training: {os.getloadavg()[0]:.2f}")
    started, cpu = time.perf_counter(), time.process_time()
    trained = fit_and_refit(datasets, test_size=args.test_size, seed=args.seed, name="bench")
    train_wall, train_cpu = time.perf_counter() - started, time.process_time() - cpu
    held_model, model = trained.held_model, trained.model
    bundled = load_model()

    fit_all, rows = LabeledData(), []
    for (name, data), path in zip(datasets, paths, strict=True):
        fit_part, held = split(data, args.test_size, args.seed)
        fit_all.extend(fit_part)
        test_path = path.parent / "test.jsonl.gz"
        if path.name.startswith("train") and test_path.is_file():
            rows.append((source_name(test_path), read_labeled(test_path), model))
        else:
            rows.append((f"{name} (held out)", held, held_model))
    reference = None if args.no_reference else Reference(fit_all)

    dev_path = args.data_dir / "real_articles_dev" / "test.jsonl.gz"
    if dev_path.is_file():
        dev = read_labeled(dev_path)
        predictions = {"model": model.predict(dev.titles, dev.texts)}
        if reference is not None:
            predictions["reference"] = reference.predict(dev)
        predictions["bundled"] = bundled.predict(dev.titles, dev.texts)
        dev_table(dev, predictions)

    print(f"{'data':<40} {'n':>6}  {'acc  macro-F1':>13}  {'reference':>11}  {'bundled':>7}")
    for name, test, measured in rows:
        if not len(test):
            continue
        result = score(test.labels, measured.predict(test.titles, test.texts))
        ref = "-" if reference is None else _fmt(score(test.labels, reference.predict(test)))
        shipped = np.mean(np.asarray(bundled.predict(test.titles, test.texts)) == test.labels)
        print(f"{name:<40} {result['n']:>6}  {_fmt(result):>13}  {ref:>11}  {shipped:>7.3f}")

    full = [
        (t, x) for _, d, _ in rows for t, x in zip(d.titles, d.texts, strict=True) if len(x) > 500
    ]
    if dev_path.is_file():
        full += list(zip(dev.titles, dev.texts, strict=True))
    full = (full * (1 + 2000 // max(len(full), 1)))[:2000]
    art_wall, art_cpu = throughput(model, [t for t, _ in full], [x for _, x in full])
    median = int(np.median([len(x) for _, x in full]))
    with tempfile.TemporaryDirectory() as tmp:
        size = sum(f.stat().st_size for f in model.save(Path(tmp) / "m").iterdir())
    print()
    print(
        f"training: {model.card['training_data']['rows']:,} rows ({len(paths)} files), "
        f"held-out fit + refit on every row {train_wall:.1f} s wall, {train_cpu:.1f} s CPU, "
        f"n_jobs={model.n_jobs}"
    )
    print(
        f"prediction, whole articles: {art_wall:,.0f} docs/s wall, {art_cpu:,.0f} docs/s CPU "
        f"({len(full):,} articles of median {median:,} chars, body cut at "
        f"{model.max_body_chars} chars)"
    )
    print(
        f"model size: {size / 1e6:.2f} MB on disk ({len(model.feature_index_):,} features kept "
        f"of {model.n_features:,}); bundled default: {bundled.model_id}"
    )
    if args.leave_out:
        print()
        leave_corpus_out(datasets, args.seed, reference=not args.no_reference)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
