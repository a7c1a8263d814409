"""The Word report with real tracked changes, so that Word's Review pane lists every change.

Insertions and deletions are Word revisions (``w:ins`` / ``w:del``, with ``w:delText``)
attributed to the newer version's outlet and dated with its reported date; an added or removed
clause also carries a revised paragraph mark, so accepting or rejecting it removes the whole
paragraph. Headings use Word's heading styles and clause numbers are kept as text (Word's
automatic numbering would renumber what was removed). Moved, renumbered and editorial clauses
get a Word comment by the same author; each report sentence vouching for a clause's old or
new wording, a comment on the whole clause by its outlet, quoting it. Written with python-docx.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

from drafttrack.export.report import (
    ExportOptions,
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
from drafttrack.redline import needs_gap
from drafttrack.wording import UNKNOWN_SOURCE

_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_UNSAFE.sub("", text)


_RUN_PROPS = {"strong": "w:b", "em": "w:i", "strike": "w:strike", "code": "w:rFonts", "link": "w:u"}
_PROP_ORDER = ["w:rFonts", "w:b", "w:i", "w:strike", "w:u", "w:lang"]
"""Run properties in the order the OOXML schema's ``w:rPr`` sequence requires."""


class _Revisions:
    """Builds revision-marked runs with unique ids, one author and one date."""

    def __init__(self, author: str, date: str | None) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self.element, self.qn = OxmlElement, qn
        self.author, self.date = author, date
        self.next_id = 1000

    def _mark(self, tag: str) -> Any:
        node = self.element(tag)
        node.set(self.qn("w:id"), str(self.next_id))
        node.set(self.qn("w:author"), self.author)
        if self.date:
            node.set(self.qn("w:date"), self.date)
        self.next_id += 1
        return node

    def run(
        self, text: str, op: str, bold: bool = False, marks: tuple[str, ...] = (), lang: str = ""
    ) -> Any:
        """A ``w:r`` (equal), or one wrapped in ``w:ins`` / ``w:del``; ``marks`` (strong, em,
        strike, code, link) become bold, italic, strike-through, a monospace font, underline;
        ``lang`` (a language code) is the run's language, for Word's proofing and fonts."""
        run = self.element("w:r")
        props = [_RUN_PROPS[m] for m in marks if m in _RUN_PROPS]
        if bold:
            props.insert(0, "w:b")
        if lang:
            props.append("w:lang")
        if props:
            rpr = self.element("w:rPr")
            for tag in sorted(set(props), key=_PROP_ORDER.index):
                node = self.element(tag)
                if tag == "w:rFonts":
                    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                        node.set(self.qn(attr), "DejaVu Sans Mono")
                elif tag == "w:u":
                    node.set(self.qn("w:val"), "dotted")
                elif tag == "w:lang":
                    node.set(self.qn("w:val"), lang)
                rpr.append(node)
            run.append(rpr)
        node = self.element("w:delText" if op == "delete" else "w:t")
        node.set(self.qn("xml:space"), "preserve")
        node.text = _clean(text)
        run.append(node)
        if op == "equal":
            return run
        wrapper = self._mark("w:del" if op == "delete" else "w:ins")
        wrapper.append(run)
        return wrapper

    def paragraph_mark(self, paragraph: Any, op: str) -> None:
        """Mark the paragraph itself as inserted or deleted."""
        ppr = paragraph._p.get_or_add_pPr()
        rpr = ppr.find(self.qn("w:rPr"))
        if rpr is None:
            rpr = self.element("w:rPr")
            ppr.append(rpr)
        rpr.append(self._mark("w:del" if op == "delete" else "w:ins"))


def _revision_date(version: dict[str, Any]) -> str | None:
    day = version.get("reported_on") or version.get("drafted_on")
    if not day or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(day)):
        return None
    return f"{day}T00:00:00Z"


