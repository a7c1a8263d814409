"""Clauses removed from a complete version, kept so that one coming back is its lineage again."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from drafttrack.align import (
    CANDIDATES,
    COMMON_POSTING,
    SHORT_WORDS,
    SIMILAR_SHORT,
    body,
    match_key_of_body,
    rarest,
)
from drafttrack.model import Clause

REAPPEAR = 0.7
"""Similarity (0..1) a new clause needs to a removed clause's last text to be that lineage back."""


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
