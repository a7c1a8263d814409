"""Bulk import: a whole history of versions in one process, one commit per version.

Every version is validated and built exactly as ``Store.add_version`` builds it (same files,
provenance, message and trailers) before anything is written. Every blob, tree and commit of
the import is then written into one pack, which ``git index-pack`` (through the store's
GitPython wrapper) checks object by object and adds to the store, and the branch is moved to
the last commit by one compare-and-swap (``update-ref REF NEW OLD``), so the import is all or
nothing: on any error the branch is where it was, and at worst some unreferenced objects are
left for ``git gc``. The commits are the ones ``git fast-import`` wrote before (same objects,
same ids); the pack is written here because fast-import re-serialised the whole
``<doc>/versions/`` tree for every commit (see ``_Tree``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import os
import struct
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from repo_store import names, order, recovery
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


# -- the pack ----------------------------------------------------------------------------------
#
# Every commit of an import rewrites ``<doc>/versions/`` (two entries more) and
# ``<doc>/originals/`` (one more): trees of thousands of entries. git fast-import re-serialised,
# re-sorted and re-deltified both whole for every commit, so an import cost O(versions^2) inside
# git (about 5 s of 7 for 2,000 versions). Here each tree is kept serialised in a bytearray, an
# entry is spliced in at its place, and the new tree is stored as a delta of its previous
# version that copies the unchanged head and tail (O(1) delta, no search); only the SHA-1 of the
# new tree is O(entries), in C. ``git index-pack`` then checks every object and indexes the pack.

_OBJ_COMMIT, _OBJ_TREE, _OBJ_BLOB, _OBJ_OFS_DELTA = 1, 2, 3, 6
_TYPE_NAMES = {_OBJ_COMMIT: b"commit", _OBJ_TREE: b"tree", _OBJ_BLOB: b"blob"}
_MAX_DEPTH = 50
"""Longest delta chain (git's pack.depth and fast-import's --depth default)."""
_ZLIB_LEVEL = 1
"""Fastest compression (git's own for loose objects): level 6 took three times as long for a
pack 12 % smaller; ``git gc`` repacks anyway."""
_TREE_MODE = b"40000"
_BLOB_MODE = b"100644"


class _Pack:
    """A pack file being written in memory: whole objects and offset deltas, each stored once."""

    def __init__(self, hash_name: str) -> None:
        self.hash_name = hash_name
        self.parts: list[bytes] = []
        self.size = 12  # the header, written last
        self.count = 0
        self.offsets: dict[bytes, int] = {}

    def object_id(self, kind: int, data: bytes | bytearray) -> bytes:
        h = hashlib.new(self.hash_name)
        h.update(b"%s %d\0" % (_TYPE_NAMES[kind], len(data)))
        h.update(data)
        return h.digest()

    def add(
        self, kind: int, data: bytes | bytearray, delta: tuple[int, bytes] | None = None
    ) -> bytes:
        """Store an object (as ``delta`` = (base offset, delta data) when given); its raw id."""
        oid = self.object_id(kind, data)
        if oid in self.offsets:
            return oid
        offset = self.size
        if delta is None:
            header = _object_header(kind, len(data))
            payload = zlib.compress(data, _ZLIB_LEVEL)
        else:
            base, instructions = delta
            header = _object_header(_OBJ_OFS_DELTA, len(instructions)) + _ofs(offset - base)
            payload = zlib.compress(instructions, _ZLIB_LEVEL)
        self.parts += (header, payload)
        self.size += len(header) + len(payload)
        self.count += 1
        self.offsets[oid] = offset
        return oid

    def finish(self) -> bytes:
        data = b"".join([b"PACK", struct.pack(">II", 2, self.count), *self.parts])
        return data + hashlib.new(self.hash_name, data).digest()


def _object_header(kind: int, size: int) -> bytes:
    out = bytearray()
    byte = (kind << 4) | (size & 0x0F)
    size >>= 4
    while size:
        out.append(byte | 0x80)
        byte = size & 0x7F
        size >>= 7
    out.append(byte)
    return bytes(out)


def _ofs(distance: int) -> bytes:
    """The negative base offset of an OFS_DELTA (git's offset encoding)."""
    out = [distance & 0x7F]
    distance >>= 7
    while distance:
        distance -= 1
        out.append(0x80 | (distance & 0x7F))
        distance >>= 7
    return bytes(reversed(out))


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _delta(base_size: int, new: bytes | bytearray, head: int, tail: int) -> bytes:
    """A delta giving ``new`` from a base that shares its first ``head`` and last ``tail`` bytes."""
    out = bytearray(_varint(base_size) + _varint(len(new)))
    _copy(out, 0, head)
    middle = new[head : len(new) - tail]
    for start in range(0, len(middle), 127):
        chunk = middle[start : start + 127]
        out.append(len(chunk))
        out += chunk
    _copy(out, base_size - tail, tail)
    return bytes(out)


def _copy(out: bytearray, offset: int, size: int) -> None:
    while size > 0:
        step = min(size, 0xFFFFFF)
        command = 0x80
        args = bytearray()
        for i in range(4):
            byte = (offset >> (8 * i)) & 0xFF
            if byte:
                command |= 1 << i
                args.append(byte)
        for i in range(3):
            byte = (step >> (8 * i)) & 0xFF
            if byte:
                command |= 0x10 << i
                args.append(byte)
        out.append(command)
        out += args
        offset += step
        size -= step


class _Tree:
    """A git tree being edited: its entries serialised in git's order, and its edited subtrees.

    Since the version last stored (at pack offset ``base``, ``base_size`` bytes, delta depth
    ``depth``) the first ``head`` and the last ``tail`` bytes are unchanged.
    """

    __slots__ = (
        "base", "base_size", "children", "data", "depth", "dirty", "hash_size", "head", "keys",
        "sizes", "tail",
    )  # fmt: skip

    def __init__(self, raw: bytes, hash_size: int) -> None:
        self.hash_size = hash_size
        self.keys: list[bytes] = []  # git's sort key: the name, with '/' after a tree's
        self.sizes: list[int] = []  # bytes of each entry
        pos = 0
        while pos < len(raw):
            space = raw.index(b" ", pos)
            nul = raw.index(b"\0", space)
            name = raw[space + 1 : nul]
            self.keys.append(name + b"/" if raw[pos:space] == _TREE_MODE else name)
            end = nul + 1 + hash_size
            self.sizes.append(end - pos)
            pos = end
        self.data = bytearray(raw)
        self.children: dict[bytes, _Tree] = {}
        self.dirty = False
        self.base: int | None = None
        self.base_size = self.depth = 0
        self.head = self.tail = len(raw)

    def _find(self, key: bytes) -> tuple[int, int, bool]:
        """(index, byte offset, present) of the entry with sort key ``key``."""
        i = bisect.bisect_left(self.keys, key)
        return i, sum(self.sizes[:i]), i < len(self.keys) and self.keys[i] == key

    def subtree(self, name: bytes, read: Callable[[bytes], bytes]) -> _Tree:
        """The subtree ``name`` for editing (``read`` gives an existing one's raw tree); this
        tree is then stored again with it."""
        self.dirty = True
        child = self.children.get(name)
        if child is None:
            i, offset, present = self._find(name + b"/")
            end = offset + self.sizes[i] if present else 0
            raw = read(bytes(self.data[end - self.hash_size : end])) if present else b""
            child = self.children[name] = _Tree(raw, self.hash_size)
        return child

    def set(self, name: bytes, mode: bytes, oid: bytes) -> None:
        """Add or replace the entry ``name``."""
        key = name + b"/" if mode == _TREE_MODE else name
        i, offset, present = self._find(key)
        entry = b"%s %s\0%s" % (mode, name, oid)
        old = self.sizes[i] if present else 0
        self.head = min(self.head, offset)
        self.tail = min(self.tail, len(self.data) - offset - old)
        self.data[offset : offset + old] = entry
        if present:
            self.sizes[i] = len(entry)
        else:
            self.keys.insert(i, key)
            self.sizes.insert(i, len(entry))
        self.dirty = True

    def store(self, pack: _Pack) -> bytes:
        """Store the edited subtrees, then this tree, as a delta of its last stored version
        when there is one (a whole tree every ``_MAX_DEPTH`` versions); its raw id."""
        for name, child in self.children.items():
            if child.dirty:
                self.set(name, _TREE_MODE, child.store(pack))
        delta = None
        if self.base is not None and self.depth < _MAX_DEPTH:
            delta = (self.base, _delta(self.base_size, self.data, self.head, self.tail))
        oid = pack.add(_OBJ_TREE, self.data, delta)
        self.depth = self.depth + 1 if delta else 0
        self.base, self.base_size = pack.offsets[oid], len(self.data)
        self.head = self.tail = len(self.data)
        self.dirty = False
        return oid


def _write_commits(store: Store, head: str, built: Sequence[BuiltVersion]) -> str:
    """Write the versions' commits in one pack, then move the branch by compare-and-swap."""
    hash_name = {40: "sha1", 64: "sha256"}.get(len(head))  # the store's object format
    if hash_name is None:
        raise GitFailure(f"unexpected commit id {head!r} (run `git fsck` on the store)")
    pack = _Pack(hash_name)
    hash_size = len(head) // 2

    def read_tree(name: str) -> bytes:
        found = store.io.object_data(name)
        if found is None or found[0] != b"tree":
            raise GitFailure(f"{name} is not a tree (run `git fsck` on the store)")
        return found[1]

    root = _Tree(read_tree(head + "^{tree}"), hash_size)
    author, committer = _ident("author"), _ident("committer")
    parent = head
    for version in built:
        for path, data in version.files.items():
            oid = pack.add(_OBJ_BLOB, data)
            *dirs, name = path.encode("utf-8").split(b"/")
            tree = root
            for part in dirs:
                tree = tree.subtree(part, lambda oid: read_tree(oid.hex()))
            tree.set(name, _BLOB_MODE, oid)
        tree_id = root.store(pack).hex()
        commit = (
            f"tree {tree_id}\nparent {parent}\n{author}{committer}\n{version.message}"
        ).encode()
        parent = pack.add(_OBJ_COMMIT, commit).hex()
    with recovery.write_errors(store.git_dir):
        store.io.run("index-pack", "--stdin", stdin=pack.finish())
    try:
        store.io.run("update-ref", "-m", "drafttrack import", BRANCH, parent, head)
    except GitFailure as exc:
        raise ConcurrentUpdate(f"the store changed during the import: {exc}") from None
    return parent
