"""The numbers a clause states, in digits or words, with their character spans.

Read as values so that a clause and its translation can be compared: ``1,000`` (English),
``1.000`` (German), ``1 000`` (French, Ukrainian, Russian; also with no-break or thin spaces)
are all 1000; ``2.5`` in English and ``2,5`` elsewhere are 2.5; ``5 million``, ``5 Mio.``,
``5 млн`` are 5000000; ``thirty`` / ``dreißig`` / ``trente`` / ``тридцять`` / ``тридцать`` are
30 (see :mod:`numwords`). Dates are read as their parts: ``6 January 2026``, ``6. Januar 2026``,
``6 січня 2026`` and ``06.01.2026`` all give 6, 1, 2026, a month name counting only next to a
digit (``May``, ``липня`` are words too). Each number carries a ``detail`` for the reader:
``percent`` (``%``, ``per cent``, ``Prozent``, ``pour cent``, ``відсотків``, ``процентов``),
``date``, ``amount`` (a currency next to it) or ``reference`` (after ``Article``, ``§``,
``paragraph``, ``Стаття``, ``пункт`` …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafttrack.crosslang.numwords import WEAK, combine, is_connector, word_value


@dataclass(frozen=True, slots=True)
class Number:
    """One number in a clause: its value, span ``[start, end)`` and what it is."""

    value: float
    start: int
    end: int
    detail: str = "number"
    """number | percent | date | amount | reference."""
    weak: bool = False
    """A "one" word that is also an article or pronoun: matches, never diverges alone."""


_SPACE = "\u00a0\u202f\u2009"
_DATE = re.compile(r"(?<![\d.,])(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})(?![\d])")
_ISO = re.compile(r"(?<![\d.,-])(\d{4})-(\d{2})-(\d{2})(?![\d])")
_DIGITS = re.compile(rf"(?<![\d.,])\d{{1,3}}(?:(?:[,.{_SPACE}]| (?=\d{{3}}(?!\d)))\d{{3}}(?!\d))+"
                     r"(?:[.,]\d+(?![.,]?\d))?|(?<![\d.,])\d+(?:[.,]\d+)?")  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_SCALE = re.compile(
    r"\s*(million|millions|millionen|mio\.?|billion|billions|milliarden?|milliards?|mrd\.?"
    r"|мільйон\w*|млн\.?|мільярд\w*|млрд\.?|миллион\w*|миллиард\w*|thousand|tausend|тис\.?"
    r"|тыс\.?)(?!\w)",
    re.I,
)
_SCALES = {"mil": 10**6, "mio": 10**6, "млн": 10**6, "мільй": 10**6, "милли": 10**6}
_PERCENT = re.compile(r"\s*(?:%|‰|per ?cent|prozent|pour ?cent|відсот\w*|процент\w*)", re.I)
_CURRENCY = (
    r"€|\$|£|₴|₽|eur|euros?|usd|dollars?|долар\w*|доллар\w*|євро|евро|гривень|гривн\w*|рубл\w*"
)
_AFTER_CURRENCY = re.compile(rf"\s*(?:{_CURRENCY})(?!\w)", re.I)
_BEFORE_CURRENCY = re.compile(rf"(?:{_CURRENCY})\s*$", re.I)
_REFERENCE = re.compile(
    r"(?:article|art\.|artikel|articles|artikels|section|sections|§§?|paragraph|paragraphe"
    r"|para\.|abs\.|absatz|absatzes|alinéa|point|chapter|chapitre|kapitel|annex|anhang|annexe"
    r"|стат(?:т|ь)\w*|пункт\w*|частин\w*|част\w*|розділ\w*|глав\w*|параграф\w*|додат\w*"
    r"|приложени\w*)\s*$",
    re.I,
)
_MONTHS = [
    (1, r"january|jan\.|januar|jänner|janvier|січ(?:ень|ня|ні)|январ[ьяе]"),
    (2, r"february|feb\.|februar|février|лют(?:ий|ого|ому)|феврал[ьяе]"),
    (3, r"march|märz|mars|берез(?:ень|ня|ні)|март[ае]?"),
    (4, r"april|avril|квіт(?:ень|ня|ні)|апрел[ьяе]"),
    (5, r"may|mai|трав(?:ень|ня|ні)|ма[йяе]"),
    (6, r"june|juni|juin|черв(?:ень|ня|ні)|июн[ьяе]"),
    (7, r"july|juli|juillet|лип(?:ень|ня|ні)|июл[ьяе]"),
    (8, r"august|août|серп(?:ень|ня|ні)|август[ае]?"),
    (9, r"september|sept\.|septembre|верес(?:ень|ня|ні)|сентябр[ьяе]"),
    (10, r"october|oct\.|oktober|octobre|жовт(?:ень|ня|ні)|октябр[ьяе]"),
    (11, r"november|nov\.|novembre|листопад[аі]?|ноябр[ьяе]"),
    (12, r"december|dec\.|dezember|décembre|груд(?:ень|ня|ні)|декабр[ьяе]"),
]
_MONTH = [(m, re.compile(rf"(?:{p})$", re.I)) for m, p in _MONTHS]


def numbers(text: str, language: str | None = None) -> list[Number]:
    """Every number ``text`` states, in reading order (``language``: its ISO 639-1 code)."""
    found: list[Number] = []
    taken: list[tuple[int, int]] = []
    for m in _ISO.finditer(text):
        for group in (3, 2, 1):
            found.append(Number(float(m.group(group)), m.start(group), m.end(group), "date"))
        taken.append(m.span())
    for m in _DATE.finditer(text):
        if _inside(m.start(), taken):
            continue
        for group in (1, 3, 4):
            found.append(Number(float(m.group(group)), m.start(group), m.end(group), "date"))
        taken.append(m.span())
    for m in _DIGITS.finditer(text):
        if _inside(m.start(), taken):
            continue
        value = _digits_value(m.group(), language)
        end = m.end()
        scale = _SCALE.match(text, end)
        if scale:
            value *= _scale(scale.group(1))
            end = scale.end()
        found.append(Number(value, m.start(), end, _detail(text, m.start(), end)))
        taken.append((m.start(), end))
    found.extend(_word_numbers(text, language, taken))
    found.extend(_months(text, found))
    return sorted(found, key=lambda n: n.start)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _digits_value(raw: str, language: str | None) -> float:
    """``1,000.5`` / ``1.000,5`` / ``1 000,5`` as a value, by the language's conventions."""
    raw = re.sub(f"[ {_SPACE}]", "", raw)
    seps = re.findall(r"[.,]", raw)
    if not seps:
        return float(raw)
    if len(set(seps)) == 2:  # 1,000.5 or 1.000,5: the last separator is the decimal one
        decimal = seps[-1]
        return float(raw.replace("." if decimal == "," else ",", "").replace(decimal, "."))
    sep = seps[0]
    groups = raw.split(sep)
    grouped = all(len(g) == 3 for g in groups[1:])
    if len(seps) > 1 or (grouped and sep == ("," if language == "en" else ".")):
        return float("".join(groups)) if grouped else float(groups[0])
    return float(raw.replace(sep, "."))


