"""What a received file is by its content; the extension is only a hint when content says nothing.

Every binary format's ``sniff`` asks :func:`content_kind` first, so a Word file named ``.pdf``
is read as Word, and a ``.docx`` that is no zip at all reaches the DOCX converter's clear error.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

_MARKUP = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)


def content_kind(data: bytes) -> str | None:
    """``docx``, ``pdf`` or ``html`` when the bytes show it, else None."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            pass
        return None
    if b"%PDF-" in data[:1024]:
        return "pdf"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and _MARKUP.search(head):
        return "html"
    return None


def claims(kind: str, extensions: tuple[str, ...], data: bytes, name: str) -> bool:
    """True when the content is ``kind``, or shows no known kind and the name ends so."""
    found = content_kind(data)
    if found is not None:
        return found == kind
    return name != "-" and PurePath(name).suffix.lower() in extensions
