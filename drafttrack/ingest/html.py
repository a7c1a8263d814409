"""HTML → Markdown: a news page gives its article text, an HTML draft its headings and lists.

A page with the marks of a news site (``<article>``, ``og:type`` article, navigation or page
header/footer) goes through trafilatura's main-content extraction, which drops menus, teasers,
comments and footers and works offline. Anything else is taken as a draft: lxml walks the body
and writes headings, paragraphs, ordered lists (with their ``start`` and ``type``), bullets,
tables and quotes. Scripts, styles, forms and navigation are dropped in both cases.
"""

from __future__ import annotations

import re
from typing import Any

from drafttrack.ingest import Converter, Ingested, IngestError, markdown_table, register
from drafttrack.ingest.docx_numbering import format_number
from drafttrack.ingest.safety import missing_extra, run_limited
from drafttrack.ingest.sniffing import claims

_DROP = ("script", "style", "noscript", "template", "nav", "form", "iframe", "svg", "button",
         "select", "object", "embed", "canvas", "menu", "dialog")  # fmt: skip
_CHROME = ("header", "footer", "aside")
_BLOCKS = {"p", "div", "section", "article", "main", "ul", "ol", "li", "table", "blockquote",
           "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dl", "dt", "dd", "figure", "hr",
           "address", "center", "body", "tr", "td", "th", "thead", "tbody", "tfoot"}  # fmt: skip
_OL_TYPES = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}

PRELOAD = ("lxml.html", "trafilatura")
"""Libraries the bounded child imports before its memory limit applies."""


def sniff(data: bytes, name: str) -> bool:
    """HTML markup at the start of the file, or a ``.html`` name on something tag-like."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return claims("html", (".html", ".htm", ".xhtml"), data, name) and head.startswith(b"<")


def convert(data: bytes, name: str) -> Ingested:
    """Convert in a bounded child process."""
    return run_limited(__name__, data, name)


def convert_unbounded(data: bytes, name: str) -> Ingested:
    """The conversion itself (run by :func:`safety.run_limited` in a child process)."""
    try:
        import lxml.html
    except ImportError:
        raise missing_extra("HTML ingest") from None
    try:
        source: str | bytes = data.decode("utf-8-sig")
        source = re.sub(r"^\s*<\?xml[^>]*>", "", str(source))
    except UnicodeDecodeError:
        source = data  # lxml reads the charset from the page's <meta>
    try:
        root = lxml.html.document_fromstring(source)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise IngestError(f"{name}: unreadable HTML ({exc})") from None
    warnings: list[str] = []
    if _is_news_page(root):
        text = _article_text(source)
        if text:
            return Ingested(text=text, format="html", extension="html", warnings=warnings)
        warnings.append(f"{name}: no article found on the page; converted the whole page")
    for node in list(root.iter(*_DROP, *_CHROME)):
        if node.getparent() is not None:
            node.drop_tree()
    body = root.find("body")
    blocks = _blocks(body if body is not None else root, 0)
    return Ingested(text="\n\n".join(b for b in blocks if b.strip()), format="html",
                    extension="html", warnings=warnings)  # fmt: skip


def _is_news_page(root: Any) -> bool:
    if root.find(".//article") is not None:
        return True
    for meta in root.iter("meta"):
        if meta.get("property") == "og:type" and meta.get("content") == "article":
            return True
    return root.find(".//nav") is not None


def _article_text(source: str | bytes) -> str:
    try:
        import trafilatura
    except ImportError:
        raise missing_extra("HTML article extraction") from None
    text = trafilatura.extract(
        source,
        output_format="markdown",
        include_tables=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        favor_recall=True,
        deduplicate=False,
    )
    return text or ""


def _inline(node: Any) -> str:
    """Text of a node without its nested blocks, white space collapsed."""
    parts = [node.text or ""]
    for child in node:
        if isinstance(child.tag, str) and child.tag not in _BLOCKS:
            parts.append(" " if child.tag == "br" else _inline(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _blocks(node: Any, depth: int) -> list[str]:
    out: list[str] = []
    loose = [node.text or ""]
    for child in node:
        if not isinstance(child.tag, str):  # comments, processing instructions
            loose.append(child.tail or "")
            continue
        if child.tag not in _BLOCKS:
            loose.append(" " if child.tag == "br" else _inline(child))
            loose.append(child.tail or "")
            continue
        text = " ".join("".join(loose).split())
        if text:
            out.append(text)
        loose = [child.tail or ""]
        out.extend(_block(child, depth))
    text = " ".join("".join(loose).split())
    if text:
        out.append(text)
    return out


def _block(node: Any, depth: int) -> list[str]:
    tag = node.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        text = _inline(node)
        return [f"{'#' * int(tag[1])} {text}"] if text else []
    if tag in ("ul", "ol"):
        return _list(node, depth)
    if tag == "table":
        return [_table(node)]
    if tag == "blockquote":
        return ["> " + b.replace("\n", "\n> ") for b in _blocks(node, depth)]
    if tag == "hr":
        return []
    if tag == "pre":
        return ["    " + line for line in (node.text_content() or "").splitlines() if line]
    return _blocks(node, depth)


def _list(node: Any, depth: int) -> list[str]:
    ordered = node.tag == "ol"
    fmt = _OL_TYPES.get(node.get("type", ""), "decimal")
    try:
        counter = int(node.get("start", "1"))
    except ValueError:
        counter = 1
    indent = "   " * depth
    out = []
    for item in node.findall("li"):
        if item.get("value", "").isdigit():
            counter = int(item.get("value"))
        inner = _blocks(item, depth + 1)
        first = inner[0] if inner and not inner[0].startswith(("- ", "   ")) else ""
        rest = inner[1:] if first else inner
        if ordered:
            label = format_number(counter, fmt)
            marker = f"{label}." if fmt == "decimal" else f"({label})"
            counter += 1
        else:
            marker = "-"
        out.append(f"{indent}{marker} {first}".rstrip())
        out.extend(rest)
    return out


def _table(node: Any) -> str:
    rows = []
    for row in node.iter("tr"):
        cells = [_inline(c).replace("|", "\\|") for c in row if c.tag in ("td", "th")]
        if any(cells):
            rows.append(cells)
    return markdown_table(rows)


register(Converter("html", sniff, convert), first=True)
