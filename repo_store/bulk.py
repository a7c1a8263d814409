"""Bulk import: a whole history of versions in one process, one commit per version.

Every version is validated and built exactly as ``Store.add_version`` builds it (same files,
provenance, message and trailers) before anything is written. Every blob, tree and commit of
the import is then written into one pack with its index (``pack.Pack.write``: synced, the index
renamed into place last), and the branch is moved to the last commit by one compare-and-swap
(``update-ref REF NEW OLD``), so the import is all or nothing: on any error the branch is where
it was, and at worst some unreferenced objects are left for ``git gc``. The commits are the ones
``git fast-import`` wrote before (same objects, same ids); the pack is written here because
fast-import re-serialised the whole ``<doc>/versions/`` tree for every commit (see
``pack.Tree``).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

from repo_store import names, order, recovery
from repo_store.deltas import text_delta
from repo_store.errors import ConcurrentUpdate, GitFailure, InvalidValue
from repo_store.gitio import BRANCH
from repo_store.model import (
    BuiltVersion,
    Version,
    VersionIndex,
    VersionInput,
    build_version_files,
    disambiguate_labels,
)
from repo_store.pack import BLOB_MODE, MAX_DEPTH, OBJ_BLOB, OBJ_COMMIT, Pack, Tree
from repo_store.store import Store


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
        new_document = not store.has_document(head, slug)
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
        commit = _write_commits(store, head, built)
        store.forget_listings()
        recorded = _recorded(slug, versions[: len(versions) - len(built)], built)
    return ImportResult(recorded, commit)


@dataclass(slots=True)
class Step:
    """One commit of a multi-document import: a version of ``slug`` (``item``, its commit
    message extended by ``trailers``), or other store ``files`` committed with ``message``."""

    slug: str
    item: VersionInput | None = None
    trailers: str = ""
    files: dict[str, bytes] | None = None
    message: str = ""


def import_steps(store: Store, steps: Sequence[Step], *, expected_head: str | None) -> str:
    """Record ``steps`` (versions of any documents, in commit order, each after its document's
    existing versions) in one pack, all or nothing, as ``import_versions`` does for one document.

    ``expected_head`` is the store's commit the caller planned against: a store that moved since
    raises ``ConcurrentUpdate`` untouched. Returns the new head commit.
    """
    if not steps:
        raise InvalidValue("nothing to import")
    with store.write_lock():
        head = store.head()
        if head is None:
            raise GitFailure("the store has no commit (run `drafttrack init`)")
        if head != expected_head:
            raise ConcurrentUpdate("the store changed while the import was prepared; run it again")
        docs: dict[str, tuple[list[Version], VersionIndex, list[str | None], bool]] = {}
        built = []
        for step in steps:
            if step.item is None:
                built.append(BuiltVersion({}, dict(step.files or {}), step.message, None))
                continue
            state = docs.get(step.slug)
            if state is None:
                names.check_slug(step.slug)
                new = not store.has_document(head, step.slug)
                existing = [] if new else list(store.versions(step.slug))
                last = max((str(v.provenance.get("order", "")) for v in existing), default=None)
                state = docs[step.slug] = (existing, VersionIndex.of(existing), [last or None], new)
            versions, index, last_key, new = state
            key = last_key[0] = _key_after(last_key[0])
            result = build_version_files(
                step.slug, step.item, versions, order_key=key,
                new_document=new and index.count == 0, index=index,
            )  # fmt: skip
            prov = result.provenance
            versions.append(Version(step.slug, prov["id"], prov["label"], len(versions) + 1, prov))
            index.add(prov["id"], prov["label"], prov["text_sha256"])
            result.message += step.trailers
            built.append(result)
        commit = _write_commits(store, head, built)
        store.forget_listings()
    return commit


def _recorded(
    slug: str, existing: Sequence[Version], built: Sequence[BuiltVersion]
) -> list[Version]:
    """The imported versions as ``Store.versions`` reads them back (draft order among all the
    document's versions, repeated labels disambiguated), from the provenance just written
    instead of reading every version's file again (one git read each)."""
    records = [v.provenance for v in existing] + [b.provenance for b in built]
    records.sort(key=lambda p: (str(p.get("order", "")), str(p.get("added_at", "")), p["id"]))
    every = [
        Version(slug, p["id"], p.get("label") or p["id"], i + 1, p) for i, p in enumerate(records)
    ]
    disambiguate_labels(every)
    ids = {b.provenance["id"] for b in built}
    return [v for v in every if v.id in ids]


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


class _TextDeltas:
    """Blobs stored as deltas of the file before them in the same folder with the same
    extension (a document's previous text, provenance, original), when that is much smaller:
    their names differ per version, so ``git gc`` would not pair them, and a corpus of 25,000
    versions took six times its source repository's disk."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.last: dict[str, tuple[bytes, bytes, int]] = {}
        """(object id, data, delta depth) of the last blob stored per (folder, extension)."""

    def add(self, path: str, data: bytes) -> bytes:
        folder, _slash, name = path.rpartition("/")
        key = f"{folder}/*{os.path.splitext(name)[1]}"
        oid = self.pack.object_id(OBJ_BLOB, data)
        if oid in self.pack.offsets:
            return oid
        before = self.last.get(key)
        delta, depth = None, 0
        if before is not None and before[2] < MAX_DEPTH:
            found = text_delta(before[1], data)
            if found is not None:
                delta, depth = (self.pack.offsets[before[0]], found), before[2] + 1
        self.pack.add(OBJ_BLOB, data, delta, oid=oid)
        self.last[key] = (oid, data, depth)
        return oid


def _write_commits(store: Store, head: str, built: Sequence[BuiltVersion]) -> str:
    """Write the versions' commits in one pack, then move the branch by compare-and-swap."""
    hash_name = {40: "sha1", 64: "sha256"}.get(len(head))  # the store's object format
    if hash_name is None:
        raise GitFailure(f"unexpected commit id {head!r} (run `git fsck` on the store)")
    pack = Pack(hash_name)
    hash_size = len(head) // 2

    def read_tree(name: str) -> bytes:
        found = store.io.object_data(name)
        if found is None or found[0] != b"tree":
            raise GitFailure(f"{name} is not a tree (run `git fsck` on the store)")
        return found[1]

    root = Tree(read_tree(head + "^{tree}"), hash_size)
    author, committer = _ident("author"), _ident("committer")
    parent = head
    texts = _TextDeltas(pack)
    for version in built:
        for path, data in version.files.items():
            oid = texts.add(path, data)
            *dirs, name = path.encode("utf-8").split(b"/")
            tree = root
            for part in dirs:
                tree = tree.subtree(part, lambda oid: read_tree(oid.hex()))
            tree.set(name, BLOB_MODE, oid)
        tree_id = root.store(pack).hex()
        commit = (
            f"tree {tree_id}\nparent {parent}\n{author}{committer}\n{version.message}"
        ).encode()
        parent = pack.add(OBJ_COMMIT, commit).hex()
    with recovery.write_errors(store.git_dir):
        pack.write(store.git_dir / "objects" / "pack")
    try:
        store.io.run("update-ref", "-m", "drafttrack import", BRANCH, parent, head)
    except GitFailure as exc:
        raise ConcurrentUpdate(f"the store changed during the import: {exc}") from None
    return parent
