"""``drafttrack check``: whether the clauses of every stored version cover its text."""

from __future__ import annotations

from typing import Any

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from drafttrack.cli.store_cmds import echo_json
from drafttrack.segment import uncovered_stretches
from drafttrack.segment_cache import cached_segments
from drafttrack.service.stored import stored_versions


@cli.command()
@click.argument("doc", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@pass_store
def check(store_path: StorePath, doc: str | None, as_json: bool) -> None:
    """Check that every word of every version of DOC (default: all documents) is in a clause.

    The clauses checked are the ones comparisons, traces and exports use (from the segment
    cache when it holds them). Exits 1 when a version's clauses miss words, naming its lines.
    """
    with store_path.open() as store:
        slugs = [doc] if doc else [d.slug for d in store.documents()]
        if doc:
            store.document(doc)  # an unknown document is a user error (exit 2)
        found = [_check_document(store, slug) for slug in slugs]
    versions = [v for d in found for v in d["versions"]]
    bad = [v for v in versions if not v["covered"]]
    if as_json:
        echo_json({"documents": found, "versions": len(versions), "not_covered": len(bad)})
    else:
        for d in found:
            for v in d["versions"]:
                if v["covered"]:
                    click.echo(f"{d['document']}\t{v['label']}\tcovered")
                else:
                    where = ", ".join(_shown(a, b) for a, b in v["lines"])
                    click.echo(f"{d['document']}\t{v['label']}\tNOT COVERED: lines {where}")
        click.echo(f"{len(versions) - len(bad)}/{len(versions)} versions covered")
    if bad:
        raise NotCovered(f"{len(bad)} of {len(versions)} versions have words in no clause")


class NotCovered(click.ClickException):
    """Some version's clauses miss words: reported on stderr, exit 1 (not a user error)."""

    exit_code = 1


def _check_document(store: Any, slug: str) -> dict[str, Any]:
    """The coverage of each version of ``slug``: lines as 1-based first and last lines."""
    versions = stored_versions(store, slug)
    texts = [v.text for v in versions]
    segmented = cached_segments(store.cache_dir, *texts)
    out = []
    for version, text, clauses in zip(versions, texts, segmented, strict=True):
        lost = uncovered_stretches(text, clauses)
        out.append(
            {
                "id": version.meta["id"],
                "label": version.meta["label"],
                "covered": not lost,
                "lines": [[a + 1, b] for a, b in lost],
            }
        )
    return {"document": slug, "versions": out}


def _shown(first: int, last: int) -> str:
    return f"{first}-{last}" if last > first else str(first)
