"""The JSON records kept in one folder of the store at HEAD (annotations, reports, events)."""

from __future__ import annotations

import json
from typing import Any

from repo_store.store import Store


def json_records(store: Store, folder: str) -> list[dict[str, Any]]:
    """Every ``*.json`` file of ``folder`` at HEAD that holds a JSON object, in name order; a
    file that is not valid JSON is passed over (each caller checks the fields it needs)."""
    head = store.head()
    if not head:
        return []
    out = []
    for name in sorted(store.io.list_tree(f"{head}:{folder}")):
        if not name.endswith(".json"):
            continue
        raw = store.io.read_blob(head, f"{folder}/{name}")
        try:
            data = json.loads(raw or b"")
        except ValueError:
            continue
        if isinstance(data, dict):
            out.append(data)
    return out
