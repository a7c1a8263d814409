"""An index of the rare words of unmatched clauses: where the fuzzy passes find candidates.

Looking up only a clause's rarest words, and skipping words held by many clauses, bounds the
work per clause, so the fuzzy passes stay linear in the number of changed clauses.
"""

from __future__ import annotations

from collections import Counter

CANDIDATES = 8
"""Fuzzy candidates scored per clause (those sharing the most rare words)."""

RARE_WORDS = 12
"""How many of a clause's rarest words are looked up in the index."""

COMMON_POSTING = 64
"""Words in more unmatched clauses than this are too common to suggest a candidate; this
bounds the work per clause, so the fuzzy passes stay linear in the number of changes."""


class Index:
    """Which clauses of a set hold which of their words, for finding fuzzy candidates."""

    def __init__(self, ids: list[int], words: list[list[str]]) -> None:
        self.ids = ids
        self.sets = [set(words[i]) for i in ids]
        postings: dict[str, list[int]] = {}
        for i, found in zip(ids, self.sets, strict=True):
            for word in found:
                held = postings.get(word)
                if held is None:
                    postings[word] = [i]
                else:
                    held.append(i)
        self.postings = postings
        self.counts = {word: len(held) for word, held in postings.items()}

    def posting(self, word: str) -> list[int]:
        """The clauses holding ``word``, in order (built with the index: one pass over the
        clauses' words, where a lookup per word would scan every clause again)."""
        return self.postings.get(word, [])

    def candidates(self, query: list[str], limit: int = CANDIDATES) -> list[int]:
        """The clauses sharing most of the query's rarest words (``rarest``), at most
        ``limit``, ties in index order."""
        if len(self.ids) == 1:  # the one clause, if it holds one of the rarest words
            held = self.sets[0]
            words = set(query)
            shared = len(held.intersection(words))
            return self.ids[:1] if shared and len(words) - shared < RARE_WORDS else []
        counts = self.counts
        words = set(query)
        found = [(n, w) for w in words if (n := counts.get(w, 0))]
        hits: Counter[int] = Counter()
        for n, w in rarest(found, len(words) - len(found)):
            if n <= COMMON_POSTING:
                hits.update(self.posting(w))
        return [i for i, _ in hits.most_common(limit)]


def rarest(found: list[tuple[int, str]], absent: int) -> list[tuple[int, str]]:
    """Of a clause's ``RARE_WORDS`` rarest words, those an index holds: ``found`` gives each
    held word with the number of clauses holding it, ``absent`` counts the words it holds
    nowhere (the rarest of all). Rare words carry the most evidence of which clause was which."""
    room = RARE_WORDS - absent
    if room <= 0:
        return []
    found.sort()  # by count, then word
    return found[:room]
