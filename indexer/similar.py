"""More like this: a query made of a document's most distinctive words.

Whoosh's `more_like` needs term vectors, which the index does not keep (they made builds
41% slower and the index 83% bigger: docs/dependency-facts.md); the stored text is analysed
instead, once per request: its opening `SIMILAR_TEXT_CHARS` only, which say what a document
is about, so that a 500-page report costs what a note does.

The words are weighed as Whoosh's `key_terms_from_text` weighs them (the Bo1 model: a
word's weight in the text against its frequency in the library; tests/test_similar.py
checks both agree), with the library frequencies kept per index generation by the caller:
looking one up costs a seek in every segment, and a document page asks for a thousand.
"""

from __future__ import annotations

from collections import defaultdict

from whoosh import query as wq
from whoosh.classify import Bo1Model
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.lru import LruCache
from indexer.schema import TEXT_FIELD_BOOSTS

SIMILAR_TERMS = 15  # words of the document that make its query
SIMILAR_TEXT_CHARS = 30_000  # about ten pages
FREQUENCIES_KEPT = 200_000  # words whose library frequency a view remembers, within the budget

Frequencies = LruCache[str, float]


def similar_query(
    searcher: Searcher, docnum: int, frequencies: Frequencies | None = None
) -> wq.Query:
    """An OR of the document's most distinctive words (Bo1 weights over the library), in
    text and title; NullQuery for a document without words."""
    stored = searcher.stored_fields(docnum)
    text = "\n".join(stored.get(name) or "" for name in ("title", "summary", "content"))
    # Numbers (years, amounts) are poor evidence of a shared subject: ask for spares.
    terms = key_terms(
        searcher.reader(), "content", text[:SIMILAR_TEXT_CHARS], SIMILAR_TERMS * 2, frequencies
    )
    words = [(t, w) for t, w in terms if t.isalpha() and len(t) > 2][:SIMILAR_TERMS]
    if not words:
        return wq.NullQuery
    title_boost = TEXT_FIELD_BOOSTS["title"] / 2
    clauses: list[wq.Query] = []
    for term, weight in words:
        clauses.append(wq.Term("content", term, boost=weight))
        clauses.append(wq.Term("title", term, boost=weight * title_boost))
    return wq.Or(clauses)


def key_terms(
    reader: IndexReader,
    fieldname: str,
    text: str,
    number: int,
    frequencies: Frequencies | None = None,
) -> list[tuple[str, float]]:
    """The `number` words of `text` that best tell it apart, with normalised weights: what
    `Searcher.key_terms_from_text(fieldname, text, number)` returns, frequencies cached."""
    field = reader.schema[fieldname]
    weights: dict[str, float] = defaultdict(float)
    for btext, _, weight, _ in field.index(text):
        weights[field.from_bytes(btext)] += weight
    if not weights:
        return []
    top_total = sum(weights.values())
    model = Bo1Model(reader.doc_count_all(), reader.field_length(fieldname))
    scored = []
    best = 0.0
    for word, weight in weights.items():
        found = frequencies.get(word) if frequencies is not None else None
        if found is None:
            found = float(reader.frequency(fieldname, field.to_bytes(word)))
            if frequencies is not None:
                frequencies.put(word, found)
        if not found:  # not in the library (0 is what a missing word's frequency reads)
            continue
        score = model.score(weight, found, top_total)
        best = max(best, score)
        scored.append((score, word))
    norm = model.normalizer(best, top_total)
    ranked = sorted(((score / norm, word) for score, word in scored), key=lambda x: (-x[0], x[1]))
    return [(word, score) for score, word in ranked[:number]]


__all__ = ["SIMILAR_TERMS", "SIMILAR_TEXT_CHARS", "key_terms", "similar_query"]
