"""Cross-language pairs in the HTML report: each clause beside its translation, in its language.

A cross-language comparison has no word-level changes (words differ everywhere), so a pair is
shown as two columns: the old version's clause with ``lang`` set to the old language, the new
version's with the new language (screen readers, hyphenation and font choice follow it). The
divergences the comparison found (numbers, negations, names on one side only) are marked on
both sides with ``<mark>`` and listed above the pair, with the pair's similarity.
"""

from __future__ import annotations

from html import escape
from typing import Any

from drafttrack.export.report import Row, clause_label, notes
from drafttrack.redline import Run, formatted
from drafttrack.wording import kind_word

CSS = """
.pair { margin: .55rem 0; padding: .15rem 0 .15rem .6rem; border-left: 3px solid transparent; }
.pair.added { border-left-color: var(--ins-fg); }
.pair.removed { border-left-color: var(--del-fg); }
.pair.modified, .pair.split, .pair.merged { border-left-color: #b06000; }
.pair.heading { font-weight: bold; margin-top: 1.1rem; }
.pair table.sides { width: 100%; border-collapse: collapse; table-layout: fixed; }
.pair table.sides td { vertical-align: top; width: 50%; padding: 0 .5rem 0 0; }
.pair table.sides td + td { padding: 0 0 0 .5rem; border-left: 1px solid #dadce0; }
.pair .absent { color: var(--mute); font-style: italic; }
.pair .about { font: .8rem "DejaVu Sans", Arial, sans-serif; color: var(--mute); }
mark.divergence { background: #feefc3; color: inherit; outline: 1px solid #b06000; }
table.langs { width: 100%; table-layout: fixed; font: .8rem "DejaVu Sans", Arial, sans-serif;
  color: var(--mute); border-collapse: collapse; }
"""

LEGEND = (
    '<p class="legend">Cross-language comparison: clauses are aligned by meaning, each '
    "old clause shown beside its counterpart in the new version; numbers, negations and names "
    'that differ are <mark class="divergence">marked</mark> on both sides.</p>'
)


def languages(report: dict[str, Any]) -> tuple[str, str]:
    """The (old, new) language codes of a cross-language report ("" where unknown)."""
    pair = list(report.get("languages") or ())[:2] + [None, None]
    return str(pair[0] or ""), str(pair[1] or "")


def column_heads(report: dict[str, Any]) -> str:
    """The two column titles above the pairs: each version's label and language."""
    cells = []
    for side, lang in zip(("Old", "New"), languages(report), strict=True):
        label = escape(report[side.lower()]["label"])
        code = escape(lang or "language unknown")
        cells.append(f"<td><strong>{side}</strong> {label} · {code}</td>")
    return f'<table class="langs"><tr>{"".join(cells)}</tr></table>'


def pair_html(row: Row, report: dict[str, Any]) -> str:
    """One cross-language change as a pair of columns (see the module docstring)."""
    change = row.change
    assert change is not None
    kind = change["kind"]
    about = []
    if kind != "unchanged":
        about.append(f'<span class="badge">{escape(kind_word(kind))}</span>')
    label = clause_label((change["new"] or change["old"])[0])
    if label:
        about.append(f'<span class="num">{escape(label)}</span>')
    paired = change["old"] and change["new"] and change.get("similarity") is not None
    if paired and not row.heading_level:
        about.append(f'<span class="about">similarity {float(change["similarity"]):.2f}</span>')
    flags = notes(change, old_text=False)
    if flags:
        about.append(f'<span class="flags">[{escape(", ".join(flags))}]</span>')
    cells = []
    for side, lang in zip(("old", "new"), languages(report), strict=True):
        attr = f' lang="{escape(lang)}"' if lang else ""
        cells.append(f'<td class="{side}"{attr}>{_side(change, side)}</td>')
    attrs = f'class="pair {kind}"'
    if row.heading_level:  # an <hN> may hold no table: the pair says it is a heading instead
        level = min(row.heading_level + 1, 6)
        attrs = f'class="pair {kind} heading" role="heading" aria-level="{level}"'
    return (
        f'<div {attrs} id="change-{row.index + 1}">'
        f"{''.join(about)}"
        f'<table class="sides"><tr>{"".join(cells)}</tr></table></div>'
    )


def _side(change: dict[str, Any], side: str) -> str:
    """One side's clauses, formatted, with that side's divergences marked."""
    clauses = change[side]
    if not clauses:
        return '<span class="absent" lang="en">(no counterpart)</span>'
    op = {"removed": "delete", "added": "insert"}.get(change["kind"], "equal")
    parts = []
    for k, clause in enumerate(clauses):
        runs = formatted(clause["text"], op)
        spans = _visible_spans(clause["text"], runs, change.get("divergences") or (), side, k)
        parts.append(_runs_html(runs, spans))
    return " ".join(parts)


def _visible_spans(
    raw: str, runs: list[Run], divergences: Any, side: str, k: int
) -> list[tuple[int, int, str]]:
    """The divergence spans of clause ``k`` of ``side`` in visible-text offsets, with titles.

    Spans are given in the clause's source text; where markup makes the visible text differ,
    the same occurrence of the span's text is looked up in the visible text."""
    visible = "".join(r.text for r in runs)
    other = "new" if side == "old" else "old"
    out = []
    for d in divergences:
        span = d.get(f"{side}_span")
        if not span or d.get(f"{side}_clause") != k:
            continue
        start, end = int(span[0]), int(span[1])
        piece = raw[start:end]
        if not piece:
            continue
        if visible != raw:
            nth = raw.count(piece, 0, start)
            start = -1
            for _ in range(nth + 1):
                start = visible.find(piece, start + 1)
                if start < 0:
                    break
            if start < 0:
                continue
            end = start + len(piece)
        title = f"{d['kind']}: {d.get(other) or 'nothing'} on the other side"
        out.append((start, end, title))
    return sorted(out)


_TAGS = {"strong": "strong", "em": "em", "strike": "s", "code": "code"}


def _runs_html(runs: list[Run], spans: list[tuple[int, int, str]]) -> str:
    """Runs as escaped HTML (formatting tags, a link as its text), ``spans`` in ``<mark>``."""
    out = []
    pos = 0
    for run in runs:
        cuts = sorted({0, len(run.text)} | {
            min(max(p - pos, 0), len(run.text)) for s, e, _ in spans for p in (s, e)
        })  # fmt: skip
        for a, b in zip(cuts, cuts[1:], strict=False):
            if a == b:
                continue
            body = escape(run.text[a:b])
            for mark in reversed(run.marks):
                if mark == "link":
                    body = f'<span class="ref" title="{escape(run.target or "")}">{body}</span>'
                elif mark in _TAGS:
                    body = f"<{_TAGS[mark]}>{body}</{_TAGS[mark]}>"
            title = next((t for s, e, t in spans if s <= pos + a and pos + b <= e), None)
            if title is not None:
                body = f'<mark class="divergence" title="{escape(title)}">{body}</mark>'
            if run.op == "insert":
                body = f"<ins>{body}</ins>"
            elif run.op == "delete":
                body = f"<del>{body}</del>"
            out.append(body)
        pos += len(run.text)
    return "".join(out)
