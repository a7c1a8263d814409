"""Command line: a thin shell over ``repo_store`` and the engine (one module per command area).

Each module registers its commands on ``cli`` when imported; ``base.COMMAND_MODULES`` maps a
command to its module so that only the command being run is imported. ``main`` first offers the
command to the fast path (``fast``: a warm ``trace`` answered from the index, a warm ``docs``,
``log``, ``show`` or ``diff`` from the answer kept at this HEAD, before click is imported), and
runs the normal path keeping its answer (``keeping``); ``cli`` and ``load_all_commands`` load
``base`` on first use.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drafttrack.cli.base import cli, load_all_commands


def main(argv: list[str] | None = None) -> int:
    """Console entry point: the fast path when it can answer, else the click group."""
    from drafttrack.cli.fast import answer, parse

    words = sys.argv[1:] if argv is None else list(argv)
    code = answer(words)
    if code is not None:
        return code
    from drafttrack.cli.base import main as full_main
    from drafttrack.cli.keeping import run_keeping

    return run_keeping(parse(words), lambda: full_main(argv))


def __getattr__(name: str) -> Any:
    if name in ("cli", "load_all_commands"):
        from drafttrack.cli import base

        return getattr(base, name)
    raise AttributeError(f"module 'drafttrack.cli' has no attribute {name!r}")


__all__ = ["cli", "load_all_commands", "main"]
