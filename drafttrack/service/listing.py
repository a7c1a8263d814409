"""The documents of a store as the viewer lists them, at corpus scale: names, titles and version
counts from one ``ls-tree`` and one ``cat-file --batch`` per store HEAD, the recently changed
ones from the store's latest commits; only the page shown reads its versions."""

from __future__ import annotations

import json
from dataclasses import dataclass

from drafttrack.service.memo import NO_MEMO, Memo
from repo_store import Document, InvalidName, Store, Version, names
from repo_store.model import versions_in_order

PER_PAGE = 50
RECENT_COMMITS = 5_000
"""How far back in the store's history "recently changed" looks."""


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
    out = store.io.run("ls-tree", "-r", "--full-tree", head).splitlines()
    meta: dict[str, str] = {}
    provenance: dict[str, list[str]] = {}
    for line in out:
        info, _tab, path = line.partition("\t")
        slug, _sep, rest = path.partition("/")
        if rest == "document.json":
            meta[slug] = info.split()[2]
        elif rest.startswith("versions/") and rest.endswith(".json") and rest.count("/") == 1:
            provenance.setdefault(slug, []).append(info.split()[2])
    slugs = sorted(s for s in meta if _is_slug(s))
    entries = []
    for slug, raw in zip(slugs, store.io.read_objects([meta[s] for s in slugs]), strict=True):
        try:
            data = json.loads(raw)
        except ValueError:
            data = {}
        title = data.get("title") or slug if isinstance(data, dict) else slug
        shas = provenance.get(slug, [])
        entries.append(Entry(Document(slug, str(title), data.get("language")), len(shas), shas))
    return entries


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
