"""Command line: a thin shell over ``repo_store`` and the engine (one module per command area).

Each module registers its commands on ``cli`` when imported; ``base.COMMAND_MODULES`` maps a
command to its module so that only the command being run is imported.
"""

from drafttrack.cli.base import cli, load_all_commands, main

__all__ = ["cli", "load_all_commands", "main"]
