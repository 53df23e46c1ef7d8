"""Commands for researchers running crawl jobs: ``demo``, ``crawl``, ``extract``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from newsdesk.output import article_to_dict, print_summary, progress_reporter
from newsdesk.settings import Settings, load_settings

DEMO_DB = Path("newsdesk-demo.db")


def crawl_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options shared by ``crawl`` and ``demo``: scope, limits, politeness, archive, model."""
    options = [
        click.option(
            "--config",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="TOML settings file ([newsdesk] table); flags override it.",
        ),
        click.option("--max-pages", type=int, help="Stop after this many fetched pages."),
        click.option(
            "--max-depth", type=int, help="Links further than this from a seed are not followed."
        ),
        click.option(
            "--allow-host",
            "allowed_hosts",
            multiple=True,
            help="Host (and its subdomains) to crawl; default: the seeds' registered domains.",
        ),
        click.option(
            "--include", multiple=True, help="Only URLs matching this regex (repeatable)."
        ),
        click.option(
            "--exclude", multiple=True, help="Skip URLs matching this regex (repeatable)."
        ),
        click.option(
            "--allow-private",
            multiple=True,
            help="Private or loopback host to allow (refused by default), e.g. 127.0.0.1.",
        ),
        click.option("--concurrency", type=int, help="Requests in flight over all hosts."),
        click.option("--per-host", type=int, help="Requests in flight per host."),
        click.option(
            "--delay",
            type=float,
            help="Seconds between requests to one host (robots.txt Crawl-delay wins if longer).",
        ),
        click.option("--user-agent", help="User-Agent to send."),
        click.option("--contact", help="Contact (URL or e-mail) appended to the User-Agent."),
        click.option(
            "--ignore-robots",
            is_flag=True,
            default=None,
            help="Do not obey robots.txt (only for sites you own).",
        ),
        click.option(
            "--recrawl",
            is_flag=True,
            default=None,
            help="Revisit stored pages with If-None-Match / If-Modified-Since.",
        ),
        click.option(
            "--warc",
            "warc_dir",
            type=click.Path(file_okay=False, path_type=Path),
            help="Archive every request and response as WARC files in this folder.",
        ),
        click.option(
            "--model",
            type=click.Path(exists=True, path_type=Path),
            help="Topic model directory (default: the bundled model).",
        ),
        click.option(
            "--workers",
            type=int,
            help="Processes that extract pages beside the fetching one (0: extract in-process).",
        ),
        click.option(
            "--progress/--no-progress",
            default=None,
            help="Progress bar (default: on when stderr is a terminal).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_settings(db: Path, config: Path | None, **flags: Any) -> Settings:
    """Settings from defaults, the optional TOML file and the flags given."""
    ignore_robots = flags.pop("ignore_robots", None)
    if ignore_robots:
        flags["obey_robots"] = False
    flags = {k: (tuple(v) or None) if isinstance(v, tuple) else v for k, v in flags.items()}
    return load_settings(config, db=db, **flags)


def run_crawl(settings: Settings, seeds: list[str]) -> None:
    """Run the pipeline with a progress display and print the summary."""
    from newsdesk.pipeline import crawl as crawl_pipeline
    from store import Store

    show = settings.progress if settings.progress is not None else sys.stderr.isatty()
    with progress_reporter(show) as report:
        stats = crawl_pipeline(settings, seeds, on_progress=report)
    with Store(settings.db, readonly=True) as store:
        print_summary(store.summary(stats.crawl_id), stats.as_dict(), settings.db)


@click.command()
@click.argument("seeds", nargs=-1, required=True)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("newsdesk.db"),
    show_default=True,
    help="SQLite database to write (created if missing).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: this process; ray: fetcher actors on a Ray cluster, one per host partition.",
)
@click.option("--ray-address", help="With --engine ray: the cluster's head (host:port or auto).")
@click.option(
    "--ray-workers", type=int, help="With --engine ray: fetcher actors (default: cluster CPUs)."
)
@crawl_options
def crawl(
    seeds: tuple[str, ...],
    db: Path,
    engine: str,
    ray_address: str | None,
    ray_workers: int | None,
    config: Path | None,
    **flags: Any,
) -> None:
    """Crawl from SEEDS (home pages, sections, sitemaps or feeds) into a SQLite database.

    Polite by default: robots.txt, one connection and one second per host. Run the same command
    again after an interruption and it resumes where it stopped. With --engine ray each host is
    fetched by one actor of a Ray cluster while this process writes the database.
    """
    settings = build_settings(db, config, **flags)
    if engine == "ray":
        from newsdesk.cluster import run_cluster_crawl

        run_cluster_crawl(settings, list(seeds), address=ray_address, workers=ray_workers)
        return
    run_crawl(settings, list(seeds))


@click.command()
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEMO_DB,
    show_default=True,
    help="SQLite database to write (replaced if it exists).",
)
@click.option(
    "--portal",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Portal folder to serve (default: the bundled fixture portal).",
)
@crawl_options
def demo(db: Path, portal: Path | None, config: Path | None, **flags: Any) -> None:
    """Serve the bundled fixture portal on 127.0.0.1 and crawl it end to end.

    The portal runs on a free port for the length of the crawl; the database is replaced on every
    run because the port, and so every URL, changes.
    """
    from newsdesk.portal import serve_portal

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    flags["allow_private"] = (*flags.get("allow_private", ()), "127.0.0.1")
    if flags.get("delay") is None:
        flags["delay"] = 0.0
    settings = build_settings(db, config, **flags)
    with serve_portal(portal) as base_url:
        click.echo(f"Serving the fixture portal at {base_url}/", err=True)
        run_crawl(settings, [base_url + "/"])


