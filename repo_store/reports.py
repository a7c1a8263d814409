"""News reports kept as evidence about a document: three files and one commit each.

A report of DOC lives beside its versions, readable with plain git::

    <doc>/reports/<id>.json            metadata: outlet, url, published_on, language,
                                       machine_translated, translator, relays [ids], note, …
    <doc>/reports/<id>.md              the text extracted from it (what is linked to clauses)
    <doc>/reports/<id>.original.<ext>  the file as received (its sha256 in the metadata)

Each report is its own files (no shared list), so clones that add reports merge cleanly. Removing
a report is a commit that deletes its files; history keeps them. This module knows git and
metadata only: which sentence vouches for which clause is the engine's business.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from repo_store import names
from repo_store.errors import InvalidValue, StoreError
from repo_store.folders import json_records
from repo_store.model import dump_json, now, sha256
from repo_store.store import Store

FOLDER = "reports"
MAX_RELAYS = 20
"""A report relays a handful of others at most; more is a mistake."""
MAX_CHAIN = 50
"""Longest relay chain followed (a guard: cycles are refused when a report is added)."""
_EXT = re.compile(r"^[a-z0-9]{1,8}$")


class UnknownReport(StoreError):
    """No report with that id (or outlet) in the document."""


class RelayCycle(InvalidValue):
    """The relays given would make a report relay itself."""


@dataclass(frozen=True, slots=True)
class NewReport:
    """What a new report records (values checked by :func:`add_report`)."""

    text: str
    original: bytes
    original_name: str | None
    extension: str
    format: str
    language: str
    language_detected: bool = False
    outlet: str | None = None
    url: str | None = None
    published_on: str | None = None
    relays: tuple[str, ...] = ()
    machine_translated: bool = False
    translator: str | None = None
    note: str | None = None
    scope: str = "document"
    """``document``: linked to DOC's clauses; ``store``: to every document's (``--any-doc``)."""


def report_paths(slug: str, report_id: str, extension: str) -> tuple[str, str, str]:
    """Where a report's metadata, text and original live."""
    base = f"{slug}/{FOLDER}/{report_id}"
    return f"{base}.json", f"{base}.md", f"{base}.original.{extension}"


def _new_id(outlet: str | None) -> str:
    """``<outlet slug>-<6 hex>``: readable, and unique without a shared counter."""
    ascii_form = unicodedata.normalize("NFKD", outlet or "report").encode("ascii", "ignore")
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_form.decode().lower()).strip("-")[:40].strip("-")
    return f"{stem or 'report'}-{secrets.token_hex(3)}"


def list_reports(store: Store, slug: str) -> list[dict[str, Any]]:
    """Every report of a document (metadata), oldest first."""
    store.document(slug)
    records = json_records(store, f"{slug}/{FOLDER}")
    out = [r for r in records if isinstance(r.get("id"), str)]
    out.sort(key=lambda r: (str(r.get("added_at", "")), str(r.get("id", ""))))
    return out


def find_report(reports: list[dict[str, Any]], ref: str, slug: str) -> dict[str, Any]:
    """The report whose id is ``ref``, else the only one whose outlet is ``ref`` (any case)."""
    for report in reports:
        if report["id"] == ref:
            return report
    by_outlet = [r for r in reports if str(r.get("outlet") or "").casefold() == ref.casefold()]
    if len(by_outlet) == 1:
        return by_outlet[0]
    if by_outlet:
        ids = ", ".join(r["id"] for r in by_outlet)
        raise UnknownReport(f"{slug}: several reports from {ref!r} ({ids}); give the id")
    shown = ref if len(ref) <= 80 else ref[:80] + "…"
    raise UnknownReport(f"{slug}: no report {shown!r} (see `drafttrack report list {slug}`)")


def read_report_text(store: Store, slug: str, report_id: str) -> str:
    """The extracted text of a report ("" for one known only through its relays)."""
    head = store.head()
    raw = store.io.read_blob(head, f"{slug}/{FOLDER}/{report_id}.md") if head else None
    return "" if raw is None else raw.decode("utf-8")


def relay_chain(reports: list[dict[str, Any]], report: dict[str, Any]) -> list[dict[str, Any]]:
    """``report`` first, then what it relays, then what that relays … (first relay at each
    step; reports no longer stored end the chain)."""
    by_id = {r["id"]: r for r in reports}
    chain, seen = [report], {report["id"]}
    current = report
    while current.get("relays") and len(chain) < MAX_CHAIN:
        nxt = by_id.get(current["relays"][0])
        if nxt is None or nxt["id"] in seen:
            break
        chain.append(nxt)
        seen.add(nxt["id"])
        current = nxt
    return chain


