"""Markdown and plain text: UTF-8 (with or without BOM), never binary."""

from __future__ import annotations

import re
from pathlib import PurePath

from drafttrack.ingest import Converter, Ingested, IngestError, register

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
"""C0 control characters other than tab, line feed, form feed and carriage return."""
_TEXT_EXTENSIONS = {"md", "markdown", "txt", "text", ""}


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".") if name != "-" else ""


def sniff(data: bytes, name: str) -> bool:
    """Accept anything not claimed by a binary format; decoding decides."""
    return True


def convert(data: bytes, name: str) -> Ingested:
    """Decode UTF-8 strictly and refuse binary content."""
    if b"\x00" in data[:8192]:
        raise IngestError(f"{name}: binary file (NUL bytes), not a text draft")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{name}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert the file to UTF-8 first"
        ) from None
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 1000):
        raise IngestError(f"{name}: binary file (control characters), not a text draft")
    ext = _extension(name)
    fmt = "txt" if ext in {"txt", "text"} else "md"
    keep = ext if ext in _TEXT_EXTENSIONS and ext else fmt
    return Ingested(text=text, format=fmt, extension=keep)


register(Converter("text", sniff, convert))
