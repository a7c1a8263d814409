"""What every report shows, computed once from the ``diff --json`` dict: rows, headings, gaps.

The exports read only the contract dict (``comparison_json``), so the CLI and the viewer can
hand over what they already have, and no export needs the store. Clause kinds are not part of
the contract: a clause is taken as a heading when later clauses name it in their ``path``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from drafttrack.inline import visible_text
from drafttrack.model import WordOp
from drafttrack.numbering import split_number
from drafttrack.redline import Run, formatted_many, redline_runs
from drafttrack.wording import kind_word, report_source

SUMMARY_ORDER = (
    "modified", "added", "removed", "split", "merged", "moved", "renumbered", "editorial",
    "unchanged",
)  # fmt: skip


@dataclass(slots=True, frozen=True)
class ExportOptions:
    """How much of the comparison a report shows, and under which title."""

    changes_only: bool = False
    """Show changed clauses only (unchanged ones within ``context`` of a change stay)."""
    context: int | None = None
    """Unchanged clauses kept around each change; giving it implies ``changes_only``."""
    title: str | None = None
    """Report title (default: document, old label → new label)."""
    document_title: str | None = None
    """The document's own title, shown under the report title when known."""
    paper: str = "a4"
    """a4 | letter: the page size of the PDF (the HTML report prints on either)."""
    evidence: Mapping[int, Sequence[Mapping[str, Any]]] | None = None
    """Per index of a change: the report sentences vouching for its old or new wording
    (``report``, ``outlet``, ``published_on``, ``kind``, ``language``, ``sentence``,
    ``chain_text``, ``side``: old, new or both), gathered by the service; None: no report."""


@dataclass(slots=True)
class Row:
    """One change to show, or a gap standing for ``skipped`` unchanged clauses."""

    change: dict[str, Any] | None
    index: int = 0
    skipped: int = 0
    heading_level: int = 0
    """1–6 when the clause is a heading, else 0."""
    path: list[str] = field(default_factory=list)
    crumb: bool = False
    """True when the report should say where the clause stands (its path): a clause shown
    without the heading above it."""

    @property
    def kind(self) -> str:
        """The change's kind, or ``gap``."""
        return self.change["kind"] if self.change else "gap"


def is_change(change: dict[str, Any]) -> bool:
    """True when a clause changed at all (editorial changes included)."""
    return bool(change["kind"] != "unchanged" or change["moved"] or change["renumbered"])


def version_line(version: dict[str, Any]) -> str:
    """ "Earlier draft — Politico via RBK-Ukraine, Ukraine-Nachrichten; reported 2026-01-07" """
    return report_source(version)


def title_of(report: dict[str, Any], options: ExportOptions) -> str:
    """The report's title."""
    if options.title:
        return options.title
    return f"{report['document']}: {report['old']['label']} → {report['new']['label']}"


def summary_line(report: dict[str, Any]) -> str:
    """ "3 reworded, 3 added, 3 removed, 16 unchanged" """
    summary = report.get("summary") or {}
    words = [f"{summary[k]} {kind_word(k)}" for k in SUMMARY_ORDER if summary.get(k)]
    line = ", ".join(words) or "no clauses"
    if report.get("mode") == "cross-language":
        a, b = (lang or "unknown" for lang in report.get("languages") or (None, None))
        line += (f" — cross-language comparison ({a} → {b}): clauses aligned by meaning, each"
                 " pair checked for numbers, negations and names that differ")  # fmt: skip
    return line


def clause_label(clause: dict[str, Any]) -> str:
    """The number to print before a clause ("1.", "(a)"), or "" when its text shows it."""
    number = clause.get("number")
    if not number or visible_text(clause["text"]).startswith(number):
        return ""
    return f"{number}." if number.replace(".", "").isdigit() else number


def headings(report: dict[str, Any]) -> set[str]:
    """Texts that some clause has in its path: the headings of either version."""
    found: set[str] = set()
    for change in report["changes"]:
        for clause in change["old"] + change["new"]:
            found.update(clause["path"])
    return found


