"""Which version a user means: an id or unique id prefix, a label, a 1-based position,
``first`` or ``latest`` (``Store.resolve``)."""

from __future__ import annotations

from collections.abc import Sequence

from repo_store.errors import UnknownVersion
from repo_store.model import Version


def resolve_version(versions: Sequence[Version], slug: str, ref: str) -> Version:
    """The version of ``slug`` (its versions in draft order) that ``ref`` names."""
    if not versions:
        raise UnknownVersion(f"document {slug!r} has no versions")
    ref = ref.strip()
    low = ref.casefold()
    if low == "first":
        return versions[0]
    if low == "latest":
        return versions[-1]
    exact = [v for v in versions if v.id == ref]  # an id may be all digits (hex)
    if exact:
        return exact[0]
    if ref.isdigit():
        pos = int(ref)
        if 1 <= pos <= len(versions):
            return versions[pos - 1]
        if not (len(ref) >= 4 and any(v.id.startswith(ref) for v in versions)):
            raise UnknownVersion(
                f"{slug!r} has {len(versions)} versions; there is no position {pos}"
            )
        # else an id prefix that happens to be all digits ("402913" of "402913ab…")
    for match in (
        [v for v in versions if v.id == ref],
        [v for v in versions if v.label == ref],
        [v for v in versions if v.label.casefold() == low],
        [v for v in versions if len(ref) >= 4 and v.id.startswith(ref)],
    ):
        if len(match) == 1:
            return match[0]
        if len(match) > 1:
            raise UnknownVersion(f"{ref!r} matches several versions of {slug!r}; use an id")
    labels = ", ".join(repr(v.label) for v in versions[:10])
    raise UnknownVersion(f"no version {ref!r} in {slug!r} (versions: {labels})")
