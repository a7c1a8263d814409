"""The demo store: the packaged sample texts added the way a user adds them."""

from __future__ import annotations

import json
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from drafttrack.service.versions import Received, add_received
from repo_store import Placement, Provenance, Store


def demo_manifest() -> dict[str, Any]:
    """The packaged manifest of demo documents and versions (in the order they were added)."""
    text = resources.files("drafttrack").joinpath("demo_data/manifest.json").read_text("utf-8")
    manifest: dict[str, Any] = json.loads(text)
    return manifest


def build_demo_store(path: Path) -> Store:
    """Create a store at ``path`` and add the demo versions in arrival order.

    A version that surfaced late is placed with ``before`` at its draft position, exactly as a
    user would with ``drafttrack add --before``; a version in another language than its
    document (a translation) records its ``language`` in its provenance.
    """
    store = Store.init(path)
    data_dir = resources.files("drafttrack").joinpath("demo_data")
    for doc in demo_manifest()["documents"]:
        placed: list[tuple[int, str]] = []  # (draft position, label) of versions added so far
        for entry in doc["versions_in_order_added"]:
            raw = data_dir.joinpath(entry["file"]).read_bytes()
            later = sorted(p for p in placed if p[0] > entry["position"])
            source = entry.get("source") or {}
            provenance = Provenance.of(
                label=entry["label"],
                outlet=source.get("outlet"),
                via=source.get("via") or [],
                url=source.get("url"),
                reported_on=entry.get("reported_on"),
                drafted_on=entry.get("drafted_on"),
                completeness=entry.get("completeness"),
                note=entry.get("note"),
            )
            add_received(
                store,
                doc["slug"],
                Received(raw, Path(entry["file"]).name),
                provenance,
                Placement(before=later[0][1] if later else None),
                title=doc.get("title"),
                language=doc.get("language"),
                extra={"language": entry["language"]} if entry.get("language") else None,
            )
            placed.append((entry["position"], entry["label"]))
        _add_reports(store, doc, data_dir)
    return store


def _add_reports(store: Store, doc: dict[str, Any], data_dir: Any) -> None:
    """The document's demo reports, relays first (each names the reports it relays)."""
    from drafttrack.service.evidence import ReportOptions, add_report_received

    ids: dict[str, str] = {}
    for entry in doc.get("reports") or []:
        received = None
        if entry.get("file"):
            raw = data_dir.joinpath(entry["file"]).read_bytes()
            received = Received(raw, Path(entry["file"]).name)
        options = ReportOptions(
            outlet=entry.get("outlet"),
            url=entry.get("url"),
            published_on=entry.get("published_on"),
            language=entry.get("language"),
            relays=tuple(ids[name] for name in entry.get("relays") or []),
            machine_translated=bool(entry.get("machine_translated")),
            translator=entry.get("translator"),
            note=entry.get("note"),
        )
        record, _ = add_report_received(store, doc["slug"], received, options)
        ids[entry["name"]] = str(record["id"])


def fresh_demo_store() -> Store:
    """A new demo store in a fresh temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="drafttrack-demo-")) / "store"
    return build_demo_store(folder)
