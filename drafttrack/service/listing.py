"""The documents of a store as the viewer lists them, at corpus scale: names, titles and version
counts, kept in the cache folder per document git tree so that a new HEAD re-reads only the
documents it changed; the recently changed ones from the store's latest commits; only the page
shown reads its versions."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafttrack.service.memo import NO_MEMO, Memo
from repo_store import Document, InvalidName, Store, Version, names
from repo_store.model import versions_in_order

PER_PAGE = 50
RECENT_COMMITS = 5_000
"""How far back in the store's history "recently changed" looks."""
LISTING_FILE = "listing.json"
"""The last listing, per document with its git tree id, in the store's cache folder."""
LISTING_VERSION = 1


@dataclass(slots=True)
class Entry:
    """One document in the listing."""

    document: Document
    versions: int
    provenance: list[str]
    """Blob ids of its versions' provenance files (the page shown reads them in one go)."""


@dataclass(slots=True)
class Page:
    """One page of the documents listing, each with its versions in draft order."""

    rows: list[tuple[Document, list[Version]]]
    page: int
    pages: int
    total: int


def all_documents(store: Store, memo: Memo = NO_MEMO) -> list[Entry]:
    """Every document with its version count, by slug."""
    head = store.head()
    return [] if head is None else memo.memo(("listing", head), lambda: _listing(store, head))


def _listing(store: Store, head: str) -> list[Entry]:
    """The listing at ``head``: documents whose git tree is unchanged since the listing kept in
    the cache folder are taken from it; only the others are read (one ``ls-tree`` for them all,
    one ``cat-file --batch``). After an ``add`` one document is read, not the whole store."""
    kept = _load_kept(store)
    trees = {
        name: entry.sha
        for name, entry in store.io.list_tree(head).items()
        if entry.kind == "tree" and _is_slug(name)
    }
    fresh = {slug: kept[slug] for slug, tree in trees.items() if _tree_of(kept.get(slug)) == tree}
    changed = sorted(set(trees) - set(fresh))
    for start in range(0, len(changed), 500):
        chunk = changed[start : start + 500]
        for slug, record in _read_documents(store, head, chunk).items():
            fresh[slug] = {**record, "tree": trees[slug]}
    if changed or set(kept) != set(fresh):
        _save_kept(store, fresh)
    entries = []
    for slug in sorted(fresh):
        record = fresh[slug]
        if record.get("title") is None:
            continue  # a folder without document.json is not a document
        document = Document(slug, str(record["title"]), record.get("language"))
        entries.append(Entry(document, len(record["provenance"]), list(record["provenance"])))
    return entries


def _read_documents(store: Store, head: str, slugs: list[str]) -> dict[str, dict[str, Any]]:
    """Title, language and provenance blob ids of each document in ``slugs`` at ``head``."""
    out = store.io.run("ls-tree", "-r", "--full-tree", head, "--", *slugs).splitlines()
    meta: dict[str, str] = {}
    provenance: dict[str, list[str]] = {slug: [] for slug in slugs}
    for line in out:
        info, _tab, path = line.partition("\t")
        slug, _sep, rest = path.partition("/")
        if rest == "document.json":
            meta[slug] = info.split()[2]
        elif rest.startswith("versions/") and rest.endswith(".json") and rest.count("/") == 1:
            provenance.setdefault(slug, []).append(info.split()[2])
    found = sorted(meta)
    records: dict[str, dict[str, Any]] = {
        slug: {"title": None, "language": None, "provenance": []} for slug in slugs
    }
    for slug, raw in zip(found, store.io.read_objects([meta[s] for s in found]), strict=True):
        try:
            data = json.loads(raw)
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        records[slug] = {
            "title": str(data.get("title") or slug),
            "language": data.get("language"),
            "provenance": provenance.get(slug, []),
        }
    return records


def _kept_path(store: Store) -> Path:
    return store.cache_dir / LISTING_FILE


def _load_kept(store: Store) -> dict[str, dict[str, Any]]:
    """The listing kept by the last call (derived data: missing or unreadable means none)."""
    try:
        data = json.loads(_kept_path(store).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != LISTING_VERSION:
        return {}
    docs = data.get("documents")
    if not isinstance(docs, dict):
        return {}
    return {
        slug: record
        for slug, record in docs.items()
        if _tree_of(record) and isinstance(record.get("provenance"), list)
    }


def _tree_of(record: Any) -> str | None:
    return record.get("tree") if isinstance(record, dict) else None


def _save_kept(store: Store, docs: dict[str, dict[str, Any]]) -> None:
    path = _kept_path(store)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps({"version": LISTING_VERSION, "documents": docs}), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache folder: the next call reads the store again


def _is_slug(name: str) -> bool:
    try:
        names.check_slug(name)
    except InvalidName:
        return False
    return True


def recently_changed(store: Store, memo: Memo = NO_MEMO) -> list[str]:
    """Documents in the order the store last changed them, most recent first."""
    head = store.head()
    if head is None:
        return []

    def make() -> list[str]:
        # the documents named in the commits' trailers: no tree is compared
        out = store.io.run(
            "log", f"-n{RECENT_COMMITS}",
            "--format=%(trailers:key=Drafttrack-Document,valueonly,separator=%x0A)", head,
        )  # fmt: skip
        seen: dict[str, None] = {}
        for slug in out.split():
            seen.setdefault(slug, None)
        return list(seen)

    return memo.memo(("recent", head), make)


def documents_page(
    store: Store, *, query: str = "", recent: bool = False, page: int = 1, memo: Memo = NO_MEMO
) -> Page:
    """One page of the documents whose slug or title contains ``query`` (case-insensitive), by
    name or, with ``recent``, most recently changed first."""
    entries = all_documents(store, memo)
    wanted = query.casefold().strip()
    if wanted:
        entries = [
            e for e in entries if wanted in e.document.slug or wanted in e.document.title.casefold()
        ]
    if recent:
        rank = {slug: i for i, slug in enumerate(recently_changed(store, memo))}
        entries = sorted(
            entries, key=lambda e: (rank.get(e.document.slug, len(rank)), e.document.slug)
        )
    pages = max(1, -(-len(entries) // PER_PAGE))
    page = min(max(page, 1), pages)
    shown = entries[(page - 1) * PER_PAGE : page * PER_PAGE]
    return Page(_with_versions(store, shown), page, pages, len(entries))


def _with_versions(store: Store, shown: list[Entry]) -> list[tuple[Document, list[Version]]]:
    """Each shown document with its versions in draft order, every provenance file read through
    one ``cat-file --batch`` (a page of 50 documents: one git process, not 100)."""
    raws = iter(store.io.read_objects([sha for e in shown for sha in e.provenance]))
    rows = []
    for entry in shown:
        records = [json.loads(next(raws)) for _ in entry.provenance]
        rows.append((entry.document, versions_in_order(entry.document.slug, records)))
    return rows