def _vouch_comment(document: Any, para: Any, item: Any, report: dict[str, Any]) -> None:
    """A comment on the whole clause paragraph by the outlet of a report sentence vouching for
    it, quoting the sentence (range markers at paragraph level, around every run)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    outlet = _clean(str(item.get("outlet") or item.get("report") or "report"))
    comment = document.comments.add_comment(text="", author=outlet, initials="")
    comment.paragraphs[0].add_run(_clean(f"“{item.get('sentence') or ''}”"))
    comment.add_paragraph(_clean(vouched_source(item, report)))
    ident = {qn("w:id"): str(comment.comment_id)}
    p = para._p
    first = next((child for child in p if child.tag != qn("w:pPr")), None)
    start = OxmlElement("w:commentRangeStart", attrs=ident)
    if first is None:
        p.append(start)
    else:
        first.addprevious(start)
    p.append(OxmlElement("w:commentRangeEnd", attrs=ident))
    reference = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    props.append(OxmlElement("w:rStyle", attrs={qn("w:val"): "CommentReference"}))
    reference.append(props)
    reference.append(OxmlElement("w:commentReference", attrs=ident))
    p.append(reference)


def render_docx(report: dict[str, Any], options: ExportOptions) -> bytes:
    """The report as a DOCX file with tracked changes."""
    import docx
    from docx.shared import Pt

    old, new = report["old"], report["new"]
    author = _clean((new.get("source") or {}).get("outlet") or UNKNOWN_SOURCE)
    revisions = _Revisions(author, _revision_date(new))
    document = docx.Document()
    document.core_properties.title = _clean(title_of(report, options))
    document.core_properties.author = "drafttrack"
    document.core_properties.created = datetime.now(UTC).replace(tzinfo=None)
    document.add_heading(_clean(title_of(report, options)), 0)
    if options.document_title:
        document.add_paragraph(_clean(options.document_title)).runs[0].italic = True
    for side, version in (("Old", old), ("New", new)):
        para = document.add_paragraph()
        para.add_run(f"{side}: ").bold = True
        para.add_run(_clean(f"{version['label']} (version {version['id']}) — "))
        para.add_run(_clean(version_line(version)))
    summary = document.add_paragraph()
    summary.add_run("Summary: ").bold = True
    summary.add_run(summary_line(report))
    note = document.add_paragraph(
        f"Changes are tracked as revisions by {author}; open the Review pane to go through them."
    )
    note.runs[0].font.size = Pt(9)
    languages = report.get("languages") if report.get("mode") == "cross-language" else None
    old_lang, new_lang = (str(code or "") for code in (languages or [None, None])[:2])
    for row in rows(report, options):
        if row.change is None:
            plural = "s" if row.skipped != 1 else ""
            gap = document.add_paragraph(f"… {row.skipped} unchanged clause{plural} not shown")
            gap.runs[0].italic = True
            continue
        if row.crumb:
            crumb = document.add_paragraph(_clean(" › ".join(row.path)))
            crumb.runs[0].font.size = Pt(8)
        change = row.change
        kind = change["kind"]
        if row.heading_level:
            para = document.add_heading("", min(row.heading_level, 9))
        else:
            para = document.add_paragraph()
        clause = (change["new"] or change["old"])[0]
        label = clause_label(clause)
        label_op = {"added": "insert", "removed": "delete"}.get(kind, "equal")
        lang = old_lang if kind == "removed" else new_lang  # the side whose text is shown
        if label:
            para._p.append(revisions.run(label + " ", label_op, bold=True))
        previous = None
        for piece in visible_runs(change):
            if needs_gap(previous, piece):
                para._p.append(revisions.run(" ", "equal"))
            previous = piece
            para._p.append(revisions.run(piece.text, piece.op, marks=piece.marks, lang=lang))
        if kind in ("added", "removed"):
            revisions.paragraph_mark(para, label_op)
        flags = notes(change)
        if flags:
            run = para.add_run(f" [{', '.join(flags)}]")
            run.italic = True
            document.add_comment(run, text=_clean("; ".join(flags)), author=author, initials="")
        for item in vouched(options, row):
            _vouch_comment(document, para, item, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
