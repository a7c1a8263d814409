"""A diff report of two stored versions (HTML, Markdown, JSON, DOCX, PDF), as ``export``, the
viewer's downloads and the Python API write it."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from drafttrack.errors import DrafttrackError
from drafttrack.export import ExportOptions, export_report
from drafttrack.service.compare import compare_versions, comparison_report
from drafttrack.service.evidence_view import change_evidence
from drafttrack.service.memo import NO_MEMO, Memo
from repo_store import Store, Version


def version_report(
    store: Store, doc: str, old: str, new: str, fmt: str, options: ExportOptions | None = None
) -> bytes:
    """The report of OLD against NEW of DOC in FMT; the document's title is filled in, and
    (but in JSON, the diff contract) the report sentences vouching for each clause."""
    document = store.document(doc)
    old_v, new_v = store.resolve(doc, old), store.resolve(doc, new)
    # the diff --json contract: clause keys are lineage keys, as in diff
    comparison = compare_versions(store, old_v, new_v, keyed=fmt == "json")
    data = comparison_report(doc, old_v, new_v, comparison)
    options = options or ExportOptions()
    if options.document_title is None:
        options = replace(options, document_title=document.title)
    return export_report(fmt, data, with_evidence(store, old_v, new_v, fmt, data, options))


def with_evidence(
    store: Store,
    old: Version,
    new: Version,
    fmt: str,
    data: dict[str, Any],
    options: ExportOptions,
    memo: Memo = NO_MEMO,
) -> ExportOptions:
    """``options`` with the report sentences vouching for each change of ``data`` (an unkeyed
    comparison's contract dict); unchanged for JSON and for a document without reports."""
    if fmt == "json" or options.evidence is not None:
        return options
    found = change_evidence(store, old, new, data["changes"], memo)
    return replace(options, evidence=found) if found else options


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a failure leaves no half file."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DrafttrackError(f"{path}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
