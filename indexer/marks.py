"""The searched words of a query, found again in a document's text for highlighting (the
document page marks them in the whole text; snippets mark theirs in `indexer.snippets`).

The words are analysed as the index analyses them (French stems, accents and case folded),
so `economie` marks « l'économie » and `coopérative` marks « coopératives ». Operators,
`field:value` clauses and excluded words are left out: they are not words to look for.
"""

from __future__ import annotations

import re

from indexer.analysis import analyze, fold_token, tokens

_CLAUSE = re.compile(r'-"[^"]*"|-\S+|\S+:\S+|"|«|»|“|”|[()]')
_OPERATORS = frozenset({"OR", "OU", "AND", "ET", "NOT"})
MAX_WORDS = 30


def searched(query: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(stems, folded prefixes) of the words a query looks for."""
    kept = [w for w in _CLAUSE.sub(" ", query).split() if w not in _OPERATORS][:MAX_WORDS]
    stems: set[str] = set()
    prefixes: list[str] = []
    for word in kept:
        word = word.rstrip("~0123456789") if "~" in word else word
        if word.endswith("*") and len(word) > 3:
            prefixes.append(fold_token(word.rstrip("*")))
        else:
            stems.update(analyze(word))
    return frozenset(stems), tuple(prefixes)


def marks(text: str, words: tuple[frozenset[str], tuple[str, ...]]) -> list[tuple[int, int]]:
    """(start, end) of each word of `text` the query looks for."""
    stems, prefixes = words
    if not stems and not prefixes:
        return []
    found = []
    for token in tokens(text):
        if token.text in stems:
            found.append((token.start, token.end))
        elif prefixes:
            surface = fold_token(text[token.start:token.end])
            if any(surface.startswith(p) for p in prefixes):
                found.append((token.start, token.end))
    return found
