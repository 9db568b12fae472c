"""What the words of a query become (`indexer.query.build`): field clauses (tags, numbers,
titles), tag values resolved by the vocabulary, prefixes and fuzzy words, and the terms
that highlight the hits."""

from __future__ import annotations

import pytest

from indexer.index import FullTextIndex
from indexer.query import nodes as wq
from indexer.query import tag_key
from tests.indexer.query.sample_index import found, leaves, parse, run, said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("family:cooperatives", {"coop"}),
        ("family:Coopératives", {"coop"}),
        ("FAMILY:COOPERATIVES", {"coop"}),
        ("territory:bretagne", {"coop", "mutuelles", "eco-sante", "coeur"}),
        ("territory:Ille-et-Vilaine", {"mutuelles"}),
        ('territory:"ille et vilaine"', {"mutuelles"}),
        ("territory:(finistere OR ille-et-vilaine)", {"coop", "mutuelles"}),
        ("santé territory:bretagne", {"mutuelles", "eco-sante"}),
        ("santé territory:(finistere OR ille-et-vilaine)", {"mutuelles"}),
        ("santé (year:2008 OR year:2010)", {"mutuelles", "eco-sante"}),
        ("santé -territory:ille-et-vilaine", {"eco-sante", "sante-eco"}),
        ("year:2005", {"coop"}),
        ("year:2008..2010", {"eco-sante", "sante-eco", "mutuelles"}),
        ("year:2010-2008", {"eco-sante", "sante-eco", "mutuelles"}),
        ("year:>=2009", {"sante-eco", "mutuelles"}),
        ("year:>2009", {"mutuelles"}),
        ("year:<2002", {"all"}),
        ("title:économie", {"eco"}),
        ('title:"données sur les mutuelles"', {"mutuelles"}),
        ("économie title:note", {"eco-sante", "sante-eco"}),
        ("family:cooperatives OR family:mutuelles", {"coop", "mutuelles"}),
        ("territory:ille*", {"mutuelles"}),
    ],
)
def test_field_clauses(searcher: FullTextIndex, text: str, expected: set[str]) -> None:
    parsed = parse(text, searcher)
    assert said(parsed.warnings) == ()
    assert found(searcher, text) == expected


def test_field_clauses_filter_without_changing_the_ranking(searcher: FullTextIndex) -> None:
    with_filter = run(searcher, "santé économie year:2000..2020").hits
    without = run(searcher, "santé économie").hits
    assert [(h.id, h.score) for h in with_filter] == [(h.id, h.score) for h in without]
    query = parse("santé économie year:2000..2020").query
    assert isinstance(query, wq.Require) and query.b == wq.Range("year", 2000, 2020)
    assert query.a == parse("santé économie").query


@pytest.mark.parametrize(
    ("text", "expected"),
    [("year:1000..2002", {"all", "rennes"}), ("year:-5..2001", {"all"}),
     ("year:2010..99999", {"mutuelles"}), ("year:<=2001", {"all"}), ("year:>2010", set()),
     ("year:2003", {"eco"})],
)  # fmt: skip
def test_year_ranges_match_exactly_the_years_in_them(
    searcher: FullTextIndex, text: str, expected: set[str]
) -> None:
    assert found(searcher, text) == expected


def test_tag_values_can_be_resolved_by_the_vocabulary(searcher: FullTextIndex) -> None:
    synonyms = {("family", "scop"): "cooperatives", ("territory", "cg 35"): "ille-et-vilaine"}
    calls: list[tuple[str, str]] = []

    def resolve(name: str, value: str) -> str | None:
        calls.append((name, value))
        return synonyms.get((name, value.lower()))

    text = 'family:SCOP territory:"CG 35" family:inconnue'
    parsed = parse(text, searcher, resolve_tag=resolve)
    assert calls == [("family", "SCOP"), ("territory", "CG 35"), ("family", "inconnue")]
    assert said(parsed.warnings) == ('unknown family "inconnue": searched as "inconnue"',)
    assert parsed.query == wq.And((wq.Term("family", "cooperatives"),
                                   wq.Term("territory_path", "ille-et-vilaine"),
                                   wq.Term("family", "inconnue")))  # fmt: skip
    assert found(searcher, text, resolve_tag=resolve) == set()
    assert parse("family:SCOP", searcher, resolve_tag=resolve).query == wq.Term(
        "family", "cooperatives")
    assert found(searcher, "family:SCOP", resolve_tag=resolve) == {"coop"}


def test_tag_key_folds_like_vocabulary_keys() -> None:
    assert tag_key("Côtes d'Armor") == "cotes-d-armor"
    assert tag_key("  Ille-et-Vilaine ") == "ille-et-vilaine"
    assert tag_key("Coopératives") == "cooperatives"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("coopérat*", {"coop"}),  # longer than the stem "cooper": still found
        ("Coop*", {"coop"}),
        ("écono*", {"all", "eco", "eco-sante", "sante-eco"}),
        ("économi*", {"all", "eco", "eco-sante", "sante-eco"}),
        ("mutu*", {"mutuelles"}),
        ("ille-et-vil*", {"mutuelles"}),
        ("mutuele~", {"mutuelles"}),
        ("Mutuele~1", {"mutuelles"}),
        ("coperatives~", {"coop"}),  # the library's word "coopératives", one edit away
        ("sante~", {"mutuelles", "eco-sante", "sante-eco"}),
    ],
)
def test_prefix_and_fuzzy(searcher: FullTextIndex, text: str, expected: set[str]) -> None:
    parsed = parse(text, searcher)
    assert said(parsed.warnings) == ()
    assert found(searcher, text) == expected


def test_fuzzy_distance_is_bounded_by_word_length(searcher: FullTextIndex) -> None:
    parsed = parse("ess~2 economie~5", searcher)
    assert said(parsed.warnings) == (
        '"ess~2": edit distance 2 lowered to 1 for "ess" (too short or above 2)',
        '"economie~5": edit distance 5 lowered to 2 for "econom" (too short or above 2)',
    )


def test_too_many_expanding_words_become_plain_words(searcher: FullTextIndex) -> None:
    parsed = parse(" ".join(f"mot{i}*" for i in range(12)), searcher)
    assert any("more than 10 prefix or fuzzy words" in w for w in said(parsed.warnings))
    assert len([q for q in leaves(parsed.query) if isinstance(q, wq.Prefix)]) == 2 * 10


# --- Terms -----------------------------------------------------------------------------------


def test_terms_are_the_analysed_positive_text_terms(searcher: FullTextIndex) -> None:
    parsed = parse(
        'L’économie "pôle ESS" -santé family:mutuelles title:Données coopérat* mutuele~ le',
        searcher,
    )
    assert parsed.terms == ("econom", "pol", "ess", "donne", "cooperat", "mutuel")
