"""The user-query parser: what a query means (`indexer.query.nodes`), and what it finds
on a real index built in tmp_path (`FullTextIndex`)."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument, SearchPage, SearchRequest
from indexer.messages import Message
from indexer.query import MAX_QUERY_LENGTH, AllWordsFirst, ParsedQuery, parse_query, tag_key
from indexer.query import nodes as wq
from indexer.schema import QUERY_FIELD_KINDS
from indexer.text import fold

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


def said(warnings: tuple[Message, ...]) -> tuple[str, ...]:
    """The warnings as the command line says them (English)."""
    return tuple(str(w) for w in warnings)


def _document(doc_id: str, title: str, content: str, family: str, territory: str,
              year: int) -> IndexDocument:  # fmt: skip
    path = tuple(t for t in territory.split(",") if t)
    tags = {"family": (family,)} if family else {}
    return IndexDocument(doc_id, 1, title, (Section(content, 1),), tags,
                         territory_path=path, year=year)  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FullTextIndex]:
    index = FullTextIndex.create(tmp_path_factory.mktemp("library") / "index")
    with index.writer() as writer:
        for doc_id, fields in DOCS.items():
            writer.upsert(_document(doc_id, *fields))
    yield index
    index.close()


def parse(text: str, searcher: object = None, **kwargs: object) -> ParsedQuery:
    """The parsed query, as the search box's fields give it."""
    return parse_query(
        text,
        kinds=QUERY_FIELD_KINDS,
        text_fields=TEXT_FIELDS,
        tag_fields=TAG_FIELDS,
        **kwargs,  # type: ignore[arg-type]
    )


def run(index: FullTextIndex, text: str, **kwargs: object) -> SearchPage:
    kwargs.setdefault("size", 1000)
    kwargs.setdefault("snippets", 0)
    kwargs.setdefault("suggest", False)
    return index.search(SearchRequest(text, **kwargs))  # type: ignore[arg-type]


def ids(index: FullTextIndex, text: str, **kwargs: object) -> list[str]:
    """Document ids in rank order (what the index's search finds for `text`)."""
    return [hit.id for hit in run(index, text, **kwargs).hits]


def found(index: FullTextIndex, text: str, **kwargs: object) -> set[str]:
    return set(ids(index, text, **kwargs))


def leaves(node: wq.Node) -> list[wq.Node]:
    children = wq.subqueries(node)
    if not children:
        return [node]
    return [leaf for child in children for leaf in leaves(child)]


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


def top_scores(index: FullTextIndex, text: str, limit: int) -> list[tuple[str, float]]:
    return [(hit.id, hit.score) for hit in run(index, text, size=limit).hits]


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


# --- The French matching examples ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["économie", "economie", "économies", "ÉCONOMIE", "l’économie", "l'économie", "ECONOMIES"],
)
def test_accents_case_plural_and_elision_do_not_matter(searcher: FullTextIndex, text: str) -> None:
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
def test_french_matches(searcher: FullTextIndex, text: str, expected: set[str]) -> None:
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
def test_operators(searcher: FullTextIndex, text: str, expected: set[str]) -> None:
    parsed = parse(text, searcher)
    assert said(parsed.warnings) == ()
    assert found(searcher, text) == expected


def test_a_dash_in_pasted_text_is_a_word_not_an_exclusion(searcher: FullTextIndex) -> None:
    # Six words or more and no other operator: a sentence pasted from the document.
    pasted = "rapport annuel activité bilan comptes -assemblée générale"
    assert "all" in found(searcher, pasted)
    assert "all" in found(searcher, "rapport (annuel) activité bilan comptes -assemblée générale")
    (warning,) = said(parse(pasted, searcher).warnings)
    assert '"-assemblée"' in warning and "NOT assemblée" in warning
    # The same words with an operator, or a short query: the dash excludes, as documented.
    assert "all" not in found(searcher, "rapport -assemblée")
    assert "all" not in found(searcher, "rapport annuel activité bilan comptes NOT assemblée")
    assert "all" not in found(searcher, '"rapport annuel" activité bilan comptes -assemblée')


def test_or_binds_tighter_than_juxtaposition(searcher: FullTextIndex) -> None:
    # économie (santé OU sociale): documents with économie and one of the two come first.
    ranked = ids(searcher, "économie santé OU sociale")
    assert set(ranked[:3]) == {"all", "eco-sante", "sante-eco"}
    assert set(ranked[3:]) == {"eco", "social", "mutuelles"}


def test_and_binds_tighter_than_or(searcher: FullTextIndex) -> None:
    assert found(searcher, "coopératives OR économie AND santé") == {
        "coop", "eco-sante", "sante-eco",
    }  # fmt: skip


def test_lower_case_ou_and_et_are_stop_words_not_operators(searcher: FullTextIndex) -> None:
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


# --- Malformed input -------------------------------------------------------------------------


def test_empty_query_lists_every_document(searcher: FullTextIndex) -> None:
    for text in ("", "   ", "\n\t"):
        parsed = parse(text, searcher)
        assert said(parsed.warnings) == ()
        assert parsed.terms == ()
        assert parsed.query == wq.Every()
        assert found(searcher, text) == set(DOCS)


def test_only_stop_words_matches_nothing_with_a_warning(searcher: FullTextIndex) -> None:
    parsed = parse("le la les", searcher)
    assert parsed.query == wq.NOTHING
    assert said(parsed.warnings) == (
        'nothing to search: every word is a stop word ("le la les"); no document matches',
    )
    page = run(searcher, "le la les")
    assert page.total == 0 and said(page.warnings) == said(parsed.warnings)


