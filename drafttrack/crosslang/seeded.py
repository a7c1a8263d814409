"""Seeded edits of a translation, with the true alignment they leave (for evaluation).

Starting from a paragraph-parallel pair (original, translation), the translation is edited
with a fixed seed: clauses dropped, on-topic clauses inserted (from another release of the same
translation), two clauses at least three apart swapped, two adjacent ones merged, a
near-duplicate distractor (the same clause from an older translation) placed after its twin,
numbers stated on both sides and changed on one (as digits and as words, with unchanged
controls), and negations flipped. Merges and swaps take prose paragraphs (a translation does
not run a heading into a paragraph); drops take any clause. Every new clause remembers which
original clauses it renders.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

VALUES = (3, 5, 7, 10, 12, 15, 20, 25, 30, 40, 45, 60, 90, 100)
WORDS = {
    "en": "three five seven ten twelve fifteen twenty twenty-five thirty forty forty-five sixty "
    "ninety one_hundred",
    "de": "drei fünf sieben zehn zwölf fünfzehn zwanzig fünfundzwanzig dreißig vierzig "
    "fünfundvierzig sechzig neunzig hundert",
    "fr": "trois cinq sept dix douze quinze vingt vingt-cinq trente quarante quarante-cinq "
    "soixante quatre-vingt-dix cent",
    "ru": "три пять семь десять двенадцать пятнадцать двадцать двадцать_пять тридцать сорок "
    "сорок_пять шестьдесят девяносто сто",
    "uk": "три п'ять сім десять дванадцять п'ятнадцять двадцять двадцять_п'ять тридцять сорок "
    "сорок_п'ять шістдесят дев'яносто сто",
}
TEMPLATES = {
    "en": "This applies for {n} days.",
    "de": "Die Frist beträgt {n} Tage.",
    "fr": "Le délai est de {n} jours.",
    "ru": "Срок составляет {n} дней.",
    "uk": "Строк становить {n} днів.",
}
_NEGATE = {
    "en": (r"\b(is|are|will|shall|may|must|should|would|does|do)\b", r"\1 not"),
    "de": (
        r"\b(ist|sind|wird|werden|kann|können|muss|müssen|soll|sollen|darf|dürfen|hat|haben)\b",
        r"\1 nicht",
    ),  # fmt: skip
    "fr": (r"\b(sont|seront|peuvent|doivent|doit|peut|sera|font|fait)\b", r"ne \1 pas"),
    "ru": (r"(?<![\w-])([а-яё]{3,}(?:ет|ют|ит|ят|ется|ются|утся|ятся|ут))(?![\w-])", r"не \1"),
    "uk": (
        r"(?<![\w'-])([а-яіїєґ']{3,}(?:ує|ють|ить|ять|еться|ються|уть|ать))(?![\w'-])",
        r"не \1",
    ),  # fmt: skip
}


@dataclass(slots=True)
class Item:
    """One clause of the edited translation and the original clauses it renders."""

    text: str
    gold: tuple[int, ...]
    """Original clause indexes (empty: an inserted clause)."""
    moved: bool = False
    number: str = ""
    """"digits" / "words": its number was changed; "digits-same" / "words-same": restated."""
    negated: bool = False


@dataclass(slots=True)
class Seeded:
    """An edited pair: the original clauses (edited where numbers were added to both) and the
    translation's items, with what was done."""

    original: list[str]
    items: list[Item]
    dropped: set[int] = field(default_factory=set)


def is_body(text: str) -> bool:
    """A clause that can take an edit: a sentence-like paragraph, not a heading or a list of
    link definitions."""
    return not text.startswith(("#", "[")) and len(text.split()) >= 6


