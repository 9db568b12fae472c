"""Whoosh scoring the product's queries: the reference `indexer.ranking.Ranker` is
compared with.

The product never lets Whoosh score (`Ranker` reads postings in bulk), so what Whoosh
needs to score our queries the same way lives here: a matcher for `AllWordsFirst`'s tiers
(`TieredOr`) and a wrapper that stops Whoosh's collectors pruning wrongly (`FullScoring`).
`whoosh_query(q)` turns a query of the product into one Whoosh scores as the product
means it; `score_all` runs it. Tests compare the two on real indexes: same match sets,
same scores (to the last bits), same order.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.matching import Matcher, NullMatcher, WrappingMatcher
from whoosh.query.wrappers import WrappingQuery
from whoosh.searching import SearchContext, Searcher

from indexer.facets import DocSet
from indexer.query import AllWordsFirst, tier_relevance


class TieredOr(AllWordsFirst):
    """`AllWordsFirst` with a Whoosh matcher: union of the subqueries, scored as the
    number of them that match plus `tier_relevance` of their summed scores."""

    def matcher(self, searcher: Any, context: Any = None) -> Matcher:
        if not self.subqueries:
            return NullMatcher()
        if context is not None:
            context = context.set(needs_current=True)
        return _TierMatcher([q.matcher(searcher, context) for q in self.subqueries])


class _TierMatcher(Matcher):
    """Union of the subqueries' matchers, scored by `AllWordsFirst`'s rule."""

    def __init__(self, matchers: list[Matcher]):
        self._all = matchers
        self._active = [m for m in matchers if m.is_active()]
        self._id = min((m.id() for m in self._active), default=None)

    def _refresh(self) -> None:
        self._active = [m for m in self._active if m.is_active()]
        self._id = min((m.id() for m in self._active), default=None)

    def is_active(self) -> bool:
        return bool(self._active)

    def id(self) -> int:
        return self._id  # type: ignore[return-value]

    def reset(self) -> None:
        for m in self._all:
            m.reset()
        self._active = [m for m in self._all if m.is_active()]
        self._refresh()

    def children(self) -> list[Matcher]:
        return list(self._active)

    def copy(self) -> _TierMatcher:
        return _TierMatcher([m.copy() for m in self._active])

    def depth(self) -> int:
        return 1 + max((m.depth() for m in self._active), default=0)

    def replace(self, minquality: float = 0) -> Matcher:
        # Children score in other units: never let them prune against our minimum.
        if not self._active:
            return NullMatcher()
        replaced = [m.replace(0) for m in self._active]
        if all(a is b for a, b in zip(replaced, self._active, strict=True)):
            return self
        return _TierMatcher([m for m in replaced if m.is_active()])

    def supports(self, astype: str) -> bool:
        return all(m.supports(astype) for m in self._active)

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        # Parents' replace() asks for it: an upper bound of our score.
        return float(len(self._active) + 1)

    def block_quality(self) -> float:
        return self.max_quality()

    def next(self) -> bool:
        current = self._id
        for m in self._active:
            if m.id() == current:
                m.next()
        self._refresh()
        return False

    def skip_to(self, id: int) -> bool:
        for m in self._active:
            if m.is_active() and m.id() < id:
                m.skip_to(id)
        self._refresh()
        return False

    def weight(self) -> float:
        return sum(m.weight() for m in self._active if m.id() == self._id)

    def score(self) -> float:
        current = self._id
        count = 0
        total = 0.0
        for m in self._active:
            if m.id() == current:
                count += 1
                total += m.score()
        return count + tier_relevance(total)


class FullScoring(WrappingQuery):
    """Scores every match of its child: no pruning against the running top-N minimum.

    Whoosh's collectors call `matcher.replace(minscore)` every few documents, and several
    matchers prune wrongly with it: a compound query with a boost (it compares unboosted
    bounds with boosted scores), `FuzzyTerm(constantscore=False)` inside an `Or`. The top
    hits of `search(q, limit=10)` then differ from those of `limit=None`
    (tests/test_query.py pins it). Our searches count every hit anyway, so pruning would
    save little. Keep it at the top of the query: pass restrictions with
    `search(..., filter=...)` rather than And-ing them around it.
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FullScoring) and self.child == other.child

    def __hash__(self) -> int:
        return hash(("FullScoring", self.child))

    def __str__(self) -> str:
        return str(self.child)

    def normalize(self) -> wq.Query:
        return self._rewrap(self.child.normalize())

    def matcher(self, searcher: Any, context: Any = None) -> Matcher:
        return _FullScoringMatcher(self.child.matcher(searcher, context))


class _FullScoringMatcher(WrappingMatcher):
    def _replacement(self, newchild: Matcher) -> Matcher:
        return _FullScoringMatcher(newchild)

    def replace(self, minquality: float = 0) -> Matcher:
        replaced = self.child.replace(0)  # still drops finished branches
        return self if replaced is self.child else _FullScoringMatcher(replaced)

    def supports_block_quality(self) -> bool:
        return False


class _Scored(WrappingQuery):
    """A union of terms that Whoosh scores with BM25F and boosts. Its default depends on
    the index: for 3 or more terms outside a tiered union in an index (a segment) of 5,000
    documents or fewer, it preloads the union unscored and unboosted (`PreloadedOr`), else
    it scores and boosts it. The product always scores."""

    def matcher(self, searcher: Any, context: Any = None) -> Matcher:
        context = (context or SearchContext()).set(needs_current=True)  # the scoring union
        return self.child.matcher(searcher, context)


def whoosh_query(query: wq.Query, reader: Any = None) -> wq.Query:
    """`query` (as `indexer.query.parse_query` and `indexer.expand` build it) for Whoosh to
    score: each `AllWordsFirst` a `TieredOr`, the whole under `FullScoring`.

    With `reader` (the whole index's), a prefix, fuzzy word or range of terms becomes the
    union of the terms it expands to in the whole index: Whoosh expands it segment by
    segment, and drops its boost in a segment that holds only one of its terms, so its
    scores would depend on how the index is cut into segments."""
    converted = _tiered(query, reader)
    if isinstance(converted, wq.Term | wq.Every) or converted is wq.NullQuery:
        return converted
    return FullScoring(converted)


def _tiered(query: wq.Query, reader: Any) -> wq.Query:
    if type(query) is AllWordsFirst:
        subs = [_tiered(q, reader) for q in query.subqueries]
        return TieredOr(subs, boost=query.boost)
    if isinstance(query, wq.MultiTerm):
        if reader is None:
            return _Scored(query)
        field = query.field()
        terms = [wq.Term(field, t) for _, t in query.expanded_terms(reader) if t]
        if not terms:
            return wq.NullQuery
        return _Scored(terms[0] if len(terms) == 1 else wq.Or(terms, boost=query.boost))
    return query.apply(lambda q: _tiered(q, reader))


def score_all(
    searcher: Searcher, query: wq.Query, scope: DocSet | None, every: DocSet
) -> dict[int, float]:
    """docnum -> score of every document `query` matches within `scope` (None: all), best
    first (ties in index order), scored by Whoosh. `every`: all document numbers, for a
    query of nothing."""
    if query is wq.NullQuery:
        return {}
    if isinstance(query, wq.Every):  # nothing to score: every document, in index order
        return dict.fromkeys(sorted(every if scope is None else scope), 0.0)
    if scope is not None and not scope:
        return {}
    allowed = None if scope is None else set(scope)
    results = searcher.search(whoosh_query(query, searcher.reader()), limit=None, filter=allowed)
    return dict(results.items())

