"""Lineages built one version at a time: links to the reference, runs, events and keys."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from drafttrack import forked
from drafttrack.align import remember_keys
from drafttrack.collector import collector_paused
from drafttrack.lineage.graveyard import Graveyard
from drafttrack.lineage.model import Cache, Lineages, Run, VersionLike
from drafttrack.lineage.pairs import clauses_sha, text_sha, version_links
from drafttrack.lineage.shapes import _shapes
from drafttrack.model import Clause, Group
from drafttrack.normalize import word_form
from drafttrack.segment import Block


@dataclass(slots=True)
class _Ref:
    """One clause of the reference the next version is aligned against."""

    clause: Clause
    lineages: tuple[str, ...]
    runs: tuple[int, ...]
    """The run of each lineage holding this clause (open until the clause changes or goes)."""


PARALLEL_FROM = 500
"""Versions from which a cold build segments in a second process (``forked``), if it can."""


def build_lineages(
    document: str,
    versions: Sequence[VersionLike],
    cache: Cache | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    parallel: bool | None = None,
) -> Lineages:
    """Chain the versions' alignments (draft order) into lineages.

    ``parallel``: segment the versions in a forked process while this one aligns them (None:
    with at least ``PARALLEL_FROM`` versions, where ``forked`` can). The result is the same
    either way.
    """
    if parallel is None:
        parallel = len(versions) >= PARALLEL_FROM and forked.can_fork()
    with collector_paused():
        builder = _Builder(Lineages(document, [dict(v.meta) for v in versions]), cache)
        with _shapes(versions, cache, parallel) as shapes:
            for k, (version, (clauses, found, notes)) in enumerate(
                zip(versions, shapes, strict=True)
            ):
                if notes:
                    remember_keys({text: (b, key) for text, (b, key, _f) in notes.items()})
                    builder.forms.update((text, form) for text, (_b, _k, form) in notes.items())
                builder.add(k, version, clauses, found)
                if progress:
                    progress(k)
        return builder.finish()


@dataclass(slots=True)
class _Builder:
    """Lineages grown one version at a time.

    Consecutive versions share most of their text: ``segment.relayout`` finds the runs of
    clauses a version keeps from the one before (blocks), and only the stretches between them
    are aligned and recorded. A block's clauses keep their lineages and their runs stay open
    without being touched, so a version costs about what changed in it.
    """

    out: Lineages
    cache: Cache | None
    clause_ids: dict[tuple[Any, ...], int] = field(default_factory=dict)
    open_runs: dict[tuple[str, str, int], int] = field(default_factory=dict)
    """Run of each (lineage, clause key, clause) held in the last version recorded."""
    dead: Graveyard = field(default_factory=lambda: Graveyard())
    ref: list[_Ref] = field(default_factory=list)
    ref_keys: list[str] = field(default_factory=list)
    ref_sha: str | None = None
    """sha256 of the text whose clauses ``ref`` is, in order (None: clauses were carried)."""
    forms: dict[str, str] = field(default_factory=dict)
    """``word_form`` of clause texts, made ahead by the segmenting process."""

    def add(
        self, k: int, version: VersionLike, clauses: list[Clause], found: list[Block] | None
    ) -> None:
        """Record version ``k``, whose clauses share ``found`` with the version before."""
        sha = text_sha(version)
        blocks = found if self.ref_sha is not None else None
        if k == 0:
            links: list[Group] = [("added", (), (j,), False, 0.0) for j in range(len(clauses))]
        else:
            links = self._links(clauses, sha, blocks)
        self._step(k, version.meta["id"], clauses, links)
        self.ref_sha = None if self.out.partial(k) and len(self.ref) != len(clauses) else sha

    def _links(self, clauses: list[Clause], sha: str, blocks: list[Block] | None) -> list[Group]:
        old: list[Clause] | None = None
        if self.ref_sha is not None:
            old_key = f"t:{self.ref_sha}"
        else:
            old = [r.clause for r in self.ref]
            old_key = clauses_sha(old)
        new_key = f"t:{sha}"
        links = self.cache.get_links(old_key, new_key) if self.cache is not None else None
        if links is None:
            old = old if old is not None else [r.clause for r in self.ref]
            links = version_links(old, clauses, blocks)
            if self.cache is not None:
                self.cache.put_links(old_key, new_key, links)
        return links

    def _step(self, k: int, vid: str, clauses: list[Clause], links: list[Group]) -> None:
        """Lineages of version ``k`` from its links to the reference; runs, events, keys."""
        partial = self.out.partial(k)
        ref, events = self.ref, self.out.events
        own: dict[int, tuple[str, ...]] = {}
        leaving: list[int] = []
        added: list[int] = []
        for kind, olds, news, moved, _sim in links:
            if kind == "block":
                continue
            for i in olds:
                leaving += ref[i].runs
            if not news:
                gone = ref[olds[0]]
                if not partial:
                    for lineage in gone.lineages:
                        self.dead.bury(lineage, gone.clause)
                continue
            if not olds:
                added.append(news[0])
                continue
            if len(olds) == 1:
                inherited = ref[olds[0]].lineages
            else:
                inherited = tuple(dict.fromkeys(ls for i in olds for ls in ref[i].lineages))
            for n, j in enumerate(news):
                own[j] = inherited if n == 0 else (f"{vid}.{j + 1}", *inherited)
            if moved:
                events += [(ls, k, "moved") for ls in inherited]
            if kind in ("split", "merged"):
                events += [(ls, k, kind) for ls in inherited]
        for j, lineage in self.dead.resurrect(clauses, added):
            own[j] = (lineage,)
            events.append((lineage, k, "reappeared"))
        for j in added:
            own.setdefault(j, (f"{vid}.{j + 1}",))
        runs = self._record(k, clauses, own, leaving)
        next_ref: list[_Ref] = []
        next_keys: list[str] = []
        version_keys: list[str] = []
        for kind, olds, news, _moved, _sim in links:
            if kind == "block":
                i, j, n = olds[0], news[0], int(_sim)
                next_ref += ref[i : i + n]
                next_keys += self.ref_keys[i : i + n]
                version_keys += self.ref_keys[i : i + n]
            elif news:
                for j in news:
                    next_ref.append(_Ref(clauses[j], own[j], runs[j]))
                    next_keys.append(own[j][0])
                    version_keys.append(own[j][0])
            elif partial:
                next_ref.append(ref[olds[0]])
                next_keys.append(self.ref_keys[olds[0]])
        self.ref, self.ref_keys = next_ref, next_keys
        self.out.keys.append(version_keys)

    def _record(
        self, k: int, clauses: list[Clause], own: dict[int, tuple[str, ...]], leaving: list[int]
    ) -> dict[int, tuple[int, ...]]:
        """Runs of the clauses at positions ``own`` (in reading order): each continues its
        lineage's run when the clause is the same as one leaving, else opens one; leaving runs
        not continued end with the version before. A run stays open (``end`` -1) while its
        clause is carried in blocks; ``finish`` closes those left open."""
        ids, distinct, runs = self.clause_ids, self.out.clauses, self.out.runs
        open_runs = self.open_runs
        going = {r for r in leaving if runs[r].end < 0}
        kept: set[int] = set()
        out: dict[int, tuple[int, ...]] = {}
        for j in sorted(own):
            c = clauses[j]
            lineages = own[j]
            ident = (c.text, c.number, c.path, c.kind, c.numbering)
            cid = ids.get(ident)
            if cid is None:
                cid = ids[ident] = len(distinct)
                distinct.append(Clause("", c.number, c.path, c.text, c.kind, c.lines, c.numbering))
            primary = lineages[0]
            held: list[int] = []
            for lineage in lineages:
                key = (lineage, primary, cid)
                at = open_runs.get(key)
                if at is not None and at in going and at not in kept:
                    kept.add(at)
                else:
                    at = open_runs[key] = len(runs)
                    runs.append(Run(lineage, primary, cid, k, -1))
                held.append(at)
            out[j] = tuple(held)
        for r in going - kept:
            run = runs[r]
            run.end = k - 1
            key = (run.lineage, run.key, run.clause)
            if open_runs.get(key) == r:
                del open_runs[key]
        return out

    def finish(self) -> Lineages:
        """Close the runs still open and index the clauses' words."""
        last = len(self.out.versions) - 1
        for run in self.out.runs:
            if run.end < 0:
                run.end = last
        known = self.forms
        self.out.forms = [known.get(c.text) or word_form(c.text) for c in self.out.clauses]
        return self.out
