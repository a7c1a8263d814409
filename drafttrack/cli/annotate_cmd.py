"""``drafttrack annotate``: pin a sourced note to a clause of a version (one commit)."""

from __future__ import annotations

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from drafttrack.cli.store_cmds import echo_json
from drafttrack.service.lineages import find_clause, keyed_clauses
from repo_store.annotations import add_annotation


@cli.command()
@click.argument("doc")
@click.argument("ref")
@click.argument("clause")
@click.option("--note", required=True, help="The note (what a source says about this clause).")
@click.option("--source", "outlet", metavar="OUTLET", help="Who says so.")
@click.option("--url", help="URL of the source (http or https).")
@click.option("--json", "as_json", is_flag=True, help="Print the annotation as JSON.")
@pass_store
def annotate(
    store_path: StorePath,
    doc: str,
    ref: str,
    clause: str,
    note: str,
    outlet: str | None,
    url: str | None,
    as_json: bool,
) -> None:
    """Pin a sourced note to CLAUSE (key or number) of version REF of DOC; prints its id.

    The note follows the clause through other versions (renumbered, moved or reworded).
    """
    with store_path.open() as store:
        version = store.resolve(doc, ref)
        target = find_clause(keyed_clauses(store, version), clause)
        record, commit = add_annotation(
            store, doc, version, target.to_json(), note=note, outlet=outlet, url=url
        )
    if as_json:
        echo_json({"annotation": record, "commit": commit})
    else:
        click.echo(record["id"])
