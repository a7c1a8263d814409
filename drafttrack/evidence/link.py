"""Each sentence of a report linked to the clauses it quotes or paraphrases, with
``quote``'s attribution (lexical for the same language, embeddings across languages).

Per sentence, the attributor is asked about each quotation-marked span (three words or more) and
about the sentence itself (the part after its reporting cue, when it has one). A link is:

- ``quoted`` — a quotation-marked span scores at least ``QUOTE_SURE`` against the clause (or
  ``QUOTE_LOW`` while leading every other clause lineage by ``MARGIN``);
- ``paraphrased`` — the sentence scores at least ``PARAPHRASE_SURE`` (or ``PARAPHRASE_LOW``
  with that lead);
- ``mentions`` — weak: a sentence that claims wording (a quotation or a cue) scores at least
  ``MENTION_MIN`` but less than a paraphrase; shown as a hint, never counted as evidence.

Below that a sentence stays unlinked; one that claims wording is then ``claim_unmatched``:
reported wording no stored version holds. The thresholds were chosen on the tuning seeds of
``bench/bench_reports.py`` (the figures are reported on other seeds) and are tested both ways
(a real paraphrase links, filler and foreign clauses do not) in ``tests/test_evidence_engine.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from drafttrack.evidence.cues import (
    content_after_cue,
    cue,
    is_boilerplate,
    is_speaker_quote,
    quoted_spans,
)
from drafttrack.evidence.sentences import Sentence, split_sentences
from drafttrack.quote import MAX_QUOTE_CHARS, Attributor, Match

Kind = Literal["quoted", "paraphrased", "mentions"]

QUOTE_SURE = 0.60
"""Score from which a quotation-marked span is taken to quote a clause outright. Same-language
quotes score 0.9–1.0 (lexical); quotes in translation a median of 0.57 (semantic), while a
quotation of wording that is in no version reaches 0.56 at the 95th percentile (tuning seeds
1–2 of ``bench/bench_reports.py``)."""

PARAPHRASE_SURE = 0.60
"""Score from which a whole sentence is taken to paraphrase a clause outright. A sentence
carries words of its own around the reported content; its right clause scores a median of 0.61,
news filler at most 0.41, but claims of wording in no version reach 0.60 at the 95th
percentile (their near twins among the stored clauses)."""

QUOTE_LOW, PARAPHRASE_LOW, MARGIN = 0.40, 0.40, 0.10
"""Below the sure scores a link is still made when the best clause lineage scores at least the
low score and leads the next lineage by ``MARGIN``. In translation the right clause often scores
only 0.4–0.5 but leads by a median of 0.13–0.16, while filler leads by 0.02 and unmatched claims
by 0.03 (95th percentile 0.09–0.12 and 0.12–0.21). On the tuning seeds this grid point
gave link precision 0.948, recall 0.71, unmatched-claim recall 0.87; a margin of 0.08 gave recall
0.77 at precision 0.946 and unmatched recall 0.86, 0.12 recall 0.65 at precision 0.950."""

SAME_WORDING_MARGIN = 0.05

MENTION_MIN = 0.40
"""Weakest score shown at all (as ``mentions``), and only for a sentence that claims wording."""

MULTI_MARGIN = 0.06
"""A sentence also links a further clause scoring within this of its best one (a sentence that
reports two provisions), up to ``MAX_LINKS``."""

MAX_LINKS = 3
MIN_SENTENCE_WORDS = 6
"""Shorter sentences (datelines such as "Paris, 7. Januar 2026.", whose place and date alone
would match a preamble) are not matched as paraphrases."""
TOP = 12
"""Matches asked per query: enough to see the second-best lineage past a clause's wordings."""