@click.command()
@click.argument("source", required=False)
@click.option("--encoding", help="Charset to assume when the page declares none (as HTTP would).")
@click.option(
    "--warc",
    "warc_inputs",
    multiple=True,
    help="WARC file(s) to re-process into --db instead: a path, folder, glob or URL "
    "(s3://bucket/prefix/*.warc.gz, file://, https://); repeatable.",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --warc: the SQLite database to write.",
)
@click.option(
    "--model",
    type=click.Path(exists=True, path_type=Path),
    help="With --warc: topic model directory (default: the bundled model).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="With --warc: run the tasks here (local) or on a Ray cluster (pip install "
    "'newsdesk[ray]').",
)
@click.option(
    "--workers",
    type=int,
    default=1,
    show_default=True,
    help="With --warc --engine local: processes running tasks (1: this process).",
)
@click.option(
    "--ray-address",
    help="With --engine ray: the cluster to join (default: $RAY_ADDRESS, else a local Ray).",
)
@click.option(
    "--shards",
    "shard_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --warc: folder of the per-input shard databases (default: <db>.shards/).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --warc: also write the merged articles as Parquet, partitioned by day and host.",
)
@click.option(
    "--split-bytes",
    type=int,
    help="With --warc: cut inputs larger than this into ranges of about this size (default: "
    "files over twice the median size and 64 MiB are cut to the median size).",
)
def extract(
    source: str | None,
    encoding: str | None,
    warc_inputs: tuple[str, ...],
    db: Path | None,
    model: Path | None,
    engine: str,
    workers: int,
    ray_address: str | None,
    shard_dir: Path | None,
    out: Path | None,
    split_bytes: int | None,
) -> None:
    """Print the article extracted from SOURCE (a file, or an http(s) URL) as JSON.

    With --warc INPUT --db PATH, archived pages are extracted, tagged and stored without the
    network: one task (and one shard) per WARC file, merged into --db; running the same command
    again skips the inputs already merged.
    """
    if warc_inputs:
        if db is None:
            raise click.UsageError("--warc needs --db PATH to store the articles in")
        from newsdesk.archive import run_archive

        report = run_archive(
            load_settings(db=db, model=model),
            list(warc_inputs),
            engine=engine,
            workers=workers,
            ray_address=ray_address,
            shard_dir=shard_dir,
            out=out,
            split_bytes=split_bytes,
        )
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        if report.failed_inputs:
            for failed in report.failed_inputs:
                click.echo(f"failed: {failed['input']}: {failed['error']}", err=True)
            raise click.ClickException(
                f"{len(report.failed_inputs)} input(s) could not be read (the rest is stored); "
                "run the same command again to retry them"
            )
        return
    if source is None:
        raise click.UsageError("give a file or URL, or --warc FILE --db PATH")
    from scraper import extract as extract_article

    body, url, header_encoding = _read_source(source)
    article = extract_article(body, url, encoding=encoding or header_encoding)
    click.echo(json.dumps(article_to_dict(article), ensure_ascii=False, indent=2))


def _read_source(source: str) -> tuple[bytes, str | None, str | None]:
    """The bytes, URL and HTTP charset of a local file or a fetched URL."""
    if source.startswith(("http://", "https://")):
        import asyncio

        from scraper.fetch import Fetcher

        async def fetch() -> Any:
            async with Fetcher(load_settings(obey_robots=True).fetch_options()) as fetcher:
                return await fetcher.fetch(source)

        fetched = asyncio.run(fetch())
        return fetched.body, fetched.final_url, fetched.encoding
    path = Path(source)
    if not path.is_file():
        raise click.BadParameter(f"no such file: {source}", param_hint="SOURCE")
    return path.read_bytes(), None, None


COMMANDS = [demo, crawl, extract]
