"""Commands over a document's history: import, trace, history, search."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from drafttrack.cli.progress import Progress
from drafttrack.cli.store_cmds import echo_json
from drafttrack.errors import DrafttrackError
from drafttrack.phrase_search import search_lineages
from drafttrack.service import lineages as service_lineages
from drafttrack.trace import LineageView, history_lineages, trace_lineages
from drafttrack.trace_render import render_history, render_search, render_trace
from repo_store import Store


@cli.command("import")
@click.argument("doc")
@click.argument("folder", metavar="DIR")
@click.option("--title", help="Document title (used when DOC is created).")
@click.option("--language", help="Document language, e.g. en, de, uk (when DOC is created).")
@click.option("--json", "as_json", is_flag=True, help="Print the recorded versions as JSON.")
@click.option(
    "--no-index",
    is_flag=True,
    help="Do not build the clause index now (the first trace or diff builds it).",
)
@pass_store
def import_(
    store_path: StorePath,
    doc: str,
    folder: str,
    title: str | None,
    language: str | None,
    as_json: bool,
    no_index: bool,
) -> None:
    """Record every version in DIR as versions of DOC, one commit each, all or nothing.

    Files are taken in name order, unless DIR holds a manifest.json listing them with labels,
    draft positions and provenance. The clause index (lineages) is then built, so that the first
    trace, log or diff answers at once.
    """
    from drafttrack.service.importing import import_plan, read_folder  # only this command

    started = time.perf_counter()
    with Progress("reading versions", "files") as progress:
        plan = read_folder(Path(folder), title=title, language=language, progress=progress)
    with store_path.open() as store:
        result = import_plan(store, doc, plan)
        if not no_index:
            build_index(store, doc)
    elapsed = time.perf_counter() - started
    for warning in plan.warnings:
        click.echo(f"warning: {warning}", err=True)
    if as_json:
        echo_json(
            {
                "document": doc,
                "commit": result.commit,
                "versions": [v.to_json() for v in result.versions],
                "summary": {"versions": len(result.versions), "seconds": round(elapsed, 3)},
            }
        )
        return
    n = len(result.versions)
    click.echo(f"imported {n} versions into {doc} in {elapsed:.2f} s ({n / elapsed:.0f}/s)")


@contextmanager
def document_lineages(store: Store, doc: str, *, use_cache: bool = True) -> Iterator[LineageView]:
    """DOC's lineages (the service's), with a progress bar on a terminal when a cold build takes
    a while."""
    with (
        Progress(f"building the clause lineages of {doc}", "versions") as progress,
        service_lineages.document_lineages(
            store, doc, use_cache=use_cache, progress=progress
        ) as lin,
    ):
        yield lin


def build_index(store: Store, doc: str) -> None:
    """Build DOC's lineages into the derived index now; a text the engine refuses is a warning
    (the versions are recorded; the trace that needs them explains)."""
    try:
        with document_lineages(store, doc):
            pass
    except DrafttrackError as exc:
        click.echo(f"warning: the clause index was not built: {exc}", err=True)


@cli.command("trace")
@click.argument("doc")
@click.argument("phrase")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the contract's shape).")
@click.option("--fuzzy", is_flag=True, help="Also find near matches (a reworded phrase).")
@click.option("--no-cache", is_flag=True, help="Ignore the derived index (a cold trace).")
@pass_store
def trace_cmd(
    store_path: StorePath, doc: str, phrase: str, as_json: bool, fuzzy: bool, no_cache: bool
) -> None:
    """The life of every clause of DOC that ever contained PHRASE, version by version."""
    with store_path.open() as store, document_lineages(store, doc, use_cache=not no_cache) as lin:
        result = trace_lineages(lin, phrase, fuzzy)
    if as_json:
        echo_json(result)
    else:
        click.echo(render_trace(result))


@cli.command("history")
@click.argument("doc")
@click.argument("clause")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_store
def history_cmd(store_path: StorePath, doc: str, clause: str, as_json: bool) -> None:
    """CLAUSE (a key, or a number such as "Article 3(1)") in every version of DOC."""
    with store_path.open() as store, document_lineages(store, doc) as lin:
        result = history_lineages(lin, clause)
    if as_json:
        echo_json(result)
    else:
        click.echo(render_history(result))


@cli.command("search")
@click.argument("phrase")
@click.option("--doc", help="Only this document.")
@click.option("--since", metavar="DATE", help="Only versions reported on or after DATE.")
@click.option("--until", metavar="DATE", help="Only versions reported on or before DATE.")
@click.option("--limit", type=int, default=100, show_default=True, help="Show at most N matches.")
@click.option("--fuzzy", is_flag=True, help="Rank the nearest clauses (paraphrased quotes).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_store
def search_cmd(
    store_path: StorePath,
    phrase: str,
    doc: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    fuzzy: bool,
    as_json: bool,
) -> None:
    """Which documents, versions and clauses of the store contain PHRASE (from the search
    index, built as documents change; --fuzzy reads every document's lineages instead)."""
    from drafttrack.service.search import search_store
    from drafttrack.service.search_refresh import default_workers

    with store_path.open() as store:
        if fuzzy:
            with ExitStack() as stack:
                docs = [store.document(doc)] if doc else store.documents()
                views = [stack.enter_context(document_lineages(store, d.slug)) for d in docs]
                result = search_lineages(views, phrase, fuzzy)
            result["total"] = len(result["matches"])
        else:
            with Progress("indexing documents", "documents") as progress:
                result = search_store(
                    store, phrase, doc=doc, since=since, until=until, limit=limit,
                    progress=progress, workers=default_workers(),
                )  # fmt: skip
    if as_json:
        echo_json(result)
    else:
        click.echo(render_search(result))
        shown = len(result["matches"])
        if result["total"] > shown:
            click.echo(f"({shown} of {result['total']} matches; --limit shows more)")
