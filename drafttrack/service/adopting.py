"""Adopt a git history (``drafttrack adopt``): every file becomes a document, every commit that
changed it a version, in one all-or-nothing import.

The source is read by ``repo_store.gitsource`` (one ``git log`` pass, one ``cat-file`` stream);
the versions are written by ``repo_store.bulk.import_steps`` (one pack, one compare-and-swap).
What was adopted from a source (its last commit, which path is which document) is kept in the
store at ``_adopted/<key>.json``, so a re-run adds only the commits since then; a source whose
history no longer contains that commit was rewritten and is refused unless told otherwise.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from drafttrack.service.adopt_plan import AdoptSummary, Plan, check_template, plan_commits
from repo_store import InvalidValue, Store, StoreError, names
from repo_store.bulk import Step, import_steps
from repo_store.gitsource import GitSource, check_pathspec
from repo_store.model import dump_json

STATE_DIR = "_adopted"
"""Top-level folder of adoption records (not a valid slug, so never a document)."""
SLUG_FROM = ("path", "dir", "stem")
REBASE = ("refuse", "continue")

__all__ = ["AdoptSummary", "adopt", "check_template", "index_adopted"]


def _state_path(identity: str) -> str:
    return f"{STATE_DIR}/{hashlib.sha256(identity.encode()).hexdigest()[:16]}.json"


def _read_state(store: Store, head: str, identity: str) -> dict[str, Any] | None:
    raw = store.io.read_blob(head, _state_path(identity))
    return None if raw is None else dict(json.loads(raw))


def adopt(
    store: Store,
    source: str,
    pathspecs: Sequence[str] = (),
    *,
    outlet: str | None = None,
    commit_url: str | None = None,
    slug_from: str = "path",
    rebase_history: str = "refuse",
    timeout: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> AdoptSummary:
    """Adopt SOURCE's history into the store; raises StoreError/IngestError, store untouched."""
    specs = [check_pathspec(s) for s in pathspecs]
    template = check_template(commit_url)
    if slug_from not in SLUG_FROM:
        raise InvalidValue(f"--slug-from must be one of {', '.join(SLUG_FROM)}")
    if rebase_history not in REBASE:
        raise InvalidValue(f"--rebase-history must be one of {', '.join(REBASE)}")
    with GitSource.open(source, timeout=timeout) as src:
        outlet = names.check_text_field("outlet", outlet or src.name, limit=300)
        store_head = store.head()
        if store_head is None:
            raise StoreError("the store has no commit (run `drafttrack init`)")
        head = src.head()
        if head is None:
            raise InvalidValue(f"{source}: the repository has no commits")
        state = _read_state(store, store_head, src.identity) or {}
        last = state.get("last_commit")
        summary = AdoptSummary(src.identity, last, head)
        if last == head:
            summary.up_to_date = True
            return summary
        since = last
        if last and not (src.has_commit(last) and src.is_ancestor(last, head)):
            if rebase_history == "refuse":
                raise InvalidValue(
                    f"{source} was rewritten: its history no longer contains the last adopted "
                    f"commit {last[:10]}; nothing adopted (--rebase-history continue adopts "
                    "the new history, skipping texts the documents already have)"
                )
            since = src.merge_base(last, head) if src.has_commit(last) else None
        commits = src.commits(head, since, specs)
        replay = bool(last) and since is None  # the whole new history, documents kept by path
        plan = Plan(
            {} if replay else dict(state.get("paths", {})),
            set(state.get("withdrawn", [])),
            {d.slug for d in store.documents()},
        )
        plan_commits(store, src, plan, commits, summary, specs=bool(specs), outlet=outlet,
                     template=template, slug_from=slug_from,
                     skip_known=since != last, known_paths=state.get("history", {}),
                     progress=progress)  # fmt: skip
        if not last and not plan.steps and not summary.skipped:
            wanted = " ".join(specs) or "a format `add` reads"
            raise InvalidValue(f"{source}: no file in its history matches {wanted}")
        record = {
            "source": src.identity,
            "last_commit": head,
            "paths": plan.paths,
            "withdrawn": sorted(plan.withdrawn),
            "history": plan.history,
        }
        plan.steps.append(
            Step(
                STATE_DIR,
                files={_state_path(src.identity): dump_json(record)},
                message=(
                    f"adopt {outlet} up to {head[:10]}\n\nDrafttrack-Action: adopt\n"
                    f"Drafttrack-Source-Commit: {head}\n"
                ),
            )
        )
        import_steps(store, plan.steps, expected_head=store_head)
        summary.documents = len(plan.touched)
    return summary


def index_adopted(store: Store, progress: Callable[[int, int], None] | None = None) -> int:
    """After an adopt, what its first reader needs: the search index (and so the documents'
    clause lineages, for ``trace``) brought up to date, shared among one process per core, and
    the documents listing kept current (the viewer's first documents page reads it, not every
    document). How many documents were indexed."""
    from drafttrack.search_index import SearchIndex
    from drafttrack.service.listing import all_documents
    from drafttrack.service.search_refresh import default_workers, index_path, refresh_index

    with SearchIndex(index_path(store)) as index:
        indexed = refresh_index(store, index, progress, workers=default_workers())
    all_documents(store)
    return indexed
