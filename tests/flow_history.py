"""A long generated history for the history-flow tests and ``bench/bench_web.py``.

Real corpus prose (GitHub's site policies, beside the repository in ``shared/corpora``) edited
version after version with seeded, realistic edits: rewordings, inserted, deleted and restored
paragraphs, and moves. Two planted paragraphs are watched: ``REMOVED`` goes at ``removed_at``
and never comes back; ``MOVED`` moves from the top fifth to the bottom fifth at ``moved_at``.
Versions carry a date each and one of a few outlets, so filters have something to filter.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path

SOURCES = [
    "github-site-policy/privacy-statement/070.md",
    "github-site-policy/terms-of-service/044.md",
    "github-site-policy/acceptable-use-policies/037.md",
    "github-site-policy/community-guidelines/030.md",
]
REMOVED = (
    "The steering committee shall publish an annual review of every transfer of personal data "
    "to authorities outside the participating states, together with the legal basis relied on."
)
MOVED = (
    "Members who disagree with a decision of the moderators may ask the ombudsperson to review "
    "it within thirty days; the ombudsperson answers in writing and publishes the outcome."
)
OUTLETS = ("Official site", "Wayback capture", "Newsletter")


@dataclass(slots=True)
class History:
    """The generated texts, their dates and outlets, and where the planted edits happen."""

    texts: list[str]
    dates: list[str]
    outlets: list[str]
    removed_at: int
    moved_at: int


def corpus_paragraphs(corpora: Path, sources: list[str] | None = None) -> list[str]:
    """Prose paragraphs (and headings) of the corpus texts, front matter and comments dropped."""
    out: list[str] = []
    for rel in sources or SOURCES:
        text = (corpora / rel).read_text("utf-8")
        text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
        text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
        for block in re.split(r"\n\s*\n", text):
            block = block.strip()
            if block and len(block.split()) >= 4 and "{%" not in block and "|" not in block:
                out.append(block)
    return list(dict.fromkeys(out))


def generate(
    corpora: Path,
    versions: int = 1000,
    paragraphs: int = 160,
    seed: int = 22,
    sources: list[str] | None = None,
) -> History:
    """``versions`` texts of about ``paragraphs`` paragraphs, each an edit of the one before."""
    rng = random.Random(seed)
    pool = corpus_paragraphs(corpora, sources)
    vocab = sorted({w for p in pool for w in p.split() if w.isalpha() and len(w) > 3})
    paras = pool[:paragraphs]
    spare = pool[paragraphs:]
    paras.insert(len(paras) // 2, REMOVED)
    paras.insert(len(paras) // 6, MOVED)
    removed_at, moved_at = versions * 3 // 5, versions * 2 // 5
    gone: list[str] = []
    texts, dates, outlets = [], [], []
    day = dt.date(2024, 1, 1)
    for v in range(versions):
        if v == removed_at:
            paras.remove(REMOVED)
        elif v == moved_at:
            paras.remove(MOVED)
            paras.insert(len(paras) * 4 // 5, MOVED)
        elif v:
            for _ in range(rng.randint(1, 2)):
                _edit(rng, paras, gone, spare, vocab, paragraphs)
        texts.append("\n\n".join(paras) + "\n")
        day += dt.timedelta(days=rng.randint(0, 2))
        dates.append(day.isoformat())
        outlets.append(OUTLETS[0] if rng.random() < 0.7 else rng.choice(OUTLETS[1:]))
    return History(texts, dates, outlets, removed_at, moved_at)


def _edit(
    rng: random.Random,
    paras: list[str],
    gone: list[str],
    spare: list[str],
    vocab: list[str],
    target: int,
) -> None:
    """One edit; the paragraph count stays near ``target``."""
    grow = 3 if len(paras) < target else 1
    kind = rng.choices(["reword", "insert", "delete", "restore", "move"], [8, grow, 4 - grow, 1, 1])
    free = [k for k, p in enumerate(paras) if p not in (REMOVED, MOVED) and not p.startswith("#")]
    if kind[0] == "restore" and gone:
        paras.insert(rng.randrange(len(paras) + 1), gone.pop(rng.randrange(len(gone))))
    elif kind[0] == "insert" and spare:
        paras.insert(rng.randrange(len(paras) + 1), spare.pop(rng.randrange(len(spare))))
    elif kind[0] == "delete" and len(free) > 10:
        gone.append(paras.pop(rng.choice(free)))
    elif kind[0] == "move" and len(free) > 10:
        para = paras.pop(rng.choice(free))
        paras.insert(rng.randrange(len(paras) + 1), para)
    else:
        k = rng.choice(free)
        tokens = paras[k].split(" ")
        for _ in range(rng.randint(1, 3)):
            tokens[rng.randrange(len(tokens))] = rng.choice(vocab)
        paras[k] = " ".join(tokens)


def record(store: object, doc: str, history: History) -> None:
    """Record the history into ``store`` (a ``repo_store.Store``) in one bulk import."""
    from repo_store import Provenance
    from repo_store.bulk import import_versions
    from repo_store.model import prepare_version

    items = [
        prepare_version(
            text,
            Provenance.of(
                label=f"v{i + 1:04d}", outlet=history.outlets[i], reported_on=history.dates[i]
            ),
            title="Generated policy history" if i == 0 else None,
        )
        for i, text in enumerate(history.texts)
    ]
    import_versions(store, doc, items)  # type: ignore[arg-type]
