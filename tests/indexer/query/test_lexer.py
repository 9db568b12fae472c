"""The query's characters (`indexer.query.lexer`): what is dropped, where it is cut, and
when a dash is a word of a pasted sentence rather than an exclusion."""

from __future__ import annotations

from indexer.index import FullTextIndex
from tests.indexer.query.sample_index import found, parse, said


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
