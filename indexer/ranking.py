"""Scoring a query over a set of documents, and cutting one page out of the result.

A search needs the score of every match: the ranking, the exact total and, as a set, what
the facets count. Whoosh computes them one posting at a time through a tree of matchers
(tens of microseconds a posting), so `Ranker` computes the same scores from postings read
in bulk (`indexer.postings`): BM25F as Whoosh's default weighting defines it, combined as
Whoosh's matchers combine them (Or and And add, AndNot/Require keep the first clause's
score, AndMaybe adds the second where it matches, `AllWordsFirst` ranks by tiers, a boost
multiplies), and match sets by set operations. Phrases are checked on positions only for
the documents holding all their words. A prefix, a fuzzy word or a range stands for the
index terms it expands to, scored as Whoosh scores them (see `Ranker._expanded`).

`Ranker` is the only scorer of the product: Whoosh's searcher never scores a query. The
tests compare it with Whoosh's own scoring of the same queries (tests/whoosh_oracle.py).
Sets of document numbers (`indexer.facets.DocSet`) stand for visibility and tag filters.
Scores may differ from Whoosh's in the last bits (additions in another order); documents
with equal scores come in index order, as Whoosh's collector gives them.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import reduce
from itertools import compress, repeat
from operator import add, le, truediv

from whoosh import query as wq
from whoosh.query.wrappers import ConstantScoreQuery

from indexer.facets import DocSet
from indexer.lru import LruCache, docset_size, scores_size
from indexer.postings import PostingCache
from indexer.proximity import rescore
from indexer.query import TIER_SCALE, AllWordsFirst

Scores = dict[int, float]
MAX_CACHED_PHRASES = 256  # per index generation
# A word's scores over the text fields (the OR of its terms) within one scope, kept per
# generation for words in many documents: the frequent words are in many searches, and
# combining their fields' scores again cost ~1 ms a word at 10,000 documents. Held within
# the search process's memory budget, least recently used dropped first.
MIN_CACHED_WORD_DOCS = 1000
# Index terms a prefix, fuzzy word or range is scored on at most (`Ranker._expanded`).
MAX_EXPANDED_TERMS = 1000


class Ranker:
    """Scores and match sets of queries over one searcher's postings (`PostingCache`).

    ValueError for a searcher whose weighting is not BM25F (the only model computed).
    """

    def __init__(self, cache: PostingCache, every: DocSet):
        if cache.bm25f is None:
            raise ValueError("Ranker scores with BM25F only: open the searcher with it")
        self.cache = cache
        self.searcher = cache.searcher
        self.every = every
        # (field, words, slop) -> documents holding the phrase: checking positions is the dear
        # part of a search, and the same phrases come back ("économie sociale et solidaire").
        # Counted against the posting cache's budget, as the words' scores below.
        self._phrases: LruCache[tuple[str, tuple[str, ...], int], DocSet] = LruCache(
            MAX_CACHED_PHRASES, budget=cache.budget, sizeof=docset_size
        )
        self._words: LruCache[tuple[wq.Query, DocSet | None], Scores] = LruCache(
            budget=cache.budget, sizeof=scores_size
        )

    # --- scores -----------------------------------------------------------------------

    def scores(self, query: wq.Query, scope: DocSet | None) -> Scores:
        """docnum -> score of every document `query` matches within `scope` (None: all),
        in no particular order (`top` ranks them). A query of nothing (`Every`) scores 0."""
        if query is wq.NullQuery or (scope is not None and not scope):
            return {}
        if isinstance(query, wq.Every) and not query.fieldname:
            return dict.fromkeys(self.every if scope is None else scope, 0.0)
        return self._score(query, scope)

    def close(self) -> None:
        """Give back what it holds to the budget (a newer index generation is open)."""
        self._phrases.close()
        self._words.close()
        self.cache.close()

    def rescore(
        self,
        query: wq.Query,
        scores: Scores,
        among: DocSet,
        text: str = "",
        shown: int | None = None,
    ) -> Scores:
        """`scores` (of `query`, from `scores`) with the best documents of the top tier
        among `among` re-ranked by how close together they hold the query's words
        (`indexer.proximity`; `text`: the query as typed): what a search ranks by. Changed
        in place; same documents, same tiers. `shown`: how many of the best will be shown
        (their order is exact; below them, scores are bounds)."""
        return rescore(query, scores, self.cache, text, among, shown)

    def _score(self, q: wq.Query, scope: DocSet | None) -> Scores:
        kind = type(q)
        if kind is wq.Term:
            btext = self.cache.to_bytes(q.fieldname, q.text)
            if btext is None:
                return {}
            return self.cache.term_scores(q.fieldname, btext, q.boost, scope)
        if kind is wq.Phrase and self._has_positions(q.fieldname):
            return self._phrase(q, scope)
        if kind is AllWordsFirst:
            return _tiers([self._score(s, scope) for s in q.subqueries])
        if kind in (wq.Or, wq.And) and len(q.subqueries) == 1:
            return self._score(q.subqueries[0], scope)  # Whoosh drops the boost there too
        if kind is wq.Or and not q.minmatch and not q.scale:
            return self._word(q, scope)
        if kind is wq.And:
            return _boosted(_intersection([self._score(s, scope) for s in q.subqueries]), q.boost)
        if isinstance(q, wq.MultiTerm):  # prefix, fuzzy word, range of terms
            btexts = self._expanded(q)
            if len(btexts) == 1:  # Whoosh searches the lone term, without the boost
                return self.cache.term_scores(q.field(), btexts[0], 1.0, scope)
            parts = [self.cache.term_scores(q.field(), b, 1.0, scope) for b in btexts]
            return _boosted(_union(parts), q.boost)
        if kind is wq.NumericRange:  # Whoosh's own decomposition into terms and ranges
            return self._score(q._compile_query(self.cache.reader), scope)
        if kind is ConstantScoreQuery:
            # Under an AllWordsFirst Whoosh scores the child instead: its numeric terms
            # score their weight, 1.0, the same as a range's constant score (boost 1).
            return dict.fromkeys(self._docs(q.child, scope), q.score)
        if kind is wq.AndNot:
            scores = self._score(q.a, scope)
            return _without(scores, self._docs(q.b, _keys(scores)))
        if kind is wq.Require:
            scores = self._score(q.a, scope)
            return _within(scores, self._docs(q.b, _keys(scores)))
        if kind is wq.AndMaybe:
            scores = self._score(q.a, scope)
            extra = self._score(q.b, _keys(scores)) if scores else {}
            return {d: s + extra[d] if d in extra else s for d, s in scores.items()}
        if kind is wq.Every and not q.fieldname:
            return dict.fromkeys(self.every if scope is None else scope, q.boost)
        if q is wq.NullQuery:
            return {}
        raise TypeError(f"Ranker cannot score a {kind.__name__} query: {q}")

    def _word(self, q: wq.Or, scope: DocSet | None) -> Scores:
        """An OR's scores (a word over the text fields), kept when it matches many
        documents (see MIN_CACHED_WORD_DOCS); a new dictionary the caller may change."""
        key = (q, scope)
        found = self._words.get(key)
        if found is not None:
            return dict(found)
        scores = _boosted(_union([self._score(s, scope) for s in q.subqueries]), q.boost)
        if len(scores) >= MIN_CACHED_WORD_DOCS:
            self._words.put(key, dict(scores))
        return scores

    def _phrase(self, q: wq.Phrase, scope: DocSet | None) -> Scores:
        found = self._phrase_docs(q, scope)
        btexts = self._btexts(q) if found else None  # None: a word in no document
        if not found or btexts is None:
            return {}
        parts = [self.cache.term_scores(q.fieldname, t, 1.0, found) for t in btexts]
        return _boosted(_intersection(parts), q.boost)  # the same documents in each part

    # --- match sets -------------------------------------------------------------------

    def docs(self, query: wq.Query, scope: DocSet | None = None) -> DocSet:
        """Documents `query` matches, among `scope` (None: all), not scored."""
        if query is wq.NullQuery or (scope is not None and not scope):
            return frozenset()
        return self._docs(query, scope)

    def _docs(self, q: wq.Query, scope: DocSet | None) -> DocSet:
        kind = type(q)
        docs: DocSet
        if kind is wq.Term:
            btext = self.cache.to_bytes(q.fieldname, q.text)
            docs = self.cache.docs(q.fieldname, btext) if btext is not None else frozenset()
        elif kind is wq.Phrase and self._has_positions(q.fieldname):
            return self._phrase_docs(q, scope)
        elif kind is AllWordsFirst or (kind is wq.Or and not q.minmatch):
            docs = frozenset().union(*(self._docs(s, scope) for s in q.subqueries))
        elif kind is wq.And:
            docs = _intersect_all([self._docs(s, scope) for s in q.subqueries])
        elif kind is wq.AndNot:
            docs = self._docs(q.a, scope)
            return docs - self._docs(q.b, docs) if docs else docs
        elif kind in (wq.Require, wq.AndMaybe):
            docs = self._docs(q.a, scope)
            if kind is wq.Require and docs:
                docs = docs & self._docs(q.b, docs)
        elif kind is wq.Every and not q.fieldname:
            docs = self.every
        elif isinstance(q, wq.MultiTerm):
            field = q.field()
            docs = frozenset().union(*(self.cache.docs(field, b) for b in self._expanded(q)))
        elif kind is wq.NumericRange:
            return self._docs(q._compile_query(self.cache.reader), scope)
        elif kind is ConstantScoreQuery:
            return self._docs(q.child, scope)
        elif q is wq.NullQuery:
            return frozenset()
        else:
            raise TypeError(f"Ranker cannot match a {kind.__name__} query: {q}")
        return docs if scope is None else docs & scope

    def _expanded(self, q: wq.MultiTerm) -> list[bytes]:
        """The index terms a prefix, fuzzy word or term range stands for, in the order
        Whoosh's matcher reads them (`expanded_terms` over the whole index, a term whose
        documents are all deleted included: Whoosh counts it too).

        Bounded: beyond MAX_EXPANDED_TERMS terms ("pro*" in a large library), only that
        many are kept, those in most documents, so that one word never reads the postings
        of thousands of terms; there the Ranker scores fewer terms than Whoosh would.
        Numeric ranges expand to a few dozen terms at most (Whoosh's tiered ranges).

        The terms are always scored with BM25F, as Whoosh scores them in a library of more
        than 5,000 documents or among other words; Whoosh leaves them unscored (a constant
        per clause) for a prefix alone in a smaller library, an accident of its matchers
        (tests/whoosh_oracle.py)."""
        field = q.field()
        if field not in self.cache.schema:
            return []
        # Whoosh gives bytes, or text for a fuzzy word (its Term matcher encodes it).
        found = (self.cache.to_bytes(field, t) for _, t in q.expanded_terms(self.cache.reader) if t)
        btexts = [b for b in found if b is not None]
        if len(btexts) > MAX_EXPANDED_TERMS:
            frequency = self.cache.reader.doc_frequency
            kept = set(sorted(btexts, key=lambda b: -frequency(field, b))[:MAX_EXPANDED_TERMS])
            btexts = [b for b in btexts if b in kept]
        return btexts

    def _phrase_docs(self, q: wq.Phrase, scope: DocSet | None) -> DocSet:
        """Documents where the phrase's words stand one after the other (slop 1), as
        Whoosh's `SpanNear2` finds them, among `scope`; other slops go to Whoosh."""
        key = (q.fieldname, tuple(q.words), q.slop)
        docs = self._phrases.get(key)
        if docs is None:
            docs = self._find_phrase(q)
            self._phrases.put(key, docs)
        return docs if scope is None else docs & scope

    def _find_phrase(self, q: wq.Phrase) -> DocSet:
        btexts = self._btexts(q)
        if btexts is None:
            return frozenset()
        if q.slop != 1:
            return frozenset(self.searcher.docs_for_query(q))
        sets = [self.cache.docs(q.fieldname, t) for t in btexts]
        candidates = _intersect_all(sets)
        if len(btexts) == 1 or not candidates:
            return candidates
        # Rarest word first: documents drop out before the frequent words are decoded.
        order = sorted(range(len(btexts)), key=lambda i: len(sets[i]))
        alive: dict[int, set[int]] | None = None  # docnum -> possible phrase starts
        for i in order:
            positions = self.cache.positions(q.fieldname, btexts[i], candidates)
            if alive is None:
                alive = {d: {p - i for p in ps} for d, ps in positions.items()}
            else:
                nxt: dict[int, set[int]] = {}
                for d, starts in alive.items():
                    ps = positions.get(d)
                    if ps:
                        left = starts.intersection([p - i for p in ps])
                        if left:
                            nxt[d] = left
                alive = nxt
            alive = {d: s for d, s in alive.items() if s}
            candidates = frozenset(alive)
            if not candidates:
                break
        return candidates

    def _btexts(self, q: wq.Phrase) -> list[bytes] | None:
        """The phrase's words as index terms; None if one of them is in no document."""
        out = []
        for word in q.words:
            btext = self.cache.to_bytes(q.fieldname, word)
            if btext is None or not self.cache.postings(q.fieldname, btext).ids:
                return None
            out.append(btext)
        return out

    def _has_positions(self, field: str) -> bool:
        schema = self.cache.schema
        return field in schema and bool(schema[field].format.supports("positions"))


def top(scores: Mapping[int, float], allowed: Collection[int], count: int) -> list[int]:
    """The `count` best of `allowed` by score (ties in index order)."""
    if count <= 0 or not allowed:
        return []
    if count * 4 >= len(allowed):
        return sorted(allowed, key=lambda d: (-scores[d], d))[:count]
    # The count-th best score, found among plain floats (C speed); then only the documents
    # scoring at least that (picked at C speed too) are sorted with their ties.
    docs = list(allowed)
    values = list(map(scores.__getitem__, docs))
    floor = heapq.nlargest(count, values)[-1]
    best = list(compress(docs, map(le, repeat(floor), values)))
    best.sort(key=lambda d: (-scores[d], d))
    return best[:count]


def page_of(
    scores: Mapping[int, float],
    allowed: DocSet,
    first: int,
    size: int,
    dates: Sequence[int] | None = None,
    *,
    titles: Mapping[int, str] | None = None,
    ascending: bool = False,
) -> list[int]:
    """Document numbers of one page among `allowed` (a subset of the scored documents):
    by score, by date when `dates` (docnum -> YYYYMMDD) is given, by title when `titles`
    (docnum -> sort key) is; `ascending` turns the order round (lowest score, oldest,
    A to Z first). Undated and untitled documents come last either way; ties in index
    order."""
    if first >= len(allowed):
        return []
    end = first + size
    if titles is not None:
        ordered = sorted(allowed, key=lambda d: (titles.get(d, ""), d), reverse=not ascending)
        named = [d for d in ordered if titles.get(d)]
        return (named + [d for d in ordered if not titles.get(d)])[first:end]
    if dates is not None:
        sign = 1 if ascending else -1
        return heapq.nsmallest(end, allowed, key=lambda d: (dates[d] == 0, sign * dates[d],
                                                            d))[first:]
    if ascending:
        return heapq.nsmallest(end, allowed, key=lambda d: (scores[d], d))[first:]
    return top(scores, allowed, end)[first:]


def narrow(docs: DocSet | None, filters: Iterable[DocSet]) -> DocSet | None:
    """`docs` (None: every document) cut down to each of `filters`."""
    for allowed in filters:
        docs = allowed if docs is None else docs & allowed
    return docs


# --- combining scores as Whoosh's matchers do ---------------------------------------------


def _keys(scores: Scores) -> DocSet:
    return frozenset(scores)


def _boosted(scores: Scores, boost: float) -> Scores:
    if boost != 1.0:  # WrappingMatcher: the child's score times the boost
        for d in scores:
            scores[d] *= boost
    return scores


# Scores are combined with `map` over `operator` functions and set operations on the keys:
# the same additions, in the same order, as a loop over the documents would make, at C speed
# (a Python loop costs ~0.1 us a document, and a frequent word is in most of 10,000).


def _sums(a: Scores, b: Scores, docs: Collection[int]) -> Iterable[tuple[int, float]]:
    """(d, a[d] + b[d]) for each of `docs`."""
    sums = list(map(add, map(a.__getitem__, docs), map(b.__getitem__, docs)))
    return zip(docs, sums, strict=True)


def _add(a: Scores, b: Scores) -> Scores:
    """UnionMatcher: the sum where both match, else the one that does."""
    large, small = (b, a) if len(a) < len(b) else (a, b)
    return _add_into(dict(large), small)


def _add_into(out: Scores, part: Scores) -> Scores:
    """`out` with `part` added in place: sums where both have a document, else its own."""
    both = part.keys() & out.keys()
    out.update(_sums(out, part, both))
    only = part.keys() - both
    out.update(zip(only, map(part.__getitem__, only), strict=True))
    return out


def _tree(parts: list[Scores], join: Callable[[Scores, Scores], Scores]) -> Scores:
    """Parts joined as `whoosh.util.make_binary_tree` pairs them (same sums, same order)."""
    if not parts:
        return {}
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return join(_tree(parts[:half], join), _tree(parts[half:], join))


def _union(parts: list[Scores]) -> Scores:
    return _tree(parts, _add)


def _both(a: Scores, b: Scores) -> Scores:
    """IntersectionMatcher: documents in both, scores added."""
    return dict(_sums(a, b, a.keys() & b.keys()))


def _intersection(parts: list[Scores]) -> Scores:
    return _tree(parts, _both)


def _tiers(parts: list[Scores]) -> Scores:
    """`AllWordsFirst`: number of matching parts + tier_relevance(s), s their summed score
    (added in the parts' order)."""
    if not parts:
        return {}
    counts: Counter[int] = Counter()
    for part in parts:
        counts.update(part.keys())  # counted in C
    totals = dict(parts[0])
    for part in parts[1:]:
        _add_into(totals, part)
    docs = list(totals)
    sums = list(totals.values())
    # counts[d] + tier_relevance(t): t / (t + TIER_SCALE), computed as that function does
    relevance = map(truediv, sums, map(add, sums, repeat(TIER_SCALE)))
    return dict(zip(docs, map(add, map(counts.__getitem__, docs), relevance), strict=True))


def _without(scores: Scores, docs: DocSet) -> Scores:
    if not docs:
        return scores
    kept = scores.keys() - docs
    return dict(zip(kept, map(scores.__getitem__, kept), strict=True))


def _within(scores: Scores, docs: DocSet) -> Scores:
    kept = scores.keys() & docs
    return dict(zip(kept, map(scores.__getitem__, kept), strict=True))


def _intersect_all(sets: list[DocSet]) -> DocSet:
    if not sets:
        return frozenset()
    ordered = sorted(sets, key=len)  # smallest first: the rest shrinks fastest
    return reduce(lambda a, b: a & b, ordered[1:], ordered[0])


__all__ = ["MAX_EXPANDED_TERMS", "Ranker", "narrow", "page_of", "top"]
