"""The draft store: versions of documents with their provenance, kept in a bare git repository.

The layout and the value types (``Version``, ``Document``, the files of a new version) are in
``repo_store.model``; this module is the :class:`Store` that reads and writes them.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from repo_store import names, opening, order, recovery, refs
from repo_store.errors import (
    ConcurrentUpdate,
    GitFailure,
    InvalidName,
    InvalidValue,
    StoreError,
    UnknownDocument,
    UnknownVersion,
)
from repo_store.gitio import BRANCH, SAFE_CONFIG, GitIO, TreeEntry, git_env
from repo_store.model import (
    AT_END,
    CACHE_NAME,
    FORMAT,
    LOCK_NAME,
    NO_ORIGINAL,
    NO_PROVENANCE,
    STORE_README,
    AddResult,
    Document,
    Version,
    build_version_files,
    dump_json,
    now,
    prepare_version,
    versions_in_order,
)
from repo_store.preload import preload as read_listings
from repo_store.provenance import Original, Placement, Provenance
from repo_store.resolving import resolve_version

__all__ = ["AddResult", "Document", "Store", "Version"]


class Store:
    """A drafttrack store on disk. Use as a context manager, or call :meth:`close`."""

    def __init__(self, git_dir: Path) -> None:
        self.git_dir = git_dir
        self.io = GitIO(git_dir)
        self._versions_cache: dict[tuple[str, str], tuple[list[Version], dict[str, TreeEntry]]] = {}
        self._commits: set[str] = set()
        self._preloaded_docs: dict[tuple[str, str], bytes] = {}
        self._preloaded_blobs: dict[str, bytes] = {}

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def init(cls, path: str | os.PathLike[str]) -> Store:
        """Create an empty store (a bare git repository with one commit) at ``path``."""
        target = opening.create_repository(path)
        store = cls(target)
        for key, value in SAFE_CONFIG.items():
            store.io.run("config", key, value)
        store.io.run("symbolic-ref", "HEAD", BRANCH)
        files = {
            "drafttrack.json": dump_json({"format": FORMAT}),
            "README.md": STORE_README.encode("utf-8"),
        }
        store.io.commit(files, "Create drafttrack store\n", expected_head=None, now=now())
        return store

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Store:
        """Open an existing store; a clone with a work tree is opened through its ``.git``."""
        store = cls(opening.locate(path))
        try:
            opening.check_store(store)
        except StoreError:
            store.close()
            raise
        return store

    def close(self) -> None:
        """Release git processes."""
        self.io.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def cache_dir(self) -> Path:
        """Folder for derived data (git ignores it; deleting it loses nothing)."""
        return self.git_dir / CACHE_NAME

    def head(self) -> str | None:
        """Current commit of the store: read from the ref files when they name a commit plainly
        (no git process), else from ``git rev-parse`` (packed deltas, tags, reftable, damage)."""
        name = refs.branch_head(self.git_dir) if refs.plain_refs(self.git_dir) else None
        if name is not None and (name in self._commits or refs.is_commit(self.git_dir, name)):
            self._commits.add(name)
            return name
        return self.io.head()

    def document_state(self, slug: str) -> str | None:
        """The git tree id of a document's folder at HEAD: it changes exactly when something of
        that document (a version, its provenance, an annotation) changes. None if there is none."""
        try:
            names.check_slug(slug)
        except InvalidName:
            return None
        try:
            out = self.io.run("rev-parse", "--verify", "--quiet", f"{BRANCH}:{slug}")
        except GitFailure:
            return None
        return out.strip() or None

    # -- reading -----------------------------------------------------------------------------
    def _json(self, rev: str, path: str) -> dict[str, Any] | None:
        raw = self.io.read_blob(rev, path)
        return None if raw is None else _parse_json(raw, path)

    def documents(self) -> list[Document]:
        """All documents, by slug."""
        head = self.head()
        if not head:
            return []
        docs = []
        for name, entry in sorted(self.io.list_tree(head).items()):
            if entry.kind == "tree":
                doc = self._document(head, name)
                if doc:
                    docs.append(doc)
        return docs

    def _document(self, head: str, slug: str) -> Document | None:
        raw = self._preloaded_docs.get((head, slug))
        path = f"{slug}/document.json"
        meta = self._json(head, path) if raw is None else _parse_json(raw, path)
        if meta is None:
            return None
        return Document(
            slug, meta.get("title") or slug, meta.get("language"), meta.get("description")
        )

    def has_document(self, head: str, slug: str) -> bool:
        """Whether ``slug`` exists at commit ``head``."""
        return self._document(head, slug) is not None

    def preload(self, slugs: Sequence[str]) -> None:
        """Read the documents, provenance and texts of ``slugs`` at HEAD through two git
        processes, so that reading them next needs none (for a caller about to read many
        documents, such as the search index; it replaces what the last preload read, so a
        caller going through a corpus preloads it a slice at a time)."""
        head = self.head()
        self._preloaded_docs.clear()
        self._preloaded_blobs = {}
        valid = [s for s in slugs if names.SLUG_RE.fullmatch(s) and ".." not in s]
        if head is None or not valid:
            return
        got = read_listings(self.io, head, valid)
        for slug, raw in got.documents.items():
            self._preloaded_docs[(head, slug)] = raw
            records = []
            try:
                for name, prov_raw in got.provenance.get(slug, []):
                    prov = _parse_json(prov_raw, f"{slug}/versions/{name}")
                    if prov is not None:
                        records.append(prov)
            except GitFailure:
                continue  # read again on use, which reports it
            listing = (versions_in_order(slug, records), got.trees.get(slug, {}))
            self._versions_cache[(head, slug)] = listing
        self._preloaded_blobs = got.blobs

    def preloaded_text(self, blob: str) -> bytes | None:
        """A version text read by the last :meth:`preload`, by blob id (None if not read)."""
        return self._preloaded_blobs.get(blob)

    def forget_listings(self) -> None:
        """Drop the versions read so far (after a write made outside :meth:`add_version`)."""
        self._versions_cache.clear()

    def document(self, slug: str) -> Document:
        """A document by slug."""
        names.check_slug(slug)
        head = self.head()
        doc = self._document(head, slug) if head else None
        if doc is None:
            raise UnknownDocument(f"no document {slug!r} in the store")
        return doc

    def versions(self, slug: str) -> list[Version]:
        """The document's versions in draft order (order key, then time added, then id)."""
        self.document(slug)
        return self._listing(self.head() or "", slug)[0]

    def version_texts(self, slug: str) -> list[tuple[Version, str]]:
        """The versions in draft order, each with the blob id of its text (to read many texts
        in one ``cat-file --batch``); raises UnknownVersion for a version without a text."""
        self.document(slug)
        versions, tree = self._listing(self.head() or "", slug)
        out = []
        for v in versions:
            entry = tree.get(f"{v.id}.md")
            if entry is None:
                raise UnknownVersion(f"version {v.id} of {slug!r} has no text in the store")
            out.append((v, entry.sha))
        return out

    def _listing(self, head: str, slug: str) -> tuple[list[Version], dict[str, TreeEntry]]:
        """Versions and the ``versions/`` tree of ``slug`` at ``head`` (kept per head)."""
        cached = self._versions_cache.get((head, slug))
        if cached is not None:
            return cached
        tree = self.io.list_tree(f"{head}:{slug}/versions")
        records = []
        files = [n for n, e in tree.items() if n.endswith(".json") and e.kind == "blob"]
        if len(files) > BATCH_READ:  # one git process for all: a long history reads in one go
            raws = self.io.read_objects([tree[n].sha for n in files])
            for name, raw in zip(files, raws, strict=True):
                prov = _parse_json(raw, f"{slug}/versions/{name}")
                if prov is not None:
                    records.append(prov)
        else:
            for name in files:
                prov = self._json(head, f"{slug}/versions/{name}")
                if prov is not None:
                    records.append(prov)
        result = versions_in_order(slug, records)
        self._versions_cache[(head, slug)] = (result, tree)
        return result, tree

    def resolve(self, slug: str, ref: str) -> Version:
        """A version by id (or unique id prefix), label, 1-based position, ``first``, ``latest``."""
        return resolve_version(self.versions(slug), slug, ref)

    def read_text(self, slug: str, version_id: str) -> str:
        """The normalised text of a version."""
        raw = self.io.read_blob(BRANCH, f"{slug}/versions/{version_id}.md")
        if raw is None:
            raise UnknownVersion(f"no version {version_id!r} in {slug!r}")
        return raw.decode("utf-8")

    def read_original(self, version: Version) -> bytes | None:
        """The file as received, if kept."""
        original = version.provenance.get("original") or {}
        path = original.get("path")
        return self.io.read_blob(BRANCH, path) if path else None

    # -- writing -----------------------------------------------------------------------------
    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Serialise writers across processes (released by the kernel if the process dies)."""
        lock_path = self.git_dir / LOCK_NAME
        recovery.check_writable(self.git_dir)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            recovery.before_write(self)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _commit(self, files: Mapping[str, bytes | None], message: str, head: str | None) -> str:
        try:
            with recovery.write_errors(self.git_dir):
                new = self.io.commit(
                    files, message, expected_head=head, now=os.environ.get("DRAFTTRACK_NOW")
                )
        except GitFailure as exc:
            if "update-ref" in str(exc):
                raise ConcurrentUpdate(f"the store changed during the write: {exc}") from None
            raise
        self._versions_cache.clear()
        return new

    def add_version(
        self,
        slug: str,
        text: str,
        provenance: Provenance = NO_PROVENANCE,
        *,
        placement: Placement = AT_END,
        title: str | None = None,
        language: str | None = None,
        original: Original = NO_ORIGINAL,
        extra: dict[str, Any] | None = None,
    ) -> AddResult:
        """Record a version (creating the document on first use) in one commit."""
        names.check_slug(slug)
        item = prepare_version(
            text, provenance, title=title, language=language, original=original, extra=extra
        )
        before, after = placement.before, placement.after
        with self.write_lock():
            head = self.head()
            existing_doc = self._document(head, slug) if head else None
            versions = self.versions(slug) if existing_doc else []
            order_key = self._place(slug, versions, before, after)
            built = build_version_files(
                slug, item, versions, order_key=order_key, new_document=existing_doc is None
            )
            commit = self._commit(built.files, built.message, head)
            vid = built.provenance["id"]
            version = next(v for v in self.versions(slug) if v.id == vid)
            identical = next((v for v in versions if v.id == built.identical_to), None)
        return AddResult(version, commit, identical)

    def _place(
        self, slug: str, versions: list[Version], before: str | None, after: str | None
    ) -> str:
        keys = [str(v.provenance.get("order", "")) for v in versions]
        if before:
            ref = self.resolve(slug, before)
            i = ref.position - 1
            # Merged clones may share a key: place it below the nearest strictly smaller one.
            lower = max((k for k in keys[:i] if k < keys[i]), default=None)
            return order.between(lower, keys[i])
        if after:
            ref = self.resolve(slug, after)
            i = ref.position - 1
            nxt = min((k for k in keys[i + 1 :] if k > keys[i]), default=None)
            return order.between(keys[i], nxt)
        return order.between(keys[-1] if keys else None, None)

    def add_source(
        self,
        slug: str,
        ref: str,
        *,
        outlet: str,
        via: Sequence[str] = (),
        url: str | None = None,
        reported_on: str | None = None,
    ) -> tuple[Version, str]:
        """Record another outlet's report of an existing version (``also_reported_by``)."""
        outlet_v = names.check_text_field("outlet", outlet, limit=300)
        if not outlet_v:
            raise InvalidValue("--outlet is required")
        entry = {
            "outlet": outlet_v,
            "via": [v for v in (names.check_text_field("via", x, limit=300) for x in via) if v],
            "url": names.check_url(url),
            "reported_on": names.check_date("reported date", reported_on),
        }
        with self.write_lock():
            head = self.head()
            version = self.resolve(slug, ref)
            prov = dict(version.provenance)
            prov["also_reported_by"] = [*prov.get("also_reported_by", []), entry]
            message = (
                f"{slug}: {outlet_v} also reported version {version.label!r}\n\n"
                f"Drafttrack-Action: source\nDrafttrack-Document: {slug}\n"
                f"Drafttrack-Version: {version.id}\nDrafttrack-Label: {version.label}\n"
                f"Drafttrack-Source: {outlet_v}\n"
            )
            commit = self._commit(
                {f"{slug}/versions/{version.id}.json": dump_json(prov)}, message, head
            )
            updated = self.resolve(slug, version.id)
        return updated, commit

    def commit_files(self, files: Mapping[str, bytes | None], message: str) -> str:
        """Commit arbitrary store files under the write lock (annotations and the like); a path
        mapped to None is removed in that commit (history keeps it)."""
        with self.write_lock():
            return self._commit(files, message, self.head())

    def git_env(self) -> dict[str, str]:
        """The hardened environment used for git calls (for callers running git themselves)."""
        return git_env()


BATCH_READ = 16
"""Above this many files, provenance is read through one ``cat-file --batch`` process."""


def _parse_json(raw: bytes, path: str) -> dict[str, Any] | None:
    """A stored JSON object (None for another JSON value); GitFailure naming ``path`` when the
    file is not JSON."""
    try:
        data = json.loads(raw)
    except ValueError:
        raise GitFailure(f"{path}: not valid JSON in the store") from None
    return data if isinstance(data, dict) else None
