"""Reports as evidence: a news report cut into sentences, each linked to the clauses it quotes
or paraphrases (``link``), with the reporting cues (``cues``) that make an unmatched sentence a
claim of wording no stored version holds. No git, HTTP or store access here.
"""
