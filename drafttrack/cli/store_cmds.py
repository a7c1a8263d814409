"""Commands that record and list versions: init, add, source add, docs, log, show."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from drafttrack.ingest import IngestError
from drafttrack.service.events import describe_event, document_events
from drafttrack.service.versions import Received, add_received
from drafttrack.wording import also_reported, source_line
from repo_store import Placement, Provenance, Store, Version, names


def echo_json(data: Any) -> None:
    """Print one JSON document (UTF-8, not ASCII-escaped)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def describe_source(version: Version) -> str:
    """ "Outlet via A, B, reported 2026-01-07" for one version."""
    return source_line(version.provenance)


def read_input(file: str) -> tuple[bytes, str]:
    """Bytes of FILE (or stdin for ``-``) and the name to record."""
    if file == "-":
        return sys.stdin.buffer.read(), "-"
    path = Path(file)
    if not path.exists():
        raise IngestError(f"{file}: no such file")
    if path.is_dir():
        raise IngestError(f"{file}: is a directory, not a file")
    try:
        return path.read_bytes(), path.name
    except OSError as exc:
        raise IngestError(f"{file}: cannot be read ({exc.strerror})") from None


@cli.command()
@pass_store
def init(store_path: StorePath) -> None:
    """Create an empty store (a bare git repository) at --store."""
    with Store.init(store_path.path):
        pass
    click.echo(f"created an empty drafttrack store in {store_path.path}")


