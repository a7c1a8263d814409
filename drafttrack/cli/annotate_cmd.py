"""``drafttrack annotate``: pin a sourced note to a clause of a version (one commit)."""

from __future__ import annotations

from dataclasses import replace

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from drafttrack.cli.store_cmds import echo_json
from drafttrack.errors import DrafttrackError
from drafttrack.index_cache import lineage_keys
from drafttrack.model import Clause, VersionText
from drafttrack.segment import segment
from repo_store import Store, Version
from repo_store.annotations import add_annotation


def lineage_clauses(store: Store, version: Version) -> list[Clause]:
    """The version's clauses keyed by their lineage keys (stable across versions)."""
    doc = version.document

    def load() -> list[VersionText]:
        return [VersionText(v.to_json(), store.read_text(doc, v.id)) for v in store.versions(doc)]

    clauses = segment(store.read_text(doc, version.id))
    keys = lineage_keys(store.cache_dir, doc, store.head(), load).get(version.id) or []
    if len(keys) != len(clauses):
        return clauses
    return [replace(c, key=k) for c, k in zip(clauses, keys, strict=True)]


def find_clause(clauses: list[Clause], wanted: str) -> Clause:
    """A clause by key ("c12"), number ("Article 3", "(b)") or full numbering ("Article 2.1")."""
    w = " ".join(wanted.split()).casefold()
    tests = (
        lambda c: c.key.casefold() == w,
        lambda c: (c.number or "").casefold() == w,
        lambda c: ".".join(c.numbering).casefold() == w,
        lambda c: " ".join(c.numbering).casefold() == w,
        lambda c: "/".join(c.numbering).casefold() == w,
    )
    for test in tests:
        found = [c for c in clauses if test(c)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            options = ", ".join(".".join(c.numbering) or c.key for c in found[:6])
            raise DrafttrackError(f"clause {wanted!r} is ambiguous ({options}); use a full number")
    raise DrafttrackError(
        f"no clause {wanted!r} (give a key like c12 or a number like 'Article 2.1')"
    )


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
        target = find_clause(lineage_clauses(store, version), clause)
        record, commit = add_annotation(
            store, doc, version, target.to_json(), note=note, outlet=outlet, url=url
        )
    if as_json:
        echo_json({"annotation": record, "commit": commit})
    else:
        click.echo(record["id"])
