"""Synthetic news reports about a text, for measuring the linker (``bench/bench_reports.py``
and its reduced test): sentences that quote or paraphrase real clauses (in the clauses' own
language or in translation), news filler that quotes nothing, and claims of clauses that are
in no version (paragraphs held out of the store).

A report is a list of :class:`Planted` sentences, one a paragraph, each knowing its truth.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Role = Literal["quote", "paraphrase", "filler", "unmatched"]

QUOTE_TEMPLATES = {
    "en": ["The draft said that signatories would “{x}”.", "According to the draft, “{x}”.",
           "The earlier text stated: \"{x}\"."],
    "de": ["Laut dem Entwurf heißt es: „{x}“.", "Der Entwurf sah vor: „{x}“.",
           "Im Entwurf hieß es, „{x}“."],
    "fr": ["Le projet prévoyait que « {x} ».", "Selon le projet, « {x} ».",
           "Le texte indiquait : « {x} »."],
    "ru": ["В проекте говорилось: «{x}».", "Проект предусматривал, что «{x}».",
           "Согласно проекту, «{x}»."],
}  # fmt: skip
PARAPHRASE_TEMPLATES = {
    "en": ["The draft provided for the following: {x}.", "According to the draft, {x}.",
           "The document stated that {x}."],
    "de": ["Der Entwurf sah vor, dass {x}.", "Laut dem Entwurf {x}.",
           "Im Entwurf hieß es, {x}."],
    "fr": ["Le projet prévoyait que {x}.", "Selon le projet, {x}.",
           "Le texte précisait que {x}."],
    "ru": ["Проект предусматривал, что {x}.", "Согласно проекту, {x}.",
           "В документе говорилось, что {x}."],
}  # fmt: skip
FILLER = {
    "en": ["The maintainers met on {d} to discuss the next release of the project.",
           "About {n} people attended the online meeting, organisers said.",
           "The community has grown quickly over the past {n} months.",
           "Several companies have announced support for the initiative this week.",
           "Critics argue that the process has been slow and opaque.",
           "The vote is expected to take place in {m}.",
           "Reporters were not allowed into the room during the talks.",
           "The project was founded {n} years ago by a small group of volunteers."],
    "de": ["Die Projektverantwortlichen trafen sich am {d}, um die nächste Version zu beraten.",
           "Rund {n} Personen nahmen an dem Online-Treffen teil, teilten die Veranstalter mit.",
           "Die Gemeinschaft ist in den vergangenen {n} Monaten stark gewachsen.",
           "Mehrere Unternehmen kündigten in dieser Woche ihre Unterstützung an.",
           "Kritiker bemängeln, das Verfahren sei langsam und undurchsichtig.",
           "Die Abstimmung wird im {m} erwartet.",
           "Journalisten waren während der Gespräche nicht im Saal zugelassen.",
           "Das Projekt wurde vor {n} Jahren von einer kleinen Gruppe Freiwilliger gegründet."],
    "fr": ["Les responsables du projet se sont réunis le {d} pour préparer la prochaine version.",
           "Environ {n} personnes ont participé à la réunion en ligne, selon les organisateurs.",
           "La communauté a fortement grandi au cours des {n} derniers mois.",
           "Plusieurs entreprises ont annoncé leur soutien cette semaine.",
           "Les critiques jugent la procédure lente et opaque.",
           "Le vote devrait avoir lieu en {m}.",
           "Les journalistes n'étaient pas admis dans la salle pendant les discussions.",
           "Le projet a été fondé il y a {n} ans par un petit groupe de bénévoles."],
    "ru": ["Руководители проекта встретились {d}, чтобы обсудить следующую версию.",
           "В онлайн-встрече приняли участие около {n} человек, сообщили организаторы.",
           "За последние {n} месяцев сообщество значительно выросло.",
           "Несколько компаний на этой неделе заявили о своей поддержке.",
           "Критики считают процедуру медленной и непрозрачной.",
           "Голосование ожидается в {m}.",
           "Журналистов не пустили в зал во время переговоров.",
           "Проект был основан {n} лет назад небольшой группой добровольцев."],
}  # fmt: skip
MONTHS = {"en": "March", "de": "März", "fr": "mars", "ru": "марте"}


@dataclass(frozen=True, slots=True)
class Planted:
    """One sentence of a synthetic report and what the linker should find for it."""

    text: str
    role: Role
    target: str | None
    """Key of the clause it quotes or paraphrases (None for filler and unmatched claims)."""
    language: str


def _fragment(paragraph: str, rng: random.Random, low: int, high: int) -> str | None:
    text = re.sub(r"[*_`#>\[\]()]|\s+-\s+", " ", paragraph)
    words = re.sub(r"[.!?;:…]+", ",", text).split()
    if len(words) < low:
        return None
    size = rng.randint(low, min(high, len(words)))
    start = rng.randint(0, len(words) - size)
    return " ".join(words[start : start + size]).strip(" ,")


def build_report(
    clauses: Sequence[tuple[str, str]],
    held_out: Sequence[str],
    language: str,
    rng: random.Random,
    size: int = 24,
) -> list[Planted]:
    """A report in ``language``: ``clauses`` are (key, text in the report's language) of the
    stored clauses, ``held_out`` texts (in the report's language) of clauses no version has."""
    out: list[Planted] = []
    for _ in range(size):
        roll = rng.random()
        if roll < 0.3 and clauses:
            key, text = rng.choice(list(clauses))
            frag = _fragment(text, rng, 6, 12)
            if frag:
                tpl = rng.choice(QUOTE_TEMPLATES[language])
                out.append(Planted(tpl.format(x=frag), "quote", key, language))
        elif roll < 0.6 and clauses:
            key, text = rng.choice(list(clauses))
            frag = _fragment(text, rng, 8, 16)
            if frag:
                tpl = rng.choice(PARAPHRASE_TEMPLATES[language])
                out.append(Planted(tpl.format(x=frag), "paraphrase", key, language))
        elif roll < 0.8:
            tpl = rng.choice(FILLER[language])
            text = tpl.format(d=f"{rng.randint(1, 28)}.{rng.randint(1, 12)}.",
                              n=rng.randint(3, 900), m=MONTHS[language])  # fmt: skip
            out.append(Planted(text, "filler", None, language))
        elif held_out:
            frag = _fragment(rng.choice(list(held_out)), rng, 8, 14)
            if frag:
                templates = QUOTE_TEMPLATES if rng.random() < 0.5 else PARAPHRASE_TEMPLATES
                tpl = rng.choice(templates[language])
                out.append(Planted(tpl.format(x=frag), "unmatched", None, language))
    return out


def report_text(planted: Sequence[Planted]) -> str:
    """The report as Markdown: one sentence a paragraph."""
    return "\n\n".join(p.text for p in planted) + "\n"
