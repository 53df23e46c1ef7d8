"""Commands for training, measuring and choosing topic models: ``train``, ``evaluate``, ``models``.

Thin layer over :mod:`classifier`: parse options, call one library function, print the result.
Library errors become :class:`click.ClickException` with the library's message.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from newsdesk.errors import NewsdeskError

if TYPE_CHECKING:
    from classifier import LabeledData

DATA_PATH = click.Path(exists=True, dir_okay=False, path_type=Path)
MODEL_PATH = click.Path(exists=True, file_okay=False, path_type=Path)


@contextmanager
def _library_errors() -> Iterator[None]:
    """Turn newsdesk errors (including the store's, with --from-db) into one-line CLI errors."""
    try:
        yield
    except NewsdeskError as exc:
        raise click.ClickException(str(exc)) from exc


def _metrics_table(held_out: dict[str, dict[str, Any]]) -> str:
    width = max([len(name) for name in held_out] + [4])
    lines = [f"{'data':<{width}}  {'n':>7}  accuracy  macro-F1"]
    lines += [
        f"{name:<{width}}  {m['n']:>7}  {m['accuracy']:>8.4f}  {m['macro_f1']:>8.4f}"
        for name, m in held_out.items()
    ]
    return "\n".join(lines)


def _language_table(by_language: dict[str, dict[str, Any]]) -> str:
    """Per language: strict accuracy and macro-F1, and the lenient and high-confidence ones
    where the data has ``alt`` and ``confidence``."""
    lines = [f"{'language':<8}  {'measure':<15}  {'n':>5}  accuracy  macro-F1"]
    for lang, entry in by_language.items():
        for measure, m in entry.items():
            lines.append(
                f"{lang:<8}  {measure:<15}  {m['n']:>5}  {m['accuracy']:>8.4f}  "
                f"{m['macro_f1']:>8.4f}"
            )
    return "\n".join(lines)


def _from_db(db: Path, label_source: str) -> LabeledData:
    """Labeled articles of a newsdesk database as one data set (the store is imported here
    only, so the classifier commands work without it)."""
    from classifier import LabeledData
    from store import Store

    data = LabeledData()
    with Store(db, readonly=True) as store:
        for title, text, label in store.labeled_articles(label_source.split(",")):
            data.add(title, text, label, source=db.name)
    return data


def _train_command_line(
    data_paths: tuple[Path, ...],
    from_db: Path | None,
    label_source: str,
    out: Path,
    name: str | None,
    seed: int,
    test_size: float,
    eval_paths: tuple[Path, ...],
    refit: bool,
) -> str:
    """The command that trains this model again, for the card."""
    args = ["newsdesk", "train"]
    for path in data_paths:
        args += ["--data", str(path)]
    if from_db is not None:
        args += ["--from-db", str(from_db), "--label-source", label_source]
    if name:
        args += ["--name", name]
    args += ["--out", str(out), "--seed", str(seed), "--test-size", str(test_size)]
    for path in eval_paths:
        args += ["--eval", str(path)]
    if not refit:
        args.append("--no-refit")
    return shlex.join(args)


@click.command("train")
@click.argument("more_data", nargs=-1, type=DATA_PATH)
@click.option(
    "--data",
    "data_paths",
    multiple=True,
    type=DATA_PATH,
    help="Labeled JSONL(.gz) or CSV file with text, label and optional title (repeatable).",
)
@click.option(
    "--from-db",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also train on the labeled articles of this newsdesk database.",
)
@click.option(
    "--label-source",
    default="section,manual",
    show_default=True,
    help="With --from-db: label sources to use, first listed wins.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the model to.",
)
@click.option(
    "--name", default=None, help="Model name, the first part of its id (default: --out's name)."
)
@click.option(
    "--seed", default=42, show_default=True, help="Seed of the held-out split and the model."
)
@click.option(
    "--test-size",
    default=0.1,
    show_default=True,
    type=click.FloatRange(0.0, 0.9),
    help="Share of every data file held out to measure the model (0 keeps none).",
)
@click.option(
    "--eval",
    "eval_paths",
    multiple=True,
    type=DATA_PATH,
    help="Labeled file never trained on to measure the saved model on, per language, strict "
    "and lenient (repeatable); the figures go on the card.",
)
@click.option(
    "--refit/--no-refit",
    default=True,
    show_default=True,
    help="After measuring on the held-out share, fit again on every row (the card keeps the "
    "held-out figures and temperature of the first fit).",
)
def train_command(
    more_data: tuple[Path, ...],
    data_paths: tuple[Path, ...],
    from_db: Path | None,
    label_source: str,
    out: Path,
    name: str | None,
    seed: int,
    test_size: float,
    eval_paths: tuple[Path, ...],
    refit: bool,
) -> None:
    """Train a topic model on labeled files, print its held-out metrics and save it to --out.

    Data files come from --data and from the arguments, so a shell glob works:
    `newsdesk train --data data/*/train.jsonl.gz data/*/dev.jsonl.gz --out models/mine`.

    Labels are mapped onto the canonical topics through the alias table; rows whose label maps
    to nothing are left out and reported.
    """
    from classifier._data import read_labeled, source_name
    from classifier._metrics import evaluate
    from classifier._train import train_from_data

    data_paths = (*data_paths, *more_data)
    if not data_paths and from_db is None:
        raise click.UsageError("give at least one --data file or --from-db")
    with _library_errors():
        datasets = [(source_name(p), read_labeled(p)) for p in data_paths]
        if from_db is not None:
            datasets.append((f"db:{from_db.name}", _from_db(from_db, label_source)))
        model, metrics = train_from_data(
            datasets,
            test_size=test_size,
            seed=seed,
            refit=refit,
            name=name or out.resolve().name,
        )
        model.update_card(
            command=_train_command_line(
                data_paths, from_db, label_source, out, name, seed, test_size, eval_paths, refit
            )
        )
        evaluations = {}
        for path in eval_paths:
            result = evaluate(model, read_labeled(path))
            keep = ("n", "accuracy", "macro_f1", "lenient", "by_language")
            evaluations[source_name(path)] = {k: result[k] for k in keep if k in result}
        if evaluations:
            model.update_card(evaluations=evaluations)
        model.save(out)
    click.echo(
        f"model {model.model_id}: {model.card['training_data']['rows']:,} training rows, "
        f"{len(model.classes_)} topics, {model.card['training_seconds']} s"
    )
    if metrics["n_unmapped"]:
        click.echo(
            f"left out {metrics['n_unmapped']} rows with unmapped labels: "
            + ", ".join(f"{k} ({v})" for k, v in metrics["unmapped"].items())
        )
    if metrics["held_out"]:
        click.echo(_metrics_table(metrics["held_out"]))
    for name, result in model.card.get("evaluations", {}).items():
        click.echo(f"{name}:\n{_language_table(result['by_language'])}")
    click.echo(f"saved to {out}")


@click.command("evaluate")
@click.argument("more_data", nargs=-1, type=DATA_PATH)
@click.option(
    "--data",
    "data_paths",
    multiple=True,
    type=DATA_PATH,
    help="Labeled JSONL(.gz) or CSV file to measure on (repeatable; measured together).",
)
@click.option(
    "--model", "model_path", type=MODEL_PATH, help="Model directory (default: the bundled model)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the confusion matrix as a PNG to this file (needs matplotlib).",
)
def evaluate_command(
    more_data: tuple[Path, ...],
    data_paths: tuple[Path, ...],
    model_path: Path | None,
    fmt: str,
    plot: Path | None,
) -> None:
    """Measure a topic model on labeled files: accuracy, macro-F1, per-topic precision, recall
    and F1, rows whose label maps to no topic; optionally plot the confusion matrix.

    Accuracy and macro-F1 are also given per language (a row's `lang`, else the script test).
    Rows may carry `alt` (an acceptable second topic) and `confidence` (high/low): "strict"
    counts only `label`, "lenient" also accepts `alt`, "high_confidence" is strict on the
    high-confidence rows. Data files come from --data and from the arguments (a shell glob works).
    """
    from classifier import load_model, read_many
    from classifier._metrics import evaluate, plot_confusion

    data_paths = (*data_paths, *more_data)
    if not data_paths:
        raise click.UsageError("give at least one --data file")
    with _library_errors():
        model = load_model(model_path)
        result = evaluate(model, read_many(list(data_paths)))
    if plot is not None:
        try:
            plot_confusion(result, plot)
        except ImportError as exc:
            raise click.ClickException("--plot needs matplotlib: pip install matplotlib") from exc
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    click.echo(
        f"model {result['model_id']}: n={result['n']} accuracy={result['accuracy']:.4f} "
        f"macro-F1={result['macro_f1']:.4f} unmapped={result['n_unmapped']}"
        + (
            f" lenient accuracy={result['lenient']['accuracy']:.4f} "
            f"macro-F1={result['lenient']['macro_f1']:.4f}"
            if "lenient" in result
            else ""
        )
    )
    click.echo(_language_table(result["by_language"]))
    click.echo(f"{'topic':<14} {'precision':>9} {'recall':>7} {'f1':>7} {'support':>8}")
    for label, m in result["per_class"].items():
        click.echo(
            f"{label:<14} {m['precision']:>9.4f} {m['recall']:>7.4f} {m['f1']:>7.4f} "
            f"{m['support']:>8}"
        )
    if result["unmapped"]:
        click.echo(
            "unmapped labels: " + ", ".join(f"{k} ({v})" for k, v in result["unmapped"].items())
        )
    if plot is not None:
        click.echo(f"confusion matrix written to {plot}")


def _models_dir_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--models-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Model registry directory (default: ~/.local/share/newsdesk/models).",
    )(func)


