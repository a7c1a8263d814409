"""Diff reports as files: HTML, Markdown (CriticMarkup), JSON, DOCX (tracked changes), PDF.

:func:`export_report` is the one entry point, shared by ``drafttrack export`` and the viewer's
downloads. It takes the ``diff --json`` dict (``compare.comparison_json``), so it needs no store.
DOCX and PDF load their libraries (dependencies of drafttrack) on first use; PDF also needs the
Pango system library, and only PDF says so when it is missing.
"""

from __future__ import annotations

import importlib.util
import json
from typing import Any

from drafttrack.errors import DrafttrackError
from drafttrack.export.report import ExportOptions

FORMATS = ("html", "md", "json", "docx", "pdf")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
_NEEDS = {"docx": "docx", "pdf": "weasyprint"}
FORMATS_HINT = (
    "reinstall drafttrack, which depends on them "
    "(pip install -e . in its checkout, or pip install drafttrack)"
)
PANGO_HINT = (
    "PDF reports need the Pango library: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
    "(Debian, Ubuntu), dnf install pango (Fedora) or brew install pango (macOS)"
)


class ExportError(DrafttrackError):
    """A report cannot be written in the asked format."""


def available_formats() -> list[str]:
    """The formats that work with the libraries installed here."""
    return [f for f in FORMATS if f not in _NEEDS or importlib.util.find_spec(_NEEDS[f])]


def _require(module: str, fmt: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError:
        raise ExportError(
            f"{fmt} export needs format libraries that are missing here ({module}): {FORMATS_HINT}"
        ) from None
    except OSError:  # WeasyPrint loads Pango when imported
        raise ExportError(f"{fmt} export: {PANGO_HINT}") from None


def media_type(fmt: str) -> str:
    """The HTTP media type of a report format."""
    return MEDIA_TYPES[fmt]


def export_report(fmt: str, report: dict[str, Any], options: ExportOptions | None = None) -> bytes:
    """The report (the ``diff --json`` dict) as the bytes of a ``fmt`` file."""
    options = options or ExportOptions()
    if fmt not in FORMATS:
        raise ExportError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "json":
        return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "html":
        from drafttrack.export.html import render_html

        return render_html(report, options).encode("utf-8")
    if fmt == "md":
        from drafttrack.export.markdown import render_markdown

        return render_markdown(report, options).encode("utf-8")
    _require(_NEEDS[fmt], fmt)
    if fmt == "docx":
        from drafttrack.export.docx import render_docx

        return render_docx(report, options)
    from drafttrack.export.pdf import render_pdf

    return render_pdf(report, options)


__all__ = ["ExportError", "ExportOptions", "FORMATS", "available_formats", "export_report",
           "media_type"]  # fmt: skip
