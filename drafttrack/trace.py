"""The life of a phrase (``trace``) and of one clause (``history``) in a document.

Both work on lineages (``drafttrack.lineage``), either built in memory or read from the
derived index (``drafttrack.index_cache``): both answer the same small set of queries, so a warm
trace touches only the lineages that ever held the phrase.

States of a traced lineage in a version: ``present`` (a clause of it holds the phrase),
``reworded`` (it lives on without the phrase), ``absent`` (no clause of it, in a complete text),
``unknown`` (no clause of it, but the text is partial or an excerpt, which proves nothing).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from drafttrack.errors import DrafttrackError
from drafttrack.lineage import Run
from drafttrack.model import Clause, VersionText
from drafttrack.normalize import word_form, words

if TYPE_CHECKING:
    from drafttrack.lineage import Cache

# The builder (segmentation, alignment) and rapidfuzz are imported where they are used: a
# trace answered from the stored index needs neither.

FUZZY = 0.8
"""Least similarity (0..1) of a clause to the phrase for ``--fuzzy`` to report it."""

STATES = ("present", "reworded", "unknown", "absent")
"""Timeline states, strongest first (a version's state is that of its strongest lineage)."""


class UnknownClause(DrafttrackError):
    """``history`` was given a clause key or number that no version has."""


class LineageView(Protocol):
    """The queries trace, history and search make (``Lineages`` and ``StoredLineages``)."""

    document: str
    versions: list[dict[str, Any]]

    def partial(self, index: int) -> bool: ...
    def candidates(self, needle: str) -> list[tuple[int, str]]: ...
    def all_forms(self) -> list[tuple[int, str]]: ...
    def lineages_of(self, clause_ids: set[int]) -> set[str]: ...
    def runs_of(self, lineages: set[str]) -> list[Run]: ...
    def runs_with(self, clause_ids: set[int]) -> list[Run]: ...
    def runs_at(self, index: int) -> list[Run]: ...
    def clause(self, clause_id: int) -> Clause: ...
    def events_of(self, lineages: set[str]) -> list[tuple[str, int, str]]: ...
    def all_runs(self) -> list[Run]: ...
    def all_events(self) -> list[tuple[str, int, str]]: ...
    def version_keys(self, index: int) -> list[str]: ...


# -- matching ------------------------------------------------------------------------------
def needle_of(phrase: str) -> str:
    """The phrase's words in match form; refuses a phrase without words."""
    needle = word_form(phrase)
    if not needle:
        raise DrafttrackError("the phrase has no words to look for")
    return needle


def has_phrase(form: str, needle: str) -> bool:
    """Whether the words ``needle`` occur in ``form`` consecutively (both ``word_form``)."""
    return f" {needle} " in f" {form} "


def find_clauses(lin: LineageView, phrase: str, fuzzy: bool = False) -> dict[int, float]:
    """Distinct clauses holding the phrase (score 1.0), or near it with ``fuzzy`` (score)."""
    needle = needle_of(phrase)
    hits = {cid: 1.0 for cid, form in lin.candidates(needle) if has_phrase(form, needle)}
    if fuzzy:
        cutoff = FUZZY * 100
        for cid, form in lin.all_forms():
            if cid not in hits:
                score = near(needle, form, cutoff)
                if score:
                    hits[cid] = round(score / 100, 3)
    return hits


def near(needle: str, form: str, cutoff: float = 0.0) -> float:
    """0..100: how well the best stretch of ``form`` matches ``needle`` (a shorter ``form``
    is compared whole, so a one-word heading does not match every phrase containing it)."""
    from rapidfuzz import fuzz

    if len(form) < len(needle):
        return fuzz.ratio(needle, form, score_cutoff=cutoff)
    return fuzz.partial_ratio(needle, form, score_cutoff=cutoff)


# -- trace -----------------------------------------------------------------------------------
def trace(
    document: str,
    versions: Sequence[VersionText],
    phrase: str,
    fuzzy: bool = False,
    cache: Cache | None = None,
) -> dict[str, Any]:
    """The ``trace --json`` object for ``phrase`` over ``versions`` (draft order)."""
    from drafttrack.lineage import build_lineages

    return trace_lineages(build_lineages(document, versions, cache), phrase, fuzzy)


def trace_lineages(lin: LineageView, phrase: str, fuzzy: bool = False) -> dict[str, Any]:
    """The ``trace --json`` object, from lineages already built or stored.

    Versions are taken in stretches over which nothing traced changes (no run of a traced
    lineage starts or ends, no partial text, no move): each stretch is worked out once.
    """
    hits = find_clauses(lin, phrase, fuzzy)
    traced = lin.lineages_of(set(hits))
    runs = lin.runs_of(traced)
    n = len(lin.versions)
    moved = {(ln, k) for ln, k, t in lin.events_of(traced) if t == "moved"}
    stretches = _stretches(lin, runs, {k for _ln, k in moved}, n)
    at = _runs_by_stretch(runs, stretches)
    states = {
        ln: [_state(lin, at[ln].get(s, []), hits, a) for s, (a, _b) in enumerate(stretches)]
        for ln in traced
    }
    timeline: list[dict[str, Any]] = []
    memo: dict[tuple[str, int], Any] = {}
    for s, (a, b) in enumerate(stretches):
        here = [states[ln][s] for ln in traced]
        state = min(here, key=STATES.index) if here else ("unknown" if lin.partial(a) else "absent")
        held = [r for ln in traced for r in at[ln].get(s, [])]
        if state == "present":
            held = [r for r in held if r.clause in hits]
        clauses = _clauses_json(lin, held, memo)
        match = max((hits[r.clause] for r in held if r.clause in hits), default=0.0)
        for k in range(a, b):
            entry: dict[str, Any] = {
                "version": lin.versions[k],
                "state": state,
                "clauses": list(clauses),
            }
            if fuzzy:
                entry["match"] = match
            timeline.append(entry)
    events = _events(lin, traced, at, states, stretches, moved, memo)
    present = [k for k, e in enumerate(timeline) if e["state"] == "present"]
    first = present[0] if present else None
    last = present[-1] if present else None
    gone = None
    if last is not None:
        gone = next(
            (k for k in range(last + 1, n) if timeline[k]["state"] in ("absent", "reworded")),
            None,
        )
    return {
        "document": lin.document,
        "query": phrase,
        "timeline": timeline,
        "events": events,
        "first_seen": _label(lin, first),
        "last_seen": _label(lin, last),
        "gone_in": _label(lin, gone),
        "gone_how": None
        if gone is None
        else ("removed" if timeline[gone]["state"] == "absent" else "reworded"),
    }


def _stretches(lin: LineageView, runs: list[Run], cuts: set[int], n: int) -> list[tuple[int, int]]:
    """Versions ``[a, b)`` over which the traced runs, partialness and moves stay the same."""
    edges = {0, n} | cuts | {r.start for r in runs} | {r.end + 1 for r in runs}
    partial = [k for k in range(n) if lin.partial(k)]
    edges.update(partial)
    edges.update(k + 1 for k in partial)
    points = sorted(e for e in edges if 0 <= e <= n)
    return list(zip(points, points[1:], strict=False))


def _runs_by_stretch(
    runs: Iterable[Run], stretches: list[tuple[int, int]]
) -> dict[str, dict[int, list[Run]]]:
    """Per lineage, per stretch index, the runs covering it (a run covers whole stretches)."""
    starts = [a for a, _b in stretches]
    at: dict[str, dict[int, list[Run]]] = defaultdict(dict)
    for r in runs:
        first = bisect.bisect_right(starts, r.start) - 1
        last = bisect.bisect_right(starts, r.end) - 1
        for s in range(first, last + 1):
            at[r.lineage].setdefault(s, []).append(r)
    return at


def _label(lin: LineageView, index: int | None) -> str | None:
    return None if index is None else str(lin.versions[index]["label"])


def _runs_by_lineage(runs: Iterable[Run]) -> dict[str, dict[int, list[Run]]]:
    """Per lineage, per version, the runs covering it."""
    at: dict[str, dict[int, list[Run]]] = defaultdict(dict)
    for r in runs:
        for k in range(r.start, r.end + 1):
            at[r.lineage].setdefault(k, []).append(r)
    return at


def _state(lin: LineageView, runs: list[Run], hits: dict[int, float], k: int) -> str:
    if any(r.clause in hits for r in runs):
        return "present"
    if runs:
        return "reworded"
    return "unknown" if lin.partial(k) else "absent"


def _clauses_json(
    lin: LineageView, runs: Iterable[Run], memo: dict[tuple[str, int], Any] | None = None
) -> list[dict[str, Any]]:
    """Contract Clauses of these runs (each distinct clause once), in reading order; ``memo``
    shares the objects between the versions of one result."""
    memo = {} if memo is None else memo
    seen: dict[tuple[str, int], dict[str, Any]] = {}
    for r in sorted(runs, key=lambda r: (lin.clause(r.clause).lines, r.key)):
        ident = (r.key, r.clause)
        if ident not in seen:
            if ident not in memo:
                memo[ident] = replace(lin.clause(r.clause), key=r.key).to_json()
            seen[ident] = memo[ident]
    return list(seen.values())


def _events(
    lin: LineageView,
    traced: set[str],
    at: dict[str, dict[int, list[Run]]],
    states: dict[str, list[str]],
    stretches: list[tuple[int, int]],
    moved: set[tuple[str, int]],
    memo: dict[tuple[str, int], Any],
) -> list[dict[str, Any]]:
    """Per lineage, the transitions between known states (``unknown`` is skipped); they can
    only happen where a stretch starts."""
    found: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    for ln in sorted(traced):
        last: str | None = None
        existed = False
        before: list[dict[str, Any]] = []
        for s, state in enumerate(states[ln]):
            if state == "unknown":
                continue
            k = stretches[s][0]
            now = _clauses_json(lin, at[ln].get(s, []), memo)
            kind = _transition(last, state, existed)
            if kind is None and (ln, k) in moved and state != "absent":
                kind = "moved"
            if kind:
                event = {
                    "type": kind,
                    "version": lin.versions[k],
                    "before": before,
                    "after": now,
                }
                ident = (kind, k, tuple(c["key"] for c in before), tuple(c["key"] for c in now))
                found.setdefault(ident, (k, event))
            if state != "absent":
                existed = True
                before = now
            last = state
    return [e for _, e in sorted(found.values(), key=lambda t: (t[0], t[1]["type"]))]


def _transition(last: str | None, state: str, existed: bool) -> str | None:
    if state == "absent":
        return "removed" if last in ("present", "reworded") else None
    if last in (None, "absent"):
        if existed:
            return "reappeared"
        return "appeared" if state == "present" else None
    if last == "present" and state == "reworded":
        return "reworded"
    if last == "reworded" and state == "present":
        return "appeared"
    return None


# -- history ---------------------------------------------------------------------------------
def history(
    document: str, versions: Sequence[VersionText], clause: str, cache: Cache | None = None
) -> dict[str, Any]:
    """One clause (key or number) in every version of ``versions`` (draft order)."""
    from drafttrack.lineage import build_lineages

    return history_lineages(build_lineages(document, versions, cache), clause)


def history_lineages(lin: LineageView, clause: str) -> dict[str, Any]:
    """Every version's text of one clause (a lineage key, or a number such as ``Article 3(1)``
    resolved in the latest version that has it), with word changes between versions."""
    key = _resolve(lin, clause)
    at = _runs_by_lineage(lin.runs_of({key}))[key]
    from drafttrack.worddiff import word_diff

    rows = []
    previous: str | None = None
    for k, version in enumerate(lin.versions):
        runs = at.get(k, [])
        clauses = _clauses_json(lin, runs)
        state = "present" if runs else ("unknown" if lin.partial(k) else "absent")
        text = " ".join(c["text"] for c in clauses)
        ops: list[dict[str, str]] = []
        if clauses and previous is not None and text != previous:
            ops = [op.to_json() for op in word_diff(previous, text)]
        if clauses:
            previous = text
        rows.append({"version": version, "state": state, "clauses": clauses, "words": ops})
    return {"document": lin.document, "key": key, "query": clause, "versions": rows}


def _resolve(lin: LineageView, ref: str) -> str:
    if lin.runs_of({ref}):
        return ref
    want = [w.casefold() for w in words(ref)]
    if not want:
        raise UnknownClause(f"no clause {ref!r} in {lin.document!r}")
    for k in range(len(lin.versions) - 1, -1, -1):
        best: tuple[int, int, str] | None = None
        for r in lin.runs_at(k):
            if r.lineage != r.key:
                continue
            c = lin.clause(r.clause)
            score = _number_match(c, want)
            if score and (best is None or (score, -c.lines[0]) > best[:2]):
                best = (score, -c.lines[0], r.key)
        if best:
            return best[2]
    raise UnknownClause(f"no clause {ref!r} in {lin.document!r} (give a number or a key)")


def _number_match(c: Clause, want: list[str]) -> int:
    """2: the full numbering matches; 1: the clause's own number does; 0: neither."""
    full = [w.casefold() for part in c.numbering for w in words(part)]
    if full and full == want:
        return 2
    own = [w.casefold() for w in words(c.number or "")]
    return 1 if own and own == want else 0
