"""Document events: what happened to a document that is not a version of its text.

``withdrawn``: the text was taken down (a watched page answering 404/410 three checks in a row, a
file deleted from an adopted git history); ``restored``: a withdrawn watched page answers again.
An event is a JSON file committed under ``<doc>/events/`` (one commit each, plain git), so
``log``, the viewer and a reader of the repository can tell "removed from the text" (a version
without the clause) from "the text was withdrawn" (no text at all since that date).
"""

from __future__ import annotations

from typing import Any

from drafttrack.wording import UNKNOWN_SOURCE
from repo_store import Store
from repo_store.folders import json_records
from repo_store.model import dump_json

EVENTS_DIR = "events"


def event_path(doc: str, stamp: str, kind: str) -> str:
    """The store path of an event file (``stamp`` orders events with the same time)."""
    return f"{doc}/{EVENTS_DIR}/{stamp}-{kind}.json"


def record_event(
    store: Store, doc: str, kind: str, stamp: str, event: dict[str, Any], trailers: dict[str, str]
) -> str:
    """Commit an event of ``kind`` (``withdrawn``, ``restored``) for ``doc``; returns the commit."""
    body = {"type": kind, **event}
    outlet = body.get("outlet") or UNKNOWN_SOURCE
    lines = "".join(f"Drafttrack-{key}: {value}\n" for key, value in trailers.items())
    action = {"withdrawn": "withdraw", "restored": "restore"}.get(kind, kind)
    message = (
        f"{doc}: {kind} ({outlet})\n\n"
        f"Drafttrack-Action: {action}\nDrafttrack-Document: {doc}\n{lines}"
    )
    return store.commit_files({event_path(doc, stamp, kind): dump_json(body)}, message)


def document_events(store: Store, doc: str) -> list[dict[str, Any]]:
    """A document's events, oldest first (by ``committed_at``)."""
    if store.head() is None or not store.document_state(doc):
        return []
    out = [e for e in json_records(store, f"{doc}/{EVENTS_DIR}") if e.get("type")]
    return sorted(out, key=lambda e: str(e.get("committed_at", "")))


def describe_event(event: dict[str, Any]) -> str:
    """One line for the terminal and the viewer: ``withdrawn on 2026-03-01 (outlet): note``."""
    what = str(event.get("type", "event"))
    where = f" ({event['outlet']})" if event.get("outlet") else ""
    note = f": {event['note']}" if event.get("note") else ""
    return f"{what} on {event.get('on', '?')}{where}{note}"
