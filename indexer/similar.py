"""More like this: a query made of a document's most distinctive words.

Its opening `SIMILAR_TEXT_CHARS` only, which say what a document is about, so that a
500-page report costs what a note does. The words are weighed by the Bo1 model (a word's
weight in the text against how many of the library's documents hold it), as Whoosh's
`key_terms` weighed them, with the document frequencies kept per commit by the caller.
"""

from __future__ import annotations

import math

import tantivy

from indexer.lru import LruCache
from indexer.prepare import prepare_text
from indexer.query import nodes as wq
from indexer.schema import TEXT_FIELD_BOOSTS

SIMILAR_TERMS = 15  # words of a document that make its "similar documents" query
SIMILAR_TEXT_CHARS = 30_000  # about ten pages
FREQUENCIES_KEPT = 200_000  # words whose document frequency a commit's view remembers

Frequencies = LruCache[str, int]


def similar_query(searcher: tantivy.Searcher, text: str, frequencies: Frequencies) -> wq.Node:
    """An OR of the text's most distinctive words, in content and title; NOTHING for a
    text without words the library holds."""
    counts: dict[str, int] = {}
    for term in prepare_text(text[:SIMILAR_TEXT_CHARS]).terms.split():
        if term.isalpha() and len(term) > 2:  # numbers are poor evidence of a subject
            counts[term] = counts.get(term, 0) + 1
    if not counts:
        return wq.NOTHING
    total_docs = max(1, int(searcher.num_docs))
    scored = []
    for term, weight in counts.items():
        df = frequencies.get(term)
        if df is None:
            df = int(searcher.doc_freq("content", term))
            frequencies.put(term, df)
        if not df:
            continue
        f = df / total_docs
        scored.append((weight * math.log2((1.0 + f) / f) + math.log2(1.0 + f), term))
    if not scored:
        return wq.NOTHING
    norm = max(score for score, _ in scored) or 1.0
    ranked = sorted(scored, key=lambda x: (-x[0], x[1]))[:SIMILAR_TERMS]
    title_boost = TEXT_FIELD_BOOSTS["title"] / 2
    clauses: list[wq.Node] = []
    for score, term in ranked:
        clauses.append(wq.Term("content", term, boost=score / norm))
        clauses.append(wq.Term("title", term, boost=score / norm * title_boost))
    return wq.Or(tuple(clauses))


__all__ = ["FREQUENCIES_KEPT", "SIMILAR_TERMS", "SIMILAR_TEXT_CHARS", "similar_query"]