def _check_relays(reports: list[dict[str, Any]], relays: tuple[str, ...], slug: str) -> list[str]:
    if len(relays) > MAX_RELAYS:
        raise InvalidValue(f"--relays given {len(relays)} times; at most {MAX_RELAYS}")
    ids: list[str] = []
    for ref in relays:
        rid = find_report(reports, ref, slug)["id"]
        if rid not in ids:
            ids.append(rid)
    return ids


def check_no_cycle(reports: list[dict[str, Any]], report_id: str, relays: list[str]) -> None:
    """``RelayCycle`` when following ``relays`` from ``report_id`` comes back to it."""
    by_id = {r["id"]: r for r in reports}
    todo, seen = list(relays), set()
    while todo:
        rid = todo.pop()
        if rid == report_id:
            raise RelayCycle(f"report {report_id!r} would relay itself (a cycle in --relays)")
        if rid in seen:
            continue
        seen.add(rid)
        todo.extend(by_id.get(rid, {}).get("relays") or [])


def _record(new: NewReport, report_id: str, slug: str, relays: list[str]) -> dict[str, Any]:
    if new.scope not in ("document", "store"):
        raise InvalidValue(f"unknown report scope {new.scope!r}")
    if not _EXT.fullmatch(new.extension):
        raise InvalidValue(f"unusable file extension {new.extension!r}")
    translator = names.check_text_field("translator", new.translator, limit=200)
    return {
        "id": report_id,
        "document": slug,
        "outlet": names.check_text_field("outlet", new.outlet, limit=300),
        "url": names.check_url(new.url),
        "published_on": names.check_date("published date", new.published_on),
        "language": new.language,
        "language_detected": new.language_detected,
        "machine_translated": bool(new.machine_translated or translator),
        "translator": translator,
        "relays": relays,
        "note": names.check_note(new.note),
        "scope": new.scope,
        "format": new.format,
        "original": None
        if new.format == "none"
        else {
            "name": names.check_text_field("file name", new.original_name, limit=300),
            "sha256": sha256(new.original),
            "extension": new.extension,
        },
        "text_sha256": None if new.format == "none" else sha256(new.text.encode("utf-8")),
        "added_at": now(),
    }


def add_report(store: Store, slug: str, new: NewReport) -> tuple[dict[str, Any], str]:
    """Record a report of ``slug`` (an existing document) in one commit; returns its metadata
    and the commit. Relays are report ids or outlets of the same document."""
    with store.write_lock():
        head = store.head()
        reports = list_reports(store, slug)
        relays = _check_relays(reports, new.relays, slug)
        taken = {r["id"] for r in reports}
        report_id = _new_id(new.outlet)
        while report_id in taken:
            report_id = _new_id(new.outlet)
        check_no_cycle(reports, report_id, relays)
        record = _record(new, report_id, slug, relays)
        meta, text, original = report_paths(slug, report_id, new.extension)
        who = record["outlet"] or "no outlet given"
        message = (
            f"{slug}: add report {report_id} ({who})\n\n"
            f"Drafttrack-Action: report\nDrafttrack-Document: {slug}\n"
            f"Drafttrack-Report: {report_id}\nDrafttrack-Source: {who}\n"
        )
        files: dict[str, bytes | None] = {meta: dump_json(record)}
        if new.format != "none":  # a report known only through its relays holds no text
            files[text] = new.text.encode("utf-8")
            files[original] = new.original
        commit = store._commit(files, message, head)
    return record, commit


def remove_report(store: Store, slug: str, ref: str) -> tuple[dict[str, Any], str]:
    """Remove a report in one commit (its files leave HEAD; history keeps them). Refused while
    another report relays it."""
    with store.write_lock():
        head = store.head()
        reports = list_reports(store, slug)
        report = find_report(reports, ref, slug)
        relaying = [r["id"] for r in reports if report["id"] in (r.get("relays") or [])]
        if relaying:
            raise InvalidValue(
                f"report {report['id']!r} is relayed by {', '.join(relaying)}; remove those first"
            )
        extension = str((report.get("original") or {}).get("extension") or "txt")
        paths = report_paths(slug, report["id"], extension if _EXT.fullmatch(extension) else "txt")
        who = report.get("outlet") or "no outlet given"
        message = (
            f"{slug}: remove report {report['id']} ({who})\n\n"
            f"Drafttrack-Action: report-remove\nDrafttrack-Document: {slug}\n"
            f"Drafttrack-Report: {report['id']}\nDrafttrack-Source: {who}\n"
        )
        commit = store._commit(dict.fromkeys(paths), message, head)
    return report, commit
