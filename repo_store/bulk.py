"""Bulk import: a whole history of versions in one process, one commit per version.

Every version is validated and built exactly as ``Store.add_version`` builds it (same files,
provenance, message and trailers) before anything is written. The commits are then streamed to
``git fast-import`` (through the store's GitPython wrapper) onto a private temporary ref, and
the branch is moved to the last commit by one compare-and-swap (``update-ref REF NEW OLD``), so
the import is all or nothing: on any error the branch is where it was, and at worst some
unreferenced objects are left for ``git gc``.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

from repo_store import names, order
from repo_store.errors import ConcurrentUpdate, GitFailure, InvalidValue
from repo_store.gitio import BRANCH
from repo_store.store import (
    BuiltVersion,
    Store,
    Version,
    VersionIndex,
    VersionInput,
    build_version_files,
)

IMPORT_REF_PREFIX = "refs/drafttrack/import-"


@dataclass(slots=True)
class ImportResult:
    """What ``import_versions`` recorded."""

    versions: list[Version]
    commit: str


def import_versions(
    store: Store,
    slug: str,
    items: Sequence[VersionInput],
    *,
    positions: Sequence[int] | None = None,
) -> ImportResult:
    """Record ``items`` as new versions of ``slug`` after its existing ones, one commit each.

    Commits follow the order of ``items``; the draft order among them follows ``positions``
    (distinct integers) when given, else the order of ``items``. Raises ``StoreError`` with
    the store untouched when any item is refused.
    """
    names.check_slug(slug)
    if not items:
        raise InvalidValue("nothing to import")
    if positions is not None:
        if len(positions) != len(items) or len(set(positions)) != len(positions):
            raise InvalidValue("import positions must be distinct, one per version")
    draft_rank = _ranks(positions, len(items))
    with store.write_lock():
        head = store.head()
        if head is None:
            raise GitFailure("the store has no commit (run `drafttrack init`)")
        new_document = store._document(head, slug) is None
        versions: list[Version] = [] if new_document else list(store.versions(slug))
        keys = _order_keys(versions, len(items))
        index = VersionIndex.of(versions)  # O(1) label, id and same-text checks per version
        built = []
        for i, item in enumerate(items):
            result = build_version_files(
                slug,
                item,
                versions,
                order_key=keys[draft_rank[i]],
                new_document=new_document and i == 0,
                index=index,
            )
            prov = result.provenance
            versions.append(Version(slug, prov["id"], prov["label"], len(versions) + 1, prov))
            index.add(prov["id"], prov["label"], prov["text_sha256"])
            built.append(result)
        ref = IMPORT_REF_PREFIX + secrets.token_hex(6)
        commit = _run_fast_import(store, head, ref, _fast_import_stream(head, ref, built))
        store._versions_cache.clear()
        ids = {b.provenance["id"] for b in built}
        recorded = [v for v in store.versions(slug) if v.id in ids]
    return ImportResult(recorded, commit)


def _ranks(positions: Sequence[int] | None, n: int) -> list[int]:
    """Draft rank (0-based) of each item."""
    if positions is None:
        return list(range(n))
    ranked = sorted(range(n), key=lambda i: positions[i])
    rank = [0] * n
    for r, i in enumerate(ranked):
        rank[i] = r
    return rank


def _order_keys(versions: Sequence[Version], n: int) -> list[str]:
    """``n`` increasing order keys after the last existing version."""
    last = max((str(v.provenance.get("order", "")) for v in versions), default=None) or None
    out = []
    for _ in range(n):
        last = _key_after(last)
        out.append(last)
    return out


def _key_after(key: str | None) -> str:
    """``order.between(key, None)`` in string operations instead of a loop over characters.

    Appended keys grow by a character every six versions (i, r, v, x, y, z, zi, ...), so the
    character loop made the keys of a long import quadratic. Above ``key`` with no upper bound,
    ``between`` copies the leading run of 'z's and then puts the midpoint between the next
    character (or '0' past the end) and the end of the alphabet.
    """
    key = key or ""
    rest = key.lstrip("z")
    if not rest:
        return key + order.ALPHABET[len(order.ALPHABET) // 2]
    digit = order.ALPHABET.find(rest[0])
    if digit < 0:
        return order.between(key, None)  # not a key between() made: let it judge
    return key[: len(key) - len(rest)] + order.ALPHABET[(digit + len(order.ALPHABET)) // 2]


def _when() -> str:
    """The commit date in git's raw format (``DRAFTTRACK_NOW`` when set, as ``add`` uses)."""
    fixed = os.environ.get("DRAFTTRACK_NOW")
    if fixed:
        try:
            moment = dt.datetime.fromisoformat(fixed.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidValue(f"DRAFTTRACK_NOW {fixed!r} is not an ISO date-time") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return f"{int(moment.timestamp())} +0000"
    return f"{int(time.time())} +0000"


def _ident(kind: str) -> str:
    name = os.environ.get("DRAFTTRACK_AUTHOR_NAME", "drafttrack")
    email = os.environ.get("DRAFTTRACK_AUTHOR_EMAIL", "drafttrack@localhost")
    for value in (name, email):
        if any(c in value for c in "<>\n"):
            raise InvalidValue(f"author {value!r} contains '<', '>' or a line break")
    return f"{kind} {name} <{email}> {_when()}\n"


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def _fast_import_stream(head: str, ref: str, built: Sequence[BuiltVersion]) -> bytes:
    """The ``git fast-import`` input: blobs by mark, then one commit per version."""
    parts: list[bytes] = [b"feature done\n"]
    marks: dict[bytes, int] = {}
    mark = 0

    def blob(payload: bytes) -> int:
        nonlocal mark
        known = marks.get(payload)
        if known is not None:
            return known
        mark += 1
        marks[payload] = mark
        parts.append(b"blob\nmark :%d\n" % mark)
        parts.append(_data(payload))
        return mark

    author, committer = _ident("author").encode(), _ident("committer").encode()
    for i, version in enumerate(built):
        file_marks = {path: blob(data) for path, data in version.files.items()}
        parts.append(b"commit %s\n" % ref.encode("ascii"))
        parts += [author, committer, _data(version.message.encode("utf-8"))]
        if i == 0:
            parts.append(b"from %s\n" % head.encode("ascii"))
        for path, m in sorted(file_marks.items()):
            parts.append(b'M 100644 :%d "%s"\n' % (m, _quote(path)))
        parts.append(b"\n")
    parts.append(b"done\n")
    return b"".join(parts)


def _quote(path: str) -> bytes:
    """A C-style quoted path (our paths are validated slugs and ids, so this is a formality)."""
    return path.replace("\\", "\\\\").replace('"', '\\"').encode("utf-8")


def _run_fast_import(store: Store, head: str, ref: str, stream: bytes) -> str:
    """Run fast-import onto a private ref, then move the branch by compare-and-swap."""
    try:
        store.io.run("fast-import", "--quiet", "--done", stdin=stream)
        new = store.io.run("rev-parse", "--verify", ref + "^{commit}").strip()
        try:
            store.io.run("update-ref", "-m", "drafttrack import", BRANCH, new, head)
        except GitFailure as exc:
            raise ConcurrentUpdate(f"the store changed during the import: {exc}") from None
    finally:
        try:
            store.io.run("update-ref", "-d", ref)
        except GitFailure:
            pass
    return new
