"""Number words in English, German, French, Ukrainian and Russian, read as values.

Each language has a table of word forms (Ukrainian and Russian ones as stems with their case
endings) giving a value and a role: a plain value (``3``, ``30``), a hundreds word
(``двісті`` = 200) or a multiplier (``hundred``, ``Tausend``, ``мільйон``). A run of adjacent
number words (joined by spaces, hyphens, ``and``/``und``/``et``/``і``/``и``) is combined as
people read it: ``twenty-five`` 25, ``one hundred and five`` 105, ``quatre-vingt-dix-neuf`` 99,
``двадцять п'ять`` 25, ``три тисячі`` 3000. German writes compounds as one word
(``fünfundzwanzig``, ``zweihundertdreißig``); they are cut into known parts, longest first.

"One" words that are also articles or pronouns (``one``, ``ein``, ``un``/``une``, ``один``) are
*weak*: they match a ``1`` on the other side but never raise a divergence alone.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "de", "fr", "uk", "ru")

_EN = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 10**6, "millions": 10**6, "billion": 10**9, "billions": 10**9,
    "hundreds": 100, "thousands": 1000,
}  # fmt: skip
_DE_PARTS = {
    "null": 0, "eins": 1, "ein": 1, "eine": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4,
    "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11,
    "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16,
    "siebzehn": 17, "achtzehn": 18, "neunzehn": 19, "zwanzig": 20, "dreißig": 30,
    "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
    "hundert": 100, "tausend": 1000, "und": -1,
}  # fmt: skip
_DE_WORDS = {
    "million": 10**6, "millionen": 10**6, "milliarde": 10**9, "milliarden": 10**9,
    "einen": 1, "einem": 1, "einer": 1, "eines": 1, "zweier": 2, "dreier": 3,
}  # fmt: skip
_FR = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100,
    "mille": 1000, "million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9,
}  # fmt: skip
_UK = [
    (r"нул\w*", 0), (r"одинадцят\w*", 11), (r"дванадцят\w*", 12), (r"тринадцят\w*", 13),
    (r"чотирнадцят\w*", 14), (r"п'ятнадцят\w*", 15), (r"шістнадцят\w*", 16),
    (r"сімнадцят\w*", 17), (r"вісімнадцят\w*", 18), (r"дев'ятнадцят\w*", 19),
    (r"двадцят\w*", 20), (r"тридцят\w*", 30), (r"сорок[ау]?", 40), (r"п'ятдесят\w*", 50),
    (r"шістдесят\w*", 60), (r"сімдесят\w*", 70), (r"вісімдесят\w*", 80),
    (r"дев'яност[оаі]", 90), (r"ст[оа]", 100), (r"двісті|двохсот\w*", 200),
    (r"триста|трьохсот\w*", 300), (r"чотириста|чотирьохсот\w*", 400), (r"п'ятсот\w*", 500),
    (r"шістсот\w*", 600), (r"сімсот\w*", 700), (r"вісімсот\w*", 800), (r"дев'ятсот\w*", 900),
    (r"тисяч[аіуеи]?|тисячам?и?|тисячах", 1000), (r"мільйон\w*", 10**6),
    (r"мільярд\w*", 10**9),
    (r"од(?:ин|на|не|ного|ної|ному|ній|ним|ною|ні|них|ними|нієї)", 1),
    (r"дв(?:а|і|ох|ом|ома|ух|ум)", 2), (r"тр(?:и|ьох|ьом|ьома)", 3),
    (r"чотир(?:и|ьох|ьом|ма|ьома)", 4), (r"п'ят(?:ь|и|ьох|ьом|ьма|ьома)", 5),
    (r"шіст(?:ь|и|ьох|ьом|ьма|ьома)", 6), (r"с(?:ім|еми|еми|ьома|емом|ьомох|емох)", 7),
    (r"в(?:ісім|осьми|ісьма|осьмох|осьмом)", 8), (r"дев'ят(?:ь|и|ьох|ьом|ьма|ьома)", 9),
    (r"десят(?:ь|и|ьох|ьом|ьма|ьома)", 10),
]  # fmt: skip
_RU = [
    (r"нол\w*|нул\w*", 0), (r"одиннадцат\w*", 11), (r"двенадцат\w*", 12),
    (r"тринадцат\w*", 13), (r"четырнадцат\w*", 14), (r"пятнадцат\w*", 15),
    (r"шестнадцат\w*", 16), (r"семнадцат\w*", 17), (r"восемнадцат\w*", 18),
    (r"девятнадцат\w*", 19), (r"двадцат\w*", 20), (r"тридцат\w*", 30), (r"сорок[ау]?", 40),
    (r"пят(?:ь|и)десят\w*|пятьюдесят\w*", 50), (r"шест(?:ь|и)десят\w*|шестьюдесят\w*", 60),
    (r"сем(?:ь|и)десят\w*|семьюдесят\w*", 70), (r"восем(?:ь|и)десят\w*|восьмидесят\w*", 80),
    (r"девяност[оау]", 90), (r"ст[оа]", 100), (r"двест[иа]|двухсот\w*", 200),
    (r"триста|трехсот\w*|трёхсот\w*", 300), (r"четыреста|четырехсот\w*", 400),
    (r"пятьсот|пятисот\w*", 500), (r"шестьсот|шестисот\w*", 600), (r"семьсот|семисот\w*", 700),
    (r"восемьсот|восьмисот\w*", 800), (r"девятьсот|девятисот\w*", 900),
    (r"тысяч\w*", 1000), (r"миллион\w*", 10**6), (r"миллиард\w*", 10**9),
    (r"од(?:ин|на|но|ного|ной|ному|ним|ною|ни|них|ними|ну)", 1),
    (r"дв(?:а|е|ух|ум|умя)", 2), (r"тр(?:и|ех|ёх|ем|ём|емя|ешь)", 3),
    (r"четыр(?:е|ех|ём|ем|ьмя)", 4), (r"пят(?:ь|и|ью)", 5), (r"шест(?:ь|и|ью)", 6),
    (r"сем(?:ь|и)", 7), (r"вос(?:емь|ьми|емью|ьмью)", 8), (r"девят(?:ь|и|ью)", 9),
    (r"десят(?:ь|и|ью)", 10),
]  # fmt: skip
WEAK = frozenset(
    "one ein eine einen einem einer eines un une один одна одне одного одної одному одній "
    "одним одною одно одной одну".split()
)
_CONNECTORS = {"and", "und", "et", "і", "й", "та", "и"}
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})
_SLAVIC = {
    "uk": [(re.compile(f"(?:{p})$"), v) for p, v in _UK],
    "ru": [(re.compile(f"(?:{p})$"), v) for p, v in _RU],
}
_DE_SPLIT = re.compile("|".join(sorted(_DE_PARTS, key=len, reverse=True)))


def word_value(word: str, language: str | None) -> int | None:
    """The value of one number word (lower case) in ``language``, or None.

    With no language (or one without a table), every table is tried."""
    w = word.lower().translate(_APOSTROPHES)
    langs = [language] if language in LANGUAGES else list(LANGUAGES)
    for lang in langs:
        value = _one(w, lang)
        if value is not None:
            return value
    return None


def _one(w: str, lang: str | None) -> int | None:
    if lang == "en":
        return _EN.get(w)
    if lang == "fr":
        return _FR.get(w)
    if lang == "de":
        return _DE_WORDS.get(w, _german(w))
    for pattern, value in _SLAVIC.get(lang or "", []):
        if pattern.match(w):
            return value
    return None


def _german(w: str) -> int | None:
    """A German number written as one word (``zweihundertfünfundzwanzig``), or None."""
    parts: list[int] = []
    pos = 0
    while pos < len(w):
        m = _DE_SPLIT.match(w, pos)
        if m is None:
            return None
        parts.append(_DE_PARTS[m.group()])
        pos = m.end()
    if not parts or parts[-1] == -1 or parts[0] == -1:
        return None
    total = current = 0
    pending = 0
    for value in parts:
        if value == -1:  # "und": units before tens (fünfundzwanzig)
            pending, current = current % 100, current - current % 100
        elif value == 100:
            current = max(current, 1) * 100
        elif value == 1000:
            total += max(current, 1) * 1000
            current = 0
        else:
            current += value + pending
            pending = 0
    return total + current


def combine(values: list[int], language: str | None) -> int:
    """The value of a run of number words (``[20, 5]`` 25, ``[4, 20, 10]`` in French 90)."""
    total = current = 0
    last = 0
    for value in values:
        if value >= 1000:
            total += max(current, 1) * value
            current = 0
        elif value == 100:
            current = max(current % 100, 1) * 100 + (current - current % 100)
        elif language == "fr" and value == 20 and last == 4 and current % 100 == 4:
            current += 76  # quatre-vingt(s): 4 × 20
        else:
            current += value
        last = value
    return total + current


def is_connector(word: str) -> bool:
    """``and``, ``und``, ``et``, ``і``, ``и`` … between two number words."""
    return word.lower() in _CONNECTORS