def seed_edits(
    original: Sequence[str],
    translated: Sequence[str],
    language: str,
    spares: Sequence[str],
    older: Sequence[str],
    seed: int,
) -> Seeded:
    """The combined edits on one pair (``spares``: on-topic paragraphs of the same language
    that render nothing in ``original``; ``older``: an older translation, for distractors)."""
    rng = random.Random(seed)
    orig = list(original)
    items = [Item(t, (i,)) for i, t in enumerate(translated)]
    body = [i for i, t in enumerate(translated) if is_body(t) and is_body(orig[i])]
    rng.shuffle(body)
    used: set[int] = set()

    def take(k: int = 1) -> list[int]:
        out = [i for i in body if i not in used][:k]
        used.update(out)
        return out

    for k, i in enumerate(take(8)):  # numbers: changed and restated, as digits and words
        kind = ("digits", "words", "digits-same", "words-same")[k % 4]
        value = rng.randrange(len(VALUES))
        other = (value + 1 + rng.randrange(len(VALUES) - 1)) % len(VALUES)
        shown = value if kind.endswith("same") else other
        orig[i] = f"{orig[i]} {TEMPLATES['en'].format(n=VALUES[value])}"
        said = str(VALUES[shown]) if kind.startswith("digits") else _word(language, shown)
        items[i].text = f"{items[i].text} {TEMPLATES[language].format(n=said)}"
        items[i].number = kind
    for i in take(len(body)):  # negation flips: two clauses with no negation on either side
        if sum(it.negated for it in items) == 2:
            used.discard(i)
            continue
        flipped = _negate(items[i].text, language)
        if flipped is None or _negates(orig[i], "en") or _negates(items[i].text, language):
            used.discard(i)
            continue
        items[i].text, items[i].negated = flipped, True
    order = list(range(len(items)))
    free = [i for i in order if i not in used]
    rng.shuffle(free)
    dropped = set(free[:2])

    def prose(i: int) -> bool:
        return is_body(translated[i]) and is_body(original[i])

    a = next((i for i in free[2:] if i + 1 < len(items) and i + 1 not in dropped
             and i not in dropped and i + 1 in free and prose(i) and prose(i + 1)), -9)  # fmt: skip
    merged = (a, a + 1)
    rest = [i for i in free[2:] if i not in merged and i not in dropped and prose(i)]
    s1 = rest[0] if rest else -9
    s2 = next((i for i in rest[1:] if abs(i - s1) >= 3), -9)
    if s2 < 0:
        s1 = -9
    sequence: list[Item] = []
    for i in order:
        if i in dropped or i == a + 1:
            continue
        if i == a:
            sequence.append(Item(f"{items[a].text} {items[a + 1].text}", (a, a + 1)))
        elif i == s1:
            sequence.append(_moved(items[s2]))
        elif i == s2:
            sequence.append(_moved(items[s1]))
        else:
            sequence.append(items[i])
    for spare in rng.sample(list(spares), min(2, len(spares))):  # on-topic insertions
        sequence.insert(rng.randrange(len(sequence) + 1), Item(spare, ()))
    twin = _distractor(older, translated, rng)
    if twin is not None:
        after, text = twin
        place = next((k for k, it in enumerate(sequence) if it.gold == (after,)), None)
        if place is not None:
            sequence.insert(place + 1, Item(text, ()))
    return Seeded(orig, sequence, dropped)


def _moved(item: Item) -> Item:
    return Item(item.text, item.gold, True, item.number, item.negated)


def _word(language: str, index: int) -> str:
    return WORDS[language].split()[index].replace("_", " ")


def _negate(text: str, language: str) -> str | None:
    pattern, repl = _NEGATE[language]
    out, count = re.subn(pattern, repl, text, count=1, flags=re.I)
    if language == "fr":
        out = re.sub(r"\bne ([aeiouéèê])", r"n'\1", out)
    return out if count else None


def _negates(text: str, language: str) -> bool:
    from drafttrack.crosslang.negation import negation_cues

    return bool(negation_cues(text, language))


def _distractor(
    older: Sequence[str], translated: Sequence[str], rng: random.Random
) -> tuple[int, str] | None:
    """A paragraph of an older translation close to, but not the same as, one of ours."""
    from rapidfuzz import fuzz

    candidates = []
    for text in older:
        if not is_body(text) or text in translated:
            continue
        scores = [(fuzz.ratio(text, t), k) for k, t in enumerate(translated) if is_body(t)]
        if not scores:
            continue
        best, k = max(scores)
        if 60 <= best < 97:
            candidates.append((k, text))
    return rng.choice(candidates) if candidates else None
