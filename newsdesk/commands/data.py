"""Commands for people reading the collected data: ``search``, ``serve``, ``report``, ``export``,
and ``index`` (brings the full-text index up to date).

Each parses its options, opens the store (read-only, but for ``index``) and calls one library
function.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

DB_OPTION = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("newsdesk.db"),
    show_default=True,
    help="SQLite database written by a crawl.",
)


@click.command()
@click.argument("query")
@DB_OPTION
@click.option(
    "--limit",
    type=click.IntRange(1),
    default=20,
    show_default=True,
    help="Show at most this many hits.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people or JSON lines for programs.",
)
def search(query: str, db: Path, limit: int, fmt: str) -> None:
    """Full-text search of the stored articles' titles and texts, Chinese or English; prints
    the best hits with a snippet (terms of 1-2 characters use a slower substring scan)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from store import Store

    with Store(db, readonly=True) as store:
        hits = store.search(query, limit=limit)
    if fmt == "json":
        for hit in hits:
            click.echo(
                json.dumps(
                    {
                        "url": hit.url,
                        "title": hit.title,
                        "snippet": hit.snippet,
                        "rank": hit.rank,
                        "published": hit.published,
                    },
                    ensure_ascii=False,
                )
            )
        return
    if not hits:
        click.echo(f"no article matches {query!r}")
        return
    table = Table(title=f"{len(hits)} hits for {query!r}")
    table.add_column("#", justify="right")
    table.add_column("published")
    table.add_column("title / snippet", ratio=3)
    table.add_column("url", overflow="fold", ratio=2)
    for i, hit in enumerate(hits, 1):
        text = f"[bold]{escape(hit.title)}[/bold]\n{escape(hit.snippet)}"
        table.add_row(str(i), (hit.published or "")[:10], text, escape(hit.url))
    Console().print(table)


@click.command()
@DB_OPTION
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on (keep 127.0.0.1 unless you mean to share it).",
)
@click.option("--port", type=int, default=8001, show_default=True, help="Port to listen on.")
def serve(db: Path, host: str, port: int) -> None:
    """Browse the database in Datasette, with table and column descriptions, canned queries
    (topic share per day, most pushed links, site statistics, search) and SQL."""
    from store import serve_datasette

    click.echo(f"Datasette on http://{host}:{port}/ — Ctrl-C to stop")
    serve_datasette(db, host, port)


@click.command()
@DB_OPTION
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="HTML file to write.",
)
def report(db: Path, out: Path) -> None:
    """Write a self-contained HTML report (counts, topic share chart, top sites, most pushed
    links) that opens in a browser without a server."""
    from store import Store, write_report

    with Store(db, readonly=True) as store:
        write_report(store, out)
    click.echo(f"wrote {out}")


@click.command()
@DB_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet"]),
    default="jsonl",
    show_default=True,
    help="Output format (parquet needs pyarrow and --out).",
)
@click.option(
    "--where",
    help="SQL filter on the articles table, e.g. \"topic = 'sports'\" "
    "(trusted: it is passed to SQLite as written).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output).",
)
def export(db: Path, fmt: str, where: str | None, out: Path | None) -> None:
    """Export the stored articles (with their top topic) as JSON lines, CSV or Parquet."""
    from store import Store, export_articles

    with Store(db, readonly=True) as store:
        count = export_articles(store, fmt, where=where, out=out)
    if out is not None:
        click.echo(f"wrote {count} articles to {out}")


@click.command()
@DB_OPTION
def index(db: Path) -> None:
    """Bring the full-text search index up to date, e.g. after a bulk load or an interrupted
    crawl (search finds articles not indexed yet too, by a slower substring scan)."""
    from store import Store

    if not db.exists():
        raise click.ClickException(f"no database at {db}; run a crawl first or check --db")
    with Store(db) as store:
        count = store.index_search()
    click.echo(f"indexed {count} articles")


COMMANDS: list[click.Command] = [search, serve, report, export, index]
