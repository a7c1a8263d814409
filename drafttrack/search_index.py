"""A full-text index of every clause of every document (SQLite FTS5), for ``search`` at corpus
scale.

Derived data: one row per distinct clause of a document's lineages (its lineage key, number,
path, text, and the versions holding it), rebuilt per document when that document's git tree
changed, and safe to delete. The FTS5 table holds each clause's match form (``word_form``: the
words ``trace`` matches, quotes and dashes already unified) under the ``unicode61`` tokenizer with
``remove_diacritics 0`` (so "Würde" never matches "Wurde", nor "ї" "і"); a phrase query narrows
the candidates and ``has_phrase`` then checks each one exactly as ``trace`` does.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafttrack.cache_db import SEGMENTER_VERSION
from drafttrack.trace import LineageView, has_phrase, needle_of

SCHEMA_VERSION = f"3/segmenter {SEGMENTER_VERSION}"
"""The index's layout and the segmentation its rows come from: another one is rebuilt whole."""
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs (slug TEXT PRIMARY KEY, state TEXT);
CREATE TABLE IF NOT EXISTS clauses (
    id INTEGER PRIMARY KEY, doc TEXT NOT NULL, key TEXT NOT NULL, number TEXT, path TEXT,
    text TEXT NOT NULL, form TEXT NOT NULL, first INTEGER NOT NULL, versions TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS clauses_doc ON clauses (doc);
CREATE TABLE IF NOT EXISTS hits (
    id INTEGER PRIMARY KEY, doc TEXT NOT NULL, key TEXT NOT NULL, first INTEGER NOT NULL,
    plain INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS hits_doc ON hits (doc);
CREATE VIRTUAL TABLE IF NOT EXISTS clause_words USING fts5(
    form, content='clauses', content_rowid='id', tokenize='unicode61 remove_diacritics 0');
"""


@dataclass(slots=True)
class Row:
    """One distinct clause of a document and the versions (draft indexes) holding it."""

    key: str
    number: str | None
    path: list[str]
    text: str
    form: str
    first: int
    versions: list[tuple[str, str | None]]
    """(label, reported_on) of each version holding the clause, in draft order."""


def rows_of(lin: LineageView) -> list[Row]:
    """The index rows of a document's lineages (as ``search_lineages`` groups its hits)."""
    forms = dict(lin.all_forms())
    by_clause: dict[tuple[int, str], set[int]] = defaultdict(set)
    for run in lin.all_runs():
        by_clause[(run.clause, run.key)].update(range(run.start, run.end + 1))
    rows = []
    for (cid, key), indexes in by_clause.items():
        clause = lin.clause(cid)
        order = sorted(indexes)
        versions = [(lin.versions[k]["label"], lin.versions[k].get("reported_on")) for k in order]
        form = forms.get(cid) or ""
        rows.append(
            Row(key, clause.number, list(clause.path), clause.text, form, order[0], versions)
        )
    return rows


class SearchIndex:
    """The index file of one store; a context manager."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        version = self._schema_version()
        if version == SCHEMA_VERSION:
            return  # a current index: opening it writes nothing (a search only reads)
        if version is not None:
            self.db.executescript(
                "DROP TABLE IF EXISTS clause_words; DROP TABLE IF EXISTS clauses;"
                "DROP TABLE IF EXISTS hits;"
                "DROP TABLE IF EXISTS docs; DROP TABLE IF EXISTS meta;"
            )
        self.db.executescript(SCHEMA)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        self.db.commit()

    def _schema_version(self) -> str | None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        except sqlite3.OperationalError:
            return None
        return str(row[0]) if row else None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- keeping it current ------------------------------------------------------------------
    def head(self) -> str | None:
        """The store commit the index was last brought up to."""
        row = self.db.execute("SELECT value FROM meta WHERE name = 'head'").fetchone()
        return row[0] if row else None

    def stale(self, states: dict[str, str]) -> tuple[list[str], list[str]]:
        """(documents to index again, documents gone) given each document's current state."""
        known = dict(self.db.execute("SELECT slug, state FROM docs"))
        changed = [slug for slug, state in sorted(states.items()) if known.get(slug) != state]
        return changed, sorted(set(known) - set(states))

    def replace(self, slug: str, state: str, rows: Iterable[Row]) -> None:
        """Index ``rows`` as the whole of ``slug`` (in the current transaction)."""
        self._delete(slug)
        first = self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM clauses").fetchone()[0]
        values = [
            (first + n, slug, r.key, r.number, json.dumps(r.path, ensure_ascii=False), r.text,
             r.form, r.first, json.dumps(r.versions, ensure_ascii=False))
            for n, r in enumerate(rows)
        ]  # fmt: skip
        self.db.executemany("INSERT INTO clauses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
        self.db.executemany(
            "INSERT INTO hits VALUES (?, ?, ?, ?, ?)",
            [(v[0], slug, v[2], v[7], is_plain(v[6])) for v in values],
        )
        self.db.execute(
            "INSERT INTO clause_words (rowid, form) SELECT id, form FROM clauses WHERE id >= ?",
            (first,),
        )
        self.db.execute("INSERT OR REPLACE INTO docs VALUES (?, ?)", (slug, state))

    def remove(self, slug: str) -> None:
        self._delete(slug)
        self.db.execute("DELETE FROM docs WHERE slug = ?", (slug,))

    def _delete(self, slug: str) -> None:
        old = self.db.execute("SELECT id, form FROM clauses WHERE doc = ?", (slug,)).fetchall()
        self.db.executemany(
            "INSERT INTO clause_words (clause_words, rowid, form) VALUES ('delete', ?, ?)", old
        )
        self.db.execute("DELETE FROM clauses WHERE doc = ?", (slug,))
        self.db.execute("DELETE FROM hits WHERE doc = ?", (slug,))

    def set_head(self, head: str | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('head', ?)", (head or "",))
        self.db.commit()

    def commit(self) -> None:
        self.db.commit()

    def optimize(self) -> None:
        """After many documents were indexed: the full-text index merged into one b-tree and the
        write-ahead log folded into the file (a query then reads one segment, not dozens)."""
        self.db.execute("INSERT INTO clause_words (clause_words) VALUES ('optimize')")
        self.db.commit()
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    # -- searching ---------------------------------------------------------------------------
    def search(
        self,
        phrase: str,
        *,
        doc: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> dict[str, Any]:
        """The clauses holding ``phrase`` (whole words, as ``trace`` matches), by document and
        first version; with ``since``/``until`` only versions reported in that span count."""
        needle = needle_of(phrase)
        dated = since is not None or until is not None
        # (id, doc, key, first) of the clauses that hold the phrase
        rows = sorted(self._holding(needle, doc), key=lambda r: (r[1], r[3], r[2]))
        if not dated:
            shown_rows = rows[:limit] if limit is not None else rows
            details = self._details([r[0] for r in shown_rows])
            shown = [
                (r, [label for label, _on in json.loads(details[r[0]][3])]) for r in shown_rows
            ]
            total = len(rows)
        else:  # a dated search reads every row's versions
            kept: list[tuple[tuple[int, str, str, int], list[str]]] = []
            every = self._details([r[0] for r in rows])
            for r in rows:
                versions = [
                    label
                    for label, reported in json.loads(every[r[0]][3])
                    if (since is None or (reported or "") >= since)
                    and (until is None or (reported is not None and reported <= until))
                ]
                if versions:
                    kept.append((r, versions))
            total = len(kept)
            shown = kept[:limit]
            details = every
        matches = []
        for r, versions in shown:
            number, path, text, _versions = details[r[0]]
            matches.append(
                {
                    "document": r[1], "key": r[2], "number": number, "path": json.loads(path),
                    "text": text, "versions": versions, "first_seen": versions[0],
                    "last_seen": versions[-1], "score": 1.0,
                }
            )  # fmt: skip
        return {"query": phrase, "fuzzy": False, "matches": matches, "total": total}

    def _details(self, ids: list[int]) -> dict[int, tuple[str | None, str, str, str]]:
        """(number, path, text, versions) of the clauses ``ids``."""
        return {cid: tuple(rest) for cid, *rest in self._rows("number, path, text, versions", ids)}

    def _holding(self, needle: str, doc: str | None) -> list[tuple[int, str, str, int]]:
        """(id, doc, key, first) of the clauses whose match form holds ``needle``. The full-text
        index gives the candidates from a narrow table; a candidate is then checked on its match
        form (``has_phrase``) unless both it and the needle are plain words (see ``is_plain``),
        for which the index's phrase match is that check: a common word's thousands of clauses
        are not read whole."""
        tokens = re.findall(r"\w+", needle)
        where, args = "", []
        if doc is not None:
            where, args = " AND {}doc = ?", [doc]
        if not tokens:  # nothing the tokenizer indexes (e.g. "§"): check every clause
            query = f"SELECT id, doc, key, first, form FROM clauses WHERE 1{where.format('')}"
            return [r[:4] for r in self.db.execute(query, args) if has_phrase(r[4], needle)]
        trusted = is_plain(needle)
        found: list[tuple[int, str, str, int]] = []
        check: list[tuple[int, str, str, int]] = []
        query = (
            "SELECT h.id, h.doc, h.key, h.first, h.plain FROM clause_words w "
            f"JOIN hits h ON h.id = w.rowid WHERE clause_words MATCH ?{where.format('h.')}"
        )
        for cid, d, key, first, plain in self.db.execute(
            query, ['"' + " ".join(tokens) + '"', *args]
        ):
            (found if trusted and plain else check).append((cid, d, key, first))
        forms = dict(self._rows("form", [r[0] for r in check]))
        return found + [r for r in check if has_phrase(forms[r[0]], needle)]

    def _rows(self, columns: str, ids: list[int]) -> Iterator[tuple[Any, ...]]:
        """(id, COLUMNS...) of the clauses ``ids``, 500 ids a query."""
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute(
                f"SELECT id, {columns} FROM clauses WHERE id IN ({marks})", chunk
            )


_PLAIN_WORD = "[0-9a-z\u00aa\u00b5\u00ba\u00df-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f]+"
_PLAIN = re.compile(f"{_PLAIN_WORD}(?: {_PLAIN_WORD})*")


def is_plain(form: str) -> bool:
    """Whether a match form is words of letters (Latin, Greek, Cyrillic) and digits 0-9 alone,
    one space apart: the index's tokenizer (``unicode61``, which knows those letters) then cuts
    it exactly into its words, so its phrase match is ``has_phrase``."""
    return _PLAIN.fullmatch(form) is not None and form.replace(" ", "").isalnum()
