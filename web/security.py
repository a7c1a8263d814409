"""Who may write, CSRF tokens, security headers and cookie flags.

Writes (adding a version, an annotation) need a CSRF token from the session on every form. On
loopback anyone who can reach the server may write; beyond loopback writes need the operator's
token (``DRAFTTRACK_WRITE_TOKEN``), and without one the viewer is read-only.
"""

from __future__ import annotations

import ipaddress
import secrets
from typing import Literal

from flask import Flask, Response, abort, current_app, request, session
from flask.sessions import SecureCookieSessionInterface

WriteMode = Literal["open", "token", "off"]

CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
TOKEN_FIELD = "write_token"
TOKEN_HEADER = "X-Drafttrack-Token"


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (the viewer is then reachable only locally)."""
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def write_mode(app: Flask) -> WriteMode:
    """open: CSRF only; token: CSRF and the operator token; off: read-only."""
    if app.config["READ_ONLY"]:
        return "off"
    if app.config["WRITE_TOKEN"]:
        return "token"
    return "open" if is_loopback(app.config["BIND_HOST"]) else "off"


def writes_allowed() -> bool:
    """Whether the running app accepts writes at all (templates hide forms otherwise)."""
    return write_mode(current_app) != "off"


def csrf_token() -> str:
    """The session's CSRF token, created on first use."""
    token = session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return str(token)


def _check_write() -> None:
    if request.method not in UNSAFE_METHODS:
        return
    mode = write_mode(current_app)
    if mode == "off":
        abort(403, "this viewer is read-only")
    expected = session.get(CSRF_FIELD)
    given = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD)
    if not expected or not given or not secrets.compare_digest(str(expected), str(given)):
        abort(400, "the form's security token is missing or expired: reload the page and retry")
    if mode == "token":
        want = str(current_app.config["WRITE_TOKEN"])
        got = request.headers.get(TOKEN_HEADER) or request.form.get(TOKEN_FIELD) or ""
        if not secrets.compare_digest(want.encode(), got.encode()):
            abort(403, "writes need the operator's write token")


def _headers(response: Response) -> Response:
    h = response.headers
    h["Content-Security-Policy"] = CSP
    h["X-Content-Type-Options"] = "nosniff"
    h["Referrer-Policy"] = "no-referrer"
    h["X-Frame-Options"] = "DENY"
    h["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint == "static":
        h["Cache-Control"] = "public, max-age=3600"
    elif request.method != "GET" or response.status_code >= 400 or session.modified:
        h["Cache-Control"] = "no-store"
    elif "Cache-Control" not in h:
        h["Cache-Control"] = "private, no-cache"
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions whose cookie is Secure whenever the request came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:  # type: ignore[override]
        """Secure when configured, or when this request is https."""
        if super().get_cookie_secure(app):
            return True
        try:
            return request.is_secure
        except RuntimeError:
            return False


def init_app(app: Flask) -> None:
    """Install the write check, the headers and the template helpers."""
    app.before_request(_check_write)
    app.after_request(_headers)
    app.jinja_env.globals.update(
        csrf_token=csrf_token,
        writes_allowed=writes_allowed,
        write_mode=lambda: write_mode(current_app),
        CSRF_FIELD=CSRF_FIELD,
        TOKEN_FIELD=TOKEN_FIELD,
    )
