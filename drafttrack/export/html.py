"""The HTML report: one self-contained file (inline CSS, no scripts, no network requests).

A header with both versions' provenance and the summary, then the clause-level comparison
with word-level ``<ins>``/``<del>`` marks. Every piece of text is escaped; no URL is ever used
as a link or resource (source URLs are printed as text), so opening the file fetches nothing.
It prints on A4 and Letter alike: the page size is left to the printer, widths are relative.
"""

from __future__ import annotations

from html import escape
from typing import Any

from drafttrack.export import html_pairs
from drafttrack.export.report import (
    ExportOptions,
    Row,
    clause_label,
    notes,
    rows,
    summary_line,
    title_of,
    version_line,
    visible_runs,
    vouched,
    vouched_source,
)
from drafttrack.redline import Run, needs_gap
from drafttrack.wording import kind_word

CSS = """
:root { --ins: #e6f4ea; --ins-fg: #0b5d1e; --del: #fce8e6; --del-fg: #a50e0e; --mute: #5f6368; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Serif", Georgia, "Times New Roman", serif; font-size: 11pt;
  line-height: 1.45; color: #202124; background: #fff; }
body { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
.doc-title { margin: 0 0 1rem; color: var(--mute); }
table.versions { border-collapse: collapse; width: 100%; margin: 0 0 .75rem; font-size: .92rem; }
table.versions th { text-align: left; vertical-align: top; padding: .3rem .6rem .3rem 0;
  width: 4.5rem; color: var(--mute); font-weight: normal; }
table.versions td { padding: .3rem 0; border-top: 1px solid #dadce0; }
.summary { font-weight: bold; margin: .5rem 0; }
.legend { font-size: .85rem; color: var(--mute); margin: 0 0 1.25rem; }
main { border-top: 2px solid #202124; padding-top: .5rem; }
.clause { margin: .45rem 0; padding: .15rem 0 .15rem .6rem; border-left: 3px solid transparent; }
.clause.added { border-left-color: var(--ins-fg); }
.clause.removed { border-left-color: var(--del-fg); }
.clause.modified, .clause.split, .clause.merged { border-left-color: #b06000; }
.clause.unchanged { color: #3c4043; }
h2.clause, h3.clause, h4.clause, h5.clause, h6.clause { margin: 1.1rem 0 .3rem; }
.num { font-weight: bold; margin-right: .35rem; }
.badge { display: inline-block; font: .72rem/1.4 "DejaVu Sans", Arial, sans-serif;
  text-transform: uppercase; letter-spacing: .03em; padding: 0 .3rem; margin-right: .4rem;
  border: 1px solid currentColor; border-radius: 3px; vertical-align: .1em; color: var(--mute); }
.path { font: .78rem "DejaVu Sans", Arial, sans-serif; color: var(--mute); margin-top: .7rem; }
.flags { font: italic .85rem "DejaVu Sans", Arial, sans-serif; color: #b06000; margin-left: .3rem; }
ins { background: var(--ins); color: var(--ins-fg); text-decoration: underline; }
del { background: var(--del); color: var(--del-fg); text-decoration: line-through; }
.ref { text-decoration: underline dotted; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .92em; }
.meta { font-size: .85rem; color: var(--mute); }
.gap { color: var(--mute); font-style: italic; margin: .6rem 0; }
footer { margin-top: 2rem; font-size: .8rem; color: var(--mute); }
@page { margin: 16mm 15mm; }
@media print {
  html { font-size: 10pt; }
  body { max-width: none; padding: 0; }
  .clause, table.versions tr { break-inside: avoid; }
  h1, h2, h3, h4, h5, h6, .path { break-after: avoid; }
  ins, del, .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""
VOUCHED_CSS = """
.vouched { margin: -.2rem 0 .6rem .9rem; padding: .1rem 0 .1rem .6rem;
  border-left: 2px solid #1a73e8; font: .85rem/1.4 "DejaVu Sans", Arial, sans-serif;
  break-inside: avoid; }
