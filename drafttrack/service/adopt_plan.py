"""Planning an adoption (``drafttrack.service.adopting``): the files each source commit changed
become version steps of their documents (renames followed, slugs found for new paths), deleted
files ``withdrawn`` events, in commit order, ready for one all-or-nothing import."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from drafttrack.ingest import MAX_INPUT_BYTES, IngestError, ingest
from drafttrack.service.events import event_path
from drafttrack.wording import UNKNOWN_SOURCE
from repo_store import InvalidName, InvalidValue, Original, Provenance, Store, StoreError, names
from repo_store.bulk import Step
from repo_store.gitsource import GitSource, SourceCommit
from repo_store.model import dump_json, prepare_version

READABLE = (".md", ".markdown", ".txt", ".text", ".html", ".htm", ".xhtml", ".docx", ".pdf")
"""Files adopted when no PATHSPEC is given: the formats ``add`` reads."""
NOTE_LIMIT = 500
TEMPLATE_FIELDS = {"repo", "sha", "short", "path"}
"""The fields of a ``--commit-url`` template."""


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
class Plan:
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
    names.check_url(fill_template(template, "owner/name", "0" * 40, "a/b.md"))
    return template


def fill_template(template: str, repo: str, sha: str, path: str) -> str:
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


def plan_commits(
    store: Store,
    src: GitSource,
    plan: Plan,
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
    wanted, events = _match_changes(
        plan, commits, summary, specs=specs, slug_from=slug_from, skip_known=skip_known,
        known_paths=known_paths,
    )  # fmt: skip
    _add_steps(store, src, plan, wanted, events, summary, outlet=outlet, template=template,
               skip_known=skip_known, progress=progress)  # fmt: skip


_Wanted = tuple[SourceCommit, str, str, str]  # (commit, path, slug, blob)
_Event = tuple[int, SourceCommit, str, str]  # (place in the wanted list, commit, path, slug)


def _match_changes(
    plan: Plan,
    commits: Sequence[SourceCommit],
    summary: AdoptSummary,
    *,
    specs: bool,
    slug_from: str,
    skip_known: bool,
    known_paths: dict[str, str],
) -> tuple[list[_Wanted], list[_Event]]:
    """The files each commit changed, each with its document's slug (renames followed), and
    the deletions among them, in commit order."""
    wanted: list[_Wanted] = []
    events: list[_Event] = []
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
    return wanted, events


def _add_steps(
    store: Store,
    src: GitSource,
    plan: Plan,
    wanted: list[_Wanted],
    events: list[_Event],
    summary: AdoptSummary,
    *,
    outlet: str | None,
    template: str | None,
    skip_known: bool,
    progress: Callable[[int, int], None] | None,
) -> None:
    """One version step per changed text (texts a document already has skipped), and the
    withdrawals between them, in commit order."""
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
        url = fill_template(template, repo, commit.sha, path) if template else None
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
    plan: Plan, summary: AdoptSummary, commit: SourceCommit, path: str, slug: str, *,
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
        f"{slug}: withdrawn ({outlet or UNKNOWN_SOURCE})\n\n"
        f"Drafttrack-Action: withdraw\nDrafttrack-Document: {slug}\n"
        f"Drafttrack-Source-Commit: {commit.sha}\nDrafttrack-Source-Path: {path}\n"
    )
    files = {event_path(slug, commit.sha[:12], "withdrawn"): dump_json(event)}
    plan.steps.append(Step(slug, files=files, message=message))
    plan.withdrawn.add(slug)
    plan.touched.add(slug)
    summary.withdrawn += 1
