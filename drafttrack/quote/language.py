"""Which language a quote is in: a script and function-word heuristic, no model, no dependency.

Quotes are short (often six words); statistical detectors are unreliable at that length and add
a dependency for a field that is informative only. Scripts settle most cases (Cyrillic, Greek,
Arabic, Hebrew, CJK …); letters unique to one language (і ї є ґ for Ukrainian, ы э ъ for
Russian, ß ä ö ü for German …) and the most frequent function words separate the rest. When
nothing decides, the answer is ``None``.
"""

from __future__ import annotations

import re
import unicodedata

from drafttrack.normalize import match_form, words

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to in is that for with as on by this be are will shall".split()),
    "de": frozenset("der die das und zu im ist nicht mit den von eines einer sich bei auf".split()),
    "fr": frozenset("le la les des et un une est du en au aux pour dans que qui sur".split()),
    "es": frozenset("el la los las y de que en un una por con para del se".split()),
    "it": frozenset("il lo la gli le di che e un una per con del della sono".split()),
    "pt": frozenset("os do dos nos nas não um uma ao pelo pela são".split()),
    "pl": frozenset("i w na z się nie do że jest jak dla przez".split()),
    "nl": frozenset("de het een en van in is dat op te zijn met voor".split()),
    "uk": frozenset("і в у на з що до не як для це та або від".split()),
    "ru": frozenset("и в на с что не к как для это или от по".split()),
}

_LETTERS: dict[str, str] = {
    "uk": "іїєґ",
    "ru": "ыэъё",
    "de": "äöüß",
    "fr": "éèêàçœù",
    "es": "ñ¿¡á",
    "pt": "ãõ",
    "pl": "ąęłśżźćń",
    "it": "ìò",
}

_LATIN = ("en", "de", "fr", "es", "pt", "it", "pl", "nl")
_ELISION = re.compile(r"\b(?:d|l|qu|n|s|j|c)'\w")

_SCRIPTS = {
    "GREEK": "el", "ARABIC": "ar", "HEBREW": "he", "HANGUL": "ko", "HIRAGANA": "ja",
    "KATAKANA": "ja", "CJK": "zh", "DEVANAGARI": "hi", "THAI": "th", "GEORGIAN": "ka",
    "ARMENIAN": "hy",
}  # fmt: skip


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language of ``text``, or ``None`` when it cannot tell."""
    form = match_form(text)
    scripts = _script_counts(form)
    if not scripts:
        return None
    script = max(scripts, key=scripts.__getitem__)
    if script in _SCRIPTS:
        return "ja" if script == "CJK" and scripts.get("HIRAGANA") else _SCRIPTS[script]
    if script not in ("CYRILLIC", "LATIN"):
        return None
    candidates = ("uk", "ru") if script == "CYRILLIC" else _LATIN
    ws = words(form)
    scores = {lang: 0.0 for lang in candidates}
    for lang in candidates:
        scores[lang] += sum(w in _FUNCTION_WORDS[lang] for w in ws)
        scores[lang] += 1.5 * sum(form.count(ch) > 0 for ch in _LETTERS.get(lang, ""))
    if "fr" in scores:
        scores["fr"] += len(_ELISION.findall(form))
    best = max(scores.values())
    winners = [lang for lang, s in scores.items() if s == best]
    if best == 0:
        return "uk" if script == "CYRILLIC" and "'" in form else None
    return winners[0] if len(winners) == 1 else None


def _script_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        script = name.split(" ")[0] if name else ""
        if script.startswith("CJK"):
            script = "CJK"
        counts[script] = counts.get(script, 0) + 1
    return counts


def function_word_share(text: str, language: str) -> float | None:
    """Share of the words of ``text`` that are frequent function words of ``language`` (None
    when the language has no list here). Running text of a language scores 0.15–0.4; a text in
    another language written in the same script scores near 0."""
    vocabulary = _FUNCTION_WORDS.get(language)
    if vocabulary is None:
        return None
    ws = words(match_form(text))
    return sum(w in vocabulary for w in ws) / len(ws) if ws else 0.0
