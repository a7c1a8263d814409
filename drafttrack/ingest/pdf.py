"""PDF drafts with a text layer → Markdown paragraphs, clause numbers kept.

pypdf (pure Python, actively maintained, with decompression limits against stream bombs since
its 6.x releases) extracts each page's text in reading order. Then: repeated page headers and
footers and page numbers are removed, words hyphenated at line ends are joined again, and lines
are regrouped into paragraphs, starting a new one at every clause number (``1.``, ``(a)``,
``Article 5``, ``§ 3``…) and after short lines (headings, paragraph ends).
"""

from __future__ import annotations

import io
import re
from collections import Counter

from drafttrack.ingest import Converter, Ingested, IngestError, register
from drafttrack.ingest.safety import missing_extra, run_limited
from drafttrack.ingest.sniffing import claims
from drafttrack.numbering import starts_with_number

MAX_PAGES = 2000
"""Most pages converted; longer PDFs are refused."""
EDGE_LINES = 2
"""Lines at the top and the bottom of a page that may be running headers or footers."""

_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:page|p\.|seite|s\.|page|сторінка|стор\.|страница|стр\.)\s*)?"
    r"\d{1,4}(?:\s*(?:/|of|von|sur|із|з|из)\s*\d{1,4})?[-–—\s]*$",
    re.IGNORECASE,
)
_END_PUNCT = tuple(".;:!?…»“”\"')")

PRELOAD = ("pypdf",)
"""Libraries the bounded child imports before its memory limit applies."""


def sniff(data: bytes, name: str) -> bool:
    """``%PDF-`` near the start, or anything named ``.pdf`` (refused later if not a PDF)."""
    return claims("pdf", (".pdf",), data, name)


def convert(data: bytes, name: str) -> Ingested:
    """Refuse what is not a PDF, then convert in a bounded child process."""
    if b"%PDF-" not in data[:1024]:
        raise IngestError(f"{name}: not a PDF file (no %PDF- header)")
    return run_limited(__name__, data, name)


def convert_unbounded(data: bytes, name: str) -> Ingested:
    """The conversion itself (run by :func:`safety.run_limited` in a child process)."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import LimitReachedError, PdfReadError
    except ImportError:
        raise missing_extra("PDF ingest") from None
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        warnings: list[str] = []
        if reader.is_encrypted:
            if not _opens_without_password(reader):
                raise IngestError(f"{name}: encrypted PDF: it needs a password (refused)")
            warnings.append(f"{name}: encrypted PDF opened without a password")
        if len(reader.pages) > MAX_PAGES:
            raise IngestError(f"{name}: {len(reader.pages)} pages (limit {MAX_PAGES})")
        pages = []
        for page in reader.pages:
            contents = page.get_contents()  # decoded here so that a stream bomb is reported
            if contents is not None:
                contents.get_data()
            pages.append((page.extract_text() or "").splitlines())
    except LimitReachedError:
        raise IngestError(f"{name}: a PDF stream expands past the size limit (refused)") from None
    except PdfReadError as exc:
        raise IngestError(f"{name}: corrupt PDF ({exc})") from None
    if not any(line.strip() for lines in pages for line in lines):
        raise IngestError(f"{name}: scanned PDF: no text layer (run OCR on it first)")
    text = "\n\n".join(paragraphs(strip_running_lines(pages)))
    return Ingested(text=text, format="pdf", extension="pdf", warnings=warnings)


def _opens_without_password(reader: object) -> bool:
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # pypdf raises DependencyError (no AES backend) or its own errors
        return False


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def strip_running_lines(pages: list[list[str]]) -> list[str]:
    """All pages' lines, without page numbers and headers/footers repeated on most pages."""
    pages = [[" ".join(line.split()) for line in lines if line.strip()] for lines in pages]
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_key(line) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]})
    threshold = max(2, (len(pages) + 1) // 2)
    running = {key for key, n in counts.items() if n >= threshold} if len(pages) > 1 else set()
    out: list[str] = []
    for lines in pages:
        edge = set(range(min(EDGE_LINES, len(lines))))
        edge |= set(range(max(0, len(lines) - EDGE_LINES), len(lines)))
        for i, line in enumerate(lines):
            if i in edge and (_key(line) in running or _PAGE_NUMBER.match(line)):
                continue
            out.append(line)
    return out


def _join(left: str, right: str) -> str:
    """Join two lines of one paragraph, undoing a hyphenation at the line end."""
    if left.endswith("\u00ad"):
        return left[:-1] + right
    if (
        left.endswith(("-", "\u2010"))
        and len(left) > 1
        and left[-2].isalpha()
        and right[:1].islower()
    ):
        return left[:-1] + right
    return f"{left} {right}"


def paragraphs(lines: list[str]) -> list[str]:
    """Regroup lines into Markdown blocks: clause numbers and short lines end a paragraph."""
    lengths = sorted(len(line) for line in lines) or [0]
    width = lengths[int(len(lengths) * 0.9)] if len(lengths) > 4 else max(lengths)
    blocks: list[list[str]] = []
    short_before = True
    for line in lines:
        if short_before or starts_with_number(line):
            blocks.append([line])
        else:
            blocks[-1].append(line)
        short_before = len(line) < 0.7 * width or (
            len(line) < 0.85 * width and line.endswith(_END_PUNCT)
        )
    out = []
    for i, block in enumerate(blocks):
        text = block[0]
        for line in block[1:]:
            text = _join(text, line)
        text = text.replace("\u00ad", "")
        heading = (
            len(block) == 1
            and len(text) <= 90
            and not text.endswith(_END_PUNCT + (",",))
            and text[:1].isupper()
            and not re.match(r"^\d+[.)]\s", text)
        )
        out.append(("# " if i == 0 else "## ") + text if heading else text)
    return out


register(Converter("pdf", sniff, convert), first=True)
