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
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from drafttrack.ingest import MAX_INPUT_BYTES, IngestError, ingest
from drafttrack.service.events import event_path
from repo_store import InvalidName, InvalidValue, Original, Provenance, Store, StoreError, names
from repo_store.bulk import Step, import_steps
from repo_store.gitsource import GitSource, SourceCommit, check_pathspec
from repo_store.model import dump_json, prepare_version

STATE_DIR = "_adopted"
"""Top-level folder of adoption records (not a valid slug, so never a document)."""
READABLE = (".md", ".markdown", ".txt", ".text", ".html", ".htm", ".xhtml", ".docx", ".pdf")
"""Files adopted when no PATHSPEC is given: the formats ``add`` reads."""
SLUG_FROM = ("path", "dir", "stem")
REBASE = ("refuse", "continue")
TEMPLATE_FIELDS = {"repo", "sha", "short", "path"}
NOTE_LIMIT = 500


@dataclass(slots=True)
class AdoptSummary:
    """What one run adopted (the ``adopt --json`` contract)."""

    source: str
    from_commit: str | None
    to_commit: str | None
    documents: int = 0
    versions: int = 0
    withdrawn: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    up_to_date: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "from_commit": self.from_commit,
            "to_commit": self.to_commit,
            "documents": self.documents,
            "versions": self.versions,
            "withdrawn": self.withdrawn,
            "skipped": self.skipped,
        }


@dataclass(slots=True)
class _Plan:
    """The adoption being planned: path → document, documents that exist, steps to commit."""

    paths: dict[str, str]
    withdrawn: set[str]
    existing: set[str]
    history: dict[str, str] = field(default_factory=dict)
    """Every path ever adopted → its document (a replayed history finds them again)."""
    steps: list[Step] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)


def check_template(template: str | None) -> str | None:
    """A ``--commit-url`` template: an http(s) URL with {repo}, {sha}, {short}, {path} fields."""
    if template is None:
        return None
    fields = set(re.findall(r"{([^{}]*)}", template))
    unknown = fields - TEMPLATE_FIELDS
    if unknown or not fields or re.search(r"{[^{}]*{|}[^{}]*}", template.replace("}{", "} {")):
        raise InvalidValue(
            f"bad --commit-url template {template!r}: use {{repo}}, {{sha}}, {{short}}, {{path}}"
        )
    names.check_url(_fill(template, "owner/name", "0" * 40, "a/b.md"))
    return template


def _fill(template: str, repo: str, sha: str, path: str) -> str:
    return (
        template.replace("{repo}", repo)
        .replace("{sha}", sha)
        .replace("{short}", sha[:10])
        .replace("{path}", path)
    )


def slug_for(path: str, slug_from: str) -> str:
    """A valid document slug from a file's path (``dir``: its folder, ``stem``: its name without
    extension, ``path``: the whole path without extension)."""
    p = PurePosixPath(path)
    if slug_from == "dir" and len(p.parts) > 1:
        raw = p.parent.name
    elif slug_from == "stem":
        raw = p.stem
    else:
        raw = str(p.with_suffix("")).replace("/", "-")
    ascii_ = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9._-]+", "-", ascii_).replace("..", ".")
    slug = re.sub(r"-{2,}", "-", slug).strip("-._")[:64].strip("-._") or "document"
    try:
        return names.check_slug(slug)
    except InvalidName:
        return names.check_slug(f"{slug[:58]}-doc")


