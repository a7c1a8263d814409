"""The ``drafttrack`` click group, its ``--store`` option, and one-line error reporting."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from repo_store import Store, StoreError

DEFAULT_STORE = "drafttrack-store"


def _user_errors() -> tuple[type[BaseException], ...]:
    """Exception classes that mean "bad input": reported in one line, exit 2."""
    from drafttrack.ingest import IngestError

    errors: list[type[BaseException]] = [StoreError, IngestError]
    try:
        from drafttrack.errors import DrafttrackError

        errors.append(DrafttrackError)
    except ImportError:  # pragma: no cover - the engine's errors module is always present
        pass
    return tuple(errors)


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    except _user_errors() as exc:
        click.echo(f"error: {_one_line(str(exc))}", err=True)
        return 2
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    return 0


def _one_line(message: str) -> str:
    return " ".join(message.split()) or "invalid input"
