"""Visibility inside the search, and "more like this", on a real library.

In tests/fixtures/search/: pole-ess-rennes-v2.md is `network`, note-interne.txt is
`internal`, every other document `public`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.errors import NotFound
from kb.library import Library
from tests.kb.test_search import hit_named, lib, names  # noqa: F401 - module-scoped fixture

PUBLIC = frozenset({"public"})
NETWORK = frozenset({"public", "network"})
HIDDEN_FROM_PUBLIC = {"pole-ess-rennes-v2.md", "note-interne.txt"}


@pytest.mark.parametrize("query", ["", "économie sociale", "coopérative", "pôle OR budget"])
def test_hidden_documents_are_in_no_hit_and_no_count(lib: Library, query: str) -> None:  # noqa: F811
    everyone = lib.search(query, size=50, facets=True)
    public = lib.search(query, size=50, facets=True, visibilities=PUBLIC)
    assert not HIDDEN_FROM_PUBLIC & set(names(public))
    assert set(names(public)) == set(names(everyone)) - HIDDEN_FROM_PUBLIC
    assert public.total == len(public.hits)
    for field, counts in public.facets.items():
        for value, n in counts.items():
            only = lib.search(query, {field: (value,)}, visibilities=PUBLIC)
            assert n == only.total, (field, value)


def test_facets_never_count_a_hidden_document(lib: Library) -> None:  # noqa: F811
    facets = lib.search("", facets=True, visibilities=PUBLIC).facets
    assert "fondations" not in facets["family"]  # only the internal note is a fondation
    assert facets["family"]["cooperatives"] == 2  # the network version is not counted
    assert facets["territory"]["morbihan"] == 1
    assert "compte-rendu" not in facets["kind"]
    assert "2007" not in facets["year"] and "2011" not in facets["year"]


def test_the_network_sees_more_than_the_public(lib: Library) -> None:  # noqa: F811
    results = lib.search("pôle", visibilities=NETWORK, size=50)
    assert {"pole-ess-rennes.md", "pole-ess-rennes-v2.md"} <= set(names(results))
    assert "note-interne.txt" not in names(lib.search("budget", visibilities=NETWORK))


def test_a_word_of_a_hidden_document_finds_nothing(lib: Library) -> None:  # noqa: F811
    for query in ("zanzibarite", "zanzibar*", "zanzibarite~", "title:interne"):
        results = lib.search(query, visibilities=PUBLIC, facets=True)
        assert (results.total, results.hits, results.suggestion) == (0, (), None), query
        assert all(not counts or set(counts.values()) == {0}
                   for counts in results.facets.values())  # fmt: skip
    assert lib.search("zanzibarite").total == 1


def test_snippets_come_only_from_visible_documents(lib: Library) -> None:  # noqa: F811
    results = lib.search("budget coopérative", visibilities=PUBLIC, size=50)
    for hit in results.hits:
        for snippet in hit.snippets:
            assert "zanzibarite" not in snippet.text
    assert "note-interne.txt" not in names(results)


def test_no_visibility_allowed_sees_nothing(lib: Library) -> None:  # noqa: F811
    results = lib.search("", visibilities=frozenset(), facets=True)
    assert results.total == 0 and results.hits == ()


# --- more like this --------------------------------------------------------------------------


def pole_id(lib: Library) -> str:  # noqa: F811
    return hit_named(lib.search("SCIC"), "pole-ess-rennes.md").id


def test_similar_puts_the_closest_document_first(lib: Library) -> None:  # noqa: F811
    results = lib.similar(pole_id(lib))
    assert names(results)[0] == "pole-ess-rennes-v2.md"
    assert pole_id(lib) not in {h.id for h in results.hits}  # never itself
    scores = [h.score for h in results.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert results.total >= len(results.hits)
    assert len(lib.similar(pole_id(lib), size=1).hits) == 1


def test_similar_shows_only_what_the_caller_sees(lib: Library) -> None:  # noqa: F811
    results = lib.similar(pole_id(lib), visibilities=PUBLIC, size=50)
    assert not HIDDEN_FROM_PUBLIC & set(names(results))
    assert results.hits  # the other public documents share words with it


def test_similar_of_a_hidden_or_unknown_document_is_not_found(lib: Library) -> None:  # noqa: F811
    internal = hit_named(lib.search("zanzibarite"), "note-interne.txt").id
    with pytest.raises(NotFound) as hidden:
        lib.similar(internal, visibilities=PUBLIC)
    with pytest.raises(NotFound) as unknown:
        lib.index.similar("0000000000", visibilities=PUBLIC)
    # The same message shape: a hidden document is not told apart from a missing one.
    assert str(hidden.value).replace(internal, "X") == str(unknown.value).replace(
        "0000000000", "X"
    )
    assert lib.similar(internal).total >= 0  # the command line sees it


def test_similar_accepts_an_id_prefix(lib: Library) -> None:  # noqa: F811
    assert lib.similar(pole_id(lib)[:6]).hits == lib.similar(pole_id(lib)).hits
    assert Path(lib.similar(pole_id(lib)).hits[0].path or "").suffix == ".md"