@cli.command()
@click.argument("doc")
@click.argument("file", required=False)
@click.option(
    "--from-url",
    "from_url",
    metavar="URL",
    help="Fetch the text from URL (http/https) instead of FILE; recorded as the source URL.",
)
@click.option("--title", help="Document title (used when DOC is created).")
@click.option("--language", help="Document language, e.g. en, de, uk (when DOC is created).")
@click.option(
    "--text-language",
    metavar="CODE",
    help="This version's language when it is not the document's (a translation: compared by "
    "meaning, kept out of the lineages).",
)
@click.option("--label", help="Version label, unique in DOC (default: v<N>).")
@click.option("--source", "outlet", metavar="OUTLET", help="The outlet that reported this text.")
@click.option("--via", multiple=True, metavar="OUTLET", help="An outlet that relayed the report.")
@click.option("--url", help="URL of the report (http or https).")
@click.option("--reported-on", metavar="DATE", help="When the text was reported (YYYY-MM-DD).")
@click.option("--drafted-on", metavar="DATE", help="When the text was drafted (YYYY-MM-DD).")
@click.option(
    "--completeness",
    type=click.Choice(["full", "partial", "excerpt"]),
    help="How complete the text is (default full).",
)
@click.option("--note", help="A note on the text or its provenance.")
@click.option("--before", metavar="REF", help="Place it before REF in the draft order.")
@click.option("--after", metavar="REF", help="Place it after REF in the draft order.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_store
def add(
    store_path: StorePath,
    doc: str,
    file: str | None,
    from_url: str | None,
    title: str | None,
    language: str | None,
    text_language: str | None,
    label: str | None,
    outlet: str | None,
    via: tuple[str, ...],
    url: str | None,
    reported_on: str | None,
    drafted_on: str | None,
    completeness: str | None,
    note: str | None,
    before: str | None,
    after: str | None,
    as_json: bool,
) -> None:
    """Record FILE (- for stdin, or the page at --from-url) as a version of DOC; prints its id."""
    if before and after:
        raise click.UsageError("give --before or --after, not both")
    provenance = Provenance.of(
        label=label, outlet=outlet, via=via, url=url, reported_on=reported_on,
        drafted_on=drafted_on, completeness=completeness, note=note,
    )  # fmt: skip
    with store_path.open() as store:
        if from_url:
            if file:
                raise click.UsageError("give FILE or --from-url, not both")
            from drafttrack.ingest.fetch import fetch

            fetched = fetch(from_url)
            received = Received(fetched.data, fetched.name)
            provenance = replace(provenance, url=url or from_url)
        elif file:
            data, name = read_input(file)
            received = Received(data, name, record_name=name != "-")
        else:
            raise click.UsageError("missing FILE (or - for stdin, or --from-url URL)")
        spoken = names.check_language("--text-language", text_language)
        added = add_received(
            store, doc, received, provenance, Placement(before, after),
            title=title, language=language, extra={"language": spoken} if spoken else None,
        )  # fmt: skip
        result = added.result
        for warning in added.warnings:
            click.echo(f"warning: {warning}", err=True)
        same = result.identical_to
        if as_json:
            echo_json(
                {
                    "document": doc,
                    "version": result.version.to_full_json(),
                    "commit": result.commit,
                    "identical_to": same.to_json() if same else None,
                    "warnings": added.warnings,
                }
            )
            return
        click.echo(result.version.id)
        if same:
            click.echo(
                f"note: the text is identical to version {same.label!r} ({same.id}); "
                f"to record another outlet's report of it, use `drafttrack source add {doc} "
                f"{same.id} --outlet …`",
                err=True,
            )


@cli.group()
def source() -> None:
    """Record further reports of an existing version."""


@source.command("add")
@click.argument("doc")
@click.argument("ref")
@click.option("--outlet", required=True, help="The outlet that also reported this version.")
@click.option("--via", multiple=True, metavar="OUTLET", help="An outlet that relayed the report.")
@click.option("--url", help="URL of the report (http or https).")
@click.option("--reported-on", metavar="DATE", help="When it was reported (YYYY-MM-DD).")
@pass_store
def source_add(
    store_path: StorePath,
    doc: str,
    ref: str,
    outlet: str,
    via: tuple[str, ...],
    url: str | None,
    reported_on: str | None,
) -> None:
    """Record that OUTLET also reported version REF of DOC (no new version)."""
    with store_path.open() as store:
        version, _ = store.add_source(
            doc, ref, outlet=outlet, via=via, url=url, reported_on=reported_on
        )
        click.echo(f"{version.id}: also reported by {outlet}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the contract's shape).")
@pass_store
def docs(store_path: StorePath, as_json: bool) -> None:
    """List the documents with their number of versions."""
    with store_path.open() as store:
        rows = []
        for doc in store.documents():
            versions = store.versions(doc.slug)
            rows.append((doc, versions))
        if as_json:
            echo_json(
                {
                    "documents": [
                        {
                            "slug": d.slug,
                            "title": d.title,
                            "language": d.language,
                            "versions": len(vs),
                            "latest": vs[-1].to_json() if vs else None,
                        }
                        for d, vs in rows
                    ]
                }
            )
            return
        if not rows:
            click.echo("no documents yet (add one with `drafttrack add DOC FILE`)")
        for d, vs in rows:
            latest = vs[-1].label if vs else "-"
            click.echo(f"{d.slug}\t{len(vs)} versions\tlatest: {latest}\t{d.title}")


@cli.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the contract's shape).")
@pass_store
def log(store_path: StorePath, doc: str, as_json: bool) -> None:
    """List DOC's versions in draft order with their provenance."""
    with store_path.open() as store:
        document = store.document(doc)
        versions = store.versions(doc)
        if as_json:
            from drafttrack.service.history import document_log  # the engine, only for JSON

            echo_json(document_log(store, doc))
            return
        events = document_events(store, doc)
        click.echo(f"{document.title} ({doc}): {len(versions)} versions in draft order")
        for v in versions:
            prov = v.provenance
            flags = "" if v.completeness == "full" else f" [{v.completeness} text]"
            drafted = f", drafted {prov['drafted_on']}" if prov.get("drafted_on") else ""
            click.echo(f"{v.position:>3}. {v.label}  ({v.id}){flags}")
            click.echo(f"     {describe_source(v)}{drafted}; added {prov.get('added_at', '?')}")
            for also in prov.get("also_reported_by", []):
                click.echo(f"     also reported by {also_reported(also)}")
            if prov.get("identical_to"):
                click.echo(f"     identical to {prov['identical_to']}")
        for event in events:
            click.echo(f"  {describe_event(event)}")


@cli.command()
@click.argument("doc")
@click.argument("ref")
@pass_store
def show(store_path: StorePath, doc: str, ref: str) -> None:
    """Print the text of version REF of DOC."""
    with store_path.open() as store:
        version = store.resolve(doc, ref)
        click.echo(store.read_text(doc, version.id), nl=False)
