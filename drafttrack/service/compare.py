"""Two stored versions compared clause by clause: what ``diff``, ``export``, the compare page,
the feeds and ``/api/…/diff`` all show."""

from __future__ import annotations

from typing import Any

from drafttrack.compare import Comparison, compare_clauses, comparison_json
from drafttrack.errors import DrafttrackError
from drafttrack.segment_cache import cached_segments
from drafttrack.service.lineages import lineage_keys_of, segmented, with_keys
from drafttrack.service.memo import NO_MEMO, Memo
from repo_store import Store, Version


class NoEarlierVersion(DrafttrackError):
    """The version asked for has nothing before it in draft order to compare with."""


def version_pair(
    store: Store, doc: str, old: str | None, new: str | None
) -> tuple[Version, Version]:
    """OLD and NEW resolved; NEW defaults to the latest, OLD to the version before NEW."""
    new_v = store.resolve(doc, new or "latest")
    if old is not None:
        return store.resolve(doc, old), new_v
    versions = store.versions(doc)
    place = [v.id for v in versions].index(new_v.id)
    if place == 0:
        raise NoEarlierVersion(f"{doc}: {new_v.label!r} has no earlier version to compare")
    return versions[place - 1], new_v


def compare_versions(
    store: Store,
    old: Version,
    new: Version,
    *,
    keyed: bool = True,
    memo: Memo = NO_MEMO,
    front_matter_as_text: bool = False,
) -> Comparison:
    """Two versions compared; ``keyed``: lineage keys as clause keys (``diff --json``);
    ``front_matter_as_text``: front matter changes judged as text, not as metadata.

    Views that show no keys pass ``keyed=False`` and skip the lineage index. The memo key holds
    both versions' lineage keys: texts never change, keys change only when a version placed
    earlier in the draft order changes where a lineage first appears.
    """
    old_keys = new_keys = None
    if keyed:
        keys = lineage_keys_of(store, old.document, memo)
        old_keys, new_keys = keys.get(old.id), keys.get(new.id)
    memo_key = ("compare", old.document, old.id, new.id, keyed, tuple(old_keys or ()),
                tuple(new_keys or ()), front_matter_as_text)  # fmt: skip

    def make() -> Comparison:
        if memo is NO_MEMO:  # one connection to the segment cache for both texts
            old_clauses, new_clauses = cached_segments(
                store.cache_dir,
                store.read_text(old.document, old.id),
                store.read_text(new.document, new.id),
            )
        else:
            old_clauses, new_clauses = segmented(store, old, memo), segmented(store, new, memo)
        return compare_clauses(
            with_keys(old_clauses, old_keys),
            with_keys(new_clauses, new_keys),
            front_matter_as_text=front_matter_as_text,
        )

    return memo.memo(memo_key, make)


def comparison_report(
    doc: str, old: Version, new: Version, comparison: Comparison
) -> dict[str, Any]:
    """The diff contract's object (``diff --json``, ``export --format json``, the API)."""
    return comparison_json(doc, old.to_json(), new.to_json(), comparison)
