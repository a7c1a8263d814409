"""Trace on real law: phrases inside items of the federal laws' indented layout (items set apart
by two or more blank lines, once dropped by segmentation) are traced exactly through every
version of ``../shared/corpora/bundestag-gesetze/``."""

from __future__ import annotations

import re

import pytest

from drafttrack.trace import trace
from tests.conftest import SHARED
from tests.test_trace import states, versions_of

LAWS = SHARED / "corpora" / "bundestag-gesetze"

CASES = [
    # MoselSchPV § 1.01 m): the second and third of the excepted vessels
    ("moselschpv_1997", "Beförderung von mehr als 12 Fahrgästen"),
    ("moselschpv_1997", "eine Fähre oder"),
    # MoselSchPV: a dashed item under a lettered one, indented eight spaces
    ("moselschpv_1997", "gleichwertig anerkanntes Zeugnis besitzen"),
    # KWG § 1: sub-item cc) of the high-frequency trading definition
    ("kredwg", "ein hohes untertägiges Mitteilungsaufkommen"),
    # TKG 2004 § 3: items b) and e) of the directives list, ee) of the utility networks
    ("tkg_2004", "Universaldienst und Nutzerrechte bei elektronischen Kommunikationsnetzen"),
    ("tkg_2004", "Reduzierung der Kosten des Ausbaus von Hochgeschwindigkeitsnetzen"),
    ("tkg_2004", "ausgenommen Trinkwasser im Sinne des § 3 Nummer 1"),
]


def _oracle(texts: list[str], phrase: str) -> list[bool]:
    """The phrase in each text, white space and case ignored (read independently of drafttrack)."""
    wanted = phrase.casefold()
    return [wanted in re.sub(r"\s+", " ", t).casefold() for t in texts]


@pytest.mark.skipif(not LAWS.is_dir(), reason="shared corpora not found beside the repository")
@pytest.mark.parametrize(("law", "phrase"), CASES)
def test_a_phrase_in_a_laid_out_item_is_traced_exactly(law: str, phrase: str) -> None:
    versions = versions_of(LAWS / law)
    present = _oracle([v.text for v in versions], phrase)
    assert any(present), "the phrase should be in the corpus"
    result = trace(law, versions, phrase)
    assert [s == "present" for s in states(result)] == present
    for entry in result["timeline"]:
        if entry["state"] == "present":
            texts = [re.sub(r"\s+", " ", c["text"]).casefold() for c in entry["clauses"]]
            assert any(phrase.casefold() in t for t in texts), entry["version"]["label"]
    labels = [v.label for v, p in zip(versions, present, strict=True) if p]
    assert (result["first_seen"], result["last_seen"]) == (labels[0], labels[-1])
