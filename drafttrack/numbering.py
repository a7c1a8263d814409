"""Clause numbers as drafts write them: ``1.``, ``1.2``, ``(a)``, ``(iv)``, ``Article 5``, ``§ 3``…

German law also counts sub-items with doubled letters (``aa)``, ``bb)``, ``aaa)``) and parts
with Roman numerals (``II.``, ``IV.``).

Sub-clause letters may be Latin, Cyrillic (``(а)``, ``б)`` in Ukrainian and Russian drafts) or
Greek (``(α)``).

``split_number`` finds the label at the start of a clause text and the body after it; alignment
compares bodies, so a clause that only changed its number is recognised as renumbered.
"""

from __future__ import annotations

import re

_LABEL_WORDS = (
    r"Article|Art\.?|Artikel|Section|Sec\.|Chapter|Kapitel|Chapitre|Titre|Title|Part|Teil"
    r"|Abschnitt|Annex|Anhang|Anlage|Abs\.|Absatz|Paragraph|Стаття|Статья|Розділ|Глава|Пункт"
    r"|§§?"
)
_CYRILLIC = "а-яёіїєґ"
_GREEK = "α-ω"
_LETTER = f"[{_CYRILLIC}{_GREEK}]"
"""A lower-case Cyrillic (Ukrainian, Russian) or Greek sub-clause letter: one letter only, since
two would also match short words ("(на)")."""
_UPPER_LETTER = "[А-ЯЁІЇЄҐΑ-Ω]"
_ID = (
    rf"(?:[A-Z]{{1,2}}\.?\s?)?\d+[a-z{_CYRILLIC}]?(?:[.\-]\d+[a-z]?)*"
    rf"(?:\s?\((?:[0-9a-z]{{1,4}}|{_LETTER})\))*"
    r"|[IVXLC]+(?:er|e)?\b"
)
_PATTERNS = [
    rf"(?:{_LABEL_WORDS})\s*(?:{_ID})",
    rf"\((?:\d+[a-z{_CYRILLIC}]?|[a-z]{{1,2}}|[ivxlc]+|{_LETTER})\)",
    r"\d+(?:\.\d+)+\.?(?=\s|$)",
    r"\d+°",
    rf"\d{{1,3}}[a-z{_CYRILLIC}]?[.)](?=\s|$)",
    r"\d{1,3}\.(?=[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][a-zß-öø-ÿа-яёіїєґ])",
    r"[a-zA-Z][.)](?=\s)",
    r"(?P<twice>[a-z])(?P=twice){1,2}\)(?=\s|$)",
    r"(?=[IVXLC]{2})C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})[.)](?=\s|$)",
    rf"(?:{_LETTER}|{_UPPER_LETTER})\)(?=\s)",
]
_NUMBER = re.compile(rf"^(?:{'|'.join(_PATTERNS)})")


def _label_prefix(word: str) -> str:
    """The literal start every match of the label alternative ``word`` begins with."""
    prefix = re.match(r"[^\\?*+{}()\[\]|.]*", word).group()  # type: ignore[union-attr]
    if word[len(prefix) : len(prefix) + 1] in ("?", "*", "{"):
        prefix = prefix[:-1]
    return prefix


_LABEL_PREFIXES = tuple(_label_prefix(w) for w in _LABEL_WORDS.split("|"))
"""A text opens with a label word only if it starts with one of these: the quick test that
spares the full pattern on most clause texts."""
_SEPARATOR = re.compile(r"^[\s\u2013\u2014\-:.]*")
_LABEL_ONLY = re.compile(rf"^(?:{_PATTERNS[0]})\s*[.:]?$")


def split_number(text: str) -> tuple[str | None, str]:
    """The clause number at the start of ``text`` (or None) and the text after it.

    A number inside inline markup (``**2\\.**``, ``*Art. 5*``, ``[](#a)2.1``) is found in the
    visible text; the text after it is then the source from the first word after the number.
    """
    if text[:1] in _MARKUP_OPENERS:
        return _split_marked(text)
    return _split_plain(text)


_MARKUP_OPENERS = frozenset("*_[<\\")
_SKIPPED = re.compile(r"\[\]\([^()\s]*\)|<a\s[^<>]*>\s*</a>|[*_\\]|\s")
"""Source that shows nothing (markers, escapes, empty links and anchors, spaces), skipped
while walking the source along the number's visible characters."""


def _split_marked(text: str) -> tuple[str | None, str]:
    from drafttrack.inline import visible_text

    visible = visible_text(text)
    if visible == text:
        return _split_plain(text)
    label, rest = _split_plain(visible)
    if label is None:
        return None, text
    shown = visible[: len(visible) - len(rest)]
    at = _source_after(text, shown)
    return label, rest if at is None else text[at:]


def _source_after(source: str, shown: str) -> int | None:
    """Where the source continues after the visible prefix ``shown`` (markup after it
    skipped), or None when the two cannot be walked together."""
    i = 0
    for char in shown:
        while i < len(source) and source[i] != char and _SKIPPED.match(source, i):
            i = _SKIPPED.match(source, i).end()  # type: ignore[union-attr]
        if i < len(source) and source[i] == char:
            i += 1
        elif char.isspace():
            continue
        else:
            return None
    while i < len(source) and (m := _SKIPPED.match(source, i)):
        i = m.end()
    return i


def text_after_shown_number(text: str, number: str) -> str | None:
    """The text after ``number`` when ``text`` (a clause without a number of its own) shows
    it at its start as a word ("3 die Verkehrsteuern" for list item 3.), else None: the
    number moved between the text and a list marker, so it did not change."""
    from drafttrack.inline import visible_text

    shown = visible_text(text)
    if not shown.startswith(number):
        return None
    rest = shown[len(number) :]
    if rest[:1] in (".", ")"):
        rest = rest[1:]
    return rest.lstrip() if rest[:1].isspace() else None


def _split_plain(text: str) -> tuple[str | None, str]:
    if not _may_open_number(text):
        return None, text
    m = _NUMBER.match(text)
    if not m:
        return None, text
    label = m.group().rstrip()
    if label.endswith(".") and label[-2:-1].isalnum():
        label = label[:-1]
    return label, _SEPARATOR.sub("", text[m.end() :], count=1)


def _may_open_number(text: str) -> bool:
    """False only for texts no clause-number pattern can match (most prose)."""
    first = text[:1]
    return (
        first.isdigit()
        or first == "("
        or text[1:2] in ".)"
        or text.startswith(_LABEL_PREFIXES)
        or (first in _ROMAN and text[1:2] in _ROMAN)
        or (first.islower() and text[1:2] == first)
    )


_ROMAN = frozenset("IVXLC")


def is_label_only(text: str) -> bool:
    """True for a line that is nothing but a clause label ("Article L1", "§ 3")."""
    return _LABEL_ONLY.match(text.strip()) is not None


_OPENS = re.compile(
    rf"^(?:(?:{_PATTERNS[0]})\s*(?:$|[\u2013\u2014\-:.](?:\s|$))|(?:{'|'.join(_PATTERNS[1:])}))"
)


def starts_with_number(line: str) -> bool:
    """True when a line opens a numbered clause (used to split pasted plain text).

    Enumerators ("(a)", "1.2", "3.") count at once; a label word ("Article 5") only when the
    line is the label alone or the label and a separator, since prose wrapped at the right
    place also starts lines with "Artikel 85 Abs. 3 gilt …".
    """
    return _OPENS.match(line.lstrip()) is not None
