"""A document's life at a glance: its history flow and each version's change volume, both from
the lineage index (never re-aligned)."""

from __future__ import annotations

from typing import Any

from drafttrack.history_flow import Flow, history_flow, with_changes
from drafttrack.service.events import document_events
from drafttrack.service.lineages import document_lineages
from drafttrack.service.memo import NO_MEMO, Memo
from repo_store import Store


def document_flow(store: Store, doc: str, memo: Memo = NO_MEMO) -> Flow:
    """DOC's history flow (bands per lineage, change volume per version), kept per HEAD."""

    def make() -> Flow:
        with document_lineages(store, doc) as lin:
            return history_flow(lin)

    return memo.memo(("flow", doc, store.head()), make)


def versions_with_changes(store: Store, doc: str) -> list[dict[str, Any]]:
    """DOC's versions with provenance (``log --json``) and each one's ``changes`` against its
    predecessor in draft order."""
    versions = [v.to_full_json() for v in store.versions(doc)]
    if not versions:
        return versions
    with document_lineages(store, doc) as lin:
        return with_changes(versions, lin)


def document_log(store: Store, doc: str) -> dict[str, Any]:
    """``log --json`` (and ``/api/d/DOC/log``): the versions in draft order and the document's
    events (withdrawn, restored)."""
    document = store.document(doc)
    return {
        "document": doc,
        "title": document.title,
        "versions": versions_with_changes(store, doc),
        "events": document_events(store, doc),
    }
