""""Did you mean" and vocabulary names in queries, on a real library.

tests/fixtures/search/note-interne.txt is internal and alone holds the word "zanzibarite".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.query import parse_query, plain_segments
from indexer.schema import QUERY_FIELD_KINDS
from kb.library import Library
from tests.kb.test_search import lib, names  # noqa: F401 - the module-scoped library fixture

PUBLIC = frozenset({"public"})


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("cooperatve", "coopérative"),  # accents restored from the text
        ("mutuelle de santee", "mutuelle de santé"),  # known words kept as typed
        ("Cooperatve", "Coopérative"),  # case kept
        ("gouvernence des structures", "gouvernance des structures"),
        ("diagnostik", "diagnostic"),
        ("l'economie socale", "l'economie sociale"),  # elision kept, accents as typed
    ],
)
def test_close_library_words_are_suggested(lib: Library, typed: str, meant: str) -> None:  # noqa: F811
    assert lib.search(typed).suggestion == meant


@pytest.mark.parametrize(
    "typed",
    [
        "coopérative",
        "économie sociale",
        "mutuelles de santé",
        "xqzwv",  # nothing close
        "-cooperatve économie",  # excluded words are not respelled
        "title:cooperatve",
        "cooperatve*",
        "cooperatve~",
        "",
    ],
)
def test_no_suggestion_without_a_close_unknown_word(lib: Library, typed: str) -> None:  # noqa: F811
    assert lib.search(typed).suggestion is None


def test_a_suggestion_finds_documents(lib: Library) -> None:  # noqa: F811
    typed = lib.search("cooperatve")
    assert typed.total == 0
    meant = lib.search(typed.suggestion or "")
    assert meant.total > 0 and "pole-ess-rennes.md" in names(meant)


def test_a_word_only_in_hidden_documents_is_never_suggested(lib: Library) -> None:  # noqa: F811
    assert lib.search("zanzibarte").suggestion == "zanzibarite"  # the command line sees all
    for query in ("zanzibarte", "budget zanzibarte", "zanzibarites"):
        results = lib.search(query, visibilities=PUBLIC, facets=True)
        assert results.suggestion is None, query
        leaked = str(results.facets) + " ".join(map(str, results.warnings))
        assert "zanzibar" not in leaked
    assert lib.search("zanzibarite", visibilities=PUBLIC).total == 0


def test_a_suggestion_must_find_something_under_the_filters(lib: Library) -> None:  # noqa: F811
    # The only compte-rendu is internal: "coopérative" finds nothing there for the public.
    results = lib.search("cooperatve", {"kind": ("compte-rendu",)}, visibilities=PUBLIC)
    assert results.suggestion is None
    everyone = lib.search("cooperatve", {"kind": ("compte-rendu",)})
    assert everyone.suggestion == "coopérative"


# --- vocabulary names --------------------------------------------------------------------------


def test_a_vocabulary_synonym_finds_the_documents_tagged_with_it(lib: Library) -> None:  # noqa: F811
    # No text says "CG 35" or "brétilien"; both Pays de Rennes studies are in Ille-et-Vilaine.
    for query in ("CG 35", "cg35", "brétilien"):
        results = lib.search(query)
        assert sorted(names(results)) == ["pole-ess-rennes-v2.md", "pole-ess-rennes.md"], query
        assert results.suggestion is None, query
    assert sorted(names(lib.search("CG 35", visibilities=PUBLIC))) == ["pole-ess-rennes.md"]


def test_tagged_documents_rank_first_among_the_words(lib: Library) -> None:  # noqa: F811
    results = lib.search("économie sociale URSCOP", size=20)
    tagged = {"rapport-activite.pdf", "pole-ess-rennes.md", "pole-ess-rennes-v2.md"}
    ranked = names(results)
    assert set(ranked[:2]) <= tagged
    assert "diagnostic-finistere.txt" in ranked  # the words still count


def test_names_never_widen_a_query_with_conditions(lib: Library) -> None:  # noqa: F811
    # family:mutuelles is a condition: the Ille-et-Vilaine studies are not mutuelles.
    assert lib.search("family:mutuelles CG 35").total == 0
    # +gouvernance is required, "CG 35" optional: Ille-et-Vilaine first, nothing added.
    required = names(lib.search("+gouvernance CG 35"))
    assert set(required) == set(names(lib.search("gouvernance")))
    assert set(required[:2]) == {"pole-ess-rennes.md", "pole-ess-rennes-v2.md"}
    # ... while an exclusion keeps the widened words: the version 2 never writes "SCIC".
    assert names(lib.search("CG 35 -SCIC")) == ["pole-ess-rennes-v2.md"]
    # A strict AND: the tag only ranks its documents first, it adds none.
    strict = names(lib.search("gouvernance AND structures CG 35"))
    assert set(strict) == set(names(lib.search("gouvernance AND structures")))
    assert set(strict[:2]) == {"pole-ess-rennes.md", "pole-ess-rennes-v2.md"}


def test_a_tag_most_documents_hold_is_ignored(lib: Library) -> None:  # noqa: F811
    # Every document is in Bretagne: the word alone must not list the whole library.
    assert lib.search("Bretagne").total < lib.search("").total


@pytest.mark.parametrize(
    ("query", "segments"),
    [
        ("CG 35 emploi", [["CG", "35", "emploi"]]),
        ('"pays de rennes" SCIC', [["pays", "de", "rennes"], ["SCIC"]]),
        ('-"CG 35" emploi', [["emploi"]]),
        ("NOT (CG 35 Finistère) emploi", [["emploi"]]),
        ("-(a b) c", [["c"]]),
        ("a OR b", [["a"], ["b"]]),
        ("family:cooperatives bois* boi~ +mutuelle", [["mutuelle"]]),
        ("« Côtes d'Armor » costarmoricain", [["Côtes", "d'Armor"], ["costarmoricain"]]),
    ],
)
def test_plain_segments_leave_syntax_out(query: str, segments: list[list[str]]) -> None:
    found = plain_segments(query)
    assert [[word for _, word in segment] for segment in found] == segments
    for segment in found:
        for offset, word in segment:
            assert query[offset : offset + len(word)] == word


def test_the_parse_result_gives_the_runs_the_search_uses() -> None:
    # One reading of the query: a field the index knows is syntax, an unknown one two words
    # that are no name either; spans point into the query as typed, invisible characters
    # (a soft hyphen) included.
    text = 'éco\u00adnomie sociale title:"pays de rennes" foo:bar CG 35 OR emploi'
    parsed = parse_query(text, kinds=QUERY_FIELD_KINDS, text_fields={"content": 1.0},
                         tag_fields={"title": "title"})  # fmt: skip
    words = [[word for _, word in run] for run in parsed.runs]
    assert words == [["éco\u00adnomie", "sociale"], ["CG", "35"], ["emploi"]]
    assert parsed.runs == plain_segments(text, {"title": "title"})
    for run in parsed.runs:
        for offset, word in run:
            assert text[offset : offset + len(word)] == word


def test_fixture_files_exist() -> None:
    # The hidden word must stay in the internal note only, or the tests above prove nothing.
    fixtures = Path(__file__).parents[1] / "fixtures" / "search"
    holders = [p.name for p in fixtures.iterdir() if p.suffix in (".md", ".txt")
               and "zanzibarite" in p.read_text(encoding="utf-8")]  # fmt: skip
    assert holders == ["note-interne.txt"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('aé -"«»()*~:+|ORNTcg35 \'’')), max_size=40))
def test_plain_segments_spans_point_into_the_query(query: str) -> None:
    for segment in plain_segments(query):
        for offset, word in segment:
            assert word and query[offset : offset + len(word)] == word


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=60))
def test_any_text_is_searched_without_raising(lib: Library, text: str) -> None:  # noqa: F811
    results = lib.search(text, visibilities=PUBLIC, facets=True)
    assert results.total >= len(results.hits)
    assert results.suggestion is None or "zanzibar" not in results.suggestion
