"""The user-query parser (`indexer.query.parse_query`): what a query means, read leniently,
and what it finds on a real index built in tmp_path (`FullTextIndex`, `sample_index`); it
never raises. Its parts have their own tests: `test_lexer.py`, `test_parser.py`,
`test_build.py`, `test_tiers.py`."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.index import FullTextIndex, SearchRequest
from indexer.query import MAX_QUERY_LENGTH, parse_query
from indexer.query import nodes as wq
from indexer.schema import QUERY_FIELD_KINDS
from indexer.text import fold
from tests.indexer.query.sample_index import (
    DOCS,
    FRAGMENTS,
    TEXT_FIELDS,
    found,
    parse,
    run,
    said,
)

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
