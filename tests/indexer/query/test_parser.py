"""The query's syntax (`indexer.query.parser`): quotes, exclusion and requirement, AND, OR
and their precedence, parentheses."""

from __future__ import annotations

import pytest

from indexer.index import FullTextIndex
from tests.indexer.query.sample_index import DOCS, found, ids, parse, said


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
