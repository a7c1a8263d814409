"""Helpers for the viewer's tests: an app over a real store, CSRF-aware form posts."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from web import create_app

SECRET = "test-secret-key"
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_app(store: Path, **config: Any) -> Flask:
    """The viewer over ``store`` (loopback, writes open unless configured otherwise)."""
    return create_app(store, {"TESTING": True, "SECRET_KEY": SECRET}, **config)


def csrf(client: FlaskClient, page: str) -> str:
    """The CSRF token of the form on ``page`` (the session keeps it)."""
    response = client.get(page, follow_redirects=True)
    assert response.status_code == 200, response.status_code
    found = TOKEN_RE.search(response.get_data(as_text=True))
    assert found, f"no form with a CSRF token on {page}"
    return html.unescape(found.group(1))


def post_form(
    client: FlaskClient, page: str, action: str, data: dict[str, Any], **kw: Any
) -> TestResponse:
    """Post ``data`` to ``action`` with the CSRF token taken from ``page``."""
    data = {"csrf_token": csrf(client, page), **data}
    return client.post(action, data=data, **kw)


def version_ids(client: FlaskClient, doc: str) -> dict[str, str]:
    """Label → id of a document's versions, from the JSON API."""
    data = client.get(f"/api/d/{doc}/log").get_json()
    return {v["label"]: v["id"] for v in data["versions"]}


def text(response: TestResponse) -> str:
    """The response body as text."""
    return response.get_data(as_text=True)
