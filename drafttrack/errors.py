"""Exceptions raised by the clause engine (no I/O, no git, no HTTP)."""

from __future__ import annotations


class DrafttrackError(Exception):
    """Root of every user error of the engine and the service (ingest included); the store's
    errors have their own root, ``repo_store.StoreError`` (``drafttrack.service.errors``)."""


class InputTooLarge(DrafttrackError):
    """A text is larger than the engine agrees to parse."""


class SegmentCacheError(DrafttrackError):
    """The segment cache could not be opened or written even after a rebuild."""


class IndexDamaged(DrafttrackError):
    """The derived index was found damaged while being read (it has been deleted)."""
