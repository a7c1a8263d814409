"""The git-backed store of draft versions and their provenance (knows git, not clauses)."""

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
from repo_store.provenance import Original, Placement, Provenance
from repo_store.store import AddResult, Document, Store, Version

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
