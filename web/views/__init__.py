"""One blueprint per area of the viewer; helpers shared by several of them."""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

from drafttrack.export import ExportOptions, available_formats, export_report, media_type

NEEDS = {"docx": "docx", "pdf": "weasyprint"}
"""Libraries loaded once to check that a format works (WeasyPrint may be installed without
Pango, which fails only when loaded)."""


@cache
def export_formats() -> list[str]:
    """Report formats that work here, checked once per process by loading their libraries."""
    working = []
    for fmt in available_formats():
        if fmt in NEEDS:
            try:
                importlib.import_module(NEEDS[fmt])
            except (ImportError, OSError):
                continue
        working.append(fmt)
    return working


def report_bytes(fmt: str, data: dict[str, Any], document_title: str) -> tuple[bytes, str]:
    """The bytes and media type of the report ``data`` (the diff contract) in ``fmt``."""
    return export_report(fmt, data, ExportOptions(document_title=document_title)), media_type(fmt)
