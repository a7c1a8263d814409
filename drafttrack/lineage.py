"""Clause lineages: the alignments of consecutive versions (draft order) chained into lives.

A lineage is one clause followed through every version: reworded, renumbered, moved, split or
merged, it stays the same lineage. Its key is made from the version id and the clause position
where it first appears (``"3f2a9c01de.12"``), so keys never depend on versions that come later.

Rules:
- A clause removed in a complete (``full``) version and later back (same or similar text) is the
  same lineage again, ``reappeared``.
- A ``partial`` or ``excerpt`` version does not prove absence: clauses of the previous versions
  missing from it are carried over it, and the next version is aligned against the last version
  that had each of them (the "reference": the partial version's clauses plus the carried ones, in
  reading order).
- Pairwise alignments are cached by the hashes of the two clause lists, so inserting a version out
  of order re-aligns only its two neighbours (more only when the inserted version is partial).
- A version is segmented and aligned around the runs of clauses it shares with the one before
  (``segment.relayout``), and only what changed is recorded: a build costs about the sum of the
  changes, not versions × clauses. From ``PARALLEL_FROM`` versions, a forked process segments
  while this one aligns.

The result is compact: the distinct clauses and, per lineage, runs of consecutive versions in which
it had the same clause.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from rapidfuzz.distance import Indel

from drafttrack import forked
from drafttrack.align import (
    CANDIDATES,
    COMMON_POSTING,
    SHORT_WORDS,
    SIMILAR_SHORT,
    align_groups,
    body,
    keys_of,
    match_key_of_body,
    rarest,
    remember_keys,
)
from drafttrack.collector import collector_paused
from drafttrack.model import Clause
from drafttrack.normalize import match_form, words
from drafttrack.segment import EMPTY_LAYOUT, Block, BlockMemo, Layout, relayout, segment

REAPPEAR = 0.7
"""Similarity (0..1) a new clause needs to a removed clause's last text to be that lineage back."""

PARTIAL = ("partial", "excerpt")

Link = tuple[str, tuple[int, ...], tuple[int, ...], bool, float]
"""One aligned group: (kind, old indexes, new indexes, moved, similarity)."""


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

    def get_links(self, old: str, new: str) -> list[Link] | None: ...

    def put_links(self, old: str, new: str, links: list[Link]) -> None: ...


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


def word_form(text: str) -> str:
    """The words of ``text`` in match form, joined by single spaces (what phrases match)."""
    return " ".join(words(match_form(text)))


def text_sha(version: VersionLike) -> str:
    """sha256 of a version's text (taken from ``text_sha`` when the version carries it)."""
    known = getattr(version, "text_sha", None)
    return known or hashlib.sha256(version.text.encode("utf-8")).hexdigest()


