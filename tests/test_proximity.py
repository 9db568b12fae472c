"""Ranking within the top tier: the document holding the pasted phrase first, very long
documents kept in their place, BM25's differences kept (`indexer.proximity`).

Each test builds a real index under tmp_path; the documents are written so that plain
BM25 (what `Ranker.scores` gives, Whoosh's own scores) ranks them the wrong way, and the
test checks that first, so that it fails if the rescoring stops doing its job.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument, SearchRequest
from indexer.postings import _LONGEST
from indexer.proximity import (
    LONG_DOCUMENT,
    MAX_CANDIDATES,
    PROXIMITY_GAIN,
    _within_reach,
    best_chain,
    length_factor,
    proximity,
    query_words,
    tier_parts,
)
from indexer.query import tier_relevance
from indexer.ranking import top
from indexer.schema import CONTENT_LENGTH, build_schema

FILLER = [
    "rapport",
    "annuel",
    "réunion",
    "bureau",
    "conseil",
    "administration",
    "budget",
    "prévisionnel",
    "compte",
    "résultat",
    "assemblée",
    "générale",
    "adhérents",
    "partenaires",
    "subvention",
    "convention",
    "objectifs",
    "moyens",
    "bilan",
    "perspectives",
    "calendrier",
    "animation",
    "territoire",
    "acteurs",
    "publics",
]
PHRASE = "gouvernance partagée des coopératives agricoles bretonnes"


def _doc(doc_id: str, text: str, title: str = "") -> IndexDocument:
    return IndexDocument(doc_id, 1, title or doc_id, (Section(text, 1),), {})


def _filler(rng: random.Random, count: int) -> list[str]:
    return [rng.choice(FILLER) for _ in range(count)]


@pytest.fixture()
def index(tmp_path: Path) -> Iterator[FullTextIndex]:
    ix = FullTextIndex.create(tmp_path / "index")
    yield ix
    ix.close()


def _ids(ix: FullTextIndex, text: str, size: int = 10) -> list[str]:
    return [h.id for h in ix.search(SearchRequest(text, size=size, snippets=0)).hits]


def _plain_bm25_order(ix: FullTextIndex, text: str) -> list[str]:
    view = ix._view()
    query = ix._parse(text, None, None).query
    scores = view.ranker.scores(query, None)
    order = sorted(scores, key=lambda d: (-scores[d], d))
    return [view.searcher.stored_fields(d)["id"] for d in order]


def test_the_document_holding_the_pasted_phrase_ranks_first(index: FullTextIndex) -> None:
    rng = random.Random(3)
    words = PHRASE.split()
    with index.writer() as writer:
        # The phrase once, in a page of other words.
        body = _filler(rng, 80)
        body[40:40] = words
        writer.upsert(_doc("phrase", " ".join(body)))
        # Every word of it, several times, never side by side.
        for n in range(6):
            body = _filler(rng, 60)
            for word in words * 3:
                body.insert(rng.randrange(len(body)), word)
                body.insert(rng.randrange(len(body)), rng.choice(FILLER))
            text = " ".join(body)
            assert PHRASE not in text
            writer.upsert(_doc(f"scattered{n}", text))
        for n in range(10):  # documents holding some of the words: lower tiers
            writer.upsert(_doc(f"other{n}", " ".join(_filler(rng, 50) + words[n % 3 : n % 3 + 2])))
    assert _plain_bm25_order(index, PHRASE)[0] != "phrase"  # what plain BM25 does
    assert _ids(index, PHRASE)[0] == "phrase"
    # Pasted with different case and accents, and with words left out: still first.
    assert _ids(index, "GOUVERNANCE PARTAGEE DES COOPERATIVES AGRICOLES")[0] == "phrase"
    # Totals and quoted phrases are unchanged by the rescoring.
    page = index.search(SearchRequest(PHRASE, size=50, snippets=0))
    assert page.total == 17
    assert _ids(index, f'"{PHRASE}"') == ["phrase"]


def test_the_sentence_as_typed_stop_words_included_ranks_first(index: FullTextIndex) -> None:
    rng = random.Random(4)
    sentence = "la mise en place du comité de suivi"
    with index.writer() as writer:
        body = _filler(rng, 80)
        body[30:30] = sentence.split()
        writer.upsert(_doc("typed", " ".join(body)))
        # The same words side by side (stop words are not indexed), other small words
        # between them, and more often: plain BM25 and proximity both prefer it.
        body = _filler(rng, 40)
        other = "une mise à la place au comité pour le suivi"
        for _ in range(3):
            body[20:20] = other.split(" ")
        writer.upsert(_doc("other", " ".join(body)))
        for n in range(5):
            writer.upsert(_doc(f"filler{n}", " ".join(_filler(rng, 60))))
    assert _plain_bm25_order(index, sentence)[0] == "other"
    assert _ids(index, sentence)[:2] == ["typed", "other"]
    assert _ids(index, "mise place comité suivi")[0] == "other"  # the words alone: BM25


def test_a_huge_single_line_document_does_not_outrank_a_focused_one(
    index: FullTextIndex,
) -> None:
    rng = random.Random(5)
    words = ["gouvernance", "partagée", "coopératives", "agricoles"]
    query = " ".join(words)
    with index.writer() as writer:
        for n in range(30):
            body = _filler(rng, 200)
            if n == 0:  # the focused document: each word once, far apart
                for i, word in enumerate(words):
                    body.insert(i * 50, word)
            elif n % 5 == 0:
                body.insert(100, words[n % 4])
            writer.upsert(_doc(f"page{n:02d}", " ".join(body)))
        # Hundreds of pages on one line, holding the words as often as the pages that
        # mention them do, and more words than Whoosh's one-byte length can tell.
        dump = _filler(rng, int(_LONGEST * 1.3))
        for i in range(0, len(dump), 100):
            dump[i] = words[(i // 100) % 4]
        writer.upsert(_doc("dump", " ".join(dump)))
    view = index._view()
    docnum = view.searcher.document_number(id="dump")
    assert view.searcher.reader().doc_field_length(docnum, "content") == _LONGEST
    lengths = view.ranker.cache.relative_lengths("content")
    avg = view.searcher.avg_field_length("content")
    assert lengths[docnum] == pytest.approx(int(_LONGEST * 1.3) / avg, rel=0.01)  # true length
    assert _plain_bm25_order(index, query)[0] == "dump"
    assert _ids(index, query)[:2] == ["page00", "dump"]  # both hold every word


def test_an_index_without_true_lengths_still_searches(tmp_path: Path) -> None:
    schema = build_schema()
    schema.remove(CONTENT_LENGTH)
    (tmp_path / "index").mkdir()
    ix = FullTextIndex(tmp_path / "index", whoosh_index.create_in(str(tmp_path / "index"), schema))
    try:
        with ix.writer() as writer:
            writer.upsert(_doc("a", "économie sociale et solidaire en Bretagne"))
            writer.upsert(_doc("b", "solidaire Bretagne économie sociale"))
        assert _ids(ix, "économie sociale solidaire") == ["a", "b"]
    finally:
        ix.close()


# --- the pieces ----------------------------------------------------------------------------


def test_a_chain_counts_words_in_order_and_near() -> None:
    words = ["a", "b", "c", "d"]
    assert best_chain(words, {"a": [1], "b": [2], "c": [3], "d": [4]}) == 3.0
    assert proximity(words, {"a": [1], "b": [2], "c": [3], "d": [4]}) == 1.0
    assert proximity(words, {"a": [4], "b": [3], "c": [2], "d": [1]}) == 0.0  # reversed
    assert proximity(words, {"a": [1], "b": [20], "c": [40], "d": [60]}) == 0.0
    assert best_chain(words, {"a": [1], "b": [3], "c": [4]}) == pytest.approx(1.5)  # gap 2
    assert best_chain(words, {"a": [1, 10], "b": [11], "c": [12], "d": [30]}) == 2.0
    assert proximity(["a"], {"a": [1]}) == 0.0


def test_tier_relevance_keeps_bm25_differences_and_inverts() -> None:
    assert tier_relevance(31.0) - tier_relevance(30.0) > 0.005
    assert 0 < tier_relevance(0.5) < tier_relevance(50.0) < 1
    for count, total in ((3, 0.0), (5, 0.37), (7, 42.0), (2, 1000.0)):
        got_count, got_total = tier_parts(count + tier_relevance(total))
        assert got_count == count and got_total == pytest.approx(total, rel=1e-9, abs=1e-9)


def test_only_far_longer_documents_are_penalised() -> None:
    assert length_factor(1.0) == length_factor(LONG_DOCUMENT) == 1.0
    assert length_factor(LONG_DOCUMENT * 4) == pytest.approx(0.25)


def test_query_words_are_those_of_a_tiered_query_in_order(index: FullTextIndex) -> None:
    def words(text: str) -> list[str] | None:
        return query_words(index._parse(text, None, None).query)

    assert words("économie sociale solidaire") == ["econom", "social", "solidair"]
    assert words("+économie sociale -santé") == ["econom", "social"]
    assert words("Ille-et-Vilaine économie") == ["ille", "vilain", "econom"]
    assert words("économie") is None
    assert words('"économie sociale"') is None  # a quoted phrase is matched as such
    assert words("économie OR sociale") is None


def test_with_filters_and_facets_the_documents_shown_are_those_re_ranked(
    index: FullTextIndex,
) -> None:
    rng = random.Random(9)
    words = PHRASE.split()

    def scattered() -> str:
        body = _filler(rng, 60)
        for word in words * 3:
            body.insert(rng.randrange(len(body)), word)
            body.insert(rng.randrange(len(body)), rng.choice(FILLER))
        return " ".join(body)

    with index.writer() as writer:
        body = _filler(rng, 80)
        body[40:40] = words
        tags = {"family": ("associations",)}
        writer.upsert(IndexDocument("phrase", 1, "phrase", (Section(" ".join(body), 1),), tags))
        for n in range(3):
            writer.upsert(IndexDocument(f"kept{n}", 1, "k", (Section(scattered(), 1),), tags))
        # More documents than are re-ranked, all better by BM25, none passing the filter.
        for n in range(MAX_CANDIDATES + 10):
            doc = IndexDocument(f"out{n}", 1, "o", (Section(scattered() + " " + scattered(), 1),),
                                {"family": ("mutuelles",)})  # fmt: skip
            writer.upsert(doc)
    request = SearchRequest(PHRASE, filters={"family": ("associations",)}, facets=True, size=4)
    page = index.search(request)
    assert page.total == 4 and page.facets["family"]["mutuelles"] == MAX_CANDIDATES + 10
    assert page.hits[0].id == "phrase"


def test_candidates_out_of_reach_are_skipped_and_the_page_is_the_same(
    index: FullTextIndex,
) -> None:
    """Re-ranking only the candidates that could reach the `shown` best gives those
    best, in the same order with the same scores, as re-ranking them all: over many
    queries and page lengths, with candidates left out in some of them."""
    rng = random.Random(15)
    words = PHRASE.split()
    with index.writer() as writer:
        for n in range(MAX_CANDIDATES + 40):
            # Lengths and counts far apart: relevance within a tier spreads over more
            # than proximity's gain, as in a real library.
            body = _filler(rng, int(math.exp(rng.uniform(math.log(20), math.log(3000)))))
            for word in rng.sample(words, rng.randint(2, len(words))):
                for _ in range(rng.randint(1, 8)):
                    body.insert(rng.randrange(len(body)), word)
            if n % 7 == 0:  # some hold a few of the words in a row
                at = rng.randrange(len(body))
                body[at:at] = words[2 : 2 + rng.randint(2, 4)]
            writer.upsert(_doc(f"d{n}", " ".join(body)))
    view = index._view()
    skipped = 0
    for _ in range(60):
        text = " ".join(rng.sample(words, rng.randint(2, 3)))
        query = index._parse(text, None, None).query
        scores = view.ranker.scores(query, None)
        allowed = frozenset(scores)
        for shown in (1, 5, 10, 20):
            every = view.ranker.rescore(query, dict(scores), allowed, text)
            some = view.ranker.rescore(query, dict(scores), allowed, text, shown=shown)
            best = top(every, allowed, shown)
            assert top(some, allowed, shown) == best, (text, shown)
            assert [some[d] for d in best] == [every[d] for d in best]
            skipped += sum(some[d] != every[d] for d in allowed)
    assert skipped, "no candidate was ever out of reach: the test shows nothing"


def test_out_of_reach_holds_for_any_proximity_and_length() -> None:
    """`_within_reach` on random tiers, long documents among them: whatever proximity the
    kept candidates turn out to have, the `shown` best are those (and in the order) that
    re-ranking every candidate gives."""
    rng = random.Random(16)
    pruned = 0
    for _ in range(500):
        count = rng.randint(1, 3)
        docs = rng.sample(range(1000), rng.randint(1, MAX_CANDIDATES))
        base = {d: (count, rng.uniform(0.5, 20.0)) for d in docs}
        lengths = [math.exp(rng.uniform(-1, math.log(200))) for _ in range(1000)]
        close = {d: rng.choice((0.0, rng.random(), 1.0)) for d in docs}
        shown = rng.randint(1, 20)

        every = {d: _final(base[d], close[d], lengths[d]) for d in docs}
        some = {d: count + tier_relevance(base[d][1]) for d in docs}
        kept = _within_reach(frozenset(docs), base, lengths, shown, some)
        some.update({d: _final(base[d], close[d], lengths[d]) for d in kept})
        pruned += len(docs) - len(kept)
        best = top(every, frozenset(docs), shown)
        assert top(some, frozenset(docs), shown) == best
        assert [some[d] for d in best] == [every[d] for d in best]
    assert pruned


def _final(base: tuple[int, float], close: float, relative_length: float) -> float:
    """A candidate's score after re-ranking, as `rescore` computes it."""
    factor = (1.0 + PROXIMITY_GAIN * close) * length_factor(relative_length)
    return base[0] + tier_relevance(base[1] * factor)
