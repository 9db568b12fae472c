"""Scoring a query over a set of documents, and cutting one page out of the result.

Whoosh scores every match in Python (MEASURED.md), so a search scores once: the scores of
all matches give the ranking, the total and, as a set, what the facets count. Sets of
document numbers (`indexer.facets.DocSet`) stand for visibility and tag filters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from whoosh import query as wq
from whoosh.searching import Searcher

from indexer.facets import DocSet


def score_all(
    searcher: Searcher, query: wq.Query, scope: DocSet | None, every: DocSet
) -> dict[int, float]:
    """docnum -> score of every document `query` matches within `scope` (None: all), best
    first (ties in index order). `every`: all document numbers, for a query of nothing."""
    if query is wq.NullQuery:
        return {}
    if isinstance(query, wq.Every):  # nothing to score: every document, in index order
        return dict.fromkeys(sorted(every if scope is None else scope), 0.0)
    if scope is not None and not scope:
        return {}
    results = searcher.search(query, limit=None, filter=None if scope is None else set(scope))
    return dict(results.items())


def page_of(
    scores: dict[int, float],
    allowed: DocSet,
    first: int,
    size: int,
    dates: Sequence[int] | None = None,
) -> list[int]:
    """Document numbers of one page among `allowed`: by score, or newest first when
    `dates` (docnum -> YYYYMMDD) is given, undated (0) last."""
    if first >= len(allowed):
        return []
    if dates is not None:
        return sorted(allowed, key=lambda d: (-dates[d], d))[first : first + size]
    chosen: list[int] = []
    for docnum in scores:  # best first
        if docnum in allowed:
            chosen.append(docnum)
            if len(chosen) == first + size:
                break
    return chosen[first:]


def matching(searcher: Searcher, query: wq.Query, visible: DocSet | None) -> DocSet:
    """Documents the query matches (not scored), among `visible` (None: all)."""
    if query is wq.NullQuery:
        return frozenset()
    docs = frozenset(searcher.docs_for_query(query))
    return docs if visible is None else docs & visible


def narrow(docs: DocSet | None, filters: Iterable[DocSet]) -> DocSet | None:
    """`docs` (None: every document) cut down to each of `filters`."""
    for allowed in filters:
        docs = allowed if docs is None else docs & allowed
    return docs


__all__ = ["matching", "narrow", "page_of", "score_all"]
