"""Errors as HTTP statuses: store and engine errors map to a status; the page is chosen by it.

HTML requests get ``errors/<status>.html`` (or ``errors/error.html``); API requests get
``{"error": message, "status": status}``.
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException, InternalServerError

from drafttrack.errors import DrafttrackError, InputTooLarge
from drafttrack.ingest import IngestError
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

STATUS: list[tuple[type[BaseException], int]] = [
    (UnknownDocument, 404),
    (UnknownVersion, 404),
    (InvalidName, 400),
    (InvalidValue, 400),
    (DuplicateLabel, 409),
    (ConcurrentUpdate, 409),
    (NotAStore, 503),
    (InputTooLarge, 413),
    (IngestError, 400),
    (DrafttrackError, 400),
    (StoreError, 500),
]

TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    500: "Something went wrong",
    503: "Store unavailable",
}


def status_of(exc: BaseException) -> int:
    """The HTTP status for an exception raised by the store or the engine."""
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def render_error(status: int, message: str) -> ResponseReturnValue:
    """An error response: JSON under /api/, else the page for its status."""
    if request.path.startswith("/api/"):
        return jsonify({"error": message, "status": status}), status
    title = TITLES.get(status, "Error")
    for name in (f"errors/{status}.html", "errors/error.html"):
        try:
            return render_template(name, status=status, title=title, message=message), status
        except TemplateNotFound:
            continue
    return message, status  # pragma: no cover - errors/error.html always exists


def _http(exc: HTTPException) -> ResponseReturnValue:
    return render_error(exc.code or 500, exc.description or "")


def _known(exc: Exception) -> ResponseReturnValue:
    status = status_of(exc)
    if status >= 500:  # the operator's to look into: logged with its traceback
        current_app.logger.error("Exception on %s [%s]", request.path, request.method, exc_info=exc)
    message = " ".join(str(exc).split()) if status < 500 else "the store could not be read"
    return render_error(status, message)


def _internal(exc: InternalServerError) -> ResponseReturnValue:
    return render_error(500, "an internal error occurred; the store was not changed")


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(StoreError, _known)
    app.register_error_handler(IngestError, _known)
    app.register_error_handler(DrafttrackError, _known)
    app.register_error_handler(InternalServerError, _internal)
