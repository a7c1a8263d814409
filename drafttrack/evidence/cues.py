"""What makes a report sentence a claim about a draft's wording, and what is page furniture.

A sentence *claims* wording when it carries a quotation-marked span (three words or more, not a
person's words: "…", she said) or a reporting cue: a verb that states what a text provides
("sah vor", "передбачала", "предусматривал", "prévoyait", "stipulated") or a reference to the
draft together with a verb of saying or containing ("the draft said", "im Entwurf hieß es",
"у проєкті йшлося", "в проекте говорилось", "le projet indiquait"). Cues are given for en, de,
uk, ru and fr; every language's cues are tried on every sentence, since relays mix languages and
a short sentence's language is a guess.

Boilerplate — licence and copyright footers, "translated by" notes, share/subscribe/read-more
lines, photo credits — is never a claim and never linked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafttrack.evidence.sentences import OPENING

MIN_QUOTE_WORDS = 3
"""A quotation of fewer words ("so-called 'guarantees'") is a term, not quoted wording."""

_B = r"(?<!\w)"
_E = r"(?!\w)"

_STRONG = {
    "en": r"stipulat\w*|envisag\w*|envision\w*|foresaw|foresees|provided for|provides for",
    "de": r"sah\w*\s+(?:\w+\s+){0,8}?vor|sieht\s+(?:\w+\s+){0,8}?vor|vorgesehen\w*|vorsah\w*|"
          r"vorsieht|dem Entwurf zufolge|laut (?:dem )?(?:\w+ )?Entwurfs?",
    "uk": r"передбача\w*|згідно з (?:\w+ )?проєкт\w*|згідно з (?:\w+ )?проект\w*|"
          r"за (?:\w+ )?проєктом",
    "ru": r"предусматрива\w*|предусмотрен\w*|согласно (?:\w+ )?проекту",
    "fr": r"prévoyait|prévoit|prévoyaient|prévu\w*|stipul\w*|selon le (?:\w+ )?projet",
}  # fmt: skip
"""Verbs (and phrases) that by themselves say what a text provides."""

_DRAFT = {
    "en": r"draft\w*|text|document|declaration|version|paper|communiqu\w*",
    "de": r"Entw[uü]rf\w*|Text\w*|Dokument\w*|Papier\w*|Erklärung\w*|Fassung\w*|Vorlage\w*",
    "uk": r"проєкт\w*|проект\w*|документ\w*|текст\w*|декларац\w*|версі\w*",
    "ru": r"проект\w*|документ\w*|текст\w*|декларац\w*|верси\w*",
    "fr": r"projet\w*|texte\w*|document\w*|déclaration\w*|version\w*",
}  # fmt: skip
"""Words for the draft being reported on."""

_SAYS = {
    "en": r"said|says|stated|states|included|includes|contained|contains|called for|calls for|"
          r"committed|commits|would|required|requires|read|reads|proposed|had|obliged|pledged",
    "de": r"hieß|heißt|enthielt\w*|enthält|lautete\w*|forderte\w*|verpflichtete\w*|sollte\w*|"
          r"stand|steht|war die Rede",
    "uk": r"йшлося|йдеться|ідеться|містив\w*|зобов'язува\w*|зобов’язува\w*|мали|мав|мала|"
          r"сказано|зазначалося|говорилося",
    "ru": r"говорилось|говорится|содержал\w*|обязывал\w*|должны были|сказано|указывалось",
    "fr": r"indiquait|indique|précisait|précise|contenait|contient|engageait|disait|dit|"
          r"mentionnait|affirmait",
}  # fmt: skip
"""Verbs of saying or containing: a cue only next to a word for the draft."""

_SPEAKER = {
    "en": r"(?:said|says|told|added|declared|stressed)\s+(?:[A-Z]\w+|the|he|she|they)|"
          r"(?:he|she|they|[A-Z]\w+)\s+(?:said|says|told|added|declared)",
    "de": r"sagte\w*|erklärte\w*|betonte\w*|fügte\w* hinzu|so\s+[A-Z]\w+",
    "uk": r"заяви\w*|сказа\w*|наголоси\w*|додав\w*|зазначи\w*",
    "ru": r"заяви\w*|сказа\w*|подчеркну\w*|добави\w*|отмети\w*",
    "fr": r"a déclaré|a dit|a affirmé|a souligné|a ajouté|selon (?:M\.|Mme|le président)",
}  # fmt: skip
"""A person's words: a quotation carried by one of these (and no cue) is not a draft's wording."""


def _compile(table: dict[str, str], flags: int = re.IGNORECASE) -> dict[str, re.Pattern[str]]:
    return {lang: re.compile(f"{_B}(?:{pattern}){_E}", flags) for lang, pattern in table.items()}


STRONG = _compile(_STRONG)
DRAFT = _compile(_DRAFT)
SAYS = _compile(_SAYS)
SPEAKER = {lang: re.compile(f"{_B}(?:{p}){_E}") for lang, p in _SPEAKER.items()}
LANGUAGES = tuple(_STRONG)

CUE_WINDOW = 60
"""Characters between a word for the draft and a verb of saying for the pair to be a cue."""

_BOILERPLATE = re.compile(
    r"©|\(c\)\s*\d{4}|copyright|all rights reserved|alle rechte vorbehalten|tous droits|"
    r"всі права|все права|creative commons|\bcc[ -]by\b|licen[cs]e[ds]? under|lizenz|"
    r"translated (?:by|with|using)|machine[- ]translat|übersetzt (?:von|mit|durch)|"
    r"maschinell übersetzt|übersetzung:|automatisch übersetzt|deepl|google translate|"
    r"перекла(?:д|дено)|traduit (?:par|avec)|traduction automatique|"
    r"read more|mehr lesen|weiterlesen|читайте також|читайте также|lire aussi|"
    r"subscribe|abonnieren|newsletter|підписуйтесь|подписывайтесь|abonnez-vous|"
    r"share (?:this|on)|teilen auf|поділитися|поделиться|partager|"
    r"(?:photo|foto|фото)\s*:|quelle\s*:|джерело\s*:|источник\s*:|source\s*:",
    re.IGNORECASE,
)
"""Lines that belong to the page, not to the reporting."""

MAX_BOILERPLATE_WORDS = 40
"""A long sentence that merely mentions DeepL or a licence is still reporting."""


@dataclass(frozen=True, slots=True)
class Quoted:
    """A quotation-marked span inside a sentence (offsets relative to the sentence)."""

    start: int
    end: int
    text: str


def quoted_spans(sentence: str, min_words: int = MIN_QUOTE_WORDS) -> list[Quoted]:
    """The outermost quotation-marked spans of ``sentence`` with ``min_words`` words or more."""
    out: list[Quoted] = []
    i, n = 0, len(sentence)
    while i < n:
        ch = sentence[i]
        closers = OPENING.get(ch)
        if closers is None or (ch == '"' and i and sentence[i - 1].isalnum()):
            i += 1
            continue
        depth_end = _closing(sentence, i + 1, closers)
        if depth_end is None:
            i += 1
            continue
        inner = sentence[i + 1 : depth_end].strip()
        if len(inner.split()) >= min_words:
            start = sentence.index(inner, i + 1)
            out.append(Quoted(start, start + len(inner), inner))
        i = depth_end + 1
    return out


def _closing(sentence: str, start: int, closers: str) -> int | None:
    for j in range(start, len(sentence)):
        if sentence[j] in closers and (closers != '"' or not sentence[j - 1].isspace()):
            return j
    return None


def cue(sentence: str) -> re.Match[str] | None:
    """The reporting cue of ``sentence`` (the first found), or None."""
    for lang in LANGUAGES:
        m = STRONG[lang].search(sentence)
        if m:
            return m
    for lang in LANGUAGES:
        for draft in DRAFT[lang].finditer(sentence):
            lo = max(0, draft.start() - CUE_WINDOW)
            says = SAYS[lang].search(sentence, lo, draft.end() + CUE_WINDOW)
            if says:
                return says if says.start() > draft.start() else draft
    return None


def is_speaker_quote(sentence: str) -> bool:
    """The sentence attributes its quotation to a person ("…", she said)."""
    return any(p.search(sentence) for p in SPEAKER.values())


def is_boilerplate(sentence: str) -> bool:
    """A licence or copyright line, a translation credit, a share or subscribe prompt."""
    return len(sentence.split()) <= MAX_BOILERPLATE_WORDS and bool(_BOILERPLATE.search(sentence))


def content_after_cue(sentence: str, match: re.Match[str]) -> str:
    """What the sentence says the draft contained: the text after its cue (and a following
    "that"/"dass"/"що"/"что"/"que"), when there is enough of it; else the whole sentence."""
    tail = sentence[match.end() :]
    tail = re.sub(r"^[\s,:;—–-]*(?:that|dass|daß|що|що|что|que|qu')?\s*", "", tail, count=1)
    return tail if len(tail.split()) >= 4 else sentence
