"""The documents of a store as the viewer lists them, at corpus scale: names, titles and version
counts from one ``ls-tree`` and one ``cat-file --batch`` per store HEAD, the recently changed
ones from the store's latest commits; only the page shown reads its versions."""

from __future__ import annotations

import json
from dataclasses import dataclass

from drafttrack.service.memo import NO_MEMO, Memo
from repo_store import Document, InvalidName, Store, Version, names

PER_PAGE = 50
RECENT_COMMITS = 5_000
"""How far back in the store's history "recently changed" looks."""


@dataclass(slots=True)
class Entry:
    """One document in the listing."""

    document: Document
    versions: int


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
    counts: dict[str, int] = {}
    for line in out:
        info, _tab, path = line.partition("\t")
        slug, _sep, rest = path.partition("/")
        if rest == "document.json":
            meta[slug] = info.split()[2]
        elif rest.startswith("versions/") and rest.endswith(".json"):
            counts[slug] = counts.get(slug, 0) + 1
    slugs = sorted(s for s in meta if _is_slug(s))
    entries = []
    for slug, raw in zip(slugs, store.io.read_objects([meta[s] for s in slugs]), strict=True):
        try:
            data = json.loads(raw)
        except ValueError:
            data = {}
        title = data.get("title") or slug if isinstance(data, dict) else slug
        entries.append(Entry(Document(slug, str(title), data.get("language")), counts.get(slug, 0)))
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
        out = store.io.run(
            "log", f"-n{RECENT_COMMITS}", "--format=", "--name-only", "--no-renames", head
        )
        seen: dict[str, None] = {}
        for path in out.splitlines():
            if "/" in path:
                seen.setdefault(path.split("/", 1)[0], None)
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
    rows = [(e.document, store.versions(e.document.slug)) for e in shown]
    return Page(rows, page, pages, len(entries))
