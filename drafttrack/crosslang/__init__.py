"""Comparing a version with its translation: clauses aligned by meaning across languages
(:mod:`align`, :mod:`scoring`), then explicit checks of what embeddings miss on each aligned
pair — numbers, negation, countries and organisations (:mod:`divergence`)."""
