"""Errors as HTTP statuses (the table is ``drafttrack.service.errors``); the page is chosen by it.

HTML requests get ``errors/<status>.html`` (or ``errors/error.html``); API requests get
``{"error": message, "status": status}``.
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException, InternalServerError

from drafttrack.service.errors import USER_ERRORS, http_status

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
    status = http_status(exc)
    if status >= 500:  # the operator's to look into: logged with its traceback
        current_app.logger.error("Exception on %s [%s]", request.path, request.method, exc_info=exc)
    message = " ".join(str(exc).split()) if status < 500 else "the store could not be read"
    return render_error(status, message)


def _internal(exc: InternalServerError) -> ResponseReturnValue:
    return render_error(500, "an internal error occurred; the store was not changed")


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, _http)
    for root in USER_ERRORS:
        app.register_error_handler(root, _known)
    app.register_error_handler(InternalServerError, _internal)
