"""A git pack written in memory: whole objects and offset deltas, and trees edited in place so
that each new version of a large tree costs O(1) to store (``bulk`` writes imports with it)."""

from __future__ import annotations

import bisect
import hashlib
import struct
import zlib
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

from repo_store.deltas import head_tail_delta
from repo_store.synced import sync_dir, write_synced

# -- the pack ----------------------------------------------------------------------------------
#
# Every commit of an import rewrites ``<doc>/versions/`` (two entries more) and
# ``<doc>/originals/`` (one more): trees of thousands of entries. git fast-import re-serialised,
# re-sorted and re-deltified both whole for every commit, so an import cost O(versions^2) inside
# git (about 5 s of 7 for 2,000 versions). Here each tree is kept serialised in a bytearray, an
# entry is spliced in at its place, and the new tree is stored as a delta of its previous
# version that copies the unchanged head and tail (O(1) delta, no search); only the SHA-1 of the
# new tree is O(entries), in C. The pack's index is written here too: ``git index-pack`` re-read,
# inflated and re-hashed every object and resolved every delta chain again (13 s of 45 for a
# corpus of 25,000 versions), to find out what the writer already knows.

OBJ_COMMIT, OBJ_TREE, OBJ_BLOB, _OBJ_OFS_DELTA = 1, 2, 3, 6
_TYPE_NAMES = {OBJ_COMMIT: b"commit", OBJ_TREE: b"tree", OBJ_BLOB: b"blob"}
MAX_DEPTH = 50
"""Longest delta chain (git's pack.depth and fast-import's --depth default)."""
_ZLIB_LEVEL = 1
"""Fastest compression (git's own for loose objects): level 6 took three times as long for a
pack 12 % smaller; ``git gc`` repacks anyway."""
TREE_MODE = b"40000"
BLOB_MODE = b"100644"


class Pack:
    """A pack file being written in memory: whole objects and offset deltas, each stored once."""

    def __init__(self, hash_name: str) -> None:
        self.hash_name = hash_name
        self.parts: list[bytes] = []
        self.size = 12  # the header, written last
        self.count = 0
        self.offsets: dict[bytes, int] = {}
        self.crcs: dict[bytes, int] = {}
        """CRC-32 of each object's bytes in the pack (its header and compressed data)."""

    def object_id(self, kind: int, data: bytes | bytearray) -> bytes:
        h = hashlib.new(self.hash_name)
        h.update(b"%s %d\0" % (_TYPE_NAMES[kind], len(data)))
        h.update(data)
        return h.digest()

    def add(
        self,
        kind: int,
        data: bytes | bytearray,
        delta: tuple[int, bytes] | None = None,
        *,
        oid: bytes | None = None,
    ) -> bytes:
        """Store an object (as ``delta`` = (base offset, delta data) when given); its raw id
        (``oid``: the id, when the caller has computed it)."""
        oid = oid or self.object_id(kind, data)
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
        self.crcs[oid] = zlib.crc32(payload, zlib.crc32(header))
        return oid

    def finish(self) -> bytes:
        """The pack file: its header, the objects, and its checksum."""
        data = b"".join([b"PACK", struct.pack(">II", 2, self.count), *self.parts])
        return data + hashlib.new(self.hash_name, data).digest()

    def index(self, checksum: bytes) -> bytes:
        """The pack's index (``.idx`` version 2, as ``git index-pack`` writes it) given the pack's
        checksum: the ids in order behind a fan-out table, their CRC-32s, their offsets."""
        oids = sorted(self.offsets)
        fan = [0] * 256
        for oid in oids:
            fan[oid[0]] += 1
        small: list[int] = []
        large: list[int] = []
        for oid in oids:
            offset = self.offsets[oid]
            if offset < 0x80000000:
                small.append(offset)
            else:  # beyond 2 GiB: the index of an entry in the table of 8-byte offsets
                small.append(0x80000000 | len(large))
                large.append(offset)
        n = len(oids)
        out = b"".join(
            [
                b"\377tOc",
                struct.pack(">I", 2),
                struct.pack(">256I", *accumulate(fan)),
                *oids,
                struct.pack(f">{n}I", *(self.crcs[oid] for oid in oids)),
                struct.pack(f">{n}I", *small),
                struct.pack(f">{len(large)}Q", *large),
                checksum,
            ]
        )
        return out + hashlib.new(self.hash_name, out).digest()

    def write(self, pack_dir: Path) -> str:
        """Write the pack and its index into ``pack_dir`` (a repository's ``objects/pack``):
        each to a temporary file, synced, then renamed, the index last (git finds a pack by its
        index, so a crash leaves the store as it was, with at most a temporary file for ``git
        gc``). Returns the pack's name (``pack-<checksum>``)."""
        data = self.finish()
        checksum = data[-hashlib.new(self.hash_name).digest_size :]
        name = f"pack-{checksum.hex()}"
        write_synced(pack_dir, f"{name}.pack", data, "tmp_pack_")
        write_synced(pack_dir, f"{name}.idx", self.index(checksum), "tmp_idx_")
        sync_dir(pack_dir)
        return name


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


