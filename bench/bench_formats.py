"""Benchmark of format ingest and report export, against plain-text ingest in the same run.

    python bench/bench_formats.py               # 200 clauses
    python bench/bench_formats.py --clauses 2000

Builds one draft of N numbered clauses as Markdown, DOCX (python-docx) and PDF (WeasyPrint),
then times ``ingest`` of each (DOCX, PDF and HTML run in a bounded child process, so their time
includes a Python start) and ``export_report`` of a comparison of two such drafts in each format.
Ratios are against plain-text ingest of the same draft (the baseline, no child process).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drafttrack.compare import compare, comparison_json  # noqa: E402
from drafttrack.export import available_formats, export_report  # noqa: E402
from drafttrack.ingest import ingest  # noqa: E402


def clauses(n: int, twist: str = "") -> list[tuple[str, str]]:
    out = []
    for i in range(1, n + 1):
        text = (f"The participants will coordinate measure {i}{twist} with the special headquarters"
                " in Paris and report to all participants without delay.")  # fmt: skip
        out.append((f"Article {(i - 1) // 10 + 1}" if i % 10 == 1 else "", text))
    return out


def as_markdown(items: list[tuple[str, str]]) -> str:
    lines = ["# Declaration", ""]
    for i, (heading, text) in enumerate(items, 1):
        if heading:
            lines += [f"## {heading}", ""]
        lines += [f"{(i - 1) % 10 + 1}. {text}", ""]
    return "\n".join(lines)


def as_docx(items: list[tuple[str, str]]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Declaration", 1)
    for heading, text in items:
        if heading:
            document.add_heading(heading, 2)
        document.add_paragraph(text, style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_pdf(markdown: str) -> bytes:
    import html

    import weasyprint

    body = "".join(
        f"<h2>{html.escape(line[3:])}</h2>"
        if line.startswith("## ")
        else f"<p>{html.escape(line)}</p>"
        for line in markdown.splitlines()
        if line.strip()
    )
    return weasyprint.HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def timed(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clauses", type=int, default=200)
    n = parser.parse_args().clauses
    md = as_markdown(clauses(n))
    files = {
        "md (baseline)": (md.encode(), "d.md"),
        "docx": (as_docx(clauses(n)), "d.docx"),
        "pdf": (as_pdf(md), "d.pdf"),
        "html": (_html(md), "d.html"),
    }
    print(f"ingest, {n} clauses (best of 3)")
    base = None
    for name, (data, fname) in files.items():
        seconds = timed(lambda d=data, f=fname: ingest(d, f))
        base = base or seconds
        print(f"  {name:14} {len(data) / 1024:8.0f} KiB {seconds * 1000:9.1f} ms"
              f"  x{seconds / base:7.1f}")  # fmt: skip
    old, new = md, as_markdown(clauses(n, twist=" and its annex"))
    version = {"id": "a", "label": "A", "position": 1, "source": {"outlet": "X"}}
    report = comparison_json("d", version, {**version, "id": "b", "label": "B"}, compare(old, new))
    print(f"export of a comparison with {len(report['changes'])} changes (best of 3)")
    base = None
    for fmt in ["json", *[f for f in available_formats() if f != "json"]]:
        seconds = timed(lambda f=fmt: export_report(f, report))
        base = base or seconds
        size = len(export_report(fmt, report))
        print(f"  {fmt:14} {size / 1024:8.0f} KiB {seconds * 1000:9.1f} ms  x{seconds / base:7.1f}")


def _html(markdown: str) -> bytes:
    import html

    items = "".join(f"<li>{html.escape(line[3:])}</li>" for line in markdown.splitlines()
                    if line[:1].isdigit())  # fmt: skip
    return f"<!DOCTYPE html><html><body><h1>Declaration</h1><ol>{items}</ol></body></html>".encode()


if __name__ == "__main__":
    main()
