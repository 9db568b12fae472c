"""How `AllWordsFirst` (`indexer.query.nodes`) ranks: by how many of the plain words a
document holds.

A document's score is the number of the clauses it matches plus `tier_relevance(s)`, where
s is the usual (BM25F) sum of their scores: a document with all the words always ranks
above one with fewer, and inside a tier the usual relevance decides. Whoosh's own
coordination (`Or(scale=0.9)`, `OrGroup.factory(0.9)`) only adds a small bonus per matching
term, which a frequent rare word outweighs (tests/indexer/query/test_tiers.py pins that).

`indexer.compile` arranges the engine's scores so (a `TIER` per word held), and hits show
the score as tier + `tier_relevance` of the rest.
"""

from __future__ import annotations

TIER_SCALE = 10.0  # see `tier_relevance`


def tier_relevance(total: float) -> float:
    """A BM25 sum as the part of a tier score below 1: s / (s + TIER_SCALE), increasing.

    TIER_SCALE is about the sum of a document holding several of the words well: sums from
    a fraction of it to several times it stay apart by hundredths, not thousandths (with
    s / (1 + s), a long document's 30 and 31 were 0.968 and 0.969).
    """
    return total / (total + TIER_SCALE)
