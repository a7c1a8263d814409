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
- ``memo``: where a call may keep what it derived (nowhere, or the viewer's cache).
"""

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

__all__ = [
    "NO_MEMO",
    "Added",
    "Memo",
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
    "segmented",
    "stored_versions",
    "version_pair",
]
