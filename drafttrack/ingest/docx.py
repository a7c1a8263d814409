"""Word (DOCX) drafts → Markdown: headings, lists with Word's own numbers, tables, footnotes.

python-docx (the most used and actively maintained DOCX library, also what the DOCX export
writes with) opens the package and resolves styles; the body is then read in document order
from its XML, because list numbers (see :mod:`docx_numbering`), footnote references and
tracked changes are not exposed by its paragraph API. Tracked changes are accepted: inserted
text is kept, deleted text dropped, and a warning says so.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from drafttrack.ingest import Converter, Ingested, IngestError, markdown_table, register
from drafttrack.ingest.docx_numbering import Numbering, W, format_number
from drafttrack.ingest.safety import check_zip_parts, missing_extra, run_limited
from drafttrack.ingest.sniffing import claims

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_REVISIONS = {f"{W}ins": "insertion", f"{W}del": "deletion", f"{W}moveFrom": "move",
              f"{W}moveTo": "move"}  # fmt: skip
_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)

PRELOAD = ("docx", "docx.oxml")
"""Libraries the bounded child imports before its memory limit applies."""


def sniff(data: bytes, name: str) -> bool:
    """A zip holding ``word/document.xml``, or a ``.docx`` name (refused later if not one)."""
    return claims("docx", (".docx", ".docm", ".dotx"), data, name)


def convert(data: bytes, name: str) -> Ingested:
    """Check the container, then convert in a bounded child process."""
    if data[:4] != b"PK\x03\x04":
        raise IngestError(f"{name}: not a Word (DOCX) file: it is not a zip container")
    check_zip_parts(data, name)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "word/document.xml" not in archive.namelist():
            raise IngestError(f"{name}: a zip file but not a Word document (no word/document.xml)")
    return run_limited(__name__, data, name)


@dataclass(slots=True)
class _Reader:
    """State while reading one document body."""

    name: str
    styles: dict[str, dict[str, Any]]
    numbering: Numbering
    notes: dict[tuple[str, str], str]
    note_labels: dict[tuple[str, str], str] = field(default_factory=dict)
    revisions: dict[str, int] = field(default_factory=dict)
    blocks: list[str] = field(default_factory=list)

    def note_marker(self, kind: str, note_id: str) -> str:
        key = (kind, note_id)
        if key not in self.note_labels:
            count = sum(1 for k in self.note_labels if k[0] == kind) + 1
            self.note_labels[key] = format_number(count, "decimal" if kind == "foot" else
                                                  "lowerRoman")  # fmt: skip
        return f"[{self.note_labels[key]}]"


def convert_unbounded(data: bytes, name: str) -> Ingested:
    """The conversion itself (run by :func:`safety.run_limited` in a child process)."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.oxml import parse_xml
    except ImportError:
        raise missing_extra("DOCX ingest") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise IngestError(f"{name}: corrupt or unsupported Word file ({exc})") from None
    parts = {str(p.partname): p for p in document.part.package.iter_parts()}
    numbering = parts.get("/word/numbering.xml")
    reader = _Reader(
        name=name,
        styles=_styles(document.styles.element),
        numbering=Numbering.parse(parse_xml(numbering.blob) if numbering is not None else None),
        notes={},
    )
    for kind in ("foot", "end"):
        part = parts.get(f"/word/{kind}notes.xml")
        if part is not None:
            for note in parse_xml(part.blob).iter(f"{W}{kind}note"):
                if note.get(f"{W}type") in (None, "normal"):
                    text = " ".join(_paragraph_text(reader, p) for p in note.iter(f"{W}p"))
                    reader.notes[(kind, note.get(f"{W}id", ""))] = " ".join(text.split())
    _read_container(reader, document.element.body)
    for (kind, note_id), label in reader.note_labels.items():
        note = reader.notes.get((kind, note_id))
        if note:
            reader.blocks.append(f"[{label}] {note}")
    warnings = []
    if reader.revisions:
        counts = ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in
                           sorted(reader.revisions.items()))  # fmt: skip
        warnings.append(
            f"{name}: tracked changes accepted as the current text ({counts}); "
            "deleted text was dropped"
        )
    return Ingested(text="\n\n".join(reader.blocks), format="docx", extension="docx",
                    warnings=warnings)  # fmt: skip


def _styles(root: Any) -> dict[str, dict[str, Any]]:
    """style id → name, numbering (numId, ilvl), outline level, based-on id."""
    styles: dict[str, dict[str, Any]] = {}
    for style in root.iter(f"{W}style"):
        name = style.find(f"{W}name")
        based = style.find(f"{W}basedOn")
        ppr = style.find(f"{W}pPr")
        styles[style.get(f"{W}styleId", "")] = {
            "name": name.get(f"{W}val", "") if name is not None else "",
            "num": _num_pr(ppr),
            "outline": _outline(ppr),
            "based": based.get(f"{W}val") if based is not None else None,
        }
    return styles


def _num_pr(ppr: Any) -> tuple[str | None, int | None] | None:
    numpr = ppr.find(f"{W}numPr") if ppr is not None else None
    if numpr is None:
        return None
    num_id = numpr.find(f"{W}numId")
    ilvl = numpr.find(f"{W}ilvl")
    return (
        num_id.get(f"{W}val") if num_id is not None else None,
        int(ilvl.get(f"{W}val", "0")) if ilvl is not None else None,
    )