def test_stop_words_next_to_real_words_are_silently_ignored(searcher: FullTextIndex) -> None:
    parsed = parse("l'économie de la santé", searcher)
    assert said(parsed.warnings) == ()
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
    searcher: FullTextIndex, text: str, warning: str, expected: set[str]
) -> None:
    parsed = parse(text, searcher)
    assert any(warning in w for w in said(parsed.warnings)), said(parsed.warnings)
    assert found(searcher, text) == expected


def test_invisible_characters_are_dropped(searcher: FullTextIndex) -> None:
    parsed = parse("mutu\u00adelles\u200d", searcher)
    assert said(parsed.warnings) == ()
    assert found(searcher, "mutu\u00adelles") == {"mutuelles"}


def test_urls_and_times_are_text_without_a_warning(searcher: FullTextIndex) -> None:
    assert said(parse("https://example.org/ess", searcher).warnings) == ()
    assert said(parse("10:30", searcher).warnings) == ()


def test_long_input_is_truncated_with_a_warning(searcher: FullTextIndex) -> None:
    text = "mutuelles " + "x" * 5000
    parsed = parse(text, searcher, max_length=100)
    assert said(parsed.warnings) == ("query truncated to its first 100 characters (of 5010)",)
    assert found(searcher, "mutuelles") == {"mutuelles"}


@pytest.mark.parametrize(
    "text",
    ["(" * 1000 + "mutuelles" + ")" * 1000, "NOT " * 250 + "mutuelles",
     "mutuelles " + "(" * 25 + "santé" + ")" * 25],
)  # fmt: skip
def test_deep_nesting_is_flattened_not_a_recursion_error(
    searcher: FullTextIndex, text: str
) -> None:
    parsed = parse(text, searcher, max_length=5000)
    assert all(len(w) < 200 for w in said(parsed.warnings))
    assert "mutuelles" in found(searcher, text)


def test_deep_negations_run(searcher: FullTextIndex) -> None:
    parsed = parse("-(" * 400 + "mutuelles", searcher, max_length=5000)
    assert "parentheses nested deeper than 20 levels ignored" in said(parsed.warnings)
    run(searcher, "-(" * 400 + "mutuelles")


def test_a_pasted_paragraph_still_runs(searcher: FullTextIndex) -> None:
    text = " ".join(content for _, content, *_ in DOCS.values())
    parsed = parse(text, searcher, max_length=10_000)
    assert said(parsed.warnings) == ()
    # Every door (CLI, API, pages) reads the first MAX_QUERY_LENGTH characters: a pasted
    # paragraph fits and finds them all; a longer paste is cut, with a warning.
    assert 1000 < len(text) < MAX_QUERY_LENGTH
    page = run(searcher, text)
    assert said(page.warnings) == () and page.total == len(DOCS)
    longer = (text + " ") * (MAX_QUERY_LENGTH // len(text) + 1)
    assert said(run(searcher, longer).warnings) == (
        f"query truncated to its first {MAX_QUERY_LENGTH} characters (of {len(longer)})",)


def test_configuration_errors_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="'family'"):
        parse_query("x", kinds=QUERY_FIELD_KINDS, text_fields={"family": 1.0})
    with pytest.raises(ValueError, match="'nowhere'"):
        parse_query("x", kinds=QUERY_FIELD_KINDS, text_fields=TEXT_FIELDS,
                    tag_fields={"k": "nowhere"})  # fmt: skip


# --- What the index layer does with it -------------------------------------------------------


def test_search_page_with_filter_terms_and_highlights(searcher: FullTextIndex) -> None:
    page = run(searcher, "économie santé -coopératives", size=2, snippets=2,
               filters={"family": ("associations",)})  # fmt: skip
    assert page.total == 2
    assert {h.id for h in page.hits} == {"eco-sante", "sante-eco"}
    for hit in page.hits:
        marked = {fold(s.text[a:b]) for s in hit.snippets for a, b in s.highlights}
        assert marked == {"economie", "sante"}


# --- Never raises ----------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    ["économie", "santé", "le", "OR", "OU", "AND", "ET", "NOT", "|", "&", "-", "+", "(", ")",
     '"', "«", "»", "“", "*", "~", "~2", "~9", ":", "title:", "family:", "year:", "territory:",
     "foo:", "2008", "..", ">", "<=", "ille-et-vilaine", "l’", "aujourd'hui", " ", "\x00",
     "\ud800", "\u0301", "ﬁ", "œ", "**", "a"]
)  # fmt: skip


def check_runs(searcher: FullTextIndex, text: str) -> None:
    parsed = parse(text, searcher)
    assert isinstance(parsed.query, wq.Node)
    assert all(isinstance(w, str) and w for w in said(parsed.warnings))
    page = searcher.search(SearchRequest(text, size=3, snippets=1))
    assert page.total >= len(page.hits)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=60))
def test_arbitrary_text_never_raises(searcher: FullTextIndex, text: str) -> None:
    check_runs(searcher, text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(FRAGMENTS, max_size=14).map("".join))
def test_query_like_text_never_raises(searcher: FullTextIndex, text: str) -> None:
    check_runs(searcher, text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(FRAGMENTS, max_size=10).map(" ".join))
def test_query_like_words_never_raise(searcher: FullTextIndex, text: str) -> None:
    check_runs(searcher, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(FRAGMENTS, min_size=1, max_size=8).map(" ".join))
def test_top_n_is_always_the_head_of_the_full_ranking(
    big_searcher: FullTextIndex, text: str
) -> None:
    assert top_scores(big_searcher, text, 5) == top_scores(big_searcher, text, 1000)[:5]
