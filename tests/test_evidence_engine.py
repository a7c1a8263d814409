"""The evidence engine on its own: sentences with their quotations, reporting cues in five
languages, page furniture, and links that hold both ways (a real quotation or paraphrase links;
filler and a claim of a clause nobody has do not)."""

from __future__ import annotations

import pytest

from drafttrack.evidence.cues import cue, is_boilerplate, is_speaker_quote, quoted_spans
from drafttrack.evidence.link import link_report
from drafttrack.evidence.sentences import split_sentences
from drafttrack.quote import Attributor, Entry, load_embedder


def texts(text: str, language: str | None = None) -> list[str]:
    out = split_sentences(text, language)
    for s in out:
        assert text[s.start : s.end] == s.text
    return [s.text for s in out]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Er sagte: „Wir sind vereint. Wir bleiben es.“ Danach ging es weiter.", "de",
         ["Er sagte: „Wir sind vereint. Wir bleiben es.“", "Danach ging es weiter."]),
        ("Le texte prévoyait « le soutien. En cas d'attaque ». Fin du texte.", "fr",
         ["Le texte prévoyait « le soutien. En cas d'attaque ».", "Fin du texte."]),
        ("Проєкт передбачав «підтримку. Розвідку» для сил. Далі було інше.", "uk",
         ["Проєкт передбачав «підтримку. Розвідку» для сил.", "Далі було інше."]),
        ('He said "we agree. Fully." Then Mr. Smith left.', "en",
         ['He said "we agree. Fully."', "Then Mr. Smith left."]),
        ("Mr. Smith said “the text changed.” Then J. Doe left.", "en",
         ["Mr. Smith said “the text changed.”", "Then J. Doe left."]),
        ("Am 6. Januar trafen sie sich, z. B. in Paris. Es regnete.", "de",
         ["Am 6. Januar trafen sie sich, z. B. in Paris.", "Es regnete."]),
        ("# Headline here\n\nFirst one. Second one!\n\n- A list item. Another.", "en",
         ["Headline here", "First one.", "Second one!", "A list item.", "Another."]),
    ],
)  # fmt: skip
def test_sentences_keep_quotations_whole(text: str, language: str, expected: list[str]) -> None:
    assert texts(text, language) == expected


def test_headings_are_marked() -> None:
    first, second = split_sentences("# Title of it\n\nBody text here.\n")
    assert first.heading and not second.heading


@pytest.mark.parametrize(
    "sentence",
    [
        "The draft said the United States would help.",
        "According to the document, troops would be sent.",
        "Der vorherige Entwurf sah vor, dass die USA helfen.",
        "Im Entwurf hieß es, die USA würden helfen.",
        "Попередній проєкт передбачав, що США допоможуть.",
        "У проєкті йшлося про допомогу США.",
        "Проект предусматривал помощь США.",
        "В проекте говорилось о помощи США.",
        "Le projet prévoyait une aide des États-Unis.",
        "Selon le projet, les États-Unis aideraient.",
    ],
)
def test_reporting_cues(sentence: str) -> None:
    assert cue(sentence) is not None


@pytest.mark.parametrize(
    "sentence",
    [
        "The leaders met in Paris on Tuesday.",
        "Die Staats- und Regierungschefs trafen sich in Paris.",
        "Лідери зібралися на саміт у Парижі.",
        "Лидеры собрались на саммит в Париже.",
        "Les dirigeants se sont réunis à Paris mardi.",
    ],
)
def test_filler_has_no_cue(sentence: str) -> None:
    assert cue(sentence) is None


def test_quoted_spans_and_speakers() -> None:
    spans = quoted_spans("Der Entwurf sah vor, die Truppe „im Falle eines Angriffs“ zu stützen.")
    assert [q.text for q in spans] == ["im Falle eines Angriffs"]
    assert quoted_spans("the so-called “guarantees” were vague") == []  # one word: a term
    assert [q.text for q in quoted_spans("Il a dit « nous sommes unis ici ».")] == [
        "nous sommes unis ici"
    ]
    assert is_speaker_quote("“We are united in this,” Macron said.")
    assert is_speaker_quote("„Wir sind vereint“, sagte Macron.")


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("Diese Meldung wurde maschinell aus dem Ukrainischen übersetzt (DeepL).", True),
        ("© Ukraine-Nachrichten. Alle Rechte vorbehalten.", True),
        ("Читайте також: хроніка саміту.", True),
        ("Licensed under CC BY 4.0.", True),
        ("The draft said the United States would support the force.", False),
    ],
)
def test_boilerplate(line: str, furniture: bool) -> None:
    assert is_boilerplate(line) is furniture


CLAUSES = [
    ("us.1", "The United States commits to support the force in case of attack."),
    ("us.2", "The United States will provide intelligence and logistical assistance to the force."),
    ("mon.1", "A ceasefire monitoring mechanism will be established."),
    ("fin.1", "This declaration takes effect upon signature."),
    ("lts.1", "The participants will continue military and financial support to Ukraine."),
]


@pytest.fixture(scope="module")
def attributor() -> Attributor:
    entries = [Entry("d", key, None, [], text, ["A"]) for key, text in CLAUSES]
    return Attributor(entries, load_embedder())


def links(attributor: Attributor, text: str, language: str) -> list[tuple[list[str], bool]]:
    out = link_report(text, language, attributor, lambda _d: ["A", "B"])
    return [([k.match.entry.key for k in s.links if k.kind != "mentions"], s.claim_unmatched)
            for s in out]  # fmt: skip


def test_same_language_quote_links_as_quoted(attributor: Attributor) -> None:
    out = link_report("The draft said the United States “commits to support the force in case "
                      "of attack”.\n", "en", attributor, lambda _d: ["A", "B"])  # fmt: skip
    (sentence,) = out
    assert sentence.links[0].kind == "quoted" and sentence.links[0].match.entry.key == "us.1"
    assert sentence.links[0].lacking == ["B"]


def test_recall_and_precision_both_ways(attributor: Attributor) -> None:
    text = (
        "Der Entwurf sah vor, dass die Vereinigten Staaten „die Truppe im Falle eines Angriffs "
        "unterstützen“.\n\n"
        "Le projet prévoyait que « les participants poursuivront leur soutien militaire et "
        "financier à l'Ukraine ».\n\n"
        "Die Staats- und Regierungschefs kamen am Dienstag zu einem langen Treffen zusammen.\n\n"
        "The draft said that Japan “would build a permanent naval base in the Black Sea”.\n"
    )
    got = links(attributor, text, "de")
    assert got[0] == (["us.1"], False)
    assert got[1] == (["lts.1"], False)
    assert got[2] == ([], False)  # filler: no link, no claim
    assert got[3] == ([], True)  # a claim of wording no version has


def test_a_language_the_attributor_cannot_match_links_nothing(attributor: Attributor) -> None:
    got = links(attributor, "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ᎠᏂᏴᏫᏯ ᎤᏂᏃᏕᎾ ᏥᏍᏆᏯ ᎠᏓᏍᏆᏂ ᎠᏂᏴᏫᏯ.\n", "en")
    assert all(keys == [] for keys, _ in got)