def _registry_dir(models_dir: Path | None) -> Path:
    from classifier._registry import default_models_dir

    return models_dir or default_models_dir()


@click.group("models")
def models_group() -> None:
    """The model registry: a directory of saved models, one of them active."""


@models_group.command("list")
@_models_dir_option
def models_list(models_dir: Path | None) -> None:
    """List the models in the registry with their held-out accuracy; * marks the active one."""
    from classifier._registry import list_models

    directory = _registry_dir(models_dir)
    with _library_errors():
        entries = list_models(directory)
    if not entries:
        click.echo(f"no models in {directory}; add one with `newsdesk models add MODEL_DIR`")
        return
    for entry in entries:
        overall = entry["metrics"].get("held_out", {}).get("all", {})
        accuracy = f"accuracy {overall['accuracy']:.4f}" if overall else "no held-out metrics"
        mark = "*" if entry["active"] else " "
        click.echo(f"{mark} {entry['model_id']:<36} {entry['created'] or '':<26} {accuracy}")


@models_group.command("add")
@click.argument("model_dir", type=MODEL_PATH)
@_models_dir_option
def models_add(model_dir: Path, models_dir: Path | None) -> None:
    """Copy a saved model directory into the registry under its model id."""
    from classifier._registry import add_model

    directory = _registry_dir(models_dir)
    directory.mkdir(parents=True, exist_ok=True)
    with _library_errors():
        model_id = add_model(model_dir, directory)
    click.echo(f"added {model_id} to {directory}")


@models_group.command("activate")
@click.argument("model_id")
@_models_dir_option
def models_activate(model_id: str, models_dir: Path | None) -> None:
    """Make MODEL_ID the active model of the registry (it is loaded once to check it)."""
    from classifier._registry import activate

    directory = _registry_dir(models_dir)
    with _library_errors():
        path = activate(directory, model_id)
    click.echo(f"active model: {model_id} ({path})")


COMMANDS: list[click.Command] = [train_command, evaluate_command, models_group]
