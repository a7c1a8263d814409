"""``drafttrack diff``: the clause-level comparison of two versions of a document."""

from __future__ import annotations

import json
import sys

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from drafttrack.collector import collector_paused
from drafttrack.compare import Comparison
from drafttrack.errors import DrafttrackError
from drafttrack.service.compare import (
    Mode,
    compare_versions,
    comparison_report,
    version_pair,
)


@cli.command("diff")
@click.argument("doc")
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "md", "html"]), default="text",
    show_default=True,
    help="text: a terminal redline; json: the diff contract; md: CriticMarkup; html: a report.",
)  # fmt: skip
@click.option("--substantive-only", is_flag=True, help="Hide editorial and unchanged clauses.")
@click.option("--changes-only", is_flag=True, help="Show changes with one clause of context.")
@click.option("--no-color", is_flag=True, help="No colour, even on a terminal.")
@click.option(
    "--front-matter-as-text", is_flag=True,
    help="Judge front matter (YAML metadata) changes as text, not as editorial metadata.",
)  # fmt: skip
@click.option(
    "--cross-language", "cross", is_flag=True,
    help="Align clauses by meaning across languages, even if both versions seem to be in one.",
)  # fmt: skip
@click.option(
    "--same-language", "same", is_flag=True,
    help="Compare word by word; refuse if the versions are in different languages.",
)  # fmt: skip
@pass_store
@collector_paused()
def diff(
    store_path: StorePath,
    doc: str,
    old: str | None,
    new: str | None,
    fmt: str,
    substantive_only: bool,
    changes_only: bool,
    no_color: bool,
    front_matter_as_text: bool,
    cross: bool,
    same: bool,
) -> None:
    """Compare two versions of DOC clause by clause.

    NEW defaults to the latest version and OLD to the version before NEW in draft order.
    OLD and NEW are version ids, labels, 1-based positions, `first` or `latest`.
    When the two versions are in different languages (the `language` of their provenance,
    else detected), their clauses are aligned by meaning and each pair is checked for
    numbers, negations and names that differ.
    """
    if cross and same:
        raise DrafttrackError("give --cross-language or --same-language, not both")
    mode: Mode = "cross" if cross else "same" if same else "auto"
    with store_path.open() as store:
        old_v, new_v = version_pair(store, doc, old, new)
        # clause keys stable across versions (lineage keys from the index) in the JSON contract
        comparison = compare_versions(
            store,
            old_v,
            new_v,
            keyed=fmt == "json",
            mode=mode,
            front_matter_as_text=front_matter_as_text,
        )
    if comparison.languages is not None:
        a, b = (lang or "unknown language" for lang in comparison.languages)
        click.echo(
            f"cross-language comparison ({a} → {b}): clauses aligned by meaning; numbers,"
            " negations and names checked on each pair",
            err=True,
        )
    if fmt in ("md", "html"):
        from drafttrack.export import ExportOptions, export_report

        data = comparison_report(doc, old_v, new_v, comparison)
        options = ExportOptions(changes_only=changes_only or substantive_only)
        click.echo(export_report(fmt, data, options).decode("utf-8"), nl=False)
        return
    if fmt == "json":
        shown = (
            Comparison(comparison.substantive(), languages=comparison.languages)
            if substantive_only
            else comparison
        )
        data = comparison_report(doc, old_v, new_v, shown)
        data["summary"] = comparison.summary()
        # UTF-8 bytes written directly: click.echo would scan the whole document for colour
        # codes to strip, and JSON has none (it escapes control characters).
        out = sys.stdout.buffer
        out.write(json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n")
        out.flush()
        return
    from drafttrack.render_text import render_text

    color = not no_color and sys.stdout.isatty()
    text = render_text(
        comparison,
        title=f"{doc}: {old_v.label} → {new_v.label}",
        color=color,
        changes_only=changes_only,
        substantive_only=substantive_only,
    )
    click.echo(text, nl=False, color=color or None)
