"""``python -m drafttrack`` runs the command line."""

import sys

from drafttrack.cli import main

sys.exit(main())
