"""Plain data shared by the engine's stages: clauses, word operations, changes.

Nothing here does I/O; every stage (segment → align → worddiff → report) passes these along.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ChangeKind = Literal["unchanged", "modified", "added", "removed", "split", "merged"]
WordOpName = Literal["equal", "insert", "delete"]

Group = tuple[str, tuple[int, ...], tuple[int, ...], bool, float]
"""One aligned group of clauses: (kind, old indexes, new indexes, moved, similarity). The
alignment makes them (by position), lineages chain them, the index caches them."""


@dataclass(slots=True)
class Clause:
    """One clause of a version: a paragraph, list item, table row or block quote."""

    key: str
    """Identifier; version-local ("c12") from segmentation, a lineage key once aligned."""
    number: str | None
    """The clause's own label as the text shows it ("Article 5", "5.2", "(b)", "§ 3"), if any."""
    path: tuple[str, ...]
    """Enclosing headings and parent clause numbers, outermost first."""
    text: str
    """The clause text as it appears in the source (Markdown inline syntax kept)."""
    kind: str = "paragraph"
    """paragraph | list_item | table_row | blockquote | heading."""
    lines: tuple[int, int] = (0, 0)
    """Source map: [first line, line after last), 0-based, as markdown-it's ``token.map``."""
    numbering: tuple[str, ...] = ()
    """Numbers of the enclosing numbered headings and items, then its own: ("Article 4", "1")."""

    def to_json(self) -> dict[str, Any]:
        """The contract's Clause object."""
        return {"key": self.key, "number": self.number, "path": list(self.path), "text": self.text}


@dataclass(slots=True, frozen=True)
class WordOp:
    """One run of a word-level diff."""

    op: WordOpName
    text: str

    def to_json(self) -> dict[str, str]:
        """The contract's word object."""
        return {"op": self.op, "text": self.text}


@dataclass(slots=True)
class Change:
    """What happened to one clause (or a split/merge group) between two versions."""

    kind: ChangeKind
    old: list[Clause] = field(default_factory=list)
    new: list[Clause] = field(default_factory=list)
    moved: bool = False
    renumbered: bool = False
    editorial: bool = False
    """True when only white space, quote/dash style, punctuation, case, formatting, link targets
    or numbering changed."""
    editorial_kinds: list[str] = field(default_factory=list)
    """What an editorial change changed: link-target, formatting, whitespace, numbering,
    quotes, punctuation, case (empty when the change is not editorial)."""
    similarity: float = 1.0
    words: list[WordOp] = field(default_factory=list)
    divergences: list[dict[str, Any]] | None = None
    """Cross-language pairs only: what the two languages say differently (numbers, negation,
    entities), each with its spans; None in a same-language comparison."""

    def to_json(self) -> dict[str, Any]:
        """The contract's Change object (``divergences`` only in a cross-language one)."""
        data = {
            "kind": self.kind,
            "moved": self.moved,
            "renumbered": self.renumbered,
            "editorial": self.editorial,
            "editorial_kinds": list(self.editorial_kinds),
            "old": [c.to_json() for c in self.old],
            "new": [c.to_json() for c in self.new],
            "similarity": round(self.similarity, 4),
            "words": [w.to_json() for w in self.words],
        }
        if self.divergences is not None:
            data["divergences"] = self.divergences
        return data


@dataclass(slots=True, frozen=True)
class VersionText:
    """A version as the engine sees it: the contract's Version metadata plus the text.

    Built by the thin shells (CLI, web) from the store:
    ``VersionText(version.to_json(), store.read_text(doc, version.id))``.
    """

    meta: dict[str, Any]
    """Contract Version: id, label, position, source, reported_on, drafted_on, completeness."""
    text: str

    @property
    def id(self) -> str:
        """The version id."""
        return str(self.meta["id"])

    @property
    def label(self) -> str:
        """The version label."""
        return str(self.meta["label"])

    @property
    def completeness(self) -> str:
        """full | partial | excerpt: a partial text does not prove a clause's absence."""
        return str(self.meta.get("completeness") or "full")