@dataclass(slots=True)
class Link:
    """One clause a sentence vouches for."""

    match: Match
    kind: Kind
    lacking: list[str]
    """Labels of the document's versions whose text lacks this wording, in draft order."""
    versions: list[str] = field(default_factory=list)
    """Labels of the versions holding it (this wording, or one of the same lineage that the
    sentence cannot tell from it), in draft order."""

    def to_json(self) -> dict[str, Any]:
        """The contract's link object (with the document and the matcher added)."""
        e = self.match.entry
        return {
            "document": e.document, "key": e.key, "number": e.number, "path": list(e.path),
            "text": e.text, "versions": list(self.versions), "lacking": list(self.lacking),
            "score": round(self.match.score, 4), "kind": self.kind,
            "matcher": self.match.matcher,
        }  # fmt: skip


@dataclass(slots=True)
class Linked:
    """One sentence of a report with what it vouches for."""

    sentence: Sentence
    links: list[Link] = field(default_factory=list)
    claim: bool = False
    """It states what a draft contained (a quotation of the draft, or a reporting cue)."""
    boilerplate: bool = False
    quotes: list[str] = field(default_factory=list)
    best: dict[str, tuple[float, str, float]] = field(default_factory=dict)
    """Per query kind (``quote``, ``sentence``), the best score, its clause key and its lead
    over the next lineage, linked or not (for tuning and diagnostics)."""

    @property
    def claim_unmatched(self) -> bool:
        """A claim of wording that no stored clause matches (``mentions`` does not count)."""
        return self.claim and not any(k.kind != "mentions" for k in self.links)

    def to_json(self) -> dict[str, Any]:
        """The contract's sentence object (with ``claim``, ``boilerplate``, ``heading``)."""
        s = self.sentence
        return {
            "index": s.index, "text": s.text, "start": s.start, "end": s.end,
            "links": [k.to_json() for k in self.links],
            "claim_unmatched": self.claim_unmatched, "claim": self.claim,
            "boilerplate": self.boilerplate, "heading": s.heading, "quotes": list(self.quotes),
        }  # fmt: skip


def link_report(
    text: str,
    language: str | None,
    attributor: Attributor,
    versions_of: Callable[[str], Sequence[str]],
) -> list[Linked]:
    """Every sentence of ``text`` with its links; ``versions_of(document)`` gives the labels of
    a document's versions in draft order (to list those lacking a linked wording)."""
    sentences = split_sentences(text, language)
    results = [_prepare(s) for s in sentences]
    queries: list[tuple[int, str, str]] = []  # (sentence, "quote" | "sentence", text)
    for i, (linked, body) in enumerate(results):
        if linked.boilerplate:
            continue
        queries.extend((i, "quote", q) for q in linked.quotes)
        if body is not None:
            queries.append((i, "sentence", body))
    asked = [q for _, _, q in queries]
    # the report's vectors are kept: linking it again (each show of it) embeds nothing
    answers = attributor.attribute_many(asked, TOP, remember=True) if queries else []
    by_sentence: dict[int, list[tuple[str, list[Match]]]] = {}
    for (i, what, _), matches in zip(queries, answers, strict=True):
        by_sentence.setdefault(i, []).append((what, matches))
    out = []
    for i, (linked, _) in enumerate(results):
        linked.links = _links(by_sentence.get(i, []), linked, versions_of)
        out.append(linked)
    return out


def _prepare(sentence: Sentence) -> tuple[Linked, str | None]:
    """The sentence's claim marks and the text to match it by (None: too short to match)."""
    text = sentence.text
    if is_boilerplate(text):
        return Linked(sentence, boilerplate=True), None
    quotes = [q.text[:MAX_QUOTE_CHARS] for q in quoted_spans(text)]
    found = cue(text)
    speaker_only = bool(quotes) and found is None and is_speaker_quote(text)
    claim = not sentence.heading and (found is not None or (bool(quotes) and not speaker_only))
    body: str | None = content_after_cue(text, found) if found else text
    if len(text.split()) < MIN_SENTENCE_WORDS:
        body = None
    elif body is not None:
        body = body[:MAX_QUOTE_CHARS]
    if body is not None and not any(ch.isalnum() for ch in body):
        body = None
    return Linked(sentence, claim=claim, quotes=quotes), body


