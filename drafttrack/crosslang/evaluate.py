"""Evaluation of cross-language comparison on seeded edits of parallel texts (bench and tests).

For each paragraph-parallel pair (the English original and a translation) and each seed, the
translation is edited (:mod:`seeded`) and compared with the original; the result is scored
against the known alignment: link precision/recall/F1, missing- and inserted-clause detection,
moved clauses, merges recovered, and the number and negation divergences (recall on seeded
changes, false-flag rate on the other correctly aligned pairs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from drafttrack.crosslang.align import Link, Params
from drafttrack.crosslang.compare import align_clauses, pair_change
from drafttrack.crosslang.seeded import Seeded, seed_edits
from drafttrack.crosslang.vectors import Vectors
from drafttrack.model import Clause
from drafttrack.numbering import split_number


@dataclass(slots=True)
class Tally:
    """Counts over runs; :meth:`figures` turns them into rates."""

    counts: dict[str, int] = field(default_factory=dict)
    margins: list[tuple[float, bool]] = field(default_factory=list)
    """(margin, right) of every predicted 1-1 link: data for the calibration."""

    def add(self, name: str, value: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + value

    def merge(self, other: Tally) -> None:
        for name, value in other.counts.items():
            self.add(name, value)
        self.margins.extend(other.margins)

    def figures(self) -> dict[str, float]:
        c = self.counts.get

        def ratio(a: str, b: str) -> float:
            return c(a, 0) / c(b, 0) if c(b, 0) else float("nan")

        p, r = ratio("link_tp", "link_pred"), ratio("link_tp", "link_gold")
        return {
            "link_p": p,
            "link_r": r,
            "link_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "missing_p": ratio("miss_tp", "miss_pred"),
            "missing_r": ratio("miss_tp", "miss_gold"),
            "inserted_p": ratio("ins_tp", "ins_pred"),
            "inserted_r": ratio("ins_tp", "ins_gold"),
            "moved_p": ratio("move_tp", "move_pred"),
            "moved_r": ratio("move_tp", "move_gold"),
            "merges": ratio("merge_tp", "merge_gold"),
            "digits_r": ratio("digits_tp", "digits_gold"),
            "words_r": ratio("words_tp", "words_gold"),
            "number_false": ratio("number_fp", "number_neg"),
            "negation_r": ratio("neg_tp", "neg_gold"),
            "negation_false": ratio("neg_fp", "neg_neg"),
        }


def clauses(texts: Sequence[str]) -> list[Clause]:
    """Unnumbered clauses of plain paragraphs (headings keep their ``#`` marks out)."""
    out = []
    for i, t in enumerate(texts):
        heading = t.startswith("#")
        text = t.lstrip("# ").strip() if heading else t
        number, _ = split_number(text)
        kind = "heading" if heading else "paragraph"
        out.append(Clause(f"c{i}", number, (), text, kind, numbering=(number,) if number else ()))
    return out


def score_run(
    seeded: Seeded,
    language: str,
    vectors: Vectors,
    params: Params = Params(),  # noqa: B008
) -> Tally:
    """Compare the seeded pair and count what was found against what was done."""
    old = clauses(seeded.original)
    new = clauses([it.text for it in seeded.items])
    links = align_clauses(old, new, vectors, params)
    return score_links(seeded, links, old, new, language)


def score_links(seeded: Seeded, links: list[Link], old: list[Clause], new: list[Clause],
                language: str) -> Tally:  # fmt: skip
    t = Tally()
    gold = {(i, j) for j, it in enumerate(seeded.items) for i in it.gold}
    pred = {(i, j) for link in links for i in link.old for j in link.new}
    t.add("link_gold", len(gold))
    t.add("link_pred", len(pred))
    t.add("link_tp", len(gold & pred))
    missing = {link.old[0] for link in links if not link.new}
    t.add("miss_gold", len(seeded.dropped))
    t.add("miss_pred", len(missing))
    t.add("miss_tp", len(missing & seeded.dropped))
    inserted_gold = {j for j, it in enumerate(seeded.items) if not it.gold}
    inserted = {link.new[0] for link in links if not link.old}
    t.add("ins_gold", len(inserted_gold))
    t.add("ins_pred", len(inserted))
    t.add("ins_tp", len(inserted & inserted_gold))
    moved_gold = {(it.gold[0], j) for j, it in enumerate(seeded.items) if it.moved}
    moved = {(link.old[0], link.new[0]) for link in links if link.moved}
    t.add("move_gold", len(moved_gold))
    t.add("move_pred", len(moved))
    t.add("move_tp", len(moved & moved_gold))
    for j, it in enumerate(seeded.items):
        if len(it.gold) == 2:
            t.add("merge_gold")
            t.add("merge_tp", any(link.old == it.gold and link.new == (j,) for link in links))
    for link in links:
        if len(link.old) != 1 or len(link.new) != 1:
            continue
        i, j = link.old[0], link.new[0]
        item = seeded.items[j]
        right = item.gold == (i,)
        t.margins.append((link.margin, right))
        if not right:
            continue
        change = pair_change(link, old, new, ("en", language))
        kinds = {d["kind"] for d in change.divergences or ()}
        if item.number in ("digits", "words"):
            t.add(f"{item.number}_gold")
            t.add(f"{item.number}_tp", "number" in kinds)
        else:
            t.add("number_neg")
            t.add("number_fp", "number" in kinds)
        if item.negated:
            t.add("neg_gold")
            t.add("neg_tp", "negation" in kinds)
        else:
            t.add("neg_neg")
            t.add("neg_fp", "negation" in kinds)
    return t


def run(
    pairs: Sequence[tuple[str, str, list[str], list[str], list[str], list[str]]],
    seeds: Sequence[int],
    vectors: Vectors,
    params: Params = Params(),  # noqa: B008
) -> dict[str, Tally]:
    """Tallies per language and overall (``"all"``) over ``pairs`` × ``seeds``.

    A pair is (language, release, translation, original, spares, older)."""
    out: dict[str, Tally] = {"all": Tally()}
    for lang, _release, translated, original, spares, older in pairs:
        for seed in seeds:
            seeded = seed_edits(original, translated, lang, spares, older, seed)
            tally = score_run(seeded, lang, vectors, params)
            out.setdefault(lang, Tally()).merge(tally)
            out["all"].merge(tally)
    return out
