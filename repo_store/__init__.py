"""The git-backed store of draft versions and their provenance (knows git, not clauses).

The errors are imported eagerly; the :class:`Store` (which loads GitPython), its value types and
the provenance types are imported on first use: a command answered from the derived index
(``repo_store.refs`` reads the branch from the git directory's files) never pays for GitPython.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from repo_store.errors import (
    ConcurrentUpdate,
    DuplicateLabel,
    GitFailure,
    InvalidName,
    InvalidValue,
    NotAStore,
    StoreError,
    StoreExists,
    UnknownDocument,
    UnknownVersion,
)

if TYPE_CHECKING:
    from repo_store.provenance import Original, Placement, Provenance
    from repo_store.store import AddResult, Document, Store, Version

_LAZY = {"AddResult": "repo_store.store", "Document": "repo_store.store",
         "Store": "repo_store.store", "Version": "repo_store.store",
         "Original": "repo_store.provenance", "Placement": "repo_store.provenance",
         "Provenance": "repo_store.provenance"}  # fmt: skip


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'repo_store' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "AddResult",
    "ConcurrentUpdate",
    "Document",
    "DuplicateLabel",
    "GitFailure",
    "InvalidName",
    "InvalidValue",
    "NotAStore",
    "Original",
    "Placement",
    "Provenance",
    "Store",
    "StoreError",
    "StoreExists",
    "UnknownDocument",
    "UnknownVersion",
    "Version",
]