class Tree:
    """A git tree being edited: its entries serialised in git's order, and its edited subtrees.

    Since the version last stored (at pack offset ``base``, ``base_size`` bytes, delta depth
    ``depth``) the first ``head`` and the last ``tail`` bytes are unchanged.
    """

    __slots__ = (
        "base", "base_size", "children", "data", "depth", "dirty", "edited", "hash_size", "head",
        "keys", "sizes", "tail",
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
            self.keys.append(name + b"/" if raw[pos:space] == TREE_MODE else name)
            end = nul + 1 + hash_size
            self.sizes.append(end - pos)
            pos = end
        self.data = bytearray(raw)
        self.children: dict[bytes, Tree] = {}
        self.edited: dict[bytes, None] = {}
        """Subtrees handed out for editing since this tree was last stored (a root of thousands
        of documents stores the few a version touched, not all it has seen)."""
        self.dirty = False
        self.base: int | None = None
        self.base_size = self.depth = 0
        self.head = self.tail = len(raw)

    def _find(self, key: bytes) -> tuple[int, int, bool]:
        """(index, byte offset, present) of the entry with sort key ``key``."""
        i = bisect.bisect_left(self.keys, key)
        return i, sum(self.sizes[:i]), i < len(self.keys) and self.keys[i] == key

    def subtree(self, name: bytes, read: Callable[[bytes], bytes]) -> Tree:
        """The subtree ``name`` for editing (``read`` gives an existing one's raw tree); this
        tree is then stored again with it."""
        self.dirty = True
        self.edited[name] = None
        child = self.children.get(name)
        if child is None:
            i, offset, present = self._find(name + b"/")
            end = offset + self.sizes[i] if present else 0
            raw = read(bytes(self.data[end - self.hash_size : end])) if present else b""
            child = self.children[name] = Tree(raw, self.hash_size)
        return child

    def set(self, name: bytes, mode: bytes, oid: bytes) -> None:
        """Add or replace the entry ``name``."""
        key = name + b"/" if mode == TREE_MODE else name
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

    def store(self, pack: Pack) -> bytes:
        """Store the edited subtrees, then this tree, as a delta of its last stored version
        when there is one (a whole tree every ``MAX_DEPTH`` versions); its raw id."""
        for name in self.edited:
            child = self.children[name]
            if child.dirty:
                self.set(name, TREE_MODE, child.store(pack))
        self.edited.clear()
        delta = None
        if self.base is not None and self.depth < MAX_DEPTH:
            delta = (self.base, head_tail_delta(self.base_size, self.data, self.head, self.tail))
        oid = pack.add(OBJ_TREE, self.data, delta)
        self.depth = self.depth + 1 if delta else 0
        self.base, self.base_size = pack.offsets[oid], len(self.data)
        self.head = self.tail = len(self.data)
        self.dirty = False
        return oid
