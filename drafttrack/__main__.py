"""``python -m drafttrack`` runs the command line."""

import sys

from drafttrack.cli import main

if __name__ == "__main__":  # worker processes (a long search-index refresh) import this module
    sys.exit(main())
