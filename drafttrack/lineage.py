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

The result is compact: the distinct clauses and, per lineage, runs of consecutive versions in which
it had the same clause.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from rapidfuzz.distance import Indel

from drafttrack.align import (
    CANDIDATES,
    COMMON_POSTING,
    RARE_WORDS,
    SHORT_WORDS,
    SIMILAR_SHORT,
    align_groups,
    body,
    match_key_of_body,
)
from drafttrack.collector import collector_paused
from drafttrack.model import Clause
from drafttrack.normalize import match_form, words
from drafttrack.segment import BlockMemo, segment

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


class MemoryCache:
    """The ``Cache`` protocol in memory: a cold build still segments an identical text once."""

    def __init__(self) -> None:
        self.segments: dict[str, list[Clause]] = {}
        self.links: dict[tuple[str, str], list[Link]] = {}

    def get_segments(self, text_sha: str) -> list[Clause] | None:
        """Clauses of a text already segmented in this build."""
        return self.segments.get(text_sha)

    def put_segments(self, text_sha: str, clauses: list[Clause]) -> None:
        """Remember a text's clauses."""
        self.segments[text_sha] = clauses

    def get_links(self, old: str, new: str) -> list[Link] | None:
        """An alignment already made in this build."""
        return self.links.get((old, new))

    def put_links(self, old: str, new: str, links: list[Link]) -> None:
        """Remember an alignment."""
        self.links[(old, new)] = links


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


class _Shas:
    """Cache keys of clause lists: a version's own segmentation is keyed by its text's sha256
    (segmentation is a function of the text; hashing every clause cost as much as aligning),
    any other list (a reference bridged over a partial version) by ``clauses_sha``."""

    def __init__(self) -> None:
        self.last: list[tuple[list[Clause], str]] = []

    def register(self, clauses: list[Clause], text_sha: str) -> None:
        """``clauses`` are the segmentation of the text with this sha256."""
        self.last = [*self.last[-1:], (clauses, f"t:{text_sha}")]

    def of(self, clauses: list[Clause]) -> str:
        for seen, key in self.last:
            same = len(seen) == len(clauses)
            if same and all(a is b for a, b in zip(seen, clauses, strict=True)):
                return key
        return clauses_sha(clauses)


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


def _same(a: Clause, b: Clause) -> bool:
    return a.text == b.text and a.kind == b.kind and a.numbering == b.numbering


@dataclass(slots=True)
class _Ref:
    """One clause of the reference the next version is aligned against."""

    clause: Clause
    lineages: tuple[str, ...]


@dataclass(slots=True)
class _Builder:
    out: Lineages
    clause_ids: dict[tuple[Any, ...], int] = field(default_factory=dict)
    open_runs: dict[tuple[str, str, int], int] = field(default_factory=dict)
    dead: Graveyard = field(default_factory=lambda: Graveyard())

    def record(
        self, index: int, clauses: Sequence[Clause], lineages: Sequence[tuple[str, ...]]
    ) -> None:
        """Version ``index`` holds ``clauses``, of these lineages: extend or open their runs."""
        ids, distinct, open_runs = self.clause_ids, self.out.clauses, self.open_runs
        runs = self.out.runs
        before = index - 1
        for c, own in zip(clauses, lineages, strict=True):
            ident = (c.text, c.number, c.path, c.kind, c.numbering)
            cid = ids.get(ident)
            if cid is None:
                cid = ids[ident] = len(distinct)
                distinct.append(replace(c, key=""))
            primary = own[0]
            for lineage in own:
                key = (lineage, primary, cid)
                at = open_runs.get(key)
                if at is not None and runs[at].end == before:
                    runs[at].end = index
                else:
                    open_runs[key] = len(runs)
                    runs.append(Run(lineage, primary, cid, index, index))


