"""How many documents a caller may see, in all and per tag value (for /vocabulary, /health).

Counted by the index with the same visibility restriction as searches, so a count is what a
search filtered on that value finds ("Bretagne (12)" then 12 hits; a territory counts what
lies below it) and hidden documents are never counted. The facet fields come from one empty
search with facets; the other controlled fields (visibility, source, language) from one
filtered empty search per value. Both are set operations over tables the index keeps per
generation (`indexer.facets`), so there is nothing to cache here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from api.auth import Caller
from kb.library import Library


@dataclass(frozen=True)
class VisibleCounts:
    documents: int
    terms: Mapping[str, Mapping[str, int]]  # field -> key -> documents


def count_documents(library: Library, caller: Caller) -> int:
    """How many documents `caller` may see; SchemaOutdated if the index is stale."""
    return library.search(
        "", visibilities=caller.visibilities, size=1, snippets=0, suggest=False
    ).total


def count_visible(library: Library, caller: Caller) -> VisibleCounts:
    """Counts over the documents `caller` may see; SchemaOutdated if the index is stale."""
    vocabulary = library.vocabulary
    everything = library.search(
        "", visibilities=caller.visibilities, size=1, facets=True, snippets=0, suggest=False
    )
    terms: dict[str, dict[str, int]] = {
        field: {k: n for k, n in counts.items() if n}
        for field, counts in everything.facets.items()
        if field in vocabulary.fields
    }
    for field in vocabulary.fields:
        if field in terms:
            continue
        terms[field] = {}
        for term in vocabulary.terms(field):
            found = library.search(
                "", {field: (term.key,)}, visibilities=caller.visibilities, size=1,
                snippets=0, suggest=False,
            ).total
            if found:
                terms[field][term.key] = found
    return VisibleCounts(everything.total, terms)