def _outline(ppr: Any) -> int | None:
    node = ppr.find(f"{W}outlineLvl") if ppr is not None else None
    value = node.get(f"{W}val") if node is not None else None
    return int(value) if value is not None and value.isdigit() and int(value) < 9 else None


def _style_chain(reader: _Reader, style_id: str | None) -> list[dict[str, Any]]:
    chain: list[dict[str, Any]] = []
    while style_id and style_id in reader.styles and len(chain) < 20:
        chain.append(reader.styles[style_id])
        style_id = chain[-1]["based"]
    return chain


def _read_container(reader: _Reader, container: Any) -> None:
    for child in container:
        if child.tag == f"{W}p":
            block = _paragraph_block(reader, child)
            if block:
                reader.blocks.append(block)
        elif child.tag == f"{W}tbl":
            table = _table(reader, child)
            if table:
                reader.blocks.append(table)
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            _read_container(reader, child.find(f"{W}sdtContent") if child.tag == f"{W}sdt"
                            else child)  # fmt: skip
        elif child.tag in (f"{W}ins", f"{W}moveTo"):
            reader.revisions[_REVISIONS[child.tag]] = reader.revisions.get(
                _REVISIONS[child.tag], 0) + 1  # fmt: skip
            _read_container(reader, child)


def _inside_removed(node: Any) -> bool:
    parent = node.getparent()
    while parent is not None:
        if parent.tag in (f"{W}del", f"{W}moveFrom", _MC_FALLBACK):
            return True
        parent = parent.getparent()
    return False


def _paragraph_text(reader: _Reader, para: Any) -> str:
    """The paragraph's current text: insertions kept, deletions and moved-away text dropped."""
    out: list[str] = []
    for node in para.iter():
        tag = node.tag
        if tag in _REVISIONS:
            reader.revisions[_REVISIONS[tag]] = reader.revisions.get(_REVISIONS[tag], 0) + 1
            continue
        if tag not in (f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen",
                       f"{W}footnoteReference", f"{W}endnoteReference"):  # fmt: skip
            continue
        if _inside_removed(node):
            continue
        if tag == f"{W}t":
            out.append(node.text or "")
        elif tag == f"{W}noBreakHyphen":
            out.append("\u2011")
        elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
            kind = "foot" if tag == f"{W}footnoteReference" else "end"
            out.append(reader.note_marker(kind, node.get(f"{W}id", "")))
        else:
            out.append(" ")
    return " ".join("".join(out).replace("\u00ad", "").split())


def _paragraph_block(reader: _Reader, para: Any) -> str:
    text = _paragraph_text(reader, para)
    ppr = para.find(f"{W}pPr")
    style_node = ppr.find(f"{W}pStyle") if ppr is not None else None
    chain = _style_chain(reader, style_node.get(f"{W}val") if style_node is not None else None)
    num = _num_pr(ppr)
    for style in chain:
        if num is not None and num[0] is not None and num[1] is not None:
            break
        if style["num"]:
            num = (num[0] if num and num[0] else style["num"][0],
                   num[1] if num and num[1] is not None else style["num"][1])  # fmt: skip
    label = None
    if num and num[0] and num[0] != "0" and text:
        label = reader.numbering.label(num[0], num[1] or 0)
    if not text:
        return ""
    level = _heading_level(chain, _outline(ppr))
    if label and label[1] and not level:
        return f"- {_escape(text)}"
    number = label[0] if label else ""
    if level:
        return f"{'#' * level} {number + ' ' if number else ''}{text}"
    if number:
        return f"{number} {text}"
    return _escape(text)


def _heading_level(chain: list[dict[str, Any]], outline: int | None) -> int:
    for style in chain:
        if style["name"].lower() == "title":
            return 1
        match = _HEADING_STYLE.match(style["name"])
        if match:
            return min(int(match.group(1)), 6)
    if outline is None:
        outline = next((s["outline"] for s in chain if s["outline"] is not None), None)
    return min(outline + 1, 6) if outline is not None else 0


def _escape(text: str) -> str:
    """Keep a plain paragraph from reading as a heading, quote or rule (typed numbers stay)."""
    return "\\" + text if re.match(r"^(#{1,6}\s|>|[-*_]{3,}\s*$)", text) else text


def _table(reader: _Reader, table: Any) -> str:
    rows: list[list[str]] = []
    for row in table.iter(f"{W}tr"):
        if row.getparent() is not table and row.getparent().tag != f"{W}tbl":
            continue
        trpr = row.find(f"{W}trPr")
        if trpr is not None and trpr.find(f"{W}del") is not None:
            reader.revisions["deletion"] = reader.revisions.get("deletion", 0) + 1
            continue
        cells = []
        for cell in row.findall(f"{W}tc"):
            text = " ".join(_paragraph_text(reader, p) for p in cell.iter(f"{W}p"))
            cells.append(" ".join(text.split()).replace("|", "\\|"))
        if any(cells):
            rows.append(cells)
    return markdown_table(rows)


register(Converter("docx", sniff, convert), first=True)
