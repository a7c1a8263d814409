"""The README documents every command and option; every command has a docstring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from drafttrack.cli import cli, load_all_commands

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def commands(
    group: click.Group = cli, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name)), command


load_all_commands()
ALL = list(commands())


def test_there_are_commands() -> None:
    assert {"init", "add", "log", "diff", "trace", "quote", "export", "serve", "demo"} <= {
        name for name, _ in ALL
    }


@pytest.mark.parametrize(("name", "command"), ALL, ids=[n for n, _ in ALL])
def test_command_documented(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"{name} has no docstring"
    assert f"drafttrack {name}" in README or f"`{name}`" in README, f"README omits {name}"
    for param in command.params:
        if isinstance(param, click.Option):
            longest = max(param.opts, key=len)
            assert longest in README, f"README omits {longest} of drafttrack {name}"
