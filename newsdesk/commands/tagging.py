"""Commands for maintainers tagging stored articles: ``classify`` and ``labels``."""

from __future__ import annotations

from pathlib import Path

import click

from newsdesk.settings import Settings

DB = click.option(
    "--db",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The newsdesk SQLite database.",
)


@click.command()
@DB
@click.option(
    "--model",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Model directory (default: the database's active model, else the bundled one).",
)
@click.option(
    "--threshold",
    type=float,
    default=Settings().threshold,
    show_default=True,
    help="Score under which an article's topic is 'unknown'.",
)
@click.option(
    "--batch-size",
    type=int,
    default=500,
    show_default=True,
    help="Articles tagged and committed per batch.",
)
@click.option("--activate", is_flag=True, help="Make this model the database's active model.")
def classify(
    db: Path, model: Path | None, threshold: float, batch_size: int, activate: bool
) -> None:
    """(Re)tag stored articles with a topic model, in resumable batches.

    Only articles the model has not tagged yet are read, so an interrupted run continues where it
    stopped; every tag records the model that made it.
    """
    from newsdesk.tagging import resolve_model, retag
    from store import Store

    with Store(db) as store:
        topic_model, path = resolve_model(store, model)
        tagged = retag(store, topic_model, path, threshold=threshold, batch_size=batch_size)
        if activate:
            store.activate_model(topic_model.model_id)
    click.echo(f"tagged {tagged} articles with {topic_model.model_id}")


@click.group()
def labels() -> None:
    """Training labels kept in the database: derived from sections, or imported by hand."""


@labels.command("derive")
@DB
def labels_derive(db: Path) -> None:
    """Derive weak labels from the portals' own channels (host, path, breadcrumb).

    sports.163.com, /ent/, /sport/ and a breadcrumb such as 网易体育 each name a topic through the
    table in newsdesk/data/channels.json; stories whose channels disagree get no label.
    """
    from newsdesk.labels import derive_labels
    from store import Store

    with Store(db) as store:
        labeled, seen = derive_labels(store)
    click.echo(f"labeled {labeled} of {seen} articles from their sections")


@labels.command("import")
@DB
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def labels_import(db: Path, csv_file: Path) -> None:
    """Import hand labels from CSV_FILE (columns: url, label) as 'manual' labels.

    Labels go through the alias table (体育, sport, news_sports … all become sports); an unknown
    label stops the import with its line number.
    """
    from newsdesk.labels import read_label_csv
    from store import Store

    rows = list(read_label_csv(csv_file))
    with Store(db) as store:
        count = store.import_labels(rows)
    click.echo(f"imported {count} manual labels")


COMMANDS = [classify, labels]
