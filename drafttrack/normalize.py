"""The matching normal form shared by align, trace and quote, and Unicode-safe word splitting.

``match_form`` erases what a reader would not call a change of wording: Unicode compatibility
forms, letter case, quote/apostrophe/dash style, runs of white space and Markdown emphasis or
link syntax. ``words`` keeps every Unicode word whole (combining marks, astral letters).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from drafttrack._marks import MARKS

WORD_RE = re.compile(rf"[\w{MARKS}]+")
"""A word: a run of letters, digits, underscores and combining marks."""

_QUOTES = {
    c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u301d\u301e\u301f\uff02"
}
_APOSTROPHES = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4\u02bc`"}
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
_STYLE_MAP = {**_QUOTES, **_APOSTROPHES, **_DASHES, "\u00a0": " ", "\u202f": " "}
_STYLE = re.compile("[" + re.escape("".join(_STYLE_MAP)) + "]")
_STYLE_TABLE = str.maketrans(_STYLE_MAP)
_MARKDOWN_CHARS = re.compile(r"[\[*_`~<\\]")

# Link texts exclude "[" and destinations stop at the next parenthesis, with possessive
# quantifiers, so a run of brackets or parentheses is scanned once, not once per character
# (a line of 20,000 "[" took quadratic time before).
_IMAGE = re.compile(r"!\[([^\[\]]*+)\]\([^()]*+\)")
_LINK = re.compile(r"\[([^\[\]]*+)\]\((?:[^()]++|\([^()]*+\))*+\)")
_REF_LINK = re.compile(r"\[([^\[\]]++)\]\[[^\[\]]*+\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
_EMPHASIS = re.compile(r"\*+|~~|`+")
_UNDERSCORES = re.compile(r"_+")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SIMPLE_WORD = re.compile(r"\w+")
_OTHER = re.compile(r"[^\w\s]")
_PUNCT = re.compile(rf"[^\w{MARKS}\s]+")


def strip_markdown(text: str) -> str:
    """Remove inline Markdown syntax (links, images, emphasis, escapes), keeping the words."""
    if "[" in text:
        text = _IMAGE.sub(r"\1", text)
        text = _LINK.sub(r"\1", text)
        text = _REF_LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
    if "*" in text or "~" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    if "_" in text:
        text = _UNDERSCORES.sub(_underscore, text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return text


def _underscore(m: re.Match[str]) -> str:
    """Keep underscores inside a word (snake_case); drop those used as emphasis."""
    s, i, j = m.string, m.start(), m.end()
    inside = 0 < i and j < len(s) and s[i - 1].isalnum() and s[j].isalnum()
    return m.group() if inside else ""


@lru_cache(maxsize=65536)
def match_form(text: str) -> str:
    """The form in which two texts that read the same compare equal."""
    if _MARKDOWN_CHARS.search(text):
        text = strip_markdown(text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _STYLE.search(text):
        text = text.translate(_STYLE_TABLE)
    return " ".join(text.casefold().split())  # str.split's white space is the regex's \s


@lru_cache(maxsize=65536)
def editorial_form(text: str) -> str:
    """``match_form`` without punctuation: equal forms differ at most editorially."""
    form = match_form(text)
    if form.isascii() or not has_marks(form):
        return " ".join(_SIMPLE_WORD.findall(form))
    return " ".join(WORD_RE.findall(form))


def words(text: str) -> list[str]:
    """The words of ``text`` in order; punctuation and white space are dropped."""
    if text.isascii() or not has_marks(text):
        return _SIMPLE_WORD.findall(text)
    return WORD_RE.findall(text)


def word_form(text: str) -> str:
    """The words of ``text`` in match form, joined by single spaces (what phrases match)."""
    return " ".join(words(match_form(text)))


def has_marks(text: str) -> bool:
    """Whether ``text`` holds a combining mark (then the slower full word pattern is needed)."""
    return any(unicodedata.category(c)[0] == "M" for c in set(_OTHER.findall(text)))


def contains_phrase(haystack: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``haystack`` as whole words, in match form."""
    needle = match_form(phrase)
    if not needle:
        return False
    hay = match_form(haystack)
    start = 0
    while (i := hay.find(needle, start)) >= 0:
        end = i + len(needle)
        if _boundary(hay, i - 1, needle[0]) and _boundary(hay, end, needle[-1]):
            return True
        start = i + 1
    return False


def _boundary(text: str, index: int, edge: str) -> bool:
    """True when ``text[index]`` does not glue a word onto the phrase edge ``edge``."""
    if index < 0 or index >= len(text):
        return True
    return not (_is_word_char(edge) and _is_word_char(text[index]))


def _is_word_char(char: str) -> bool:
    return WORD_RE.fullmatch(char) is not None
