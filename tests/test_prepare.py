"""Analysis ahead of the writer (indexer.prepare) gives exactly what Whoosh's chain gives."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index
from whoosh.qparser import QueryParser

from indexer.extract.base import Section
from indexer.prepare import (
    PreparedText,
    join_sections,
    prepare_sections,
    prepare_text,
    surface_words,
)
from indexer.schema import build_schema, surface_analyzer

REPO = Path(__file__).resolve().parents[1]
CONTENT = build_schema()["content"]

FRENCH = [
    "L’Économie sociale et solidaire (ESS) en Bretagne : aujourd’hui, l'emploi progresse.",
    "QU’AUJOURD’HUI les coopératives d’activité et d’emploi (CAE) — 5 missions, 12 pôles.",
    "Le cœur de l’œuvre : mise en œuvre jusqu’à lorsqu’il… presqu’île, prud’hommes",
    "la le les de du des un une " * 3 + "économie",
    "x" * 70 + " mot " + "Ünïcödé e\u0301conomie NFD",  # over-long token; combining accent
    "",
    "   \n\n  ",
]


def whoosh_postings(text: str) -> list[tuple[bytes, int, float, bytes]]:
    return sorted(CONTENT.index(text))


@pytest.mark.parametrize("text", FRENCH)
def test_same_postings_as_the_whoosh_chain(text: str) -> None:
    assert sorted(prepare_text(text).postings) == whoosh_postings(text)


def test_same_postings_on_every_corpus_text() -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in REPO.glob("corpus/**/*")
             if p.suffix in {".txt", ".md", ".html"}]
    assert len(texts) >= 5
    for text in texts:
        assert sorted(prepare_text(text).postings) == whoosh_postings(text)


@settings(max_examples=120, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aeéèçœ’'- .Lldqu\nÉA1"))))
def test_same_postings_on_arbitrary_text(text: str) -> None:
    assert sorted(prepare_text(text).postings) == whoosh_postings(text)


def test_surface_words_are_the_surface_analyzers() -> None:
    text = FRENCH[0] + " " + FRENCH[1] + " " + FRENCH[2]
    expected = {t.text for t in surface_analyzer()(text)}
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
    ix = index.create_in(str(tmp_path), build_schema())
    with ix.writer() as writer:
        writer.add_document(id="a", content=prepared, _stored_content=text)
        writer.add_document(id="b", content=text)
    with ix.searcher() as searcher:
        parser = QueryParser("content", ix.schema)
        for query in ("economie", '"économie sociale"', "aujourd’hui"):
            hits = searcher.search(parser.parse(query))
            assert sorted(hit["id"] for hit in hits) == ["a", "b"], query
        a, b = (searcher.document_number(id=i) for i in "ab")
        assert searcher.stored_fields(a)["content"] == text
        assert searcher.doc_field_length(a, "content") == searcher.doc_field_length(b, "content")
