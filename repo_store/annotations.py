"""Annotations: sourced notes pinned to a clause's lineage, one file and one commit each.

Each annotation is its own file ``<doc>/annotations/<id>.json`` (not a shared
``annotations.jsonl``): two clones that annotate the same document then merge without conflicts,
because no file is edited by more than one addition.
"""

from __future__ import annotations

import secrets
from typing import Any

from repo_store import names
from repo_store.errors import InvalidValue
from repo_store.folders import json_records
from repo_store.model import Version, dump_json, now
from repo_store.store import Store

FOLDER = "annotations"


def annotation_path(slug: str, annotation_id: str) -> str:
    """Where an annotation lives in the store."""
    return f"{slug}/{FOLDER}/{annotation_id}.json"


def add_annotation(
    store: Store,
    slug: str,
    version: Version,
    clause: dict[str, Any],
    *,
    note: str,
    outlet: str | None = None,
    url: str | None = None,
) -> tuple[dict[str, Any], str]:
    """Record a note on ``clause`` (contract Clause: key, number, path, text) of ``version``.

    ``clause["key"]`` is the clause's lineage key; the note is shown wherever that lineage
    lives, marked with the version it was written against. Returns the record and the commit.
    """
    text = names.check_note(note)
    if not text:
        raise InvalidValue("the note is empty")
    key = str(clause.get("key") or "")
    if not key or len(key) > 200 or any(ord(ch) < 32 for ch in key):
        raise InvalidValue("the clause key is missing or malformed")
    record: dict[str, Any] = {
        "id": secrets.token_hex(6),
        "document": slug,
        "version": version.id,
        "version_label": version.label,
        "clause": {
            "key": key,
            "number": clause.get("number"),
            "path": list(clause.get("path") or []),
            "text": str(clause.get("text") or "")[:2000],
        },
        "note": text,
        "source": {
            "outlet": names.check_text_field("outlet", outlet, limit=300),
            "url": names.check_url(url),
        },
        "created_at": now(),
    }
    who = record["source"]["outlet"] or "no source given"
    where = clause.get("number") or key
    message = (
        f"{slug}: annotate {where} of version {version.label!r} ({who})\n\n"
        f"Drafttrack-Action: annotate\nDrafttrack-Document: {slug}\n"
        f"Drafttrack-Version: {version.id}\nDrafttrack-Label: {version.label}\n"
        f"Drafttrack-Source: {who}\nDrafttrack-Annotation: {record['id']}\n"
    )
    commit = store.commit_files({annotation_path(slug, record["id"]): dump_json(record)}, message)
    return record, commit


def list_annotations(store: Store, slug: str) -> list[dict[str, Any]]:
    """All annotations of a document, oldest first."""
    store.document(slug)
    records = json_records(store, f"{slug}/{FOLDER}")
    out = [r for r in records if isinstance(r.get("clause"), dict)]
    out.sort(key=lambda a: (str(a.get("created_at", "")), str(a.get("id", ""))))
    return out
