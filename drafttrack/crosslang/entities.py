"""Countries and organisations named in a clause, recognised across languages.

A small lexicon: each entity has one id and the stems it is written with in English, German,
French, Ukrainian and Russian, nouns and adjectives alike (``Ukraine``, ``Ukrainian``,
``ukrainischen``, ``України``, ``українських``), matched case-insensitively at the start of a
word. A pair of clauses diverges on an entity that one side names and the other does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LEXICON: dict[str, str] = {
    "Ukraine": r"ukrain|україн|украин",
    "France": r"france|french|frankreich|französisch|français|française|франці|франц|франци",
    "Germany": r"german|deutschland|deutsche[nrs]?\b|allemagne|allemand|німеччин|німець|"
    r"німецьк|германи|немецк",
    "United Kingdom": r"united kingdom|britain|british|vereinigte[sn]? königreich|"
    r"großbritannien|britisch|royaume-uni|britanni|велик\w* британі|британськ|великобритани|"
    r"британск|соединенн\w* королевств|сполучен\w* королівств",
    "United States": r"united states|u\.s\.|usa\b|vereinigte[n]? staaten|amerikan|états-unis|"
    r"américain|сша\b|сполучен\w* штат|соединенн\w* штат|американ",
    "Russia": r"russia|russland|russisch|russie|russe|росі|російськ|росси|российск",
    "Poland": r"poland|polish|polen|polnisch|pologne|polonais|польщ|польськ|польш",
    "Italy": r"ital|італі|італійськ|итали",
    "Spain": r"spain|spanish|spanien|spanisch|espagn|іспані|іспанськ|испани|испанск",
    "Canada": r"canad|kanad|канад",
    "Turkey": r"turkey|türkei|turquie|туреччин|турци|türkisch|turkish",
    "Netherlands": r"netherlands|dutch|niederland|pays-bas|нідерланд|нидерланд",
    "Belarus": r"belarus|weißrussland|biélorussie|білорус|беларус",
    "NATO": r"nato\b|otan\b|нато\b|north atlantic treaty|nordatlantik",
    "European Union": r"european union|europäische[n]? union|union européenne|\beu\b|\bue\b|"
    r"європейськ\w* союз|євросоюз|\bєс\b|европейск\w* союз|евросоюз|\bес\b",
    "United Nations": r"united nations|vereinte[n]? nationen|nations unies|\bonu\b|\buno\b|"
    r"організаці\w* об'єднаних націй|\bоон\b|организаци\w* объединенных наций",
    "OSCE": r"osce|osze|обсє|обсе",
}
_PATTERNS = {eid: re.compile(rf"(?<![^\W_])(?:{p})", re.I) for eid, p in _LEXICON.items()}


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity named in a clause: its id and the span ``[start, end)`` of the word."""

    entity: str
    start: int
    end: int


def mentions(text: str) -> list[Mention]:
    """The entities ``text`` names, first mention of each, in reading order."""
    found = []
    for entity, pattern in _PATTERNS.items():
        m = pattern.search(text)
        if m:
            end = m.end()
            while end < len(text) and (text[end].isalnum() or text[end] in "'’ʼ"):
                end += 1
            found.append(Mention(entity, m.start(), end))
    return sorted(found, key=lambda x: x.start)
