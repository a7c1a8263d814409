"""Answers read straight from a current derived index, without opening the store through git.

A ``trace`` of a store whose branch has not moved since its lineages were built needs only the
branch's commit id (read from the git directory's files, ``repo_store.refs``) and the stored
build (``drafttrack.index_read``): no GitPython, markdown-it or engine. Every function returns
None whenever that is not certain (no plain git directory, no build for this HEAD, another
index schema, a damaged index, a phrase without words, …): the caller then takes the normal
path, which gives the same answer (or the error) the long way.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from drafttrack import index_read
from drafttrack.errors import DrafttrackError
from drafttrack.trace import trace_lineages
from repo_store import refs


def warm_trace(
    store_path: str | os.PathLike[str], doc: str, phrase: str, fuzzy: bool = False
) -> dict[str, Any] | None:
    """The ``trace --json`` object of DOC from the index when it is current, else None."""
    git_dir = refs.git_dir_of(store_path)
    if git_dir is None:
        return None
    head = refs.branch_head(git_dir)
    if head is None:
        return None
    try:
        lin = index_read.current(git_dir / refs.CACHE_NAME, doc, head)
    except (sqlite3.Error, OSError, ValueError):
        return None
    if lin is None:
        return None
    try:
        return trace_lineages(lin, phrase, fuzzy)
    except (sqlite3.Error, DrafttrackError, ValueError, LookupError, TypeError):
        return None  # damaged rows or a bad phrase: the normal path repairs or explains
    finally:
        lin.db.close()
