"""Running requests on one view (`indexer.searching`): what `FullTextIndex.search` and
`similar` hand it, on a real index; the request's mistakes refused naming what is wrong."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.errors import InvalidQuery, NotFound
from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument, SearchRequest
from indexer.searching import Searching

TEXTS = {
    "p1": ("public", "Le pôle ESS du pays de Rennes et ses cinq missions."),
    "p2": ("public", "Étude de faisabilité d'un pôle ESS : les missions du pôle."),
    "n1": ("network", "Compte rendu du comité de pilotage du pôle ESS."),
    "i1": ("internal", "Note interne sur le pôle ESS et son financement."),
}


@pytest.fixture()
def index(tmp_path: Path) -> Iterator[FullTextIndex]:
    index = FullTextIndex.create(tmp_path / "index")
    with index.writer() as writer:
        for doc_id, (visibility, text) in TEXTS.items():
            writer.upsert(IndexDocument(doc_id, 1, doc_id, (Section(text, 1),),
                                        {"visibility": (visibility,)}))  # fmt: skip
    yield index
    index.close()


def test_a_request_runs_on_the_view_it_is_given(index: FullTextIndex) -> None:
    searching = Searching(index._schema)
    request = SearchRequest("pôle missions", visibilities=frozenset({"public", "network"}),
                            facets=True)  # fmt: skip
    page = searching.search(index._view(), request)
    assert page == index.search(request)
    assert [h.id for h in page.hits][:2] in (["p1", "p2"], ["p2", "p1"])  # both words first
    assert {h.id for h in page.hits} == {"p1", "p2", "n1"} and page.total == 3
    assert page.facets["family"] == {}


@pytest.mark.parametrize(("request_", "named"), [
    (SearchRequest("pôle", sort="pertinence"), "sort"),
    (SearchRequest("pôle", order="up"), "order"),
    (SearchRequest("pôle", filters={"couleur": ("bleu",)}), "couleur"),
    (SearchRequest("pôle", filters={"year": ("l'an dernier",)}), "year"),
])  # fmt: skip
def test_a_wrong_request_is_refused_naming_it(index: FullTextIndex, request_: SearchRequest,
                                              named: str) -> None:  # fmt: skip
    with pytest.raises(InvalidQuery, match=named):
        Searching(index._schema).search(index._view(), request_)


def test_similar_leaves_the_document_out_and_hides_what_the_caller_may_not_see(
    index: FullTextIndex,
) -> None:
    searching = Searching(index._schema)
    public = frozenset({"public"})
    page = searching.similar(index._view(), "p1", visibilities=public, size=5, snippets=0,
                             twins=())  # fmt: skip
    assert "p1" not in {h.id for h in page.hits}
    assert {h.id for h in page.hits} <= {"p2"}
    with pytest.raises(NotFound):
        searching.similar(index._view(), "i1", visibilities=public, size=5, snippets=0,
                          twins=())  # fmt: skip


def test_a_word_the_hits_hold_is_known_without_counting_it(index: FullTextIndex) -> None:
    """"Did you mean" asks whether each word is in a visible document: the page's hits
    are, so a word their snippets found needs no count of its own."""
    searching = Searching(index._schema)
    public = frozenset({"public"})
    view = index._view()
    counted = len(view.counts)
    searching.search(view, SearchRequest("faisabilité", visibilities=public, snippets=1))
    assert len(view.counts) == counted  # found in a hit's text: not counted
    page = searching.search(view, SearchRequest("financement", visibilities=public))
    assert page.total == 0 and len(view.counts) > counted  # in no visible document
    searching.search(view, SearchRequest("faisabilité", visibilities=public, snippets=0))
    assert len(view.counts) > counted + 1  # no snippets: counted
