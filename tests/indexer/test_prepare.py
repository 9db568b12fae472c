"""Analysis ahead of the writer (indexer.prepare) gives exactly the terms of the French
chain (`indexer.analysis`), in the same order, and what it prepares indexes like text."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import analysis
from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument, SearchRequest
from indexer.prepare import (
    PreparedText,
    join_sections,
    prepare_sections,
    prepare_text,
    surface_words,
)

REPO = Path(__file__).resolve().parents[2]

FRENCH = [
    "L’Économie sociale et solidaire (ESS) en Bretagne : aujourd’hui, l'emploi progresse.",
    "QU’AUJOURD’HUI les coopératives d’activité et d’emploi (CAE) — 5 missions, 12 pôles.",
    "Le cœur de l’œuvre : mise en œuvre jusqu’à lorsqu’il… presqu’île, prud’hommes",
    "la le les de du des un une " * 3 + "économie",
    "x" * 70 + " mot " + "Ünïcödé e\u0301conomie NFD",  # over-long token; combining accent
    "",
    "   \n\n  ",
]


def chain_terms(text: str) -> str:
    return " ".join(analysis.analyze(text))


@pytest.mark.parametrize("text", FRENCH)
def test_same_terms_in_the_same_order_as_the_chain(text: str) -> None:
    prepared = prepare_text(text)
    assert prepared.terms == chain_terms(text)
    assert prepared.length == len(analysis.analyze(text))


def test_same_terms_on_every_corpus_text() -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in REPO.glob("corpus/**/*")
             if p.suffix in {".txt", ".md", ".html"}]
    assert len(texts) >= 5
    for text in texts:
        prepared = prepare_text(text)
        assert prepared.terms == chain_terms(text)
        assert prepared.words == frozenset(analysis.surface_words(text))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aeéèçœ’'- .Lldqu\nÉA1\u0301ﬁ_x"))))
def test_same_terms_on_arbitrary_text(text: str) -> None:
    assert prepare_text(text).terms == chain_terms(text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_same_terms_on_any_text(text: str) -> None:
    assert prepare_text(text).terms == chain_terms(text)
    assert prepare_text(text).words == frozenset(analysis.surface_words(text))


def test_surface_words_are_the_chains_surface_words() -> None:
    text = FRENCH[0] + " " + FRENCH[1] + " " + FRENCH[2]
    expected = set(analysis.surface_words(text))
    assert surface_words(text) == expected
    assert prepare_text(text).words == expected
    assert "economie" in expected and "les" not in expected


def test_sections_are_joined_as_the_index_stores_them() -> None:
    sections = (Section("Premier paragraphe.", page=1), Section("Second, page deux.", page=2))
    text, starts = join_sections(sections)
    assert text == "Premier paragraphe.\n\nSecond, page deux."
    assert starts == [(0, 1, ""), (21, 2, "")]
    assert prepare_sections(sections) == prepare_text(text)


def test_a_prepared_text_crosses_processes_and_indexes_like_text(tmp_path: Path) -> None:
    text = FRENCH[0]
    prepared = pickle.loads(pickle.dumps(prepare_text(text)))
    assert isinstance(prepared, PreparedText)
    index = FullTextIndex.create(tmp_path / "index")
    try:
        with index.writer() as writer:
            writer.upsert(IndexDocument("a", 1, "A", (Section(text, 1),), {}, prepared=prepared))
            writer.upsert(IndexDocument("b", 1, "B", (Section(text, 1),), {}))
        for query in ("economie", '"économie sociale"', "aujourd’hui"):
            page = index.search(SearchRequest(query, snippets=1, suggest=False))
            assert sorted(hit.id for hit in page.hits) == ["a", "b"], query
            a, b = sorted(page.hits, key=lambda h: h.id)
            assert a.snippets == b.snippets and a.snippets  # the text stored is the same
            assert a.score == b.score  # the same terms: the same length and BM25
    finally:
        index.close()
