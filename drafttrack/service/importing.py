"""Import a folder of versions (``drafttrack import``): files in name order, or a manifest.

A ``manifest.json`` in the folder lists the versions (each entry shaped like an entry of the demo
manifest: ``file``, ``label``, ``position``, ``source`` {outlet, via, url}, ``reported_on``,
``drafted_on``, ``completeness``, ``note``), either as a JSON list or as
``{"title": …, "language": …, "versions": [...]}``. Every file is ingested and every field
validated before the store is touched.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafttrack.ingest import IngestError, ingest
from repo_store import InvalidValue, Original, Provenance, Store, StoreError, names
from repo_store.bulk import ImportResult, import_versions
from repo_store.model import VersionInput, prepare_version

MANIFEST = "manifest.json"
ENTRY_KEYS = {
    "file", "label", "position", "source", "reported_on", "drafted_on", "completeness", "note",
    "language",
}  # fmt: skip
SOURCE_KEYS = {"outlet", "via", "url"}


@dataclass(slots=True)
class ImportPlan:
    """The validated versions of a folder, in commit order, with their draft positions."""

    items: list[VersionInput]
    positions: list[int] | None
    warnings: list[str]


def read_folder(
    folder: Path,
    *,
    title: str | None,
    language: str | None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Validate and ingest every version in ``folder``; raises on the first problem.

    ``progress(done, total)`` is called after each file is read."""
    if not folder.is_dir():
        raise IngestError(f"{folder}: not a folder")
    manifest = folder / MANIFEST
    if manifest.exists():
        return _from_manifest(folder, manifest, title=title, language=language, progress=progress)
    files = sorted(
        (p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")),
        key=lambda p: p.name,
    )
    if not files:
        raise IngestError(f"{folder}: no files to import")
    entries = [{"file": p.name} for p in files]
    return _plan(folder, entries, title=title, language=language, positions=None, progress=progress)


def _from_manifest(
    folder: Path,
    manifest: Path,
    *,
    title: str | None,
    language: str | None,
    progress: Callable[[int, int], None] | None,
) -> ImportPlan:
    try:
        data = json.loads(manifest.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidValue(f"{MANIFEST}: not valid JSON ({exc})") from None
    if isinstance(data, dict):
        unknown = set(data) - {"title", "language", "versions"}
        if unknown:
            raise InvalidValue(f"{MANIFEST}: unknown field(s) {', '.join(sorted(unknown))}")
        title = title or _opt_str(data, "title", MANIFEST)
        language = language or _opt_str(data, "language", MANIFEST)
        data = data.get("versions")
    if not isinstance(data, list) or not data:
        raise InvalidValue(f"{MANIFEST}: expected a non-empty list of versions")
    entries = []
    for n, entry in enumerate(data, 1):
        where = f"{MANIFEST} entry {n}"
        if not isinstance(entry, dict):
            raise InvalidValue(f"{where}: not an object")
        unknown = set(entry) - ENTRY_KEYS
        if unknown:
            raise InvalidValue(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        if not isinstance(entry.get("file"), str) or not entry["file"]:
            raise InvalidValue(f"{where}: 'file' is required")
        entries.append(entry)
    given = [e.get("position") for e in entries]
    positions = None
    if any(p is not None for p in given):
        numbers = [p for p in given if isinstance(p, int) and not isinstance(p, bool)]
        if len(numbers) != len(given):
            raise InvalidValue(f"{MANIFEST}: give an integer 'position' for every version or none")
        if len(set(numbers)) != len(numbers):
            raise InvalidValue(f"{MANIFEST}: two versions have the same position")
        positions = numbers
    labels = [e["label"].casefold() for e in entries if isinstance(e.get("label"), str)]
    if len(set(labels)) != len(labels):
        raise InvalidValue(f"{MANIFEST}: two versions have the same label")
    return _plan(
        folder, entries, title=title, language=language, positions=positions, progress=progress
    )


def _extra(entry: dict[str, Any], fmt: str, where: str) -> dict[str, Any]:
    """Provenance fields beyond the standard ones: the format, and the version's own
    ``language`` (a translation in a document of another language)."""
    extra: dict[str, Any] = {"format": fmt}
    language = _opt_str(entry, "language", where)
    if language is not None:
        extra["language"] = names.check_language(f"{where}: 'language'", language)
    return extra


def _opt_str(entry: dict[str, Any], key: str, where: str) -> str | None:
    value = entry.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidValue(f"{where}: '{key}' must be a string")
    return value


def _file_in(folder: Path, name: str, where: str) -> Path:
    """The file ``name`` inside ``folder`` (no absolute paths, no escaping with '..')."""
    rel = Path(name)
    if rel.is_absolute() or ".." in rel.parts:
        raise InvalidValue(f"{where}: file {name!r} must be a path inside the folder")
    path = folder / rel
    if not path.is_file():
        raise IngestError(f"{where}: no such file {name!r}")
    return path


def _plan(
    folder: Path,
    entries: list[dict[str, Any]],
    *,
    title: str | None,
    language: str | None,
    positions: list[int] | None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    items: list[VersionInput] = []
    warnings: list[str] = []
    for n, entry in enumerate(entries, 1):
        where = (
            f"{MANIFEST} entry {n}" if positions is not None or "label" in entry else entry["file"]
        )
        path = _file_in(folder, entry["file"], where)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise IngestError(f"{path.name}: cannot be read ({exc.strerror})") from None
        received = ingest(data, path.name)
        warnings += [f"{path.name}: {w}" for w in received.warnings]
        source = entry.get("source") or {}
        if not isinstance(source, dict) or set(source) - SOURCE_KEYS:
            raise InvalidValue(f"{where}: 'source' must be an object with outlet, via, url")
        via = source.get("via") or []
        if not isinstance(via, list) or not all(isinstance(v, str) for v in via):
            raise InvalidValue(f"{where}: 'source.via' must be a list of outlets")
        try:
            provenance = Provenance.of(
                label=_opt_str(entry, "label", where),
                outlet=_opt_str(source, "outlet", where),
                via=via,
                url=_opt_str(source, "url", where),
                reported_on=_opt_str(entry, "reported_on", where),
                drafted_on=_opt_str(entry, "drafted_on", where),
                completeness=_opt_str(entry, "completeness", where),
                note=_opt_str(entry, "note", where),
            )
            items.append(
                prepare_version(
                    received.text,
                    provenance,
                    title=title,
                    language=language,
                    original=Original(data, path.name, received.extension),
                    extra=_extra(entry, received.format, where),
                )
            )
        except StoreError as exc:
            raise type(exc)(f"{where}: {exc}") from None
        if progress:
            progress(n, len(entries))
    return ImportPlan(items, positions, warnings)


def import_plan(store: Store, doc: str, plan: ImportPlan) -> ImportResult:
    """Record a validated folder's versions as versions of DOC, one commit each, all or none."""
    return import_versions(store, doc, plan.items, positions=plan.positions)
