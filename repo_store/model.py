"""The store's layout and value types: a version, a document, and the files that record a new
version (no git here; ``repo_store.store`` writes them).

Layout at the branch ``main`` (readable with plain git: ``git show HEAD:<doc>/versions/<id>.md``)::

    drafttrack.json                 {"format": 1}
    README.md                       this layout, for plain-git readers
    <doc>/document.json             title, language, description
    <doc>/versions/<id>.md          normalised text
    <doc>/versions/<id>.json        provenance, including its place in the draft order ("order")
    <doc>/originals/<id>.<ext>      the file as received (sha256 in the provenance)
    <doc>/reports/<id>.json|.md|.original.<ext>   news reports as evidence (repo_store.reports)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from repo_store import names
from repo_store.errors import DuplicateLabel, InvalidValue
from repo_store.provenance import Original, Placement, Provenance
from repo_store.refs import CACHE_NAME as CACHE_NAME

NO_PROVENANCE = Provenance()
AT_END = Placement()
NO_ORIGINAL = Original()

FORMAT = 1
LOCK_NAME = "drafttrack.lock"

STORE_README = """# A drafttrack store

This is a plain git repository written by drafttrack. Every document is a folder:

    <doc>/document.json            title, language, description
    <doc>/versions/<id>.md         the normalised text of one version
    <doc>/versions/<id>.json       its provenance: label, source (outlet, via, url), reported_on,
                                   drafted_on, completeness, note, original {name, sha256},
                                   added_at, order (sort by it for the draft order),
                                   also_reported_by
    <doc>/originals/<id>.<ext>     the file as it was received
    <doc>/reports/<id>.json        a news report about the document: outlet, url, published_on,
                                   language, machine_translated, translator, relays [report ids]
    <doc>/reports/<id>.md          the report's extracted text (what its sentences are read from)
    <doc>/reports/<id>.original.<ext>  the report as it was received

Each commit records one change and names the document, the version and its source.
Read it without drafttrack: `git clone STORE copy` or `git --git-dir STORE show HEAD:<path>`.
"""


@dataclass(slots=True)
class Version:
    """One recorded version: its id, label, place in draft order and provenance."""

    document: str
    id: str
    label: str
    position: int
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def completeness(self) -> str:
        """full | partial | excerpt."""
        return str(self.provenance.get("completeness", "full"))

    @property
    def text_path(self) -> str:
        """Path of the normalised text inside the repository."""
        return f"{self.document}/versions/{self.id}.md"

    def to_json(self) -> dict[str, Any]:
        """The contract's short Version object."""
        p = self.provenance
        return {
            "id": self.id,
            "label": self.label,
            "position": self.position,
            "source": p.get("source", {"outlet": None, "via": [], "url": None}),
            "reported_on": p.get("reported_on"),
            "drafted_on": p.get("drafted_on"),
            "completeness": self.completeness,
        }

    def to_full_json(self) -> dict[str, Any]:
        """Version plus every provenance field (``log --json``)."""
        data = dict(self.provenance)
        data.update(self.to_json())
        return data


@dataclass(slots=True)
class Document:
    """A document: its slug, descriptive fields and number of versions."""

    slug: str
    title: str
    language: str | None = None
    description: str | None = None


@dataclass(slots=True)
class AddResult:
    """What ``add_version`` recorded."""

    version: Version
    commit: str
    identical_to: Version | None = None
    warnings: list[str] = field(default_factory=list)