def _scale(word: str) -> int:
    w = word.lower()
    if w.startswith(("mrd", "млрд", "мільяр", "миллиар", "milliard", "billion")):
        return 10**9
    if w.startswith(("thousand", "tausend", "тис", "тыс")):
        return 1000
    return 10**6


def _detail(text: str, start: int, end: int) -> str:
    if _PERCENT.match(text, end):
        return "percent"
    if _AFTER_CURRENCY.match(text, end) or _BEFORE_CURRENCY.search(text[max(0, start - 6) : start]):
        return "amount"
    if _REFERENCE.search(text[max(0, start - 14) : start]):
        return "reference"
    return "number"


def _word_numbers(text: str, language: str | None, taken: list[tuple[int, int]]) -> list[Number]:
    """Runs of number words (``twenty-five``, ``drei Millionen``, ``двадцять п'ять``)."""
    out: list[Number] = []
    run: list[tuple[int, int, int, str]] = []  # (value, start, end, word)
    pending_connector = False
    last_end = -1

    def flush() -> None:
        if run:
            value = combine([v for v, _, _, _ in run], language)
            start, end = run[0][1], run[-1][2]
            weak = len(run) == 1 and run[0][3].lower() in WEAK
            out.append(Number(float(value), start, end, _detail(text, start, end), weak))
            run.clear()

    for m in _WORD.finditer(text):
        word = m.group()
        gap = text[last_end : m.start()] if last_end >= 0 else " "
        adjacent = run and re.fullmatch(r"[\s\-‐]*", gap)
        if _inside(m.start(), taken):
            flush()
            last_end = m.end()
            continue
        value = word_value(word, language)
        if value is not None and (adjacent or pending_connector) and run:
            run.append((value, m.start(), m.end(), word))
        elif value is not None:
            flush()
            run.append((value, m.start(), m.end(), word))
        elif run and adjacent and is_connector(word) and not pending_connector:
            pending_connector = True
            last_end = m.end()
            continue
        else:
            flush()
        pending_connector = False
        last_end = m.end()
    flush()
    return out


def _months(text: str, found: list[Number]) -> list[Number]:
    """Month names next to a digit (``6 January``, ``January 6``, ``січня 2026``) as numbers."""
    digits = [n for n in found if text[n.start : n.start + 1].isdigit()]
    out = []
    for m in _WORD.finditer(text):
        word = m.group()
        tail = text[m.end() : m.end() + 1]
        token = word + "." if tail == "." else word
        month = next((v for v, p in _MONTH if p.match(word) or p.match(token)), None)
        if month is None:
            continue
        near = any(
            re.fullmatch(r"[\s.,]{1,3}", text[n.end : m.start()] if n.end <= m.start()
                         else text[m.end() : n.start] or "x")
            for n in digits
        )  # fmt: skip
        if near:
            out.append(Number(float(month), m.start(), m.end(), "date"))
    return out