def clauses_sha(clauses: Sequence[Clause]) -> str:
    """Hash of what alignment looks at: kind, numbering and text of each clause."""
    h = hashlib.sha256()
    for c in clauses:
        h.update(c.kind.encode())
        h.update(b"\x1f")
        h.update("\x1d".join(c.numbering).encode("utf-8"))
        h.update(b"\x1f")
        h.update(c.text.encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()


def segments_of(
    version: VersionLike, cache: Cache | None, memo: BlockMemo | None = None
) -> list[Clause]:
    """The version's clauses, from the cache when there (``memo``: chunks parsed before)."""
    sha = text_sha(version)
    if cache is not None:
        hit = cache.get_segments(sha)
        if hit is not None:
            return hit
    clauses = segment(version.text, memo)
    if cache is not None:
        cache.put_segments(sha, clauses)
    return clauses


def pair_links(old: Sequence[Clause], new: Sequence[Clause]) -> list[Link]:
    """Align two clause lists as index groups; identical ends are paired without aligning."""
    lo = 0
    while lo < len(old) and lo < len(new) and _same(old[lo], new[lo]):
        lo += 1
    hi = 0
    while hi < len(old) - lo and hi < len(new) - lo and _same(old[-1 - hi], new[-1 - hi]):
        hi += 1
    links: list[Link] = [("unchanged", (i,), (i,), False, 1.0) for i in range(lo)]
    mid_old, mid_new = old[lo : len(old) - hi], new[lo : len(new) - hi]
    if mid_old or mid_new:
        for kind, olds, news, moved, similarity in align_groups(mid_old, mid_new):
            shifted_old = tuple(lo + i for i in olds)
            shifted_new = tuple(lo + j for j in news)
            links.append((kind, shifted_old, shifted_new, moved, round(similarity, 4)))
    offset_old, offset_new = len(old) - hi, len(new) - hi
    links += [("unchanged", (offset_old + k,), (offset_new + k,), False, 1.0) for k in range(hi)]
    return links


def version_links(
    old: Sequence[Clause], new: Sequence[Clause], blocks: list[Block] | None
) -> list[Link]:
    """The links of a version to the one before: around the blocks they share, if any."""
    if not blocks:
        return pair_links(old, new)
    return [
        (kind, olds, news, moved, round(similarity, 4))
        for kind, olds, news, moved, similarity in align_groups(old, new, blocks)
    ]


def _same(a: Clause, b: Clause) -> bool:
    return a.text == b.text and a.kind == b.kind and a.numbering == b.numbering


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


Shape = tuple[list[Clause], list[Block] | None, dict[str, tuple[str, str, str]]]
"""A version's clauses, the blocks it shares with the version before (None: unknown), and
for clause texts not seen before, when already made: what alignment compares
(``align.keys_of``) and the ``word_form`` phrases are found in."""


class _Shaper:
    """Each version's clauses, segmented around what it shares with the one before
    (``segment.relayout``); texts it cannot chunk are segmented whole."""

    def __init__(self, cache: Cache | None) -> None:
        self.cache = cache
        self.memo = BlockMemo()
        self.layout: Layout | None = None

    def shape(self, version: VersionLike) -> tuple[list[Clause], list[Block] | None]:
        shaped = relayout(self.layout or EMPTY_LAYOUT, version.text, self.memo)
        if shaped is None:
            self.layout = None
            return segments_of(version, self.cache, self.memo), None
        had = self.layout is not None
        self.layout, found = shaped
        return self.layout.clauses, found if had else None


@contextmanager
def _shapes(
    versions: Sequence[VersionLike], cache: Cache | None, parallel: bool
) -> Iterator[Iterator[Shape]]:
    """Each version's ``Shape``, made here or, ``parallel``, in a forked process that sends
    only the clauses outside the blocks (the rest are the version before's)."""
    if not parallel:
        shaper = _Shaper(cache)
        yield ((*shaper.shape(v), {}) for v in versions)
        return

    def produce() -> Iterator[Shape]:
        shaper = _Shaper(None)
        seen: set[str] = set()
        for version in versions:
            clauses, found = shaper.shape(version)
            fresh = clauses if found is None else _outside(clauses, found)
            texts = {c.text for c in fresh} - seen
            notes = {text: (*keys_of(text), word_form(text)) for text in texts}
            seen |= texts
            yield fresh, found, notes

    def rebuilt(stream: Iterator[Shape]) -> Iterator[Shape]:
        before: list[Clause] = []
        for fresh, found, notes in stream:
            before = fresh if found is None else _inside(before, found, fresh)
            yield before, found, notes

    with forked.stream_from_child(produce) as stream:
        yield rebuilt(stream)


def _outside(clauses: list[Clause], blocks: list[Block]) -> list[Clause]:
    """The clauses no block covers, in order."""
    out: list[Clause] = []
    at = 0
    for _i, j, n in blocks:
        out += clauses[at:j]
        at = j + n
    out += clauses[at:]
    return out


def _inside(before: list[Clause], blocks: list[Block], fresh: list[Clause]) -> list[Clause]:
    """A version's clauses from the blocks' clauses in ``before`` and the ``fresh`` others."""
    out: list[Clause] = []
    taken = 0
    for i, j, n in blocks:
        more = j - len(out)
        out += fresh[taken : taken + more]
        taken += more
        out += before[i : i + n]
    out += fresh[taken:]
    return out


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
            links: list[Link] = [("added", (), (j,), False, 0.0) for j in range(len(clauses))]
        else:
            links = self._links(clauses, sha, blocks)
        self._step(k, version.meta["id"], clauses, links)
        self.ref_sha = None if self.out.partial(k) and len(self.ref) != len(clauses) else sha

    def _links(self, clauses: list[Clause], sha: str, blocks: list[Block] | None) -> list[Link]:
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

    def _step(self, k: int, vid: str, clauses: list[Clause], links: list[Link]) -> None:
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


@dataclass(slots=True)
class _Dead:
    """A removed lineage and its last clause, prepared for matching."""

    lineage: str
    clause: Clause
    body: str
    form: str
    words: list[str]
    order: int


class Graveyard:
    """Removed lineages, indexed so that matching new clauses costs the same whatever the
    number of lineages removed so far (a long history removes thousands).

    A new clause brings a lineage back when its text equals the lineage's last text, word for
    word or editorially (first removed first), or else when it is the best pairing above
    ``REAPPEAR`` among candidates sharing rare words (the rules of ``align``'s reworded pass
    for clauses far apart: short clauses need ``SIMILAR_SHORT``; headings pair only with
    headings).
    """

    def __init__(self) -> None:
        self.live: dict[str, _Dead] = {}
        self.by_body: dict[str, list[_Dead]] = defaultdict(list)
        self.by_form: dict[str, list[_Dead]] = defaultdict(list)
        self.postings: dict[str, list[_Dead]] = defaultdict(list)
        self.count = 0

    def __bool__(self) -> bool:
        return bool(self.live)

    def __len__(self) -> int:
        return len(self.live)

    def bury(self, lineage: str, clause: Clause) -> None:
        """Record ``lineage`` as removed, ``clause`` being its last text."""
        text = body(clause)
        form = match_key_of_body(text)
        self.count += 1
        dead = _Dead(lineage, clause, text, form, form.split(), self.count)
        self.live[lineage] = dead
        self.by_body[text].append(dead)
        if form:
            self.by_form[form].append(dead)
        for word in set(dead.words):
            self.postings[word].append(dead)

    def _alive(self, dead: _Dead) -> bool:
        return self.live.get(dead.lineage) is dead

    def _first(self, found: list[_Dead] | None) -> _Dead | None:
        while found:
            if self._alive(found[0]):
                return found[0]
            found.pop(0)
        return None

    def _candidates(self, words: list[str]) -> list[_Dead]:
        postings, live = self.postings, self.live
        hits: Counter[int] = Counter()
        by_order: dict[int, _Dead] = {}
        query = set(words)
        found = [(len(p), w) for w in query if (p := postings.get(w))]
        for _n, word in rarest(found, len(query) - len(found)):
            posting = postings[word]
            alive = [d for d in posting if live.get(d.lineage) is d]
            posting[:] = alive
            if len(alive) <= COMMON_POSTING:
                hits.update(d.order for d in alive)
                by_order.update((d.order, d) for d in alive)
        return [by_order[o] for o, _ in hits.most_common(CANDIDATES)]

    def resurrect(self, clauses: list[Clause], added: list[int]) -> list[tuple[int, str]]:
        """(position, lineage) of the added clauses that bring a removed lineage back."""
        out: list[tuple[int, str]] = []
        if not added or not self.live:
            return out
        texts = {j: body(clauses[j]) for j in added}
        rest: list[int] = []
        for j in added:  # word for word
            dead = self._first(self.by_body.get(texts[j]))
            if dead is None:
                rest.append(j)
            else:
                out.append((j, self._take(dead)))
        forms = {j: match_key_of_body(texts[j]) for j in rest}
        fuzzy: list[int] = []
        for j in rest:  # editorially equal
            dead = self._first(self.by_form.get(forms[j])) if forms[j] else None
            if dead is None:
                fuzzy.append(j)
            else:
                out.append((j, self._take(dead)))
        ranked: list[tuple[float, int, int, _Dead]] = []
        for j in fuzzy:
            words = forms[j].split()
            heading = clauses[j].kind == "heading"
            for dead in self._candidates(words):
                if (dead.clause.kind == "heading") != heading:
                    continue
                score = float(Indel.normalized_similarity(dead.words, words))
                short = min(len(words), len(dead.words)) < SHORT_WORDS
                if score >= (max(SIMILAR_SHORT, REAPPEAR) if short else REAPPEAR):
                    ranked.append((score, j, dead.order, dead))
        ranked.sort(key=lambda t: (-t[0], t[1], t[2]))
        done: set[int] = set()
        for _score, j, _order, dead in ranked:
            if j in done or not self._alive(dead):
                continue
            done.add(j)
            out.append((j, self._take(dead)))
        out.sort()
        return out

    def _take(self, dead: _Dead) -> str:
        del self.live[dead.lineage]
        return dead.lineage