.vouched ul { margin: .1rem 0; padding-left: 1rem; }
.vouched .src { color: var(--mute); }
"""
"""Styles of the report sentences under a clause, added only to a report that has some."""


def render_html(report: dict[str, Any], options: ExportOptions, *, extra_css: str = "") -> str:
    """The report as one HTML document (a string)."""
    title = title_of(report, options)
    old, new = report["old"], report["new"]
    paired = report.get("mode") == "cross-language"
    if paired:
        extra_css = html_pairs.CSS + extra_css
    if options.evidence:
        extra_css = VOUCHED_CSS + extra_css
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="drafttrack">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}{extra_css}</style></head><body>",
        f"<header><h1>{escape(title)}</h1>",
    ]
    if options.document_title:
        out.append(f'<p class="doc-title">{escape(options.document_title)}</p>')
    out.append('<table class="versions">')
    for side, version in (("Old", old), ("New", new)):
        out.append(
            f"<tr><th>{side}</th><td><strong>{escape(version['label'])}</strong> "
            f'<span class="meta">(version {escape(str(version["id"]))}, '
            f"no. {escape(str(version.get('position', '?')))} in draft order)</span><br>"
            f"{escape(version_line(version))}</td></tr>"
        )
    out.append("</table>")
    out.append(f'<p class="summary">{escape(summary_line(report))}</p>')
    if paired:
        out.append(html_pairs.LEGEND + "</header><main>" + html_pairs.column_heads(report))
    else:
        out.append(
            '<p class="legend">Inserted text is <ins>underlined</ins>, deleted text '
            "<del>struck through</del>; removed clauses are shown where they stood.</p>"
            "</header><main>"
        )
    for row in rows(report, options):
        if row.change is None:
            plural = "s" if row.skipped != 1 else ""
            out.append(f'<p class="gap">… {row.skipped} unchanged clause{plural} not shown</p>')
            continue
        if row.crumb:
            out.append(f'<div class="path">{escape(" › ".join(row.path))}</div>')
        out.append(html_pairs.pair_html(row, report) if paired else _row(row))
        items = vouched(options, row)
        if items:
            out.append(_vouched_html(items, report, row.index + 1))
    out.append(
        "</main><footer>drafttrack report of "
        f"{escape(report['document'])}: version {escape(str(old['id']))} → "
        f"{escape(str(new['id']))}.</footer></body></html>"
    )
    return "\n".join(out) + "\n"


def _row(row: Row) -> str:
    change = row.change
    assert change is not None
    kind = change["kind"]
    clause = (change["new"] or change["old"])[0]
    label = clause_label(clause)
    parts = []
    if kind != "unchanged":
        parts.append(f'<span class="badge">{escape(kind_word(kind))}</span>')
    if label:
        parts.append(f'<span class="num">{escape(label)}</span>')
    parts.append(_marked(visible_runs(change)))
    flags = notes(change)
    if flags:
        parts.append(f'<span class="flags">[{escape(", ".join(flags))}]</span>')
    body = "".join(parts)
    anchor = f'id="change-{row.index + 1}"'
    if row.heading_level:
        level = min(row.heading_level + 1, 6)
        return f'<h{level} class="clause {kind}" {anchor}>{body}</h{level}>'
    return f'<div class="clause {kind}" {anchor}>{body}</div>'


def _vouched_html(items: list[Any], report: dict[str, Any], number: int) -> str:
    """The report sentences vouching for change ``number``, each with its outlet and chain."""
    lis = []
    for item in items:
        lang = f' lang="{escape(str(item["language"]))}"' if item.get("language") else ""
        source = escape(vouched_source(item, report))
        sentence = escape(str(item.get("sentence") or ""))
        lis.append(f'<li><q{lang}>{sentence}</q> <span class="src">— {source}</span></li>')
    plural = "" if len(items) == 1 else "s"
    return (f'<div class="vouched" id="reported-{number}"><span class="badge">reported</span>'
            f"{len(items)} report sentence{plural}:<ul>{''.join(lis)}</ul></div>")  # fmt: skip


_MARK_TAGS = {"strong": "strong", "em": "em", "strike": "s", "code": "code", "link": "span"}


def _marked(runs: list[Run]) -> str:
    """Runs as escaped HTML: <ins>/<del>, formatting tags, a link as its text (its target in
    the title, never a live link); a space between a deletion and the insertion after it."""
    out = []
    previous = None
    for run in runs:
        if needs_gap(previous, run):
            out.append(" ")
        previous = run
        body = escape(run.text)
        for mark in reversed(run.marks):
            tag = _MARK_TAGS.get(mark)
            if tag == "span":
                body = f'<span class="ref" title="{escape(run.target or "")}">{body}</span>'
            elif tag:
                body = f"<{tag}>{body}</{tag}>"
        if run.op == "insert":
            out.append(f"<ins>{body}</ins>")
        elif run.op == "delete":
            out.append(f"<del>{body}</del>")
        else:
            out.append(body)
    return "".join(out)
