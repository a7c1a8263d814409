"""``drafttrack adopt``: a git history of documents becomes versions in the store."""

from __future__ import annotations

import time

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from drafttrack.cli.progress import Progress
from drafttrack.cli.store_cmds import echo_json
from repo_store import Store


@cli.command("adopt")
@click.argument("source")
@click.argument("pathspecs", nargs=-1, metavar="[PATHSPEC]...")
@click.option("--outlet", help="Source outlet of every version (default: the repository's name).")
@click.option(
    "--commit-url",
    metavar="TEMPLATE",
    help="URL of a version's source, e.g. https://github.com/{repo}/commit/{sha} "
    "(fields {repo}, {sha}, {short}, {path}).",
)
@click.option(
    "--slug-from",
    type=click.Choice(["path", "dir", "stem"]),
    default="path",
    show_default=True,
    help="Document name from the file's whole path, its folder or its file name.",
)
@click.option(
    "--rebase-history",
    type=click.Choice(["refuse", "continue"]),
    default="refuse",
    show_default=True,
    help="A rewritten source: refuse it, or continue with its new history (texts a "
    "document already has are skipped).",
)
@click.option(
    "--no-index",
    is_flag=True,
    help="Do not bring the search index up to date now (the first search does it).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_store
def adopt_cmd(
    store_path: StorePath,
    source: str,
    pathspecs: tuple[str, ...],
    outlet: str | None,
    commit_url: str | None,
    slug_from: str,
    rebase_history: str,
    no_index: bool,
    as_json: bool,
) -> None:
    """Adopt the git history at SOURCE (a folder or a URL): each file a document, each commit
    that changed it a version; re-running adds only the new commits. The documents that
    received versions are then indexed for `search` (and their clause lineages for `trace`)."""
    from drafttrack.service.adopting import adopt

    started = time.perf_counter()
    indexed, index_seconds = 0, 0.0
    with store_path.open() as store:
        with Progress("adopting", "versions") as progress:
            summary = adopt(
                store, source, pathspecs, outlet=outlet, commit_url=commit_url,
                slug_from=slug_from, rebase_history=rebase_history, progress=progress,
            )  # fmt: skip
        adopted = time.perf_counter() - started
        if not no_index and not summary.up_to_date:
            indexed = _index(store)
            index_seconds = time.perf_counter() - started - adopted
    elapsed = adopted
    if as_json:
        echo_json(
            {
                **summary.to_json(),
                "seconds": round(elapsed, 3),
                "indexed": {"documents": indexed, "seconds": round(index_seconds, 3)},
            }
        )
        return
    if summary.up_to_date:
        click.echo(f"nothing to adopt: {source} is at {summary.to_commit} already adopted")
        return
    rate = summary.versions / elapsed if elapsed > 0 else 0.0
    indexing = f"; indexed {indexed} documents in {index_seconds:.2f} s" if indexed else ""
    click.echo(
        f"adopted {summary.versions} versions of {summary.documents} documents "
        f"({summary.withdrawn} withdrawn, {len(summary.skipped)} files skipped) "
        f"up to {(summary.to_commit or '')[:10]} in {elapsed:.2f} s ({rate:.0f} versions/s)"
        f"{indexing}"
    )
    for skipped in summary.skipped:
        click.echo(f"skipped {skipped['path']}: {skipped['reason']}", err=True)


def _index(store: Store) -> int:
    """Bring the search index, the documents' clause lineages and the documents listing up to
    date; how many documents were indexed."""
    from drafttrack.service.adopting import index_adopted

    with Progress("indexing", "documents") as progress:
        return index_adopted(store, progress)
