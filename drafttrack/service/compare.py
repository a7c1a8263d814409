"""Two stored versions compared clause by clause: what ``diff``, ``export``, the compare page,
the feeds and ``/api/…/diff`` all show."""

from __future__ import annotations

from typing import Any, Literal

from drafttrack import comparison_cache
from drafttrack.compare import Comparison, compare_clauses, comparison_json
from drafttrack.errors import DrafttrackError
from drafttrack.quote.language import detect_language
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


Mode = Literal["auto", "cross", "same"]
"""auto: across languages when the two versions' languages differ; cross: always; same: never
(refused with :class:`LanguagesDiffer` when they differ)."""


class LanguagesDiffer(DrafttrackError):
    """A same-language comparison was asked for two versions in different languages."""


DETECT_CHARS = 4000
"""Characters of a version's text that language detection reads (its start is enough)."""


def version_language(store: Store, version: Version, memo: Memo = NO_MEMO) -> str | None:
    """A version's language: its provenance ``language`` if recorded, else detected from its
    text (None when detection cannot tell)."""
    given = version.provenance.get("language")
    if isinstance(given, str) and given.strip():
        return given.strip().lower()
    return memo.memo(
        ("language", version.document, version.id),
        lambda: detect_language(store.read_text(version.document, version.id)[:DETECT_CHARS]),
    )


def comparison_languages(
    store: Store, old: Version, new: Version, mode: Mode = "auto", memo: Memo = NO_MEMO
) -> tuple[str | None, str | None] | None:
    """The two languages when the comparison is to be cross-language, else None."""
    langs = (version_language(store, old, memo), version_language(store, new, memo))
    differ = langs[0] is not None and langs[1] is not None and langs[0] != langs[1]
    if mode == "same" and differ:
        raise LanguagesDiffer(
            f"{old.document}: {old.label!r} is in {langs[0]} and {new.label!r} in {langs[1]};"
            " --same-language refuses to compare them word by word (drop it, or pass"
            " --cross-language)"
        )
    return langs if mode == "cross" or (mode == "auto" and differ) else None


def compare_versions(
    store: Store,
    old: Version,
    new: Version,
    *,
    keyed: bool = True,
    memo: Memo = NO_MEMO,
    mode: Mode = "auto",
    front_matter_as_text: bool = False,
) -> Comparison:
    """Two versions compared; ``keyed``: lineage keys as clause keys (``diff --json``);
    ``front_matter_as_text``: front matter changes judged as text, not as metadata.

    Views that show no keys pass ``keyed=False`` and skip the lineage index. The memo key holds
    both versions' lineage keys: texts never change, keys change only when a version placed
    earlier in the draft order changes where a lineage first appears. ``mode`` chooses between
    the word-level comparison and the cross-language one (see :data:`Mode`). A same-language
    comparison is read from the on-disk comparison cache when there (``comparison_cache``), and
    written to it by a command (``memo`` is NO_MEMO); a shell with a memo only reads it, so that
    a first compare page does not pay for the write.
    """
    languages = comparison_languages(store, old, new, mode, memo)
    old_keys = new_keys = None
    if keyed:
        keys = lineage_keys_of(store, old.document, memo)
        old_keys, new_keys = keys.get(old.id), keys.get(new.id)
    memo_key = ("compare", old.document, old.id, new.id, keyed, tuple(old_keys or ()),
                tuple(new_keys or ()), languages, front_matter_as_text)  # fmt: skip

    def make() -> Comparison:
        texts = store.read_text(old.document, old.id), store.read_text(new.document, new.id)
        stored = None
        if languages is None:  # a same-language comparison is kept on disk (derived data)
            shas = comparison_cache.text_sha(texts[0]), comparison_cache.text_sha(texts[1])
            stored = comparison_cache.cache_key(*shas, old_keys, new_keys, front_matter_as_text)
            hit = comparison_cache.get(store.cache_dir, stored)
            if hit is not None:
                return hit
        if memo is NO_MEMO:  # one connection to the segment cache for both texts
            old_clauses, new_clauses = cached_segments(store.cache_dir, *texts)
        else:
            old_clauses, new_clauses = segmented(store, old, memo), segmented(store, new, memo)
        old_keyed, new_keyed = with_keys(old_clauses, old_keys), with_keys(new_clauses, new_keys)
        if languages is not None:
            from drafttrack.crosslang.compare import compare_across
            from drafttrack.crosslang.vectors import clause_vectors

            return compare_across(old_keyed, new_keyed, languages, clause_vectors(store.cache_dir))
        made = compare_clauses(old_keyed, new_keyed, front_matter_as_text=front_matter_as_text)
        if stored is not None and memo is NO_MEMO:  # the viewer (a memo) only reads it
            comparison_cache.put(store.cache_dir, stored, made)
        return made

    return memo.memo(memo_key, make)


def comparison_report(
    doc: str, old: Version, new: Version, comparison: Comparison
) -> dict[str, Any]:
    """The diff contract's object (``diff --json``, ``export --format json``, the API)."""
    return comparison_json(doc, old.to_json(), new.to_json(), comparison)
