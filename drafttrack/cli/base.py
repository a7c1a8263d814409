"""The ``drafttrack`` click group, its ``--store`` option, and one-line error reporting."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from drafttrack.service.errors import EXIT_CODE, USER_ERRORS
from repo_store import Store

DEFAULT_STORE = "drafttrack-store"


class StorePath:
    """The store location chosen by ``--store`` / ``$DRAFTTRACK_STORE`` / the default."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    @contextmanager
    def open(self) -> Iterator[Store]:
        """Open the store for one command and close its git processes afterwards."""
        store = Store.open(self.path)
        try:
            yield store
        finally:
            store.close()


pass_store = click.make_pass_decorator(StorePath)

COMMAND_MODULES: dict[str, str] = {
    "init": "store_cmds",
    "add": "store_cmds",
    "source": "store_cmds",
    "docs": "store_cmds",
    "log": "store_cmds",
    "show": "store_cmds",
    "diff": "diff_cmd",
    "export": "export_cmd",
    "import": "history_cmds",
    "adopt": "adopt_cmd",
    "trace": "history_cmds",
    "history": "history_cmds",
    "search": "history_cmds",
    "quote": "quote_cmd",
    "annotate": "annotate_cmd",
    "check": "check_cmd",
    "serve": "web_cmds",
    "demo": "demo_cmd",
    "remote": "remote_cmds",
    "pull": "remote_cmds",
    "push": "remote_cmds",
    "sync": "remote_cmds",
    "clone": "remote_cmds",
    "doctor": "doctor_cmd",
    "watch": "watch_cmds",
    "report": "report_cmds",
}
"""Which module of ``drafttrack.cli`` defines each command: only the one run is imported, so a
command pays for its own imports alone (``diff`` does not load the viewer or the embedder)."""


class LazyGroup(click.Group):
    """A group whose commands register themselves when their module is first imported."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if cmd_name not in self.commands and module:
            importlib.import_module(f"drafttrack.cli.{module}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        load_all_commands()
        return super().list_commands(ctx)


def load_all_commands() -> None:
    """Import every command module (for ``--help`` and the documentation tests)."""
    for module in sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"drafttrack.cli.{module}")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store_path",
    metavar="PATH",
    default=lambda: os.environ.get("DRAFTTRACK_STORE", DEFAULT_STORE),
    show_default="$DRAFTTRACK_STORE, else ./drafttrack-store",
    help="The store (a git repository) to use.",
)
@click.version_option(package_name="drafttrack")
@click.pass_context
def cli(ctx: click.Context, store_path: str) -> None:
    """drafttrack: track the versions of policy drafts, clause by clause, with their sources."""
    ctx.obj = StorePath(store_path)


def main(argv: list[str] | None = None) -> int:
    """Console entry point: runs the group, turns user errors into ``error: …`` and exit 2."""
    try:
        cli.main(args=argv, prog_name="drafttrack", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        click.echo("error: aborted", err=True)
        return 1
    except click.UsageError as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        return 2
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        return exc.exit_code if exc.exit_code else 2
    except USER_ERRORS as exc:
        click.echo(f"error: {_one_line(str(exc))}", err=True)
        return EXIT_CODE
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    return 0


def _one_line(message: str) -> str:
    return " ".join(message.split()) or "invalid input"