def _links(
    answers: list[tuple[str, list[Match]]],
    linked: Linked,
    versions_of: Callable[[str], Sequence[str]],
) -> list[Link]:
    chosen: dict[tuple[str, str], tuple[Match, Kind, set[str]]] = {}
    for what, matches in answers:
        lineages = _by_lineage(matches, versions_of)
        if not lineages:
            continue
        best, _ = lineages[0]
        gap = best.score - (lineages[1][0].score if len(lineages) > 1 else 0.0)
        if best.score > linked.best.get(what, (0.0, "", 0.0))[0]:
            linked.best[what] = (best.score, best.entry.key, gap)
        sure, low = (
            (QUOTE_SURE, QUOTE_LOW) if what == "quote" else (PARAPHRASE_SURE, PARAPHRASE_LOW)
        )
        kind: Kind = "quoted" if what == "quote" else "paraphrased"
        if best.score < sure and not (best.score >= low and gap >= MARGIN):
            continue
        for rank, (match, versions) in enumerate(lineages):
            if rank and (match.score < sure or match.score < best.score - MULTI_MARGIN):
                break
            _keep(chosen, match, kind, versions)
    if not any(kind != "mentions" for _, kind, _ in chosen.values()) and linked.claim:
        tops = [ls[0] for _, ms in answers if (ls := _by_lineage(ms, versions_of))]
        weak = [mv for mv in tops if mv[0].score >= MENTION_MIN]
        if weak:
            match, versions = max(weak, key=lambda mv: mv[0].score)
            _keep(chosen, match, "mentions", versions)
    ranked = sorted(chosen.values(), key=lambda mk: (_RANK[mk[1]], -mk[0].score))[:MAX_LINKS]
    out = []
    for match, kind, versions in ranked:
        order = list(versions_of(match.entry.document))
        held = [label for label in order if label in versions]
        held += sorted(v for v in versions if v not in order)
        out.append(Link(match, kind, [label for label in order if label not in versions], held))
    return out


def _by_lineage(
    matches: list[Match], versions_of: Callable[[str], Sequence[str]]
) -> list[tuple[Match, set[str]]]:
    """Matches grouped by clause lineage, best first: each lineage's best match, with the
    versions of it and of the same lineage's other wordings scoring within
    ``SAME_WORDING_MARGIN`` (a translation cannot tell "shall support" from "commits to
    support": both versions hold what it reports). Of those wordings the latest in draft order
    is shown, at the best score."""
    groups: dict[tuple[str, str], tuple[Match, set[str]]] = {}
    for m in matches:
        key = (m.entry.document, m.entry.key)
        if key not in groups:
            groups[key] = (m, set(m.entry.versions))
        elif m.score >= groups[key][0].score - SAME_WORDING_MARGIN:
            best, versions = groups[key]
            versions.update(m.entry.versions)
            order = {label: i for i, label in enumerate(versions_of(m.entry.document))}
            if _latest(m, order) > _latest(best, order):
                groups[key] = (Match(m.entry, best.score, best.matcher), versions)
    return sorted(groups.values(), key=lambda mv: -mv[0].score)


def _latest(match: Match, order: dict[str, int]) -> int:
    return max((order.get(label, -1) for label in match.entry.versions), default=-1)


_RANK = {"quoted": 0, "paraphrased": 1, "mentions": 2}


def _keep(
    chosen: dict[tuple[str, str], tuple[Match, Kind, set[str]]],
    match: Match,
    kind: Kind,
    versions: set[str],
) -> None:
    """Keep the best evidence per clause lineage: a quotation beats a paraphrase."""
    key = (match.entry.document, match.entry.key)
    old = chosen.get(key)
    if old is None or (_RANK[kind], -match.score) < (_RANK[old[1]], -old[0].score):
        chosen[key] = (match, kind, versions)
