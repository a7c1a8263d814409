"""A document's clause lineages, and clauses keyed by lineage (stable across versions).

The lineages come from the derived index in the store's cache (``drafttrack.index_cache``),
rebuilt only when the store's HEAD moves; a ``memo`` (the viewer's cache) also keeps the keys
per (document, HEAD) and each version's clauses per version id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

from drafttrack.errors import DrafttrackError
from drafttrack.index_cache import IndexCache, lineage_keys, open_lineages
from drafttrack.model import Clause
from drafttrack.segment_cache import cached_segment
from drafttrack.service.memo import NO_MEMO, Memo
from drafttrack.service.stored import lineage_versions
from drafttrack.trace import LineageView
from repo_store import Store, Version, names


@contextmanager
def document_lineages(
    store: Store,
    doc: str,
    *,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    index: IndexCache | None = None,
) -> Iterator[LineageView]:
    """DOC's lineages, from the derived index when current (``use_cache`` False: built cold);
    ``progress(done, total)`` follows a build version by version; ``index``: the store's
    derived index already open (a caller going through many documents keeps one open)."""
    names.check_slug(doc)
    folder = store.cache_dir if use_cache else None
    # a current index answers without the store; the loader checks that DOC exists
    with open_lineages(
        folder,
        doc,
        store.head(),
        lambda: lineage_versions(store, doc),
        progress=progress,
        shared=index if use_cache else None,
    ) as lin:
        yield lin


def lineage_keys_of(store: Store, doc: str, memo: Memo = NO_MEMO) -> dict[str, list[str]]:
    """Per version id, the lineage key of each clause in ``segment`` order."""
    head = store.head()
    return memo.memo(
        ("keys", doc, head),
        lambda: lineage_keys(store.cache_dir, doc, head, lambda: lineage_versions(store, doc)),
    )


def with_keys(clauses: list[Clause], keys: Sequence[str] | None) -> list[Clause]:
    """``clauses`` keyed by ``keys``; unchanged when the keys do not line up with them."""
    if not keys or len(keys) != len(clauses):
        return clauses
    return [replace(c, key=k) for c, k in zip(clauses, keys, strict=True)]


def segmented(store: Store, version: Version, memo: Memo = NO_MEMO) -> list[Clause]:
    """A version's clauses with segmentation keys (kept in the segment cache)."""
    return memo.memo(
        ("segment", version.document, version.id),
        lambda: cached_segment(store.cache_dir, store.read_text(version.document, version.id)),
    )


def keyed_clauses(store: Store, version: Version, memo: Memo = NO_MEMO) -> list[Clause]:
    """A version's clauses, each keyed by its lineage key (stable across versions)."""
    keys = lineage_keys_of(store, version.document, memo).get(version.id)
    return with_keys(segmented(store, version, memo), keys)


def find_clause(clauses: list[Clause], wanted: str) -> Clause:
    """A clause by key ("c12"), number ("Article 3", "(b)") or full numbering ("Article 2.1")."""
    w = " ".join(wanted.split()).casefold()
    tests: tuple[Callable[[Clause], bool], ...] = (
        lambda c: c.key.casefold() == w,
        lambda c: (c.number or "").casefold() == w,
        lambda c: ".".join(c.numbering).casefold() == w,
        lambda c: " ".join(c.numbering).casefold() == w,
        lambda c: "/".join(c.numbering).casefold() == w,
    )
    for test in tests:
        found = [c for c in clauses if test(c)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            options = ", ".join(".".join(c.numbering) or c.key for c in found[:6])
            raise DrafttrackError(f"clause {wanted!r} is ambiguous ({options}); use a full number")
    raise DrafttrackError(
        f"no clause {wanted!r} (give a key like c12 or a number like 'Article 2.1')"
    )