def build_lineages(
    document: str,
    versions: Sequence[VersionLike],
    cache: Cache | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> Lineages:
    """Chain the versions' alignments (draft order) into lineages."""
    with collector_paused():
        return _build(document, versions, cache, progress)


def _build(
    document: str,
    versions: Sequence[VersionLike],
    cache: Cache | None,
    progress: Callable[[int], None] | None,
) -> Lineages:
    out = Lineages(document, [dict(v.meta) for v in versions])
    segments = cache if cache is not None else MemoryCache()
    b = _Builder(out)
    ref: list[_Ref] = []
    memo = BlockMemo()
    shas = _Shas()
    for k, version in enumerate(versions):
        clauses = segments_of(version, segments, memo)
        shas.register(clauses, text_sha(version))
        if k == 0:
            lineages = [(f"{version.meta['id']}.{j + 1}",) for j in range(len(clauses))]
            ref = [_Ref(c, ls) for c, ls in zip(clauses, lineages, strict=True)]
        else:
            # without a cache (a cold build) pairs are not looked up: no pair comes twice
            lineages, ref = _step(b, k, version, ref, clauses, cache, shas)
        b.record(k, clauses, lineages)
        out.keys.append([ls[0] for ls in lineages])
        if progress:
            progress(k)
    out.forms = [word_form(c.text) for c in out.clauses]
    return out


def _step(
    b: _Builder,
    k: int,
    version: VersionLike,
    ref: list[_Ref],
    clauses: list[Clause],
    cache: Cache | None,
    shas: _Shas,
) -> tuple[list[tuple[str, ...]], list[_Ref]]:
    """Lineages of ``clauses`` (version ``k``) and the reference for the next version."""
    partial = b.out.partial(k)
    old = [r.clause for r in ref]
    links = None
    if cache is not None:
        old_sha, new_sha = shas.of(old), shas.of(clauses)
        links = cache.get_links(old_sha, new_sha)
    if links is None:
        links = pair_links(old, clauses)
        if cache is not None:
            cache.put_links(old_sha, new_sha, links)
    lineages: list[tuple[str, ...] | None] = [None] * len(clauses)
    added: list[int] = []
    next_ref: list[_Ref] = []
    vid = version.meta["id"]
    for kind, olds, news, moved, _sim in links:
        if not news:
            gone = ref[olds[0]]
            if partial:
                next_ref.append(gone)
            else:
                for lineage in gone.lineages:
                    b.dead.bury(lineage, gone.clause)
            continue
        if not olds:
            added.append(news[0])
            continue
        if len(olds) == 1:
            inherited = ref[olds[0]].lineages
        else:
            inherited = tuple(dict.fromkeys(ls for i in olds for ls in ref[i].lineages))
        for n, j in enumerate(news):
            own = inherited if n == 0 else (f"{vid}.{j + 1}", *inherited)
            lineages[j] = own
        if moved:
            b.out.events += [(ls, k, "moved") for ls in inherited]
        if kind in ("split", "merged"):
            b.out.events += [(ls, k, kind) for ls in inherited]
    for j, lineage in b.dead.resurrect(clauses, added):
        lineages[j] = (lineage,)
        b.out.events.append((lineage, k, "reappeared"))
    for j in added:
        if lineages[j] is None:
            lineages[j] = (f"{vid}.{j + 1}",)
    final = [ls if ls is not None else (f"{vid}.{j + 1}",) for j, ls in enumerate(lineages)]
    if partial:
        # reference = this version's clauses plus the carried ones, in the alignment's order
        merged: list[_Ref] = []
        carried = iter(next_ref)
        for _kind, olds, news, _moved, _sim in links:
            if news:
                merged += [_Ref(clauses[j], final[j]) for j in news]
            elif olds:
                merged.append(next(carried))
        return final, merged
    return final, [_Ref(c, ls) for c, ls in zip(clauses, final, strict=True)]


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
        postings = self.postings
        uniq = sorted(set(words), key=lambda w: (len(postings.get(w, ())), w))
        hits: Counter[int] = Counter()
        by_order: dict[int, _Dead] = {}
        for word in uniq[:RARE_WORDS]:
            posting = postings.get(word)
            if not posting:
                continue
            alive = [d for d in posting if self._alive(d)]
            postings[word] = alive
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
