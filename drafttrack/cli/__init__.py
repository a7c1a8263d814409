"""Command line: a thin shell over ``repo_store`` and the engine (one module per command area)."""

from drafttrack.cli.base import cli, main

# Each module below registers its commands on ``cli`` when imported.
from drafttrack.cli import store_cmds  # noqa: E402,F401  isort: skip
from drafttrack.cli import demo_cmd  # noqa: E402,F401  isort: skip
from drafttrack.cli import remote_cmds  # noqa: E402,F401  isort: skip
from drafttrack.cli import history_cmds  # noqa: E402,F401  isort: skip
from drafttrack.cli import web_cmds  # noqa: E402,F401  isort: skip
from drafttrack.cli import annotate_cmd  # noqa: E402,F401  isort: skip
from drafttrack.cli import quote_cmd  # noqa: E402,F401  isort: skip
from drafttrack.cli import diff_cmd  # noqa: E402,F401  isort: skip
from drafttrack.cli import export_cmd  # noqa: E402,F401  isort: skip

__all__ = ["cli", "main"]
