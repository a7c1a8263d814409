"""What an aligned pair of clauses says differently, beyond what its similarity shows.

Three explicit checks, since embeddings hardly move when a number or a negation changes:

- ``number``: the numbers of each side (:mod:`numbers`: digits in any locale format, number
  words, dates, amounts, percentages, article and paragraph references) matched by value; each
  left over on one side is a divergence, paired in reading order with one left over on the other
  side where there is one (``30`` → ``90``), else one-sided (``30`` → nothing).
- ``negation``: one side negates and the other does not (:mod:`negation`).
- ``entity``: a country or organisation named on one side only (:mod:`entities`).

Each divergence carries the text and span (``[start, end)`` character offsets into the clause
``text``) on each side, and which clause of the pair (index into the change's ``old`` / ``new``
lists) the span is in; the side that lacks the thing has ``null`` text, span and clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from drafttrack.crosslang.entities import mentions
from drafttrack.crosslang.negation import negation_cues
from drafttrack.crosslang.numbers import Number, numbers

Span = tuple[int, int, int]
"""(clause index within the pair's side, start, end)."""


@dataclass(frozen=True, slots=True)
class Divergence:
    """One thing an aligned pair says differently."""

    kind: str
    """number | negation | entity."""
    old: str | None
    new: str | None
    old_span: Span | None
    new_span: Span | None
    detail: str = ""
    """For numbers: number | percent | date | amount | reference; for entities: the entity."""

    def to_json(self) -> dict[str, Any]:
        """The contract's divergence object, with spans."""
        return {
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "detail": self.detail,
            "old_clause": self.old_span[0] if self.old_span else None,
            "old_span": list(self.old_span[1:]) if self.old_span else None,
            "new_clause": self.new_span[0] if self.new_span else None,
            "new_span": list(self.new_span[1:]) if self.new_span else None,
        }


_HIDDEN = re.compile(
    r"<[a-z][a-z0-9+.-]*:[^<>\s]*>|\b(?:https?|ftp|mailto):[^\s<>()\[\]]+|www\.[^\s<>()\[\]]+"
    r"|(?<=\])\[[^\[\]]*\]|(?<=\])\([^()\s]*(?:\s+\"[^\"]*\")?\)|^\[[^\]]+\]:\s*\S+",
    re.I | re.M,
)


def masked(text: str) -> str:
    """``text`` with what a reader does not read as prose blanked out, offsets kept: link
    targets and reference labels (``[v2.0]``), URLs (``…/version/2/0/…``)."""
    return _HIDDEN.sub(lambda m: " " * len(m.group()), text)


def divergences(
    old: Sequence[str], new: Sequence[str], old_lang: str | None, new_lang: str | None
) -> list[Divergence]:
    """The divergences between the clause texts ``old`` and ``new`` of one aligned pair."""
    old, new = [masked(t) for t in old], [masked(t) for t in new]
    return [
        *_numbers(old, new, old_lang, new_lang),
        *_negation(old, new, old_lang, new_lang),
        *_entities(old, new),
    ]


def _numbers(old: Sequence[str], new: Sequence[str], old_lang: str | None,
             new_lang: str | None) -> list[Divergence]:  # fmt: skip
    a = [(k, n) for k, t in enumerate(old) for n in numbers(t, old_lang)]
    b = [(k, n) for k, t in enumerate(new) for n in numbers(t, new_lang)]
    used: set[int] = set()
    left_a = []
    for k, n in a:
        hit = next((x for x, (_, m) in enumerate(b) if x not in used and _same(n, m)), None)
        if hit is None:
            left_a.append((k, n))
        else:
            used.add(hit)
    left_b = [(k, n) for x, (k, n) in enumerate(b) if x not in used]
    left_a = [(k, n) for k, n in left_a if not n.weak]
    left_b = [(k, n) for k, n in left_b if not n.weak]
    out = []
    for x in range(max(len(left_a), len(left_b))):
        sa = left_a[x] if x < len(left_a) else None
        sb = left_b[x] if x < len(left_b) else None
        detail = (sa or sb)[1].detail  # type: ignore[index]
        out.append(Divergence(
            "number",
            old[sa[0]][sa[1].start : sa[1].end] if sa else None,
            new[sb[0]][sb[1].start : sb[1].end] if sb else None,
            (sa[0], sa[1].start, sa[1].end) if sa else None,
            (sb[0], sb[1].start, sb[1].end) if sb else None,
            detail,
        ))  # fmt: skip
    return out


def _same(a: Number, b: Number) -> bool:
    return abs(a.value - b.value) <= 1e-9 * max(1.0, abs(a.value))


def _negation(old: Sequence[str], new: Sequence[str], old_lang: str | None,
              new_lang: str | None) -> list[Divergence]:  # fmt: skip
    a = [(k, c) for k, t in enumerate(old) for c in negation_cues(t, old_lang)]
    b = [(k, c) for k, t in enumerate(new) for c in negation_cues(t, new_lang)]
    if bool(a) == bool(b):
        return []
    ka, ca = a[0] if a else (0, None)
    kb, cb = b[0] if b else (0, None)
    return [Divergence(
        "negation",
        ca.word if ca else None,
        cb.word if cb else None,
        (ka, ca.start, ca.end) if ca else None,
        (kb, cb.start, cb.end) if cb else None,
    )]  # fmt: skip


def _entities(old: Sequence[str], new: Sequence[str]) -> list[Divergence]:
    a = {m.entity: (k, m) for k, t in reversed(list(enumerate(old))) for m in mentions(t)}
    b = {m.entity: (k, m) for k, t in reversed(list(enumerate(new))) for m in mentions(t)}
    out = []
    for entity, (k, m) in a.items():
        if entity not in b:
            out.append(Divergence("entity", old[k][m.start : m.end], None,
                                  (k, m.start, m.end), None, entity))  # fmt: skip
    for entity, (k, m) in b.items():
        if entity not in a:
            out.append(Divergence("entity", None, new[k][m.start : m.end], None,
                                  (k, m.start, m.end), entity))  # fmt: skip
    return out