def rows(report: dict[str, Any], options: ExportOptions) -> list[Row]:
    """The changes to show, in report order, with gaps where unchanged clauses were left out."""
    changes = report["changes"]
    heads = headings(report)
    context = options.context
    keep = set(range(len(changes)))
    if options.changes_only or context is not None:
        around = context or 0
        keep = set()
        for i, change in enumerate(changes):
            if is_change(change):
                keep.update(range(max(0, i - around), min(len(changes), i + around + 1)))
    out: list[Row] = []
    skipped = 0
    focused = options.changes_only or context is not None
    last_path: list[str] = []
    for i, change in enumerate(changes):
        if i not in keep:
            skipped += 1
            continue
        if skipped:
            out.append(Row(None, skipped=skipped))
            skipped = 0
        clause = (change["new"] or change["old"])[0]
        path = list(clause["path"])
        level = len(path) + 1 if clause["text"] in heads else 0
        crumb = focused and not level and bool(path) and path != last_path
        last_path = path + [clause["text"]] if level else path
        out.append(Row(change, index=i, heading_level=min(level, 6), path=path, crumb=crumb))
    if skipped:
        out.append(Row(None, skipped=skipped))
    return out


def notes(change: dict[str, Any], *, old_text: bool = True) -> list[str]:
    """Flags to print beside a change: moved, renumbered 4 → 3, editorial; for a cross-language
    pair its divergences and (unless ``old_text`` is False: the report shows it) the old text."""
    out = []
    if change["moved"]:
        out.append("moved")
    if change["renumbered"] and change["old"] and change["new"]:
        before, after = _full_number(change["old"][0]), _full_number(change["new"][0])
        out.append(f"renumbered {before} → {after}" if before != after else "renumbered")
    if change["editorial"] and change["kind"] != "unchanged":
        out.append("editorial")
    for d in change.get("divergences") or ():  # a cross-language pair
        out.append(f"{d['kind']}: {d.get('old') or '–'} → {d.get('new') or '–'}")
    if old_text and change.get("divergences") and change["old"] and change["new"]:
        out.append("old text: " + " ".join(visible_text(c["text"]) for c in change["old"]))
    return out


def _full_number(clause: dict[str, Any]) -> str:
    """ "Article 4 › 1": the enclosing heading's number (or text), then the clause's own."""
    own = clause.get("number") or "–"
    if not clause["path"] or visible_text(clause["text"]).startswith(own):
        return own
    parent = split_number(clause["path"][-1])[0] or clause["path"][-1]
    return f"{parent} › {own}"


def segments(change: dict[str, Any]) -> list[tuple[str, str]]:
    """(op, text) runs of the clause as a redline: equal, insert, delete."""
    kind = change["kind"]
    if kind == "removed":
        return [("delete", " ".join(c["text"] for c in change["old"]))]
    if kind == "added":
        return [("insert", " ".join(c["text"] for c in change["new"]))]
    if change.get("words"):
        return [(w["op"], w["text"]) for w in change["words"]]
    return [("equal", " ".join(c["text"] for c in change["new"] or change["old"]))]


def visible_runs(change: dict[str, Any]) -> list[Run]:
    """The clause as a redline of its visible words, with formatting (HTML, PDF, DOCX)."""
    kind = change["kind"]
    olds = [c["text"] for c in change["old"]]
    news = [c["text"] for c in change["new"]]
    if kind == "removed":
        return formatted_many(olds, "delete")
    if kind == "added":
        return formatted_many(news, "insert")
    if change.get("words"):
        words = [WordOp(w["op"], w["text"]) for w in change["words"]]
        return redline_runs(olds, news, words)
    return formatted_many(news or olds, "equal")


def vouched(options: ExportOptions, row: Row) -> list[Mapping[str, Any]]:
    """The report sentences vouching for the row's clause (none without ``evidence``)."""
    return list((options.evidence or {}).get(row.index, ())) if row.change else []


def vouched_side(item: Mapping[str, Any], report: dict[str, Any]) -> str:
    """ "old wording (Earlier draft)", "new wording (Summit text)" or "wording of both versions"."""
    side = item.get("side")
    if side in ("old", "new"):
        return f"{side} wording ({report[side]['label']})"
    return "wording of both versions"


def vouched_source(item: Mapping[str, Any], report: dict[str, Any]) -> str:
    """ "Ukraine-Nachrichten, 2026-01-07 — quoted, old wording (Earlier draft); Politico → …" """
    name = str(item.get("outlet") or item.get("report") or "a report")
    dated = f"{name}, {item['published_on']}" if item.get("published_on") else name
    line = f"{dated} — {item.get('kind') or 'linked'}, {vouched_side(item, report)}"
    chain = item.get("chain_text")
    return f"{line}; {chain}" if chain and chain != name else line
