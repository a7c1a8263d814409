"""The Markdown report with CriticMarkup: ``{++ ++}``, ``{-- --}``, ``{~~ ~> ~~}``, ``{>> <<}``.

A provenance header (both versions, their sources and dates, the summary), then the clauses in
reading order of the newer version; a deletion followed by an insertion becomes a substitution,
and flags (moved, renumbered, editorial) become CriticMarkup comments.
"""

from __future__ import annotations

import re
from typing import Any

from drafttrack.export.report import (
    ExportOptions,
    clause_label,
    notes,
    rows,
    segments,
    summary_line,
    title_of,
    version_line,
    vouched,
    vouched_source,
)

_SCRIPT_LINK = re.compile(r"\]\(\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)


def inert(text: str) -> str:
    """Text from a draft or its provenance, made inert for any Markdown renderer.

    ``<`` becomes ``&lt;`` (which renders as ``<``), so no raw HTML survives, and a link whose
    destination is a ``javascript:``/``vbscript:``/``data:`` URL loses its scheme's colon.
    """
    text = text.replace("<", "&lt;")
    return _SCRIPT_LINK.sub(lambda m: f"]({m.group(1)}&#58;", text)


def _critic(runs: list[tuple[str, str]]) -> str:
    runs = [(op, inert(text)) for op, text in runs]
    out: list[str] = []
    i = 0
    while i < len(runs):
        op, text = runs[i]
        if op == "delete" and i + 1 < len(runs) and runs[i + 1][0] == "insert":
            out.append(f"{{~~{text}~>{runs[i + 1][1]}~~}}")
            i += 2
            continue
        if op == "delete":
            out.append(f"{{--{text}--}}")
        elif op == "insert":
            out.append(f"{{++{text}++}}")
        else:
            out.append(text)
        i += 1
    return "".join(out)


def render_markdown(report: dict[str, Any], options: ExportOptions) -> str:
    """The report as Markdown with CriticMarkup."""
    title = title_of(report, options)
    old, new = report["old"], report["new"]
    out = [f"# {inert(title)}", ""]
    if options.document_title:
        out += [f"*{inert(options.document_title)}*", ""]
    for side, version in (("Old", old), ("New", new)):
        out.append(
            f"- **{side}:** {inert(version['label'])} (version {version['id']}, "
            f"no. {version.get('position', '?')} in draft order) — {inert(version_line(version))}"
        )
    out += ["", f"**Summary:** {summary_line(report)}", "", "---", ""]
    for row in rows(report, options):
        if row.change is None:
            plural = "s" if row.skipped != 1 else ""
            out += [f"*… {row.skipped} unchanged clause{plural} not shown*", ""]
            continue
        if row.crumb:
            out += [f"*{inert(' › '.join(row.path))}*", ""]
        change = row.change
        clause = (change["new"] or change["old"])[0]
        label = inert(clause_label(clause))
        line = _critic(segments(change))
        if label:
            line = f"{label} {line}"
        flags = notes(change)
        if flags:
            line += f" {{>>{inert(', '.join(flags))}<<}}"
        if row.heading_level:
            line = f"{'#' * max(2, row.heading_level)} {line}"
        out += [line, ""]
        for item in vouched(options, row):
            sentence = inert(str(item.get("sentence") or ""))
            out += [f"> **Reported:** “{sentence}” — {inert(vouched_source(item, report))}", ""]
    return "\n".join(out).rstrip("\n") + "\n"
