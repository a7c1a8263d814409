"""Negation cues per language, so that a translation that drops or adds a "not" is caught.

Embeddings barely move when a negation flips, so the check is lexical: each language has a
lexicon of cues (particles, negative pronouns and determiners, "without"). French ``ne … pas``
and Slavic double negation (``ніхто не``, ``никто не``) count once: the second cue of a pair
is not an event of its own. Phrases negative in form only (``without delay``, ``not only``,
``не пізніше``, ``or not``) are no cues; "free of" is one (``harassment-free``,
``belästigungsfrei``, ``свободным от``), as other translations say "without harassment".
Privative prefixes (``non-``, ``un-``) are not. A pair of clauses diverges when one side
negates and the other does not (see :func:`negation_divergence`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CUES: dict[str, str] = {
    "en": r"not|no|never|none|nor|neither|without|cannot|nobody|nothing|nowhere|\w+n't",
    "de": r"nicht|kein\w*|nie|niemals|ohne|weder|nichts|niemand\w*|nirgends"
    r"|\w{4,}frei(?:e[nrsm]?)?",
    "fr": r"ne|n|sans|ni|jamais|aucun\w*|rien|pas|nul|nulle|personne",
    "uk": r"не|ні|ніколи|ніхто|нічого|ніщо|ніде|жоден|жодн\w*|без|немає|нема|ані",
    "ru": r"не|ни|нет|никогда|никто|ничего|ничто|нигде|никак\w*|без|нельзя",
}
_FREE_FROM = {
    # "free from", the privative the English "-free" is translated with
    "uk": re.compile(r"\bвільн\w*\s+від\b", re.I),
    "ru": re.compile(r"\bсвободн\w*\s+от\b", re.I),
}
_SECONDARY: dict[str, frozenset[str]] = {
    # cues that only complete another one in the same clause (ne … pas, ніхто не, weder … noch)
    "fr": frozenset("pas jamais aucun aucune aucuns aucunes rien personne nul nulle ni".split()),
    "uk": frozenset(
        "ніколи ніхто нічого ніщо ніде жоден жодна жодне жодних жодного ані ні".split()
    ),
    "ru": frozenset("ни никогда никто ничего ничто нигде".split()),
    "de": frozenset(),
    "en": frozenset(),
}
_IDIOMS = re.compile(
    # negative in form, not in meaning: translations routinely render them without a negation
    r"\b(?:without (?:undue )?delay|no later than|not later than|not (?:only|just|merely)"
    r"|nicht nur|non pas (?:seulement|uniquement)|pas seulement|pas uniquement"
    r"|(?:or|oder|ou|или|чи|або) (?:not|nicht|non|pas|нет|ні)\b"
    r"|ohne (?:schuldhaftes )?zögern|ohne verzug|sans (?:tarder|délai)|non seulement"
    r"|pas plus tard que|не пізніше|не лише|не тільки|без зволікан\w*|без затрим\w*"
    r"|не позднее|не только|без промедлени\w*|без задерж\w*|без отлагатель\w*)\b",
    re.I,
)
_PRIMARY_WITH_SECONDARY = {"fr": {"ne", "n"}, "uk": {"не"}, "ru": {"не"}}
_PATTERNS = {lang: re.compile(rf"(?:{p})$", re.I) for lang, p in _CUES.items()}
_FR_PERSONNE = re.compile(r"\b(?:une|la|les|des|cette|toute|chaque)\s+personnes?\b", re.I)


@dataclass(frozen=True, slots=True)
class Cue:
    """One negation cue: the word and its span ``[start, end)``."""

    word: str
    start: int
    end: int


def negation_cues(text: str, language: str | None) -> list[Cue]:
    """The negation events of ``text`` (one cue each), in reading order."""
    langs = [language] if language in _PATTERNS else list(_PATTERNS)
    best: list[Cue] = []
    for lang in langs:
        cues = _cues(text, lang)
        if len(cues) > len(best):
            best = cues
    return best


def _cues(text: str, lang: str) -> list[Cue]:
    pattern = _PATTERNS[lang]
    found: list[Cue] = []
    idioms = [m.span() for m in _IDIOMS.finditer(text)]
    for m in re.finditer(r"[^\W\d_]+(?:-[^\W\d_]+)*", text):
        word = m.group()
        if any(a <= m.start() < b for a, b in idioms):
            continue
        if "-" in word:  # non-binding, Nicht-Mitglied: a compound, not a negation …
            if lang == "en" and word.lower().endswith("-free"):  # … but harassment-free is
                found.append(Cue(word, m.start(), m.end()))
            continue
        if pattern.match(word):
            if lang == "fr" and word.lower() == "personne" and _is_noun(text, m.start()):
                continue
            if lang == "en" and word.lower() == "no" and text[m.end() : m.end() + 1] == ".":
                continue  # "No." an abbreviation of number
            found.append(Cue(word, m.start(), m.end()))
    if lang in _FREE_FROM:
        found += [Cue(m.group(), m.start(), m.end()) for m in _FREE_FROM[lang].finditer(text)]
        found.sort(key=lambda c: c.start)
    primaries = _PRIMARY_WITH_SECONDARY.get(lang, set())
    secondary = _SECONDARY.get(lang, frozenset())
    has_primary = any(c.word.lower() in primaries for c in found)
    if has_primary:
        found = [c for c in found if c.word.lower() not in secondary]
    if lang == "fr" and not has_primary:
        found = [c for c in found if c.word.lower() != "n"]
    return found


def _is_noun(text: str, start: int) -> bool:
    """French ``personne`` after an article is "person", not "nobody"."""
    return bool(_FR_PERSONNE.search(text[max(0, start - 12) : start + 9]))


def negation_divergence(
    old: str, old_lang: str | None, new: str, new_lang: str | None
) -> tuple[list[Cue], list[Cue]] | None:
    """The cues of both sides when exactly one side negates (a flipped negation), else None."""
    a, b = negation_cues(old, old_lang), negation_cues(new, new_lang)
    if bool(a) == bool(b):
        return None
    return a, b
