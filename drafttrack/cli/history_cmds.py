"""Commands over a document's history: import, trace, history, search."""

from __future__ import annotations

import time
from pathlib import Path

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from drafttrack.cli.import_manifest import read_folder
from drafttrack.cli.store_cmds import echo_json
from repo_store.bulk import import_versions


@cli.command("import")
@click.argument("doc")
@click.argument("folder", metavar="DIR")
@click.option("--title", help="Document title (used when DOC is created).")
@click.option("--language", help="Document language, e.g. en, de, uk (when DOC is created).")
@click.option("--json", "as_json", is_flag=True, help="Print the recorded versions as JSON.")
@pass_store
def import_(
    store_path: StorePath,
    doc: str,
    folder: str,
    title: str | None,
    language: str | None,
    as_json: bool,
) -> None:
    """Record every version in DIR as versions of DOC, one commit each, all or nothing.

    Files are taken in name order, unless DIR holds a manifest.json listing them with labels,
    draft positions and provenance.
    """
    started = time.perf_counter()
    plan = read_folder(Path(folder), title=title, language=language)
    with store_path.open() as store:
        result = import_versions(store, doc, plan.items, positions=plan.positions)
    elapsed = time.perf_counter() - started
    for warning in plan.warnings:
        click.echo(f"warning: {warning}", err=True)
    if as_json:
        echo_json(
            {
                "document": doc,
                "commit": result.commit,
                "versions": [v.to_json() for v in result.versions],
            }
        )
        return
    n = len(result.versions)
    click.echo(f"imported {n} versions into {doc} in {elapsed:.2f} s ({n / elapsed:.0f}/s)")
