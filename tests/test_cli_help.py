"""Every command explains itself: ``--help`` works and says something for each command."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from newsdesk.cli import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = _commands(cli)


def test_the_documented_commands_exist() -> None:
    names = {" ".join(c) for c in COMMANDS}
    for expected in ("demo", "crawl", "extract", "search", "train", "evaluate"):
        assert expected in names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "newsdesk")
def test_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    command = cli
    for name in path:
        command = command.commands[name]
    assert command.help and len(command.help.split()) >= 5, f"{path} needs a real help text"
    for param in command.params:
        if isinstance(param, click.Option) and param.name not in ("help", "version"):
            assert param.help, f"option {param.opts} of {' '.join(path)} has no help text"
