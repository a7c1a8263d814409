"""A document's clause lineages for the viewer, read from the derived index in the store's cache.

The index (``drafttrack.index_cache``) is rebuilt only when the store's HEAD moves; within one
process the lineage keys are also memoised per (document, HEAD).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from drafttrack.cli.history_cmds import document_lineages
from drafttrack.index_cache import lineage_keys
from drafttrack.model import Clause, VersionText
from drafttrack.segment import segment
from repo_store import Store, Version
from web.store import data_cache, version_text


def _loader(store: Store, doc: str) -> Any:
    def load() -> list[VersionText]:
        return [version_text(store, v) for v in store.versions(doc)]

    return load


@contextmanager
def lineages(store: Store, doc: str) -> Iterator[Any]:
    """The document's lineages (a ``LineageView``), current for the store's HEAD.

    The same path as ``drafttrack trace``/``history``, so the API gives the CLI's JSON.
    """
    with document_lineages(store, doc) as lin:
        yield lin


def keys_of(store: Store, doc: str) -> dict[str, list[str]]:
    """Per version id, the lineage key of each clause in ``segment`` order."""
    head = store.head()
    return data_cache().memo(
        ("keys", doc, head),
        lambda: lineage_keys(store.cache_dir, doc, head, _loader(store, doc)),
    )


def clauses_of(store: Store, version: Version) -> list[Clause]:
    """A version's clauses, each keyed by its lineage key (stable across versions)."""
    plain = data_cache().memo(
        ("segment", version.document, version.id),
        lambda: segment(store.read_text(version.document, version.id)),
    )
    keys = keys_of(store, version.document).get(version.id)
    if not keys or len(keys) != len(plain):
        return plain
    return [replace(c, key=k) for c, k in zip(plain, keys, strict=True)]
