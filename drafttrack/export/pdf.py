"""The PDF report: the HTML report laid out by WeasyPrint, A4 or Letter, with page numbers.

WeasyPrint (a maintained, pure-Python layout engine over Pango) needs no browser. Fonts come
from the system through fontconfig; the report asks for DejaVu Serif/Sans first (Debian
``fonts-dejavu-core``), which cover Latin, Cyrillic and typographic quotes. Nothing is fetched:
the report has no URLs, and the URL fetcher refuses every request anyway.
"""

from __future__ import annotations

from typing import Any

from drafttrack.errors import DrafttrackError
from drafttrack.export.html import render_html
from drafttrack.export.report import ExportOptions

PAPER = {"a4": "A4", "letter": "letter"}


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise DrafttrackError(f"the PDF report fetches nothing ({url[:40]!r} refused)")


def render_pdf(report: dict[str, Any], options: ExportOptions) -> bytes:
    """The report as PDF bytes."""
    import weasyprint

    size = PAPER.get(options.paper.lower(), "A4")
    page_css = (
        f"@page {{ size: {size}; margin: 16mm 15mm 18mm;"
        " @bottom-right { content: counter(page) ' / ' counter(pages);"
        " font: 8pt 'DejaVu Sans', sans-serif; color: #5f6368; } }"
    )
    html = render_html(report, options, extra_css=page_css)
    document = weasyprint.HTML(string=html, url_fetcher=_no_fetch)
    return bytes(document.write_pdf())
