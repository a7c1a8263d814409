"""Turn a received file into normalised Markdown text.

Each format is a small module with ``sniff(data, name) -> bool`` and
``convert(data, name) -> Ingested``; :func:`ingest` picks the first whose
``sniff`` accepts the bytes (content first, extension as a hint) and
normalises the result (Unicode NFC, ``\\n`` line endings, one final newline).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from drafttrack.errors import DrafttrackError

MAX_INPUT_BYTES = 50 * 1024 * 1024
"""Largest file accepted, before conversion."""


class IngestError(DrafttrackError):
    """A received file cannot be turned into a version's text."""


@dataclass(slots=True)
class Ingested:
    """The normalised text of a received file, with what was learnt converting it."""

    text: str
    format: str
    """md | txt | docx | pdf | html"""
    extension: str
    """Extension to keep the original under (without the dot)."""
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class Converter:
    """One input format."""

    name: str
    sniff: Callable[[bytes, str], bool]
    convert: Callable[[bytes, str], Ingested]


_CONVERTERS: list[Converter] = []


def register(converter: Converter, *, first: bool = False) -> None:
    """Add a format; binary formats register ``first`` so they win over plain text."""
    if first:
        _CONVERTERS.insert(0, converter)
    else:
        _CONVERTERS.append(converter)


def normalise_text(text: str) -> str:
    """NFC, ``\\n`` line endings, no BOM, no trailing spaces at line ends, one final newline."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def markdown_table(rows: list[list[str]]) -> str:
    """A Markdown table of ``rows`` (cells already escaped), the first row as header; short
    rows padded; empty when there are no rows."""
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows[1:]])


def ingest(data: bytes, name: str = "-") -> Ingested:
    """Convert ``data`` (the file ``name`` as received, ``-`` for stdin) to normalised Markdown."""
    if len(data) > MAX_INPUT_BYTES:
        raise IngestError(f"{name}: file is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
    if not data.strip():
        raise IngestError(f"{name}: file is empty")
    for converter in _CONVERTERS:
        if converter.sniff(data, name):
            result = converter.convert(data, name)
            result.text = normalise_text(result.text)
            if not result.text.strip():
                raise IngestError(f"{name}: no text found in the {converter.name} file")
            return result
    raise IngestError(f"{name}: unrecognised file format")


from drafttrack.ingest import (  # noqa: E402  (registers the built-in formats)
    docx,  # noqa: F401  (zip with word/document.xml; registered first, like html and pdf)
    html,  # noqa: F401
    pdf,  # noqa: F401
    plaintext,
)

__all__ = [
    "IngestError",
    "Ingested",
    "Converter",
    "register",
    "ingest",
    "normalise_text",
    "markdown_table",
    "plaintext",
]
