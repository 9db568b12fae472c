"""More like this: a query made of a document's most distinctive words.

Whoosh's `more_like` needs term vectors, which the index does not keep (they made builds
41% slower and the index 83% bigger: docs/dependency-facts.md); the stored text is analysed
instead, once per request.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.searching import Searcher

from indexer.schema import TEXT_FIELD_BOOSTS

SIMILAR_TERMS = 15  # words of the document that make its query


def similar_query(searcher: Searcher, docnum: int) -> wq.Query:
    """An OR of the document's most distinctive words (Bo1 weights over the library), in
    text and title; NullQuery for a document without words."""
    stored = searcher.stored_fields(docnum)
    text = "\n".join(stored.get(name) or "" for name in ("title", "summary", "content"))
    # Numbers (years, amounts) are poor evidence of a shared subject: ask for spares.
    terms = searcher.key_terms_from_text("content", text, numterms=SIMILAR_TERMS * 2)
    words = [(t, w) for t, w in terms if t.isalpha() and len(t) > 2][:SIMILAR_TERMS]
    if not words:
        return wq.NullQuery
    title_boost = TEXT_FIELD_BOOSTS["title"] / 2
    clauses: list[wq.Query] = []
    for term, weight in words:
        clauses.append(wq.Term("content", term, boost=weight))
        clauses.append(wq.Term("title", term, boost=weight * title_boost))
    return wq.Or(clauses)


__all__ = ["SIMILAR_TERMS", "similar_query"]
