"""The user-query parser, on real Whoosh indexes built in tmp_path."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index
from whoosh import query as wq
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.searching import Searcher

from indexer.analysis import french_analyzer
from indexer.query import AllWordsFirst, ParsedQuery, parse_query, tag_key
from tests.whoosh_oracle import FullScoring, whoosh_query

TEXT_FIELDS = {"title": 3.0, "content": 1.0}
TAG_FIELDS = {
    "family": "family",
    "territory": "territory_path",
    "year": "year",
    "title": "title",
}
FILLER = "rapport annuel activité bilan comptes assemblée générale conseil " * 8

# id: (title, content, family, territory_path, year)
DOCS = {
    "all": ("Rapport annuel", f"{FILLER} économie sociale Rennes {FILLER}", "", "", 2001),
    "rennes": ("Rennes", "Rennes Rennes métropole, Rennes ville.", "", "", 2002),
    "eco": ("Économie", "L’économie, encore l'économie.", "", "", 2003),
    "social": ("Sociale", "La question sociale.", "", "", 2004),
    "coop": (
        "Les coopératives",
        "Les coopératives d’activités et d'emploi du Finistère",
        "cooperatives",
        "france,bretagne,finistere",
        2005,
    ),
    "mutuelles": (
        "Données sur les mutuelles",
        "Les mutuelles de santé en Ille-et-Vilaine, aujourd’hui.",
        "mutuelles",
        "france,bretagne,ille-et-vilaine",
        2010,
    ),
    "eco-sante": ("Note", "L'économie de la santé", "associations", "france,bretagne", 2008),
    "sante-eco": ("Note", "La santé de l'économie", "associations", "france", 2009),
    "coeur": ("Pôle", "Au cœur du pôle ESS des Côtes-d'Armor", "", "france,bretagne", 2007),
}


def make_schema() -> Schema:
    analyzer = french_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, field_boost=3.0, stored=True),
        content=TEXT(analyzer=analyzer, stored=True, chars=True),
        family=KEYWORD(commas=True, scorable=False),
        territory_path=KEYWORD(commas=True, scorable=False),
        year=NUMERIC(int, stored=True),
    )


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    directory = tmp_path_factory.mktemp("library")
    ix = index.create_in(str(directory), make_schema())
    with ix.writer() as writer:
        for doc_id, (title, content, family, territory, year) in DOCS.items():
            writer.add_document(
                id=doc_id,
                title=title,
                content=content,
                family=family,
                territory_path=territory,
                year=year,
            )
    with ix.searcher() as s:
        yield s


def parse(text: str, searcher: Searcher, **kwargs: object) -> ParsedQuery:
    """The parsed query, for Whoosh to score as the product ranks (tests/whoosh_oracle.py)."""
    parsed = parse_query(
        text,
        schema=searcher.schema,
        text_fields=TEXT_FIELDS,
        tag_fields=TAG_FIELDS,
        **kwargs,  # type: ignore[arg-type]
    )
    return dataclasses.replace(parsed, query=whoosh_query(parsed.query))


def ids(searcher: Searcher, text: str) -> list[str]:
    """Document ids in rank order."""
    return [hit["id"] for hit in searcher.search(parse(text, searcher).query, limit=None)]


def found(searcher: Searcher, text: str) -> set[str]:
    return set(ids(searcher, text))


# --- Ranking: all words first ----------------------------------------------------------------


def test_documents_with_all_words_rank_first_then_some(searcher: Searcher) -> None:
    ranked = ids(searcher, "économie sociale rennes")
    assert ranked[0] == "all"  # the only one with the three words, though weakly
    assert set(ranked[1:]) == {"rennes", "eco", "social", "eco-sante", "sante-eco"}


def test_scores_are_tiered_by_the_number_of_matching_words(searcher: Searcher) -> None:
    hits = searcher.search(parse("économie sociale rennes", searcher).query, limit=None)
    tiers = {hit["id"]: int(hit.score) for hit in hits}
    assert tiers["all"] == 3
    assert {tiers[i] for i in ("rennes", "eco", "social")} == {1}


def test_whoosh_coordination_does_not_put_all_words_first(searcher: Searcher) -> None:
    # Why AllWordsFirst: OrGroup.factory(0.9) only adds a small bonus per matching term,
    # which a document repeating one word outweighs.
    parser = MultifieldParser(["title", "content"], searcher.schema, group=OrGroup.factory(0.9))
    hits = searcher.search(parser.parse("économie sociale rennes"), limit=None)
    ranked = [hit["id"] for hit in hits]
    assert ranked.index("all") > ranked.index("rennes")


def test_a_single_word_scores_like_whoosh(searcher: Searcher) -> None:
    parsed = parse("coopératives", searcher)
    hits = searcher.search(parsed.query, limit=None)
    plain = searcher.search(
        wq.Or([wq.Term("title", "cooper", boost=3.0), wq.Term("content", "cooper")]), limit=None
    )
    assert [(h["id"], h.score) for h in hits] == [(h["id"], h.score) for h in plain]


def test_repeated_words_count_once(searcher: Searcher) -> None:
    parsed = parse("économie économies ECONOMIE", searcher)
    assert not isinstance(parsed.query.child, AllWordsFirst)
    assert parsed.terms == ("econom",)


# --- Top-N searches give the head of the full ranking ----------------------------------------


@pytest.fixture(scope="module")
def big_searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    directory = tmp_path_factory.mktemp("big")
    ix = index.create_in(str(directory), make_schema())
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
    with ix.writer() as writer:
        for i in range(300):
            words = [rng.choice(vocabulary) for _ in range(rng.randint(3, 30))]
            writer.add_document(
                id=str(i),
                title=" ".join(rng.choice(vocabulary) for _ in range(3)),
                content=" ".join(words),
                year=2000 + i % 20,
            )
    with ix.searcher() as s:
        yield s


def top_scores(searcher: Searcher, q: wq.Query, limit: int | None) -> list[float]:
    return [round(hit.score, 6) for hit in searcher.search(q, limit=limit, terms=True)]


def test_whoosh_prunes_wrongly_when_a_compound_query_has_a_boost(big_searcher: Searcher) -> None:
    # Whoosh's collectors call matcher.replace(minscore): a boosted Or compares unboosted
    # bounds with boosted scores and drops the best documents.
    boosted = wq.Or(
        [
            wq.Or([wq.Term("content", "econom"), wq.Term("content", "social")], boost=3.0),
            wq.Term("title", "sant"),
        ]
    )
    full = top_scores(big_searcher, boosted, None)[:10]
    assert top_scores(big_searcher, boosted, 10) != full
    assert top_scores(big_searcher, FullScoring(boosted), 10) == full


@pytest.mark.parametrize(
    "text",
    ["économie", "économie sociale", "économie sociale santé emploi", "econo*", "mutuele~",
     "économie OR santé", "économie -santé", '"économie sociale" emploi', "coopérative~2 santé",
     "(économie OR emploi) territoire year:2005..2012", "+santé économie solidaire"],
)  # fmt: skip
def test_top_n_is_the_head_of_the_full_ranking(big_searcher: Searcher, text: str) -> None:
    q = parse(text, big_searcher).query
    full = top_scores(big_searcher, q, None)
    assert full
    assert top_scores(big_searcher, q, 10) == full[:10]


# --- The French matching examples ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["économie", "economie", "économies", "ÉCONOMIE", "l’économie", "l'économie", "ECONOMIES"],
)
def test_accents_case_plural_and_elision_do_not_matter(searcher: Searcher, text: str) -> None:
    assert found(searcher, text) == {"all", "eco", "eco-sante", "sante-eco"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("coopérative", {"coop"}),
        ("coeur", {"coeur"}),
        ("données", {"mutuelles"}),
        ("aujourd'hui", {"mutuelles"}),
        ("ille-et-vilaine", {"mutuelles"}),
        ("Côtes d’Armor", {"coeur"}),
    ],
)
def test_french_matches(searcher: Searcher, text: str, expected: set[str]) -> None:
    assert found(searcher, text) == expected


# --- Syntax ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"économie de la santé"', {"eco-sante"}),
        ("«économie de la santé»", {"eco-sante"}),
        ("“santé de l’économie”", {"sante-eco"}),
        ("économie santé", {"all", "eco", "eco-sante", "sante-eco", "mutuelles"}),
        ("économie -santé", {"all", "eco"}),
        ('économie -"économie de la santé"', {"all", "eco", "sante-eco"}),
        ("économie NOT santé", {"all", "eco"}),
        ("-économie", set(DOCS) - {"all", "eco", "eco-sante", "sante-eco"}),
        ("économie AND santé", {"eco-sante", "sante-eco"}),
        ("économie ET santé", {"eco-sante", "sante-eco"}),
        ("économie & santé", {"eco-sante", "sante-eco"}),
        ("mutuelles OR coopératives", {"coop", "mutuelles"}),
        ("mutuelles OU coopératives", {"coop", "mutuelles"}),
        ("mutuelles | coopératives", {"coop", "mutuelles"}),
        ("+santé économie", {"mutuelles", "eco-sante", "sante-eco"}),
        ("(mutuelles OR coopératives) -finistère", {"mutuelles"}),
        ("économie -(santé note)", {"all", "eco"}),
        ("économie -(santé OU rapport)", {"eco"}),
    ],
)
def test_operators(searcher: Searcher, text: str, expected: set[str]) -> None:
    parsed = parse(text, searcher)
    assert parsed.warnings == ()
    assert found(searcher, text) == expected


def test_a_dash_in_pasted_text_is_a_word_not_an_exclusion(searcher: Searcher) -> None:
    # Six words or more and no other operator: a sentence pasted from the document.
    pasted = "rapport annuel activité bilan comptes -assemblée générale"
    assert "all" in found(searcher, pasted)
    assert "all" in found(searcher, "rapport (annuel) activité bilan comptes -assemblée générale")
    (warning,) = parse(pasted, searcher).warnings
    assert '"-assemblée"' in warning and "NOT assemblée" in warning
    # The same words with an operator, or a short query: the dash excludes, as documented.
    assert "all" not in found(searcher, "rapport -assemblée")
    assert "all" not in found(searcher, "rapport annuel activité bilan comptes NOT assemblée")
    assert "all" not in found(searcher, '"rapport annuel" activité bilan comptes -assemblée')


def test_or_binds_tighter_than_juxtaposition(searcher: Searcher) -> None:
    # économie (santé OU sociale): documents with économie and one of the two come first.
    ranked = ids(searcher, "économie santé OU sociale")
    assert set(ranked[:3]) == {"all", "eco-sante", "sante-eco"}
    assert set(ranked[3:]) == {"eco", "social", "mutuelles"}


def test_and_binds_tighter_than_or(searcher: Searcher) -> None:
    assert found(searcher, "coopératives OR économie AND santé") == {
        "coop", "eco-sante", "sante-eco",
    }  # fmt: skip


def test_lower_case_ou_and_et_are_stop_words_not_operators(searcher: Searcher) -> None:
    assert found(searcher, "économie ou santé") == found(searcher, "économie santé")
    assert ids(searcher, "économie et santé")[:2] == ids(searcher, "économie ET santé")


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
def test_field_clauses(searcher: Searcher, text: str, expected: set[str]) -> None:
    parsed = parse(text, searcher)
    assert parsed.warnings == ()
    assert found(searcher, text) == expected


def test_field_clauses_filter_without_changing_the_ranking(searcher: Searcher) -> None:
    with_filter = searcher.search(parse("santé économie year:2000..2020", searcher).query)
    without = searcher.search(parse("santé économie", searcher).query)
    assert [(h["id"], h.score) for h in with_filter] == [(h["id"], h.score) for h in without]


def test_whoosh_numeric_ranges_are_wrong_on_unsigned_fields(tmp_path: Path) -> None:
    # NUMERIC(signed=False): a range spanning several trie levels matches every document.
    # The year field must keep Whoosh's default (signed=True).
    results = {}
    for signed in (False, True):
        schema = Schema(id=ID(stored=True), year=NUMERIC(int, signed=signed))
        ix = index.create_in(str(tmp_path), schema, indexname=f"signed{signed}")
        with ix.writer() as writer:
            for year in (2001, 2005, 2010):
                writer.add_document(id=str(year), year=year)
        parsed = parse_query(
            "year:1000..2002", schema=schema, text_fields={}, tag_fields={"year": "year"}
        )
        with ix.searcher() as s:
            results[signed] = {hit["id"] for hit in s.search(parsed.query)}
    assert results == {False: {"2001", "2005", "2010"}, True: {"2001"}}


def test_tag_values_can_be_resolved_by_the_vocabulary(searcher: Searcher) -> None:
    synonyms = {("family", "scop"): "cooperatives", ("territory", "cg 35"): "ille-et-vilaine"}
    calls: list[tuple[str, str]] = []

    def resolve(name: str, value: str) -> str | None:
        calls.append((name, value))
        return synonyms.get((name, value.lower()))

    parsed = parse('family:SCOP territory:"CG 35" family:inconnue', searcher, resolve_tag=resolve)
    assert calls == [("family", "SCOP"), ("territory", "CG 35"), ("family", "inconnue")]
    assert parsed.warnings == ('unknown family "inconnue": searched as "inconnue"',)
    assert set(searcher.search(parsed.query, limit=None).docs()) == set()
    parsed = parse("family:SCOP", searcher, resolve_tag=resolve)
    assert {h["id"] for h in searcher.search(parsed.query)} == {"coop"}


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
        ("coperatives~", {"coop"}),  # fuzzy on the stem: "coper" ~ "cooper"
        ("sante~", {"mutuelles", "eco-sante", "sante-eco"}),
    ],
)
def test_prefix_and_fuzzy(searcher: Searcher, text: str, expected: set[str]) -> None:
    parsed = parse(text, searcher)
    assert parsed.warnings == ()
    assert found(searcher, text) == expected


def test_fuzzy_distance_is_bounded_by_word_length(searcher: Searcher) -> None:
    parsed = parse("ess~2 economie~5", searcher)
    assert parsed.warnings == (
        '"ess~2": edit distance 2 lowered to 1 for "ess" (too short or above 2)',
        '"economie~5": edit distance 5 lowered to 2 for "econom" (too short or above 2)',
    )


def test_too_many_expanding_words_become_plain_words(searcher: Searcher) -> None:
    parsed = parse(" ".join(f"mot{i}*" for i in range(12)), searcher)
    assert any("more than 10 prefix or fuzzy words" in w for w in parsed.warnings)
    assert len([q for q in parsed.query.leaves() if isinstance(q, wq.Prefix)]) == 2 * 10


# --- Terms -----------------------------------------------------------------------------------


def test_terms_are_the_analysed_positive_text_terms(searcher: Searcher) -> None:
    parsed = parse(
        'L’économie "pôle ESS" -santé family:mutuelles title:Données coopérat* mutuele~ le',
        searcher,
    )
    assert parsed.terms == ("econom", "pol", "ess", "donne", "cooperat", "mutuel")


# --- Malformed input -------------------------------------------------------------------------


def test_empty_query_lists_every_document(searcher: Searcher) -> None:
    for text in ("", "   ", "\n\t"):
        parsed = parse(text, searcher)
        assert parsed.warnings == ()
        assert parsed.terms == ()
        assert isinstance(parsed.query, wq.Every)
        assert found(searcher, text) == set(DOCS)


def test_only_stop_words_matches_nothing_with_a_warning(searcher: Searcher) -> None:
    parsed = parse("le la les", searcher)
    assert parsed.query is wq.NullQuery
    assert parsed.warnings == (
        'nothing to search: every word is a stop word ("le la les"); no document matches',
    )
    assert searcher.search(parsed.query, limit=None).scored_length() == 0


def test_stop_words_next_to_real_words_are_silently_ignored(searcher: Searcher) -> None:
    parsed = parse("l'économie de la santé", searcher)
    assert parsed.warnings == ()
    assert parsed.terms == ("econom", "sant")


@pytest.mark.parametrize(
    ("text", "warning", "expected"),
    [
        ('"économie de la santé', "quote \" is not closed: read as a phrase up to the end",
         {"eco-sante"}),
        ("(mutuelles OR coopératives", '"(" is not closed: closed at the end',
         {"coop", "mutuelles"}),
        ("mutuelles)", 'unmatched ")" ignored', {"mutuelles"}),
        ("OR", 'operator "OR" without a term before it: ignored', set(DOCS)),
        ("AND economie", 'operator "AND" without a term before it: ignored',
         {"all", "eco", "eco-sante", "sante-eco"}),
        ("mutuelles OR", 'operator "OR" without a term after it: ignored', {"mutuelles"}),
        ("mutuelles AND OR coopératives", 'operator "AND" without a term after it: ignored',
         {"coop", "mutuelles"}),
        ("-", 'lone "-" ignored', set(DOCS)),
        ("mutuelles -", 'lone "-" ignored', {"mutuelles"}),
        ("mutuelles NOT", '"NOT" without a term after it: ignored', {"mutuelles"}),
        ("title: mutuelles", '"title:" has no value: ignored', {"mutuelles"}),
        ("year:", '"year:" has no value: ignored', set(DOCS)),
        ("mutuelles year:deux", '"year:deux": "deux" is not a number or a range like '
         "2005..2010: ignored", {"mutuelles"}),
        ("year:99999999999999999999", "is not a number", set(DOCS)),
        ("foo:mutuelles", 'unknown field "foo" in "foo:mutuelles": searched as words',
         {"mutuelles"}),
        ("mutuelles ()", 'empty parentheses "()" ignored', {"mutuelles"}),
        ("co* mutuelles", 'prefix "co*" is shorter than 3 letters: searched as a word',
         {"mutuelles"}),
        ("mutuelles -le", '"le" is a stop word (or gives no term): ignored', {"mutuelles"}),
        ("mutu\x00elles\x1b", "control or invalid characters in the query were ignored",
         set()),
        ("!!! ???", "nothing searchable in the query: listing every document", set(DOCS)),
    ],
)  # fmt: skip
def test_malformed_input_is_read_leniently(
    searcher: Searcher, text: str, warning: str, expected: set[str]
) -> None:
    parsed = parse(text, searcher)
    assert any(warning in w for w in parsed.warnings), parsed.warnings
    assert found(searcher, text) == expected


def test_invisible_characters_are_dropped(searcher: Searcher) -> None:
    parsed = parse("mutu\u00adelles\u200d", searcher)
    assert parsed.warnings == ()
    assert found(searcher, "mutu\u00adelles") == {"mutuelles"}


def test_urls_and_times_are_text_without_a_warning(searcher: Searcher) -> None:
    assert parse("https://example.org/ess", searcher).warnings == ()
    assert parse("10:30", searcher).warnings == ()


def test_long_input_is_truncated_with_a_warning(searcher: Searcher) -> None:
    text = "mutuelles " + "x" * 5000
    parsed = parse(text, searcher, max_length=100)
    assert parsed.warnings == ("query truncated to its first 100 characters (of 5010)",)
    assert found(searcher, "mutuelles") == {"mutuelles"}


@pytest.mark.parametrize(
    "text",
    ["(" * 1000 + "mutuelles" + ")" * 1000, "NOT " * 250 + "mutuelles",
     "mutuelles " + "(" * 25 + "santé" + ")" * 25],
)  # fmt: skip
def test_deep_nesting_is_flattened_not_a_recursion_error(searcher: Searcher, text: str) -> None:
    parsed = parse(text, searcher, max_length=5000)
    assert all(len(w) < 200 for w in parsed.warnings)
    assert "mutuelles" in found(searcher, text)


def test_deep_negations_run(searcher: Searcher) -> None:
    parsed = parse("-(" * 400 + "mutuelles", searcher, max_length=5000)
    assert "parentheses nested deeper than 20 levels ignored" in parsed.warnings
    searcher.search(parsed.query, limit=None)


def test_a_pasted_paragraph_still_runs(searcher: Searcher) -> None:
    text = " ".join(content for _, content, *_ in DOCS.values())
    parsed = parse(text, searcher, max_length=10_000)
    assert parsed.warnings == ()
    assert len(searcher.search(parsed.query, limit=None)) == len(DOCS)


def test_configuration_errors_are_programming_errors(searcher: Searcher) -> None:
    with pytest.raises(ValueError, match="'summary'"):
        parse_query("x", schema=searcher.schema, text_fields={"summary": 1.0})
    with pytest.raises(ValueError, match="'kind'"):
        parse_query("x", schema=searcher.schema, text_fields=TEXT_FIELDS, tag_fields={"k": "kind"})


def test_fields_without_positions_fall_back_to_and(tmp_path: Path) -> None:
    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=french_analyzer(), phrase=False))
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as writer:
        writer.add_document(id="a", body="la santé et l'économie")
    parsed = parse_query('"économie de la santé"', schema=schema, text_fields={"body": 1.0})
    with ix.searcher() as s:
        assert [h["id"] for h in s.search(parsed.query)] == ["a"]


# --- What the index layer does with it -------------------------------------------------------


def test_search_page_with_filter_terms_and_highlights(searcher: Searcher) -> None:
    parsed = parse("économie santé -coopératives", searcher)
    page = searcher.search_page(
        parsed.query, 1, pagelen=2, filter=wq.Term("family", "associations"), terms=True
    )
    assert page.total == 2
    hits = list(page)
    assert {h["id"] for h in hits} == {"eco-sante", "sante-eco"}
    for hit in hits:
        assert set(hit.matched_terms()) >= {("content", b"econom"), ("content", b"sant")}
        assert "<b" in hit.highlights("content")


# --- Never raises ----------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    ["économie", "santé", "le", "OR", "OU", "AND", "ET", "NOT", "|", "&", "-", "+", "(", ")",
     '"', "«", "»", "“", "*", "~", "~2", "~9", ":", "title:", "family:", "year:", "territory:",
     "foo:", "2008", "..", ">", "<=", "ille-et-vilaine", "l’", "aujourd'hui", " ", "\x00",
     "\ud800", "\u0301", "ﬁ", "œ", "**", "a"]
)  # fmt: skip


def check_runs(searcher: Searcher, text: str) -> None:
    parsed = parse(text, searcher)
    assert isinstance(parsed.query, wq.Query)
    assert all(isinstance(w, str) and w for w in parsed.warnings)
    results = searcher.search(parsed.query, limit=3, terms=True)
    for hit in results:
        hit.highlights("content")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=60))
def test_arbitrary_text_never_raises(searcher: Searcher, text: str) -> None:
    check_runs(searcher, text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(FRAGMENTS, max_size=14).map("".join))
def test_query_like_text_never_raises(searcher: Searcher, text: str) -> None:
    check_runs(searcher, text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(FRAGMENTS, max_size=10).map(" ".join))
def test_query_like_words_never_raise(searcher: Searcher, text: str) -> None:
    check_runs(searcher, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(FRAGMENTS, min_size=1, max_size=8).map(" ".join))
def test_top_n_is_always_the_head_of_the_full_ranking(big_searcher: Searcher, text: str) -> None:
    q = parse(text, big_searcher).query
    assert top_scores(big_searcher, q, 5) == top_scores(big_searcher, q, None)[:5]
