"""The drafttrack viewer: a thin Flask layer over ``repo_store`` and the clause engine.

``create_app`` follows Flask's tutorial factory: defaults, then the environment, then the test
mapping or keyword overrides, then checks that refuse an unsafe configuration, then one blueprint
per area (``web/views/``).
"""

from __future__ import annotations

import importlib
import os
import secrets
from typing import Any

from flask import Flask

from web import errors, security, store

DEFAULTS: dict[str, Any] = {
    "STORE_PATH": None,
    "SECRET_KEY": None,
    # Operator token: required for writes when listening beyond loopback (else read-only).
    "WRITE_TOKEN": None,
    "READ_ONLY": False,
    # Where the server listens; decides whether writes need the operator token.
    "BIND_HOST": "127.0.0.1",
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "MAX_FORM_MEMORY_SIZE": 8 * 1024 * 1024,
    "MAX_FORM_PARTS": 100,
    "PAGE_CACHE_SIZE": 256,
    "PAGE_CACHE_BYTES": 128 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "drafttrack_session",
    "JSON_SORT_KEYS": False,
}

BLUEPRINTS = (
    "documents",
    "search",
    "compare",
    "trace",
    "api",
    "feeds",
    "annotations",
    "upload",
    "watches",
    "evidence",
)
OPTIONAL_BLUEPRINTS = ("quote",)
"""Areas owned elsewhere, registered when their module exists (quote attribution, issue 8)."""


class ConfigError(RuntimeError):
    """The viewer was asked to start with an unsafe or incomplete configuration."""


def _from_environment() -> dict[str, Any]:
    env = {
        "STORE_PATH": os.environ.get("DRAFTTRACK_STORE"),
        "SECRET_KEY": os.environ.get("DRAFTTRACK_SECRET_KEY"),
        "WRITE_TOKEN": os.environ.get("DRAFTTRACK_WRITE_TOKEN"),
    }
    return {k: v for k, v in env.items() if v}


def create_app(
    store_path: str | os.PathLike[str] | None = None,
    test_config: dict[str, Any] | None = None,
    **config: Any,
) -> Flask:
    """Build the viewer for the store at ``store_path`` (or ``$DRAFTTRACK_STORE``)."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(_from_environment())
    if test_config:
        app.config.from_mapping(test_config)
    app.config.from_mapping(config)
    if store_path is not None:
        app.config["STORE_PATH"] = os.fspath(store_path)
    if not app.config["STORE_PATH"]:
        app.config["STORE_PATH"] = "drafttrack-store"
    _check(app)

    app.session_interface = security.SessionInterface()
    store.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    from web import filters

    filters.init_app(app)
    for name in BLUEPRINTS:
        module = importlib.import_module(f"web.views.{name}")
        app.register_blueprint(module.bp)
    for name in OPTIONAL_BLUEPRINTS:
        try:
            module = importlib.import_module(f"web.views.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"web.views.{name}":
                raise
            continue
        app.register_blueprint(module.bp)
    return app


def _check(app: Flask) -> None:
    """Refuse debug mode off loopback, and writes without a secret key."""
    host = app.config["BIND_HOST"]
    if app.debug and not security.is_loopback(host):
        raise ConfigError(f"refusing to run in debug mode while listening on {host}")
    if security.write_mode(app) != "off" and not app.config["SECRET_KEY"]:
        raise ConfigError(
            "writes are enabled but no secret key is set (set DRAFTTRACK_SECRET_KEY, "
            "or start read-only)"
        )


def ephemeral_secret() -> str:
    """A random secret key for a single loopback server process."""
    return secrets.token_hex(32)