def _title(text: str, path: str) -> str:
    for line in text.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip()
            if title:
                return title[:500]
    return PurePosixPath(path).stem[:500]


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
        plan = _Plan(
            {} if replay else dict(state.get("paths", {})),
            set(state.get("withdrawn", [])),
            {d.slug for d in store.documents()},
        )
        _plan_commits(store, src, plan, commits, summary, specs=bool(specs), outlet=outlet,
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


def _plan_commits(
    store: Store,
    src: GitSource,
    plan: _Plan,
    commits: Sequence[SourceCommit],
    summary: AdoptSummary,
    *,
    specs: bool,
    outlet: str | None,
    template: str | None,
    slug_from: str,
    skip_known: bool,
    known_paths: dict[str, str],
    progress: Callable[[int, int], None] | None,
) -> None:
    """Turn the source's changes into steps: versions, withdrawals, in commit order."""
    wanted: list[tuple[SourceCommit, str, str, str]] = []  # (commit, path, slug, blob)
    events: list[tuple[int, SourceCommit, str, str]] = []  # (place in wanted, commit, path, slug)
    plan.history.update(known_paths)
    taken = set(plan.history.values()) | set(plan.paths.values()) | plan.existing
    for commit in commits:
        for change in commit.changes:
            if not specs and not change.path.lower().endswith(READABLE):
                continue
            if any(ord(c) < 32 for c in change.path):
                summary.skipped.append({"path": change.path, "reason": "control character"})
                continue
            if change.status == "D":
                slug = plan.paths.get(change.path)
                if slug is not None:
                    events.append((len(wanted), commit, change.path, slug))
                continue
            slug = plan.paths.pop(change.old_path, None) if change.old_path else None
            slug = slug or plan.paths.get(change.path)
            if slug is None and skip_known:
                slug = plan.history.get(change.path)
            if slug is None:
                slug = base = slug_for(change.path, slug_from)
                n = 2
                while slug in taken:
                    slug = f"{base[:60]}-{n}"
                    n += 1
                taken.add(slug)
            plan.paths[change.path] = plan.history[change.path] = slug
            wanted.append((commit, change.path, slug, change.blob))
    shas = [w[3] for w in wanted]
    known: dict[str, set[str]] = {}  # with skip_known: the texts each document already has
    latest: dict[str, str] = {}  # each document's latest text (sha256)
    for slug in {w[2] for w in wanted} & plan.existing:
        versions = store.versions(slug)
        if versions:
            latest[slug] = str(versions[-1].provenance.get("text_sha256"))
        if skip_known:
            known[slug] = {str(v.provenance.get("text_sha256")) for v in versions}
    event_at = 0
    blobs = src.blobs(shas, MAX_INPUT_BYTES)
    if skip_known:  # a replay: a deletion undone later in the same history is no withdrawal
        back = {slug: n for n, (_c, _p, slug, _b) in enumerate(wanted)}
        events = [e for e in events if back.get(e[3], -1) < e[0]]
    repo = _repo_of(src)
    for n, ((commit, path, slug, _blob), data) in enumerate(zip(wanted, blobs, strict=True)):
        while event_at < len(events) and events[event_at][0] <= n:
            _withdraw(plan, summary, *events[event_at][1:], outlet=outlet)
            event_at += 1
        url = _fill(template, repo, commit.sha, path) if template else None
        step = _version_step(summary, commit, path, slug, data, outlet, url)
        text = _sha(step.item.text) if step is not None and step.item is not None else None
        # the same text again (a pure rename, a change that normalising undoes, a replayed
        # commit) is no new version, unless it brings a withdrawn document back
        same = text == latest.get(slug) and slug not in plan.withdrawn
        if step is not None and text is not None and not same and text not in known.get(slug, ()):
            latest[slug] = text
            plan.steps.append(step)
            plan.existing.add(slug)
            plan.withdrawn.discard(slug)
            plan.touched.add(slug)
            summary.versions += 1
        if progress:
            progress(n + 1, len(wanted))
    for event in events[event_at:]:
        _withdraw(plan, summary, *event[1:], outlet=outlet)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _repo_of(src: GitSource) -> str:
    """``owner/name`` for a URL source (the last two parts of its path), else the folder's name."""
    identity = src.identity
    if "://" in identity:
        path = urlsplit(identity).path
    elif "@" in identity and ":" in identity:
        path = identity.split(":", 1)[1]
    else:
        return src.name
    parts = [p for p in path.removesuffix("/").removesuffix(".git").split("/") if p]
    return "/".join(parts[-2:]) or src.name


def _version_step(
    summary: AdoptSummary,
    commit: SourceCommit,
    path: str,
    slug: str,
    data: bytes | None,
    outlet: str | None,
    url: str | None,
) -> Step | None:
    if data is None:
        summary.skipped.append({"path": path, "reason": f"larger than {MAX_INPUT_BYTES} bytes"})
        return None
    name = PurePosixPath(path).name
    try:
        received = ingest(data, name)
        provenance = Provenance.of(
            outlet=outlet,
            url=url,
            reported_on=commit.date[:10],
            note=commit.subject[:NOTE_LIMIT] or None,
        )
        item = prepare_version(
            received.text,
            provenance,
            title=_title(received.text, path),
            original=Original(data, name, received.extension),
            extra={
                "format": received.format,
                "adopted": {"commit": commit.sha, "path": path, "committed_at": commit.date},
            },
        )
    except (IngestError, StoreError) as exc:
        reason = str(exc).removeprefix(f"{name}: ")
        summary.skipped.append({"path": path, "commit": commit.sha, "reason": reason})
        return None
    trailers = f"Drafttrack-Source-Commit: {commit.sha}\nDrafttrack-Source-Path: {path}\n"
    return Step(slug, item=item, trailers=trailers)


def _withdraw(
    plan: _Plan, summary: AdoptSummary, commit: SourceCommit, path: str, slug: str, *,
    outlet: str | None,
) -> None:  # fmt: skip
    """A file deleted: a ``withdrawn`` event on its document (when it has any version)."""
    if slug not in plan.existing or slug in plan.withdrawn:
        return
    event = {
        "type": "withdrawn",
        "on": commit.date[:10],
        "committed_at": commit.date,
        "outlet": outlet,
        "commit": commit.sha,
        "path": path,
        "note": commit.subject[:NOTE_LIMIT],
    }
    message = (
        f"{slug}: withdrawn ({outlet or 'unknown source'})\n\n"
        f"Drafttrack-Action: withdraw\nDrafttrack-Document: {slug}\n"
        f"Drafttrack-Source-Commit: {commit.sha}\nDrafttrack-Source-Path: {path}\n"
    )
    files = {event_path(slug, commit.sha[:12], "withdrawn"): dump_json(event)}
    plan.steps.append(Step(slug, files=files, message=message))
    plan.withdrawn.add(slug)
    plan.touched.add(slug)
    summary.withdrawn += 1
