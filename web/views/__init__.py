"""One blueprint per area of the viewer; helpers shared by several of them."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

Exporter = Callable[..., Any]


def _export_module() -> Any:
    try:
        return importlib.import_module("drafttrack.export")
    except ModuleNotFoundError as exc:
        if exc.name in ("drafttrack.export",):
            return None
        raise


def export_formats() -> list[str]:
    """Report formats that work here: always json, plus what ``drafttrack.export`` offers."""
    formats = ["json"]
    module = _export_module()
    available = getattr(module, "available_formats", None) if module else None
    if callable(available):
        formats += [f for f in available() if f != "json"]
    return formats


def export_report(
    fmt: str, store: Any, doc: str, old: Any, new: Any, result: Any
) -> tuple[bytes, str]:
    """The bytes and media type of a report in ``fmt`` (a format ``export_formats`` lists)."""
    from werkzeug.exceptions import NotFound

    raise NotFound(f"no {fmt!r} export is available")
