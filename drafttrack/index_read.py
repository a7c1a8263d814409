"""Reading a stored build of the derived index (``index_cache`` writes it): the lineage queries
answered from SQLite, with nothing but ``sqlite3`` and the clause model imported.

``current`` finds the build of a document for a store HEAD without creating or writing
anything, so that a command whose answer is in the index (``trace`` of a store whose HEAD has
not moved) can answer without GitPython, markdown-it or the engine (``drafttrack.cli.fast``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from drafttrack.cache_db import BUSY_TIMEOUT_MS, SEGMENTER_VERSION
from drafttrack.lineage.model import Run
from drafttrack.model import Clause

FILE_NAME = "index.sqlite"
SCHEMA = f"7/segmenter {SEGMENTER_VERSION}"
"""Bump the first number when the tables, the forms or the lineage rules change."""


def clause_of(data: str, key: str = "") -> Clause:
    number, path, text, kind, lines, numbering = json.loads(data)
    return Clause(key, number, tuple(path), text, kind, (lines[0], lines[1]), tuple(numbering))


class StoredLineages:
    """The lineage queries of ``Lineages``, answered from a stored build."""

    def __init__(
        self, db: sqlite3.Connection, build: int, document: str, versions: list[dict[str, Any]]
    ) -> None:
        self.db = db
        self.build = build
        self.document = document
        self.versions = versions
        self._clauses: dict[int, Clause] = {}

    def partial(self, index: int) -> bool:
        """Whether version ``index`` is a partial text."""
        return str(self.versions[index].get("completeness") or "full") in ("partial", "excerpt")

    def candidates(self, needle: str) -> list[tuple[int, str]]:
        """(clause id, form) of clauses whose form contains ``needle``."""
        q = "SELECT id, form FROM b_clauses WHERE build=? AND instr(form, ?) > 0"
        return [(int(i), f) for i, f in self.db.execute(q, (self.build, needle))]

    def all_forms(self) -> list[tuple[int, str]]:
        """(clause id, form) of every distinct clause."""
        q = "SELECT id, form FROM b_clauses WHERE build=?"
        return [(int(i), f) for i, f in self.db.execute(q, (self.build,))]

    def lineages_of(self, clause_ids: set[int]) -> set[str]:
        """Lineages that ever held one of these clauses."""
        out: set[str] = set()
        for chunk in _chunks(sorted(clause_ids)):
            q = f"SELECT DISTINCT lineage FROM b_runs WHERE build=? AND clause IN ({_marks(chunk)})"
            out.update(r[0] for r in self.db.execute(q, (self.build, *chunk)))
        return out

    def runs_of(self, lineages: set[str]) -> list[Run]:
        """Runs of these lineages."""
        return self._runs_where("lineage", lineages)

    def runs_with(self, clause_ids: set[int]) -> list[Run]:
        """Runs holding one of these clauses."""
        return self._runs_where("clause", clause_ids)

    def _runs_where(self, column: str, values: set[Any]) -> list[Run]:
        out: list[Run] = []
        for chunk in _chunks(sorted(values)):
            q = (
                "SELECT lineage, key, clause, start, stop FROM b_runs "
                f"WHERE build=? AND {column} IN ({_marks(chunk)})"
            )
            out += [Run(*r) for r in self.db.execute(q, (self.build, *chunk))]
        return out

    def runs_at(self, index: int) -> list[Run]:
        """Runs covering version ``index``."""
        q = (
            "SELECT lineage, key, clause, start, stop FROM b_runs "
            "WHERE build=? AND start<=? AND stop>=?"
        )
        return [Run(*r) for r in self.db.execute(q, (self.build, index, index))]

    def clause(self, clause_id: int) -> Clause:
        """A distinct clause."""
        hit = self._clauses.get(clause_id)
        if hit is None:
            q = "SELECT data FROM b_clauses WHERE build=? AND id=?"
            row = self.db.execute(q, (self.build, clause_id)).fetchone()
            hit = self._clauses[clause_id] = clause_of(row[0])
        return hit

    def events_of(self, lineages: set[str]) -> list[tuple[str, int, str]]:
        """Alignment events of these lineages."""
        out: list[tuple[str, int, str]] = []
        for chunk in _chunks(sorted(lineages)):
            q = (
                "SELECT lineage, idx, type FROM b_events "
                f"WHERE build=? AND lineage IN ({_marks(chunk)})"
            )
            out += [(a, int(b), c) for a, b, c in self.db.execute(q, (self.build, *chunk))]
        return out

    def version_keys(self, index: int) -> list[str]:
        """Lineage key of each clause of version ``index``."""
        q = "SELECT keys FROM b_versions WHERE build=? AND idx=?"
        row = self.db.execute(q, (self.build, index)).fetchone()
        return list(json.loads(row[0])) if row else []

    def all_runs(self) -> list[Run]:
        """Every run of the build."""
        q = "SELECT lineage, key, clause, start, stop FROM b_runs WHERE build=?"
        return [Run(*r) for r in self.db.execute(q, (self.build,))]

    def all_events(self) -> list[tuple[str, int, str]]:
        """Every alignment event of the build."""
        q = "SELECT lineage, idx, type FROM b_events WHERE build=?"
        return [(a, int(b), c) for a, b, c in self.db.execute(q, (self.build,))]


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _marks(items: list[Any]) -> str:
    return ",".join("?" * len(items))


def current(folder: Path, document: str, head: str) -> StoredLineages | None:
    """The stored build of ``document`` made for ``head``, in an open read transaction (the
    caller closes ``.db``), or None when there is none: no index, another schema, a build for
    another HEAD. Never creates, repairs or writes anything (the normal path does that)."""
    path = folder / FILE_NAME
    if not path.is_file():
        return None
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        db.execute("BEGIN")
        row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if row is None or row[0] != SCHEMA:
            db.close()
            return None
        q = "SELECT id, versions FROM builds WHERE document=? AND head=?"
        found = db.execute(q, (document, head)).fetchone()
        if found is None:
            db.close()
            return None
        return StoredLineages(db, int(found[0]), document, json.loads(found[1]))
    except BaseException:
        db.close()
        raise
