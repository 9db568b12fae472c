"""Prefix, fuzzy and range clauses scored by `Ranker` (their index terms on bulk postings)
against Whoosh scoring them (tests/whoosh_oracle.py), on the real multi-segment index of
tests/test_ranking.py: same match sets, same scores, same order of the tiers."""

from __future__ import annotations

import pytest
from whoosh import query as wq
from whoosh.scoring import TF_IDF

from indexer import ranking
from indexer.index import FullTextIndex, _fuzzy_expander
from indexer.postings import PostingCache
from indexer.ranking import Ranker, page_of
from tests.test_ranking import _assert_same, _scopes, index, view  # noqa: F401
from tests.whoosh_oracle import score_all

EXPANDING = (
    "coopérat* emploi",
    "dévelop* local",
    "emploi solidair~",
    "développ~2 local territoire",
    "coopérat* OR mutuel*",
    "emploi -coopérat*",
    "+coopérat* emploi",
    "year:2005..2008",
    "year:>=2008 emploi",
    "year:<2008 OR mutuelle",
    "(emploi OR year:2005..2008) mutuelle",  # a range among the ranked words
    "family:coop*",
    "family:coop* emploi",
    "territory:fin* mutuelle",
    "zzz* emploi",  # a prefix of no term
)


def _ranker(of) -> Ranker:  # type: ignore[no-untyped-def]
    return Ranker(PostingCache(of.searcher), of.tags.all_docs)


@pytest.mark.parametrize("spelling", [False, True], ids=["stems", "expander"])
@pytest.mark.parametrize("text", EXPANDING)
def test_expanding_clauses_score_as_whoosh_scores_them(
    index: FullTextIndex,  # noqa: F811
    view,  # type: ignore[no-untyped-def]  # noqa: F811
    text: str,
    spelling: bool,
) -> None:
    expander = _fuzzy_expander(view.words, None) if spelling else None
    query = index._parse(text, None, expander).query
    ranker = _ranker(view)
    for scope in _scopes(view):
        expected = score_all(view.searcher, query, scope, view.tags.all_docs)
        got = ranker.scores(query, scope)
        _assert_same(expected, got)
        assert ranker.docs(query, scope) == frozenset(expected)
        mine = page_of(got, frozenset(got), 0, len(got))
        assert [int(got[d]) for d in mine] == [int(s) for s in expected.values()]  # tiers
        for a, b in zip(mine, expected, strict=True):
            assert a == b or abs(got[a] - expected[b]) < 1e-9


def test_the_expanding_queries_really_expand(index: FullTextIndex, view) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ranker = _ranker(view)
    prefix = index._parse("dévelop*", None, None).query
    terms = [t for q in prefix.leaves() if isinstance(q, wq.Prefix)
             for t in ranker._expanded(q)]  # fmt: skip
    assert len(terms) >= 1 and ranker.scores(prefix, None)
    fuzzy = index._parse("solidaxre~", None, None).query  # a typo no document holds
    assert any(isinstance(q, wq.FuzzyTerm) for q in fuzzy.leaves())
    right = ranker.docs(index._parse("solidaire", None, None).query)
    assert right and ranker.docs(fuzzy) == right
    years = ranker.scores(index._parse("year:2005..2008", None, None).query, None)
    assert years and set(years.values()) == {1.0}


def test_a_prefix_of_several_terms_alone_is_scored(view) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    query = wq.Prefix("content", "s")  # salar, social, solidair
    ranker = _ranker(view)
    assert len(ranker._expanded(query)) >= 3
    got = ranker.scores(query, None)
    _assert_same(score_all(view.searcher, query, None, view.tags.all_docs), got)
    assert len(set(got.values())) > 10
    # Whoosh's own default: the preloaded union of 3+ terms in a small index, unscored.
    plain = view.searcher.search(query, limit=None)
    assert {hit.score for hit in plain} == {1.0}


def test_expansions_are_bounded_to_the_most_frequent_terms(
    view,  # type: ignore[no-untyped-def]  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ranker = _ranker(view)
    query = wq.Prefix("content", "s")  # salariés, sociale, solidaire...
    every = ranker._expanded(query)
    assert len(every) > 2
    reader = view.searcher.reader()
    frequent = sorted(every, key=lambda b: -reader.doc_frequency("content", b))[:2]
    monkeypatch.setattr(ranking, "MAX_EXPANDED_TERMS", 2)
    assert ranker._expanded(query) == [b for b in every if b in frequent]
    cache = ranker.cache
    assert ranker.docs(query) == cache.docs("content", frequent[0]) | cache.docs(
        "content", frequent[1])


def test_a_query_the_ranker_does_not_know_is_refused(view) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ranker = _ranker(view)
    with pytest.raises(TypeError, match="DisjunctionMax"):
        ranker.scores(wq.DisjunctionMax([wq.Term("content", "emploi")]), None)
    with pytest.raises(TypeError, match="Or"):
        ranker.docs(wq.Or([wq.Term("content", "emploi"), wq.Term("title", "x")], minmatch=2))


def test_another_weighting_is_refused(index: FullTextIndex, view) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    refused = pytest.raises(ValueError, match="BM25F")
    with index._ix.searcher(weighting=TF_IDF()) as searcher, refused:
        Ranker(PostingCache(searcher), view.tags.all_docs)
