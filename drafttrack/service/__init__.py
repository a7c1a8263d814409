"""The one place where the store and the clause engine meet (no click, no Flask, no HTTP).

The CLI and the viewer are shells over these calls: parse the input, call the service, show the
result. Modules, one job each:

- ``stored``: a document's stored versions and texts as the engine reads them;
- ``versions``: add a version from a received file with its provenance;
- ``compare``: two stored versions compared clause by clause;
- ``lineages``: a document's clause lineages, clauses keyed by lineage, a clause by number;
- ``quote``: quote attribution over the store;
- ``importing``: a folder (or manifest) of versions imported in one go;
- ``demo``: the sample store;
- ``memo``: where a call may keep what it derived (nowhere, or the viewer's cache);
- ``history``: the history flow and each version's change volume;
- ``api``: the typed Python API for notebooks and scripts (``open_store``).

The names below load their module on first use, so that a command importing one service
module (``service.errors``, say) does not pay for the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOMES = {
    "NoEarlierVersion": "compare",
    "compare_versions": "compare",
    "comparison_report": "compare",
    "version_pair": "compare",
    "document_lineages": "lineages",
    "find_clause": "lineages",
    "keyed_clauses": "lineages",
    "lineage_keys_of": "lineages",
    "segmented": "lineages",
    "NO_MEMO": "memo",
    "Memo": "memo",
    "StoredText": "stored",
    "stored_versions": "stored",
    "Added": "versions",
    "Received": "versions",
    "add_received": "versions",
    "open_store": "api",
}
__all__ = [
    "Added",
    "Memo",
    "NO_MEMO",
    "NoEarlierVersion",
    "Received",
    "StoredText",
    "add_received",
    "compare_versions",
    "comparison_report",
    "document_lineages",
    "find_clause",
    "keyed_clauses",
    "lineage_keys_of",
    "open_store",
    "segmented",
    "stored_versions",
    "version_pair",
]

if TYPE_CHECKING:
    from drafttrack.service.api import open_store
    from drafttrack.service.compare import (
        NoEarlierVersion,
        compare_versions,
        comparison_report,
        version_pair,
    )
    from drafttrack.service.lineages import (
        document_lineages,
        find_clause,
        keyed_clauses,
        lineage_keys_of,
        segmented,
    )
    from drafttrack.service.memo import NO_MEMO, Memo
    from drafttrack.service.stored import StoredText, stored_versions
    from drafttrack.service.versions import Added, Received, add_received


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
