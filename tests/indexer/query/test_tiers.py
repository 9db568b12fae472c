"""How plain words rank (`indexer.query.tiers`): documents with all the words first, then
those with fewer; and top-N searches give the head of the full ranking."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument
from indexer.query import AllWordsFirst
from indexer.query import nodes as wq
from tests.indexer.query.sample_index import FRAGMENTS, ids, leaves, parse, run, top_scores

# --- Ranking: all words first ----------------------------------------------------------------


def test_documents_with_all_words_rank_first_then_some(searcher: FullTextIndex) -> None:
    ranked = ids(searcher, "économie sociale rennes")
    assert ranked[0] == "all"  # the only one with the three words, though weakly
    assert set(ranked[1:]) == {"rennes", "eco", "social", "eco-sante", "sante-eco"}


def test_scores_are_tiered_by_the_number_of_matching_words(searcher: FullTextIndex) -> None:
    hits = run(searcher, "économie sociale rennes").hits
    tiers = {hit.id: int(hit.score) for hit in hits}
    assert tiers["all"] == 3
    assert {tiers[i] for i in ("rennes", "eco", "social")} == {1}


def test_plain_words_are_one_clause_each_ranked_all_words_first() -> None:
    query = parse("économie sociale rennes").query
    assert isinstance(query, AllWordsFirst)
    assert [leaf.text for leaf in leaves(query) if leaf.field() == "content"] == [
        "econom", "social", "ren"]  # fmt: skip


def test_a_single_word_is_one_term_per_text_field_with_its_boost() -> None:
    assert parse("coopératives").query == wq.Or(
        (wq.Term("title", "cooper", boost=3.0), wq.Term("content", "cooper"))
    )


def test_repeated_words_count_once() -> None:
    parsed = parse("économie économies ECONOMIE")
    assert not isinstance(parsed.query, AllWordsFirst)
    assert parsed.query == parse("économie").query
    assert parsed.terms == ("econom",)


# --- Top-N searches give the head of the full ranking ----------------------------------------


@pytest.fixture(scope="module")
def big_searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FullTextIndex]:
    index = FullTextIndex.create(tmp_path_factory.mktemp("big") / "index")
    rng = random.Random(1)
    vocabulary = [
        "économie",
        "sociale",
        "solidaire",
        "coopérative",
        "mutuelle",
        "santé",
        "territoire",
        "emploi",
    ]
    with index.writer() as writer:
        for i in range(300):
            words = [rng.choice(vocabulary) for _ in range(rng.randint(3, 30))]
            title = " ".join(rng.choice(vocabulary) for _ in range(3))
            writer.upsert(IndexDocument(str(i), 1, title, (Section(" ".join(words), 1),), {},
                                        year=2000 + i % 20))  # fmt: skip
    yield index
    index.close()


@pytest.mark.parametrize(
    "text",
    ["économie", "économie sociale", "économie sociale santé emploi", "econo*", "mutuele~",
     "économie OR santé", "économie -santé", '"économie sociale" emploi', "coopérative~2 santé",
     "(économie OR emploi) territoire year:2005..2012", "+santé économie solidaire"],
)  # fmt: skip
def test_top_n_is_the_head_of_the_full_ranking(big_searcher: FullTextIndex, text: str) -> None:
    full = top_scores(big_searcher, text, 1000)
    assert full
    assert top_scores(big_searcher, text, 10) == full[:10]
    assert [s for _, s in full] == sorted((s for _, s in full), reverse=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(FRAGMENTS, min_size=1, max_size=8).map(" ".join))
def test_top_n_is_always_the_head_of_the_full_ranking(
    big_searcher: FullTextIndex, text: str
) -> None:
    assert top_scores(big_searcher, text, 5) == top_scores(big_searcher, text, 1000)[:5]
