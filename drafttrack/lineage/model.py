"""What a document's lineages are (runs of one clause through versions, events, keys per
version) and what building them needs of a version and of a cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from drafttrack.model import Clause, Group

PARTIAL = ("partial", "excerpt")


class VersionLike(Protocol):
    """What lineages need of a version (``VersionText`` fits; so does a lazily read one)."""

    @property
    def meta(self) -> dict[str, Any]: ...

    @property
    def text(self) -> str: ...


class Cache(Protocol):
    """Where segmentations and pairwise alignments are kept between runs (``index_cache``)."""

    def get_segments(self, text_sha: str) -> list[Clause] | None: ...

    def put_segments(self, text_sha: str, clauses: list[Clause]) -> None: ...

    def get_links(self, old: str, new: str) -> list[Group] | None: ...

    def put_links(self, old: str, new: str, links: list[Group]) -> None: ...


@dataclass(slots=True)
class Run:
    """A lineage holding the same clause through versions ``start``..``end`` (draft indexes)."""

    lineage: str
    key: str
    """The clause's own key (its primary lineage; differs for the second half of a split)."""
    clause: int
    """Index into ``Lineages.clauses``."""
    start: int
    end: int


@dataclass(slots=True)
class Lineages:
    """Every lineage of one document's versions."""

    document: str
    versions: list[dict[str, Any]]
    """Contract Version objects in draft order."""
    clauses: list[Clause] = field(default_factory=list)
    """Distinct clauses (key empty); runs point into this list."""
    runs: list[Run] = field(default_factory=list)
    events: list[tuple[str, int, str]] = field(default_factory=list)
    """(lineage, version index, "moved" | "reappeared" | "split" | "merged")."""
    keys: list[list[str]] = field(default_factory=list)
    """Per version, the lineage key of each clause in reading order (for stable diff keys)."""
    forms: list[str] = field(default_factory=list)
    """``word_form`` of each distinct clause's text, for phrase search."""

    def partial(self, index: int) -> bool:
        """Whether version ``index`` is a partial text (absence there proves nothing)."""
        return str(self.versions[index].get("completeness") or "full") in PARTIAL

    # -- the queries trace and search make (``index_cache.StoredLineages`` answers the same) --
    def candidates(self, needle: str) -> list[tuple[int, str]]:
        """(clause id, match form) of the distinct clauses whose form contains ``needle``."""
        return [(i, f) for i, f in enumerate(self.forms) if needle in f]

    def all_forms(self) -> list[tuple[int, str]]:
        """(clause id, match form) of every distinct clause."""
        return list(enumerate(self.forms))

    def lineages_of(self, clause_ids: set[int]) -> set[str]:
        """Lineages that ever held one of these clauses."""
        return {r.lineage for r in self.runs if r.clause in clause_ids}

    def runs_of(self, lineages: set[str]) -> list[Run]:
        """Runs of these lineages."""
        return [r for r in self.runs if r.lineage in lineages]

    def runs_with(self, clause_ids: set[int]) -> list[Run]:
        """Runs holding one of these clauses."""
        return [r for r in self.runs if r.clause in clause_ids]

    def runs_at(self, index: int) -> list[Run]:
        """Runs covering version ``index``."""
        return [r for r in self.runs if r.start <= index <= r.end]

    def clause(self, clause_id: int) -> Clause:
        """A distinct clause (its key is empty; runs carry keys)."""
        return self.clauses[clause_id]

    def events_of(self, lineages: set[str]) -> list[tuple[str, int, str]]:
        """Alignment events (moved, reappeared, split, merged) of these lineages."""
        return [e for e in self.events if e[0] in lineages]

    def version_keys(self, index: int) -> list[str]:
        """Lineage key of each clause of version ``index``, in reading order."""
        return self.keys[index]

    def all_runs(self) -> list[Run]:
        """Every run (the history flow draws them all)."""
        return list(self.runs)

    def all_events(self) -> list[tuple[str, int, str]]:
        """Every alignment event."""
        return list(self.events)
