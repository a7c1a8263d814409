"""drafttrack: track the versions of policy drafts, clause by clause, with their sources.

The engine (this package, except ``drafttrack.cli``) knows nothing of git or HTTP:
ingest → segment → align → worddiff → render. ``repo_store`` keeps versions in git;
``web`` and ``drafttrack.cli`` are thin shells over both.
"""

__version__ = "0.1.0"
