"""Recording captures: a watch's capture becomes a version (one ``add_received`` path), archived
captures are re-read under changed rules, and a new version is summarised for the webhook."""

from __future__ import annotations

from typing import Any

from drafttrack import __version__
from drafttrack.ingest import Ingested
from drafttrack.model import Clause
from drafttrack.service.compare import compare_versions
from drafttrack.service.versions import Received, add_received
from drafttrack.service.watch_files import DEFAULT_LABEL_FORMAT, State, Watch, captured, iso_label
from drafttrack.watch.capture import text_key
from drafttrack.watch.clock import iso_utc
from drafttrack.watch.extract import Refused, extract
from drafttrack.watch.fetch import Fetched
from repo_store import Placement, Provenance, Store, Version


def record_capture(
    store: Store, watch: Watch, fetched: Fetched, extracted: Ingested, now: float
) -> Version:
    """Add a capture as a new version with the capture's provenance, through ``add_received``."""
    capture = {
        "watch": watch.id,
        "requested_url": fetched.requested_url,
        "final_url": fetched.final_url,
        "redirects": fetched.redirects,
        "status": fetched.status,
        "etag": fetched.validators.etag,
        "last_modified": fetched.validators.last_modified,
        "fetched_at": fetched.fetched_at,
        "rules_sha256": watch.rules.sha256(),
        "raw_sha256": fetched.sha256,
        "headers": fetched.headers,
        "robots_overridden": fetched.robots_overridden,
        "drafttrack": __version__,
    }
    label = iso_label(watch.label_format or DEFAULT_LABEL_FORMAT, now)
    head = store.head()
    known = head is not None and store.has_document(head, watch.document)
    existing = {v.label for v in store.versions(watch.document)} if known else set()
    if label in existing:
        label = f"{label} ({fetched.sha256[:6]})"
    provenance = Provenance.of(
        label=label,
        outlet=watch.source_outlet,
        url=fetched.final_url,
        reported_on=iso_utc(now)[:10],
        note=f"captured by watch {watch.id}",
    )
    added = add_received(
        store,
        watch.document,
        Received(fetched.body, f"capture.{extracted.extension}"),
        provenance,
        extra={"capture": capture, "technical": False},
        extracted=extracted,
    )
    return added.result.version


def reextract_captures(
    store: Store, doc: str, watches: list[Watch], states: dict[str, State]
) -> list[Version]:
    """Re-run extraction over DOC's archived captures with each watch's current rules; a
    different text becomes a ``technical`` version right after the capture it re-reads (updates
    ``states`` where the current text moved)."""
    made: list[Version] = []
    for watch in watches:
        rules_sha = watch.rules.sha256()
        mine = captured(store, watch)
        done = {v.provenance.get("reextracted_from") for v in mine}
        done |= {v.provenance.get("reextracted_from") for v in mine
                 if v.provenance["capture"].get("rules_sha256") == rules_sha}  # fmt: skip
        for version in mine:
            capture = version.provenance["capture"]
            if capture.get("rules_sha256") == rules_sha or version.id in done:
                continue
            if version.provenance.get("technical"):
                continue
            raw = store.read_original(version)
            if raw is None:
                continue
            headers = capture.get("headers") or {}
            try:
                extracted = extract(raw, str(headers.get("content-type", "")), watch.rules)
            except Refused:
                continue
            if text_key(extracted.text) == text_key(store.read_text(doc, version.id)):
                continue
            provenance = Provenance.of(
                label=f"{version.label} (re-extracted {rules_sha[:8]})",
                outlet=watch.source_outlet,
                url=capture.get("final_url"),
                reported_on=version.provenance.get("reported_on"),
                note=f"re-extracted by watch {watch.id} with changed rules",
            )
            added = add_received(
                store,
                doc,
                Received(raw, f"capture.{extracted.extension}"),
                provenance,
                Placement(after=version.id),
                extra={
                    "capture": {**capture, "rules_sha256": rules_sha},
                    "technical": True,
                    "reextracted_from": version.id,
                },
                extracted=extracted,
            )
            made.append(added.result.version)
            state = states.setdefault(watch.id, State())
            if state.current == version.id:
                state.current = added.result.version.id
    return made


def change_summary(store: Store, watch: Watch, old_id: str, new: Version) -> dict[str, Any] | None:
    """The webhook's JSON for a new version, or None when nothing substantive changed."""
    old = store.resolve(watch.document, old_id)
    changes = compare_versions(store, old, new, keyed=False).substantive()
    if not changes:
        return None

    def clauses(items: list[Clause]) -> list[dict[str, Any]]:
        return [{"number": c.number, "text": c.text} for c in items]

    return {
        "watch": watch.id,
        "document": watch.document,
        "url": watch.url,
        "old": {"id": old.id, "label": old.label},
        "new": {"id": new.id, "label": new.label},
        "added": [cl for c in changes if c.kind == "added" for cl in clauses(c.new)],
        "removed": [cl for c in changes if c.kind == "removed" for cl in clauses(c.old)],
        "changed": [
            {"kind": c.kind, "old": clauses(c.old), "new": clauses(c.new)}
            for c in changes
            if c.kind not in ("added", "removed")
        ],
        "compare": f"/d/{watch.document}/compare/{old.id}/{new.id}",
    }
