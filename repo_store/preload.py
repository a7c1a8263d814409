"""Read many documents' listings at once: their ``document.json``, their versions' provenance
and texts, through one ``ls-tree`` and one ``cat-file --batch`` process (the search index reads
every document of an adopted corpus; one git process per document was most of its time)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from repo_store.gitio import GitIO, TreeEntry


@dataclass
class Preloaded:
    """What one preload read, by document slug (only documents that exist at that commit)."""

    documents: dict[str, bytes] = field(default_factory=dict)
    """Raw ``document.json`` of each document."""
    trees: dict[str, dict[str, TreeEntry]] = field(default_factory=dict)
    """Each document's ``versions/`` entries by name, as ``list_tree`` gives them."""
    provenance: dict[str, list[tuple[str, bytes]]] = field(default_factory=dict)
    """Each document's provenance files (name, raw JSON), in tree order."""
    blobs: dict[str, bytes] = field(default_factory=dict)
    """Version texts by blob id."""


def preload(io: GitIO, head: str, slugs: Sequence[str], *, texts: bool = True) -> Preloaded:
    """The listings of ``slugs`` at commit ``head`` (slugs are checked names, no pathspec magic:
    pathspecs are taken literally)."""
    found = Preloaded()
    if not slugs:
        return found
    out = io.raw(
        "ls-tree", "-r", "-z", "--full-tree", head, "--", *(f"{s}/" for s in slugs),
        env={"GIT_LITERAL_PATHSPECS": "1"},
    )  # fmt: skip
    wanted: list[tuple[str, str, str]] = []  # (slug, name or "", sha): "" is document.json
    for record in out.decode("utf-8", "surrogateescape").split("\0"):
        if not record:
            continue
        meta, path = record.split("\t", 1)
        mode, kind, sha = meta.split(" ")
        parts = path.split("/")
        if len(parts) == 2 and parts[1] == "document.json" and kind == "blob":
            wanted.append((parts[0], "", sha))
        elif len(parts) == 3 and parts[1] == "versions":
            found.trees.setdefault(parts[0], {})[parts[2]] = TreeEntry(mode, kind, sha)
            if parts[2].endswith(".json") and kind == "blob":
                wanted.append((parts[0], parts[2], sha))
    text_shas = (
        sorted({e.sha for t in found.trees.values() for n, e in t.items() if n.endswith(".md")})
        if texts
        else []
    )
    raws = io.read_objects([sha for _s, _n, sha in wanted] + text_shas)
    for (slug, name, _sha), raw in zip(wanted, raws, strict=False):
        if name:
            found.provenance.setdefault(slug, []).append((name, raw))
        else:
            found.documents[slug] = raw
    found.blobs = dict(zip(text_shas, raws[len(wanted) :], strict=True))
    for slug in found.documents:
        found.trees.setdefault(slug, {})
    return found
