"""One blueprint per area of the viewer; helpers shared by several of them."""

from __future__ import annotations

from functools import cache
from typing import Any

from drafttrack.export import ExportOptions, available_formats, export_report, media_type


@cache
def export_formats() -> list[str]:
    """Report formats that work here (the optional libraries for DOCX/PDF may be missing)."""
    return available_formats()


def report_bytes(fmt: str, data: dict[str, Any], document_title: str) -> tuple[bytes, str]:
    """The bytes and media type of the report ``data`` (the diff contract) in ``fmt``."""
    return export_report(fmt, data, ExportOptions(document_title=document_title)), media_type(fmt)
