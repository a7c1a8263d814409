"""A stateful property test: two clones and a hub driven at random, checked against a model.

Rules: add (at the end, before or after another version, with clashing labels), record another
outlet's report, push, pull, sync. The model is a plain dict per clone (id → document, label,
text, outlets) plus the order constraints each placement promised; after every step each clone
must hold exactly its model's versions, keep every promised order, and resolve every label it
shows. 5 runs of 12 steps in CI; 200 runs of 40 steps with DRAFTTRACK_FULL=1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from repo_store import DuplicateLabel, Placement, Provenance, Store
from repo_store.remote import RemoteError, add_remote, clone, pull, push

FULL = os.environ.get("DRAFTTRACK_FULL") == "1"
DOCS = ("accord", "declaration-2026")
TEXT = st.text(alphabet=st.sampled_from("abc XYZ äöü ßпр„“«»—\n."), min_size=1, max_size=40).filter(
    lambda t: t.strip() != ""
)


@dataclass
class Recorded:
    """What the model knows of one version."""

    doc: str
    label: str
    text: str
    outlets: list[str] = field(default_factory=list)


@dataclass
class Clone:
    """One clone's store and its model."""

    path: Path
    versions: dict[str, Recorded] = field(default_factory=dict)


def _merge(a: dict[str, Recorded], b: dict[str, Recorded]) -> dict[str, Recorded]:
    out = {vid: Recorded(r.doc, r.label, r.text, list(r.outlets)) for vid, r in a.items()}
    for vid, rec in b.items():
        if vid not in out:
            out[vid] = Recorded(rec.doc, rec.label, rec.text, list(rec.outlets))
        else:
            out[vid].outlets += [o for o in rec.outlets if o not in out[vid].outlets]
    return out


def _contains(big: dict[str, Recorded], small: dict[str, Recorded]) -> bool:
    return all(
        vid in big and set(rec.outlets) <= set(big[vid].outlets) for vid, rec in small.items()
    )


class StoreMachine(RuleBasedStateMachine):
    """Two clones of one hub; every operation a user can do to share a store."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="drafttrack-model-"))
        hub = self.tmp / "hub.git"
        subprocess.run(["git", "init", "-q", "--bare", str(hub)], check=True)
        a = self.tmp / "a"
        with Store.init(a) as store:
            add_remote(store, "origin", str(hub))
            push(store, "origin")
        with clone(str(hub), self.tmp / "b"):
            pass
        self.clones = [Clone(a), Clone(self.tmp / "b")]
        self.hub: dict[str, Recorded] = {}
        self.order: list[tuple[str, str]] = []
        self.counter = 0

    def teardown(self) -> None:
        for c in self.clones:
            proc = subprocess.run(
                ["git", "--git-dir", str(c.path), "fsck", "--strict", "--no-dangling"],
                capture_output=True,
                text=True,
            )
            assert proc.returncode == 0, proc.stdout + proc.stderr
        shutil.rmtree(self.tmp, ignore_errors=True)

    @rule(
        which=st.integers(0, 1),
        doc=st.sampled_from(DOCS),
        text=TEXT,
        label=st.sampled_from([None, "Draft", "Final", "draft", "Ébauche"]),
        placement=st.sampled_from(["end", "before", "after"]),
        pick=st.integers(0, 50),
    )
    def add(
        self, which: int, doc: str, text: str, label: str | None, placement: str, pick: int
    ) -> None:
        c = self.clones[which]
        with Store.open(c.path) as store:
            existing = store.versions(doc) if any(d.slug == doc for d in store.documents()) else []
            ids = [v.id for v in existing]
            ref = ids[pick % len(ids)] if ids and placement != "end" else None
            taken = {r.label.casefold() for r in c.versions.values() if r.doc == doc}
            place = Placement(before=ref) if placement == "before" else Placement()
            if placement == "after":
                place = Placement(after=ref)
            try:
                result = store.add_version(doc, text, Provenance(label=label), placement=place)
            except DuplicateLabel:
                assert label is not None and label.casefold() in taken
                return
            assert label is None or label.casefold() not in taken
            vid = result.version.id
            c.versions[vid] = Recorded(doc, result.version.provenance["label"], text)
            if ref and placement == "before":
                self.order.append((vid, ref))
            elif ref and placement == "after":
                self.order.append((ref, vid))
            else:
                self.order += [(other, vid) for other in ids]

    @precondition(lambda self: any(c.versions for c in self.clones))
    @rule(which=st.integers(0, 1), pick=st.integers(0, 50))
    def report(self, which: int, pick: int) -> None:
        c = self.clones[which]
        if not c.versions:
            return
        vid = sorted(c.versions)[pick % len(c.versions)]
        self.counter += 1
        outlet = f"Outlet {self.counter}"
        with Store.open(c.path) as store:
            store.add_source(c.versions[vid].doc, vid, outlet=outlet)
        c.versions[vid].outlets.append(outlet)

    @rule(which=st.integers(0, 1))
    def do_push(self, which: int) -> None:
        c = self.clones[which]
        with Store.open(c.path) as store:
            try:
                push(store, "origin")
            except RemoteError as exc:
                assert "refused" in str(exc)
                assert not _contains(c.versions, self.hub)
                return
        assert _contains(c.versions, self.hub)
        self.hub = _merge(c.versions, {})

    @rule(which=st.integers(0, 1))
    def do_pull(self, which: int) -> None:
        c = self.clones[which]
        with Store.open(c.path) as store:
            pull(store, "origin")
        c.versions = _merge(c.versions, self.hub)

    @rule(which=st.integers(0, 1))
    def do_sync(self, which: int) -> None:
        self.do_pull(which)
        self.do_push(which)

    @invariant()
    def clones_agree_with_the_model(self) -> None:
        for c in self.clones:
            with Store.open(c.path) as store:
                seen: dict[str, Recorded] = {}
                positions: dict[str, int] = {}
                for doc in store.documents():
                    shown = set()
                    for v in store.versions(doc.slug):
                        prov = v.provenance
                        outlets = [r["outlet"] for r in prov.get("also_reported_by", [])]
                        seen[v.id] = Recorded(
                            doc.slug, prov["label"], store.read_text(doc.slug, v.id), outlets
                        )
                        positions[v.id] = v.position
                        assert v.label.casefold() not in shown
                        shown.add(v.label.casefold())
                        assert store.resolve(doc.slug, v.label).id == v.id
            assert {k: (r.doc, r.label, r.text) for k, r in seen.items()} == {
                k: (r.doc, r.label, r.text) for k, r in c.versions.items()
            }
            for vid, rec in seen.items():
                assert sorted(rec.outlets) == sorted(c.versions[vid].outlets)
            for earlier, later in self.order:
                if earlier in positions and later in positions:
                    assert positions[earlier] < positions[later], (earlier, later)


StoreMachine.TestCase.settings = settings(
    max_examples=200 if FULL else 5,
    stateful_step_count=40 if FULL else 12,
    deadline=None,
    phases=list(Phase) if FULL else [Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_store_against_model = StoreMachine.TestCase
