"""The conditions of a request (`indexer.conditions`) on a real index: visibility with ids
left out, tag values OR-ed, years and ranges of years; a year that is none is refused
naming the field."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import tantivy

from indexer.conditions import Conditions
from indexer.errors import InvalidQuery
from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument

# id -> (visibility, family, year)
DOCUMENTS = {
    "a": ("public", "cooperatives", 2004),
    "b": ("public", "associations", 2008),
    "c": ("network", "mutuelles", 2010),
    "d": ("internal", "cooperatives", 2012),
    "e": ("public", "fondations", None),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FullTextIndex]:
    index = FullTextIndex.create(tmp_path_factory.mktemp("conditions") / "index")
    with index.writer() as writer:
        for doc_id, (visibility, family, year) in DOCUMENTS.items():
            tags = {"visibility": (visibility,), "family": (family,)}
            writer.upsert(IndexDocument(doc_id, 1, doc_id, (Section("étude", 1),), tags,
                                        year=year))  # fmt: skip
    yield index
    index.close()


def ids(index: FullTextIndex, query: tantivy.Query | None) -> set[str]:
    searcher = index._view().searcher
    found = searcher.search(query or tantivy.Query.all_query(), limit=100)
    return {searcher.doc(address).get_first("id") for _score, address in found.hits}


def test_visible_keeps_the_visibilities_asked_and_leaves_ids_out(index: FullTextIndex) -> None:
    conditions = Conditions(index._schema)
    assert conditions.visible(None) is None
    assert ids(index, conditions.visible(frozenset({"public"}))) == {"a", "b", "e"}
    assert ids(index, conditions.visible(frozenset({"public", "network"}), {"b"})) \
        == {"a", "c", "e"}
    assert ids(index, conditions.visible(None, {"a", "d"})) == {"b", "c", "e"}


def test_values_of_a_tag_are_or_ed(index: FullTextIndex) -> None:
    conditions = Conditions(index._schema)
    assert ids(index, conditions.values("family", ("cooperatives", "mutuelles"))) \
        == {"a", "c", "d"}


def test_years_and_ranges_of_years(index: FullTextIndex) -> None:
    conditions = Conditions(index._schema)
    assert ids(index, conditions.values("year", ("2008",))) == {"b"}
    assert ids(index, conditions.values("year", ("2004", "2009-2012"))) == {"a", "c", "d"}
    assert ids(index, conditions.values("year", ("2009..",))) == {"c", "d"}
    assert ids(index, conditions.values("year", ("..2008",))) == {"a", "b"}


def test_a_year_that_is_none_is_refused_naming_the_field(index: FullTextIndex) -> None:
    with pytest.raises(InvalidQuery, match="year"):
        Conditions(index._schema).values("year", ("deux mille",))