def now() -> str:
    """The time recorded for a change (``$DRAFTTRACK_NOW`` when set: tests, benchmarks)."""
    fixed = os.environ.get("DRAFTTRACK_NOW")
    if fixed:
        return fixed
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sha256(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def dump_json(data: dict[str, Any]) -> bytes:
    """A stored JSON file's bytes (UTF-8, indented, one final newline)."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


@dataclass(slots=True)
class VersionInput:
    """A version to record, with its provenance fields already validated."""

    text: str
    label: str | None
    title: str | None
    language: str | None
    source: dict[str, Any]
    fields: dict[str, Any]
    """reported_on, drafted_on, completeness, note."""
    original: bytes | None
    original_name: str | None
    ext: str
    extra: dict[str, Any] | None


def prepare_version(
    text: str,
    provenance: Provenance,
    *,
    title: str | None = None,
    language: str | None = None,
    original: Original = NO_ORIGINAL,
    extra: dict[str, Any] | None = None,
) -> VersionInput:
    """Validate a version's text and provenance (no store access); raises StoreError."""
    checked = provenance.checked()
    title = names.check_text_field("title", title, limit=500)
    language = names.check_text_field("language", language, limit=20)
    if not text.strip():
        raise InvalidValue("the text is empty")
    ext = original.ext if original.ext.isalnum() and len(original.ext) <= 8 else "bin"
    name = names.check_text_field("file name", original.name, limit=255)
    return VersionInput(
        text, checked.label, title, language, checked.source, checked.fields, original.data,
        name, ext, extra,
    )  # fmt: skip


@dataclass(slots=True)
class BuiltVersion:
    """The files and commit message that record one version."""

    provenance: dict[str, Any]
    files: dict[str, bytes]
    message: str
    identical_to: str | None


@dataclass(slots=True)
class VersionIndex:
    """A document's versions as ``build_version_files`` consults them: how many, their labels
    (casefolded), their ids and the first version of each text. Built once, then updated with
    ``add``, it makes every check of a bulk import O(1) instead of a scan of all earlier versions.
    """

    count: int = 0
    labels: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    first_by_text: dict[str, str] = field(default_factory=dict)
    """text_sha256 -> id of the first version (in list order) with that text."""

    @classmethod
    def of(cls, versions: Sequence[Version]) -> VersionIndex:
        index = cls()
        for version in versions:
            index.add(version.id, version.label, version.provenance.get("text_sha256"))
        return index

    def add(self, vid: str, label: str, text_sha: object) -> None:
        self.count += 1
        self.labels.add(label.casefold())
        self.ids.add(vid)
        if isinstance(text_sha, str):
            self.first_by_text.setdefault(text_sha, vid)


def build_version_files(
    slug: str,
    item: VersionInput,
    versions: Sequence[Version],
    *,
    order_key: str,
    new_document: bool,
    index: VersionIndex | None = None,
) -> BuiltVersion:
    """Files, provenance and message of a new version of ``slug`` after ``versions``.

    Picks the default label (``v<N>``), refuses a duplicate label, picks a fresh id and notes a
    text identical to an earlier version. Shared by ``add_version`` and bulk import, which
    passes ``index`` (``VersionIndex.of(versions)``, kept current) instead of having
    ``versions`` scanned for every version it builds.
    """
    if index is None:
        index = VersionIndex.of(versions)
    label = item.label
    if label is None:
        n = index.count + 1
        while f"v{n}" in index.labels:
            n += 1
        label = f"v{n}"
    if label.casefold() in index.labels:
        raise DuplicateLabel(f"{slug!r} already has a version labelled {label!r}")
    text_bytes = item.text.encode("utf-8")
    text_sha = sha256(text_bytes)
    identical_id = index.first_by_text.get(text_sha)
    vid = secrets.token_hex(5)
    while vid in index.ids:
        vid = secrets.token_hex(5)
    raw = item.original if item.original is not None else text_bytes
    original_path = f"{slug}/originals/{vid}.{item.ext}"
    prov: dict[str, Any] = {
        "id": vid,
        "label": label,
        "source": item.source,
        **item.fields,
        "original": {"name": item.original_name, "sha256": sha256(raw), "path": original_path},
        "text_sha256": text_sha,
        "added_at": now(),
        "order": order_key,
        "also_reported_by": [],
        "identical_to": identical_id,
    }
    if item.extra:
        prov.update(item.extra)
    files = {
        f"{slug}/versions/{vid}.md": text_bytes,
        f"{slug}/versions/{vid}.json": dump_json(prov),
        original_path: raw,
    }
    if new_document:
        files[f"{slug}/document.json"] = dump_json(
            {"title": item.title or slug, "language": item.language, "description": None}
        )
    source = item.source
    who = source["outlet"] or "unknown source"
    if source["via"]:
        who += " via " + ", ".join(source["via"])
    message = (
        f"{slug}: add version {label!r} ({who})\n\n"
        f"Drafttrack-Action: add\nDrafttrack-Document: {slug}\n"
        f"Drafttrack-Version: {vid}\nDrafttrack-Label: {label}\n"
        f"Drafttrack-Source: {who}\n"
    )
    if identical_id is not None:
        message += f"Drafttrack-Identical-To: {identical_id}\n"
    return BuiltVersion(prov, files, message, identical_id)


def versions_in_order(slug: str, records: list[dict[str, Any]]) -> list[Version]:
    """A document's versions from their provenance records, in draft order (order key, then
    time added, then id), repeated labels disambiguated."""
    records = sorted(
        records, key=lambda p: (str(p.get("order", "")), str(p.get("added_at", "")), p["id"])
    )
    result = [
        Version(slug, p["id"], p.get("label") or p["id"], i + 1, p) for i, p in enumerate(records)
    ]
    disambiguate_labels(result)
    return result


def disambiguate_labels(versions: list[Version]) -> None:
    """Two clones may each add a version with the same label; after they merge, every version
    but the first in draft order with that label reads as ``label [id]`` (files keep the label)."""
    seen: set[str] = set()
    for version in versions:
        key = version.label.casefold()
        if key in seen:
            version.label = f"{version.label} [{version.id}]"
        seen.add(key)
