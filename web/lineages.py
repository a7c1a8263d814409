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
from drafttrack.compare import Comparison, compare_clauses
from drafttrack.index_cache import lineage_keys
from drafttrack.model import Clause, VersionText
from drafttrack.segment_cache import cached_segment
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


def _keyed(clauses: list[Clause], keys: list[str] | None) -> list[Clause]:
    if not keys or len(keys) != len(clauses):
        return clauses
    return [replace(c, key=k) for c, k in zip(clauses, keys, strict=True)]


def comparison(store: Store, old: Version, new: Version, keyed: bool = True) -> Comparison:
    """Two versions compared, cached; ``keyed``: lineage keys as clause keys (``diff --json``).

    Pages that show no keys pass ``keyed=False`` and skip building the lineage index. The cache
    key holds both versions' lineage keys: texts never change, keys change only when a version
    placed earlier in the draft order changes where a lineage first appears.
    """
    old_keys = new_keys = None
    if keyed:
        keys = keys_of(store, old.document)
        old_keys, new_keys = keys.get(old.id), keys.get(new.id)
    cache_key = ("compare", old.document, old.id, new.id, keyed, tuple(old_keys or ()),
                 tuple(new_keys or ()))  # fmt: skip

    def make() -> Comparison:
        old_clauses, new_clauses = segmented(store, old), segmented(store, new)
        return compare_clauses(_keyed(old_clauses, old_keys), _keyed(new_clauses, new_keys))

    return data_cache().memo(cache_key, make)


def clauses_of(store: Store, version: Version) -> list[Clause]:
    """A version's clauses, each keyed by its lineage key (stable across versions)."""
    return _keyed(segmented(store, version), keys_of(store, version.document).get(version.id))


def segmented(store: Store, version: Version) -> list[Clause]:
    """A version's clauses with segmentation keys (memoised, and kept in the segment cache)."""
    return data_cache().memo(
        ("segment", version.document, version.id),
        lambda: cached_segment(store.cache_dir, store.read_text(version.document, version.id)),
    )


def flow_of(store: Store, doc: str) -> Any:
    """The document's history flow (``drafttrack.history_flow.Flow``), memoised per HEAD."""
    from drafttrack.history_flow import history_flow

    def make() -> Any:
        with lineages(store, doc) as lin:
            return history_flow(lin)

    return data_cache().memo(("flow", doc, store.head()), make)
