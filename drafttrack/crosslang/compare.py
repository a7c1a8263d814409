"""Two versions in different languages compared clause by clause (``diff`` in cross-language
mode): the changes of the diff contract, built from the alignment and the divergences.

Kinds: a 1-1 pair is ``unchanged`` (a faithful rendering) unless it has divergences or its
calibrated similarity is below :data:`DOUBTFUL`, then ``modified``; 2-1 is ``merged``, 1-2
``split``; unpaired clauses are ``removed`` (the new text lacks them) or ``added``. A pair the
leftover pass found is ``moved``; a pair whose clause numbers differ (where both texts are
numbered) is ``renumbered``. No word-level operations: words of two languages do not compare.
"""

from __future__ import annotations

from collections.abc import Sequence

from drafttrack.compare import Comparison
from drafttrack.crosslang.align import Link, Params, align_scores, anchor_keys
from drafttrack.crosslang.divergence import divergences
from drafttrack.crosslang.merges import confirm_merges
from drafttrack.crosslang.scoring import Scores, calibrated
from drafttrack.crosslang.vectors import Vectors, clause_text
from drafttrack.model import Change, ChangeKind, Clause

DOUBTFUL = 0.5
"""A pair whose calibrated similarity is below this is reported as ``modified``."""


def compare_across(
    old: Sequence[Clause],
    new: Sequence[Clause],
    languages: tuple[str | None, str | None],
    vectors: Vectors,
    params: Params = Params(),  # noqa: B008 - frozen
) -> Comparison:
    """Compare ``old`` (in ``languages[0]``) with ``new`` (in ``languages[1]``)."""
    links = align_clauses(old, new, vectors, params)
    changes = [pair_change(link, old, new, languages) for link in links]
    return Comparison(changes, languages=languages)


def align_clauses(
    old: Sequence[Clause],
    new: Sequence[Clause],
    vectors: Vectors,
    params: Params = Params(),  # noqa: B008
) -> list[Link]:
    """The alignment of two clause lists (embedded in one batch, through ``vectors``)."""
    texts = [clause_text(c) for c in old] + [clause_text(c) for c in new]
    matrix = vectors(texts)
    scores = Scores(
        matrix[: len(old)],
        matrix[len(old) :],
        old_headings=[c.kind == "heading" for c in old],
        new_headings=[c.kind == "heading" for c in new],
        old_lengths=[len(t) for t in texts[: len(old)]],
        new_lengths=[len(t) for t in texts[len(old) :]],
    )
    old_keys = anchor_keys([c.numbering for c in old])
    new_keys = anchor_keys([c.numbering for c in new])
    links = align_scores(scores, old_keys, new_keys, params)
    return confirm_merges(links, texts[: len(old)], texts[len(old) :], scores, vectors)


def pair_change(link: Link, old: Sequence[Clause], new: Sequence[Clause],
            languages: tuple[str | None, str | None]) -> Change:  # fmt: skip
    olds = [old[i] for i in link.old]
    news = [new[j] for j in link.new]
    if not olds:
        return Change("added", [], news, similarity=0.0, divergences=[])
    if not news:
        return Change("removed", olds, [], similarity=0.0, divergences=[])
    similarity = calibrated(link.margin)
    found = [d.to_json() for d in divergences(
        [c.text for c in olds], [c.text for c in news], languages[0], languages[1]
    )]  # fmt: skip
    kind: ChangeKind
    if len(olds) > 1:
        kind = "merged"
    elif len(news) > 1:
        kind = "split"
    else:
        kind = "modified" if found or similarity < DOUBTFUL else "unchanged"
    renumbered = _renumbered(olds, news)
    return Change(kind, olds, news, moved=link.moved, renumbered=renumbered,
                  similarity=similarity, divergences=found)  # fmt: skip


def _renumbered(olds: list[Clause], news: list[Clause]) -> bool:
    a = anchor_keys([olds[0].numbering])[0]
    b = anchor_keys([news[0].numbering])[0]
    return a is not None and b is not None and a != b
