"""The user errors and what each becomes: one table for the CLI's exit code and the viewer's
HTTP status.

Two roots hold every error raised on purpose: :class:`~drafttrack.errors.DrafttrackError`
(engine and service: ingest, segmenting, quotes, limits) and :class:`repo_store.StoreError`
(the store, which knows nothing of the engine). Any of them means bad input or an unusable
store: the CLI prints one ``error: …`` line and exits 2; the viewer answers the status below.
"""

from __future__ import annotations

from drafttrack.errors import DrafttrackError, InputTooLarge
from repo_store import (
    ConcurrentUpdate,
    DuplicateLabel,
    InvalidName,
    InvalidValue,
    NotAStore,
    StoreError,
    UnknownDocument,
    UnknownVersion,
)
from repo_store.reports import UnknownReport

USER_ERRORS: tuple[type[Exception], ...] = (DrafttrackError, StoreError)
"""The roots of every error that means "bad input" (one ``error:`` line, exit 2)."""

EXIT_CODE = 2
"""The CLI's exit code for every user error."""

HTTP_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (UnknownDocument, 404),
    (UnknownVersion, 404),
    (UnknownReport, 404),
    (InvalidName, 400),
    (InvalidValue, 400),
    (DuplicateLabel, 409),
    (ConcurrentUpdate, 409),
    (NotAStore, 503),
    (InputTooLarge, 413),
    (DrafttrackError, 400),
    (StoreError, 500),
)
"""The viewer's status per error class, most specific first."""


def http_status(exc: BaseException) -> int:
    """The HTTP status for an error raised by the store, the engine or the service."""
    for cls, status in HTTP_STATUS:
        if isinstance(exc, cls):
            return status
    return 500
