"""The ``newsdesk`` command line: parse arguments, build settings, call one library function.

Library errors (:class:`newsdesk.errors.NewsdeskError`) become one-line messages and exit code 1;
usage errors exit 2 (click's convention).
"""

from __future__ import annotations

import logging
import sys

import click
from rich.logging import RichHandler

from newsdesk import __version__
from newsdesk.commands import crawl, data, tagging, topics
from newsdesk.errors import NewsdeskError


class _Group(click.Group):
    """A group that turns library errors into clear messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except NewsdeskError as exc:
            raise click.ClickException(f"{type(exc).__name__}: {exc}") from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsdesk")
@click.option("-v", "--verbose", count=True, help="Log every component at INFO (-vv: DEBUG).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
def cli(verbose: int, quiet: bool) -> None:
    """Crawl news portals, keep each article's story apart from its clutter, tag it by topic,
    and store it all in one SQLite database.

    Start with `newsdesk demo`: it serves the bundled fixture portal on 127.0.0.1, crawls it
    and writes newsdesk-demo.db.
    """
    root_level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    own_level = logging.WARNING if quiet else min(root_level, logging.INFO)
    handler: logging.Handler
    if sys.stderr.isatty():
        handler = RichHandler(show_path=False, markup=False)
    else:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(
        level=logging.WARNING if quiet else root_level, handlers=[handler], force=True
    )
    logging.getLogger("newsdesk").setLevel(own_level)
    if verbose < 2:
        logging.getLogger("httpx").setLevel(logging.WARNING)


for _module in (crawl, data, tagging, topics):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Entry point of the ``newsdesk`` console script."""
    cli(prog_name="newsdesk")
