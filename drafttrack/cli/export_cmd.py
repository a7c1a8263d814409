"""``drafttrack export``: a diff report as a file (HTML, Markdown, JSON, DOCX, PDF)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from drafttrack.export import FORMATS, ExportOptions
from drafttrack.service.reports import version_report, write_atomically


@cli.command("export")
@click.argument("doc")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Report format.")
@click.option(
    "-o", "--output", "output", required=True, metavar="FILE", help="File to write (- for stdout)."
)
@click.option("--changes-only", is_flag=True, help="Show changed clauses only.")
@click.option(
    "--context",
    type=click.IntRange(0, 1000),
    metavar="N",
    help="Keep N unchanged clauses around each change (implies --changes-only).",
)
@click.option("--title", help="Report title (default: DOC: OLD label → NEW label).")
@click.option(
    "--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
    help="Page size of the PDF report.",
)  # fmt: skip
@pass_store
def export(
    store_path: StorePath,
    doc: str,
    old: str,
    new: str,
    fmt: str,
    output: str,
    changes_only: bool,
    context: int | None,
    title: str | None,
    paper: str,
) -> None:
    """Write the comparison of versions OLD and NEW of DOC as a report file.

    Formats: html (self-contained), md (CriticMarkup), json (the diff contract), docx (Word
    tracked changes by the newer version's outlet), pdf.
    """
    options = ExportOptions(changes_only=changes_only, context=context, title=title, paper=paper)
    with store_path.open() as store:
        data = version_report(store, doc, old, new, fmt, options)
    if output == "-":
        sys.stdout.buffer.write(data)
        return
    write_atomically(Path(output), data)
    click.echo(f"wrote {output} ({fmt}, {len(data)} bytes)", err=True)
