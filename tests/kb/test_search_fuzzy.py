"""`word~` over the library's own words: typos that change the stem still find documents.

Fuzzy matching on stems misses "cooperatve~" (stem "cooperatv", two edits from "cooper")
and "mutuele~"-like typos whose stem moves; the library's word store (`indexer.words`) gives
the words within the edit distance, and their stems are searched instead. On the real
library of tests/fixtures/search (note-interne.txt is internal and alone holds
"zanzibarite") and, for the parser's contract, on the query tree it builds.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.query import MAX_FUZZY_EXPANSIONS, parse_query
from indexer.query import nodes as wq
from indexer.schema import QUERY_FIELD_KINDS
from kb.library import Library
from tests.indexer.query.sample_index import TAG_FIELDS, TEXT_FIELDS, leaves
from tests.kb.test_search import lib, names  # noqa: F401 - the module-scoped library fixture

PUBLIC = frozenset({"public"})
COOPERATIVE = {"pole-ess-rennes.md", "pole-ess-rennes-v2.md", "rapport-activite.pdf"}


# --- on the library --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("cooperatve~", COOPERATIVE),  # a letter missing: the stem changes
        ("Coopérativs~", COOPERATIVE),
        ("mutuele~", {"mutuelles-morbihan.txt", "rapport-activite.pdf"}),
        ("mutuells~", {"mutuelles-morbihan.txt", "rapport-activite.pdf"}),
        ("gouvernence~ structures", {"sans-date.md", "pole-ess-rennes.md",
                                     "pole-ess-rennes-v2.md"}),
        ("santee~", {"mutuelles-morbihan.txt"}),
    ],
)
def test_a_typo_that_changes_the_stem_finds_the_word(
    lib: Library, typed: str, expected: set[str]  # noqa: F811
) -> None:
    results = lib.search(typed, visibilities=frozenset({"public", "network"}), size=50)
    assert set(names(results)) == expected
    assert results.warnings == ()


def test_the_exact_word_finds_the_same_as_its_typo(lib: Library) -> None:  # noqa: F811
    for exact, typo in (("coopérative", "cooperatve~"), ("mutuelles", "mutuele~")):
        assert set(names(lib.search(exact, size=50))) <= set(names(lib.search(typo, size=50)))
    # Without the tilde the typo finds nothing (and gets a suggestion instead).
    plain = lib.search("cooperatve")
    assert plain.total == 0 and plain.suggestion == "coopérative"


def test_snippets_highlight_the_words_found(lib: Library) -> None:  # noqa: F811
    results = lib.search("mutuele~", visibilities=PUBLIC)
    hit = next(h for h in results.hits if h.path and h.path.endswith("mutuelles-morbihan.txt"))
    words = {s.text[a:b].lower() for s in hit.snippets for a, b in s.highlights}
    assert words == {"mutuelles"}


def test_words_of_hidden_documents_are_never_searched_for_them(lib: Library) -> None:  # noqa: F811
    assert set(names(lib.search("zanzibarte~"))) == {"note-interne.txt"}  # the CLI sees all
    for typed in ("zanzibarte~", "zanzibarites~", "budget zanzibarte~"):
        results = lib.search(typed, visibilities=PUBLIC, facets=True)
        assert "note-interne.txt" not in names(results)
        shown = str(results.facets) + " ".join(map(str, results.warnings)) + str(results.suggestion)
        assert "zanzibar" not in shown.replace(typed, "")


def test_short_words_and_distance_two(lib: Library) -> None:  # noqa: F811
    seen = frozenset({"public", "network"})
    assert set(names(lib.search("coprative~2", visibilities=seen, size=50))) == COOPERATIVE
    assert lib.search("coprative~", visibilities=seen).total == 0  # two edits away
    results = lib.search("ess~2", size=50)
    assert [str(w) for w in results.warnings] == [
        '"ess~2": edit distance 2 lowered to 1 for "ess" (too short or above 2)']
    assert results.total > 0


# --- the parser's contract -------------------------------------------------------------------


def parse(text: str, expand: object) -> wq.Node:
    return parse_query(text, kinds=QUERY_FIELD_KINDS, text_fields=TEXT_FIELDS,
                       tag_fields=TAG_FIELDS, expand_fuzzy=expand).query  # type: ignore[arg-type]


def terms_of(query: wq.Node) -> set[tuple[str, str]]:
    return {(t.fieldname, str(t.text)) for t in leaves(query) if isinstance(t, wq.Term)}


def test_the_expander_gets_folded_surface_words_and_the_distance() -> None:
    calls: list[tuple[str, int]] = []

    def expand(word: str, distance: int) -> Sequence[str]:
        calls.append((word, distance))
        return {"cooperatve": ["cooperative", "cooperatives"], "mutuele": ["mutuelle"]}.get(
            word, [])

    query = parse("Coopératve~ mutuele~2 ess~", expand)
    # Asked once per word (not per field); "ess" is too short for any distance but 1.
    assert calls == [("cooperatve", 1), ("mutuele", 2), ("ess", 1)]
    assert {text for field, text in terms_of(query) if field == "content"} == {
        "cooperatv", "cooper", "mutuel", "ess"}
    assert not [q for q in leaves(query) if isinstance(q, wq.Fuzzy)]


def test_expansions_are_bounded() -> None:
    many = [f"cooperative{'s' * i}x" for i in range(100)]
    query = parse("cooperatve~", lambda word, distance: many)
    content = {text for field, text in terms_of(query) if field == "content"}
    assert len(content) == MAX_FUZZY_EXPANSIONS + 1  # the word itself and N close words


def test_without_an_expander_fuzzy_runs_on_stems() -> None:
    query = parse("cooperatve~", None)
    fuzzy = [q for q in leaves(query) if isinstance(q, wq.Fuzzy)]
    assert {(q.fieldname, q.text, q.maxdist) for q in fuzzy} == {
        ("title", "cooperatv", 1), ("content", "cooperatv", 1)}  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("aeéiorstuvx~12 -\"()*:")), max_size=30))
def test_the_parser_never_raises_with_an_expander(text: str) -> None:
    def expand(word: str, distance: int) -> Sequence[str]:
        assert 1 <= distance <= 2 and word
        return [word + "s", word[:-1] or "x", "l'" + word]

    parse(text, expand)


def test_distance_is_not_lowered_for_a_long_word_whose_stem_is_short() -> None:
    seen: list[int] = []
    parse("ecoles~2", lambda word, distance: seen.append(distance) or [])
    assert seen == [2]  # "ecoles" has 6 letters, though its stem "ecol" has 4


def test_a_stop_word_typed_fuzzy_is_ignored_with_a_warning() -> None:
    parsed = parse_query("les~", kinds=QUERY_FIELD_KINDS, text_fields=TEXT_FIELDS,
                         expand_fuzzy=lambda w, d: ["des"])
    assert parsed.query == wq.NOTHING
    assert any("stop word" in str(w) for w in parsed.warnings)

