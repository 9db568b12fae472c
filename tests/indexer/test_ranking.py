"""The ranking rules of a search, on a real index under tmp_path (`FullTextIndex`).

What a researcher sees: documents holding all the plain words first (`indexer.compile`'s
tiers), BM25 inside a tier, the title counting more than the text, a pasted sentence
finding its document first, conditions that filter without reordering, tags named by the
query counting as one more word, totals, paging, sorts, facets and visibility. Each test
writes documents that a ranking without the rule would order otherwise, so that it fails
if the rule stops holding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pytest

from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument, SearchPage, SearchRequest

FILLER = "rapport annuel réunion bureau conseil budget compte bilan partenaires convention "


def doc(
    doc_id: str,
    text: str,
    *,
    title: str = "Note",
    tags: Mapping[str, tuple[str, ...]] | None = None,
    territory_path: tuple[str, ...] = (),
    year: int | None = None,
    date: str | None = None,
) -> IndexDocument:
    tags = dict(tags or {})
    tags.setdefault("visibility", ("public",))
    return IndexDocument(
        id=doc_id,
        revision=1,
        title=title,
        sections=(Section(text, 1),),
        tags=tags,
        territory_path=territory_path or tags.get("territory", ()),
        year=year,
        date=date,
    )


def build(path: Path, docs: Iterable[IndexDocument]) -> FullTextIndex:
    index = FullTextIndex.create(path / "index")
    with index.writer() as writer:
        for d in docs:
            writer.upsert(d)
    return index


@pytest.fixture
def make(tmp_path: Path) -> Iterator[object]:
    opened: list[FullTextIndex] = []

    def _make(docs: Iterable[IndexDocument]) -> FullTextIndex:
        index = build(tmp_path / str(len(opened)), docs)
        opened.append(index)
        return index

    yield _make
    for index in opened:
        index.close()


def search(index: FullTextIndex, text: str, **kwargs: object) -> SearchPage:
    kwargs.setdefault("size", 100)
    kwargs.setdefault("snippets", 0)
    kwargs.setdefault("suggest", False)
    return index.search(SearchRequest(text, **kwargs))  # type: ignore[arg-type]


def ids(index: FullTextIndex, text: str, **kwargs: object) -> list[str]:
    return [h.id for h in search(index, text, **kwargs).hits]


# --- tiers: all the words first ---------------------------------------------------------


def test_all_the_words_rank_first_even_against_a_frequent_rare_word(make) -> None:  # type: ignore[no-untyped-def]
    index = make([
        doc("all", FILLER * 8 + "économie sociale Rennes " + FILLER * 8),
        # "rennes" is the rarest word and this document repeats it: BM25 alone puts it first.
        doc("rennes", "Rennes Rennes métropole, Rennes ville, Rennes Rennes."),
        doc("eco", "L'économie, encore l'économie."),
        doc("social", "La question sociale."),
        doc("none", FILLER),
    ])  # fmt: skip
    page = search(index, "économie sociale rennes")
    ranked = [h.id for h in page.hits]
    assert ranked[0] == "all"
    assert set(ranked[1:]) == {"rennes", "eco", "social"}
    tiers = {h.id: int(h.score) for h in page.hits}
    assert tiers == {"all": 3, "rennes": 1, "eco": 1, "social": 1}
    # Without the tiers the frequent rare word would win: check the fixture says so.
    assert ids(index, "rennes")[0] == "rennes"
    assert all(0 <= h.score - int(h.score) < 1 for h in page.hits)


def test_two_words_of_three_rank_above_one(make) -> None:  # type: ignore[no-untyped-def]
    index = make([
        doc("two", FILLER * 10 + "mutuelle santé"),
        doc("one", "mutuelle " * 20),
        doc("three", FILLER * 20 + "mutuelle santé prévoyance"),
    ])  # fmt: skip
    assert ids(index, "mutuelle santé prévoyance") == ["three", "two", "one"]


# --- inside a tier: BM25 ------------------------------------------------------------------


def test_inside_a_tier_more_occurrences_and_shorter_documents_rank_first(make) -> None:  # type: ignore[no-untyped-def]
    index = make([
        doc("once", "coopérative " + FILLER),
        doc("thrice", "coopérative coopérative coopérative " + FILLER),
        doc("long", "coopérative " + FILLER * 10),
    ])  # fmt: skip
    assert ids(index, "coopérative") == ["thrice", "once", "long"]
    scores = [h.score for h in search(index, "coopérative").hits]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 3


def test_a_title_match_counts_more_than_a_content_match(make) -> None:  # type: ignore[no-untyped-def]
    index = make([
        doc("in-text", "mutuelles " + FILLER, title="Note de synthèse"),
        doc("in-title", FILLER + "conseil", title="Mutuelles"),
    ])  # fmt: skip
    assert ids(index, "mutuelles") == ["in-title", "in-text"]


# --- proximity -----------------------------------------------------------------------------


def test_the_document_holding_the_pasted_sentence_ranks_first(make) -> None:  # type: ignore[no-untyped-def]
    sentence = "le comité de pilotage régional valide les études"
    index = make([
        # All the words, more often, never side by side.
        doc("scattered", ("pilotage réunion comité bureau régional conseil valide budget "
                          "études compte ") * 6),
        doc("source", FILLER * 3 + sentence + ". " + FILLER * 3),
        doc("some", "comité comité pilotage pilotage " * 5),
    ])  # fmt: skip
    # The scattered document has each word more often: BM25 alone would put it first.
    for word in ("régional", "valide", "études"):
        assert ids(index, word)[0] == "scattered", word
    assert ids(index, sentence)[:2] == ["source", "scattered"]
    assert ids(index, f'"{sentence}"') == ["source"]


def test_proximity_never_lifts_a_document_above_a_higher_tier(make) -> None:  # type: ignore[no-untyped-def]
    index = make([
        doc("adjacent", "économie sociale " * 3),  # two words of three, side by side
        doc("all-three", "économie " + FILLER * 5 + "sociale " + FILLER * 5 + "bretagne"),
    ])  # fmt: skip
    assert ids(index, "économie sociale bretagne") == ["all-three", "adjacent"]


# --- conditions and exclusions ------------------------------------------------------------


CONDITION_DOCS = [
    doc("a", "économie santé santé " + FILLER, year=2005),
    doc("b", "économie " + FILLER, year=2008),
    doc("c", "santé " + FILLER * 2, year=2010),
    doc("d", "économie économie santé", year=2012),
    doc("e", "économie de la santé, santé de l'économie " + FILLER * 3, year=2001),
    doc("f", FILLER, year=2008),
]


def test_a_required_word_filters_without_changing_the_order_of_the_rest(make) -> None:  # type: ignore[no-untyped-def]
    index = make(CONDITION_DOCS)
    # Same words in the same order (the order of the words matters to proximity).
    plain = search(index, "santé économie").hits
    required = search(index, "+santé économie").hits
    with_sante = {"a", "c", "d", "e"}
    assert [(h.id, h.score) for h in required] == [
        (h.id, h.score) for h in plain if h.id in with_sante]
    assert len(required) < len(plain)


def test_a_field_condition_filters_without_changing_the_order_of_the_rest(make) -> None:  # type: ignore[no-untyped-def]
    index = make(CONDITION_DOCS)
    plain = search(index, "économie santé").hits
    dated = search(index, "économie santé year:2005..2010").hits
    assert [(h.id, h.score) for h in dated] == [
        (h.id, h.score) for h in plain if h.id in {"a", "b", "c"}]
    filtered = search(index, "économie santé", filters={"year": ("2008", "2012")}).hits
    assert [(h.id, h.score) for h in filtered] == [
        (h.id, h.score) for h in plain if h.id in {"b", "d"}]


def test_an_excluded_word_removes_its_documents(make) -> None:  # type: ignore[no-untyped-def]
    index = make(CONDITION_DOCS)
    assert set(ids(index, "économie -santé")) == {"b"}
    assert set(ids(index, "économie NOT santé")) == {"b"}
    assert set(ids(index, "-économie")) == {"c", "f"}
    plain = [h.id for h in search(index, "économie bilan").hits]
    assert ids(index, "économie bilan -santé") == [i for i in plain if i in {"b", "f"}]


# --- tags named in the query --------------------------------------------------------------


def cg35(phrase: str) -> list[tuple[str, str]]:
    return [("territory_path", "ille-et-vilaine")] if phrase.lower() == "cg 35" else []


def test_a_tag_named_in_the_query_counts_as_one_more_word(make) -> None:  # type: ignore[no-untyped-def]
    ille = {"territory": ("ille-et-vilaine",)}
    index = make([
        doc("tagged", "mutuelles " + FILLER, tags=ille),
        doc("untagged", "mutuelles mutuelles mutuelles"),  # more occurrences, no tag
        doc("tag-only", FILLER, tags=ille),
        doc("other1", FILLER), doc("other2", FILLER), doc("other3", "bilan"),
    ])  # fmt: skip
    without = search(index, "mutuelles CG 35")
    assert [h.id for h in without.hits] == ["untagged", "tagged"]
    page = search(index, "mutuelles CG 35", tag_names=cg35)
    assert [h.id for h in page.hits] == ["tagged", "untagged", "tag-only"]
    assert [int(h.score) for h in page.hits] == [2, 1, 1]
    assert page.total == 3
    # A condition still holds: the tag only widens the optional words.
    assert ids(index, "mutuelles CG 35 -bilan", tag_names=cg35) == ["untagged"]


def test_a_tag_most_documents_hold_is_ignored(make) -> None:  # type: ignore[no-untyped-def]
    ille = {"territory": ("ille-et-vilaine",)}
    index = make([doc(f"t{n}", "bilan", tags=ille) for n in range(3)]
                 + [doc("u", "mutuelles")])  # fmt: skip
    assert ids(index, "mutuelles CG 35", tag_names=cg35) == ["u"]


# --- prefixes and fuzzy words ---------------------------------------------------------------


def test_prefix_and_fuzzy_words_find_the_right_documents(make) -> None:  # type: ignore[no-untyped-def]
    index = make([
        doc("coop", "La coopérative d'activités et d'emploi"),
        doc("coope", "La coopération entre associations"),
        doc("mut", "Les mutuelles de santé"),
        doc("other", "Un rapport annuel"),
    ])  # fmt: skip
    assert set(ids(index, "coopérat*")) == {"coop", "coope"}
    # The typo's stem "cooperatv" is in no document; the close word "coopérative" is, and
    # its stem "cooper" is also coopération's.
    assert set(ids(index, "cooperatve~")) == {"coop", "coope"}
    assert set(ids(index, "cooperatves~2")) == {"coop", "coope"}
    assert set(ids(index, "mutuele~")) == {"mut"}
    assert ids(index, "cooperatve") == []


# --- totals and paging ----------------------------------------------------------------------


def test_totals_equal_the_number_of_matching_documents(make) -> None:  # type: ignore[no-untyped-def]
    index = make(CONDITION_DOCS)
    for text, expected in (("économie", {"a", "b", "d", "e"}), ("santé", {"a", "c", "d", "e"}),
                           ("économie santé", {"a", "b", "c", "d", "e"}),
                           ("économie AND santé", {"a", "d", "e"}), ("absentissime", set()),
                           ("", {"a", "b", "c", "d", "e", "f"})):  # fmt: skip
        page = search(index, text, size=2)
        assert page.total == len(expected), text
        assert set(ids(index, text)) == expected, text


def test_pages_continue_each_other_without_repeats(make) -> None:  # type: ignore[no-untyped-def]
    # Equal scores (identical texts) too: ties must fall on the same side of a page break.
    docs = [doc(f"d{n:02}", "économie " * (1 + n % 4) + FILLER, year=2000 + n % 5)
            for n in range(23)]  # fmt: skip
    index = make(docs)
    for text, sort in (("économie", "relevance"), ("économie", "date"), ("", "title")):
        whole = ids(index, text, sort=sort)
        assert len(whole) == 23
        pages = [ids(index, text, sort=sort, size=5, page=p) for p in range(1, 7)]
        assert [len(p) for p in pages] == [5, 5, 5, 5, 3, 0]
        assert [i for p in pages for i in p] == whole
        assert search(index, text, sort=sort, size=5, page=3).total == 23


# --- sorts ------------------------------------------------------------------------------------


SORT_DOCS = [
    doc("etude", "rapport", title="Étude régionale", date="2010-05-01", year=2010),
    doc("avis", "rapport", title="avis du conseil", date="2012-01-15", year=2012),
    doc("zebu", "rapport", title="Zébu et autres", date="2005", year=2005),
    doc("eco", "rapport", title="economie locale", date="2011-11-30", year=2011),
    doc("fin", "rapport", title="Financement", date="2008-06", year=2008),
]


def test_sort_by_title_folds_accents_and_case_in_both_orders(make) -> None:  # type: ignore[no-untyped-def]
    index = make(SORT_DOCS)
    expected = ["avis", "eco", "etude", "fin", "zebu"]
    assert ids(index, "rapport", sort="title") == expected
    assert ids(index, "rapport", sort="title", order="asc") == expected
    assert ids(index, "rapport", sort="title", order="desc") == expected[::-1]


def test_sort_by_date_in_both_orders(make) -> None:  # type: ignore[no-untyped-def]
    index = make(SORT_DOCS)
    newest = ["avis", "eco", "etude", "fin", "zebu"]
    assert ids(index, "rapport", sort="date") == newest
    assert ids(index, "rapport", sort="date", order="desc") == newest
    assert ids(index, "rapport", sort="date", order="asc") == newest[::-1]
    assert ids(index, "") == newest  # an empty query lists the library newest first


# --- facets -----------------------------------------------------------------------------------


def test_facets_count_over_the_query_and_the_other_filters(make) -> None:  # type: ignore[no-untyped-def]
    bzh_35 = ("bretagne", "ille-et-vilaine")
    bzh_29 = ("bretagne", "finistere")
    index = make([
        doc("c1", "emploi", tags={"family": ("cooperatives",), "territory": ("ille-et-vilaine",)},
            territory_path=bzh_35, year=2008),
        doc("c2", "emploi", tags={"family": ("cooperatives",), "territory": ("finistere",)},
            territory_path=bzh_29, year=2010),
        doc("m1", "emploi", tags={"family": ("mutuelles",), "territory": ("ille-et-vilaine",)},
            territory_path=bzh_35, year=2010),
        doc("a1", "emploi", tags={"family": ("associations", "cooperatives")}, year=2008),
        doc("x", "bilan", tags={"family": ("mutuelles",), "territory": ("finistere",)},
            territory_path=bzh_29, year=2012),
    ])  # fmt: skip
    page = search(index, "emploi", facets=True)
    assert page.facets["family"] == {"cooperatives": 3, "associations": 1, "mutuelles": 1}
    # A territory counts the documents under it: Bretagne holds both départements.
    assert page.facets["territory"] == {"bretagne": 3, "ille-et-vilaine": 2, "finistere": 1}
    assert page.facets["year"] == {"2010": 2, "2008": 2}
    assert list(page.facets["year"]) == ["2010", "2008"]  # newest first

    drilled = search(index, "emploi", facets=True, filters={"family": ("cooperatives",)})
    assert drilled.total == 3
    # Its own facet ignores its filter (the other values stay to choose from)...
    assert drilled.facets["family"] == page.facets["family"]
    # ...the others count within it.
    assert drilled.facets["territory"] == {"bretagne": 2, "finistere": 1, "ille-et-vilaine": 1}
    assert drilled.facets["year"] == {"2010": 1, "2008": 2}

    by_place = search(index, "emploi", facets=True, filters={"territory_path": ("bretagne",)})
    assert {h.id for h in by_place.hits} == {"c1", "c2", "m1"}
    assert by_place.facets["family"] == {"cooperatives": 2, "mutuelles": 1}
    assert by_place.facets["territory"] == page.facets["territory"]

    # A selected value no document has is shown, with 0.
    none = search(index, "emploi", facets=True, filters={"family": ("fondations",)})
    assert none.total == 0
    assert none.facets["family"] == {**page.facets["family"], "fondations": 0}
    assert none.facets["territory"] == {}


# --- visibility -------------------------------------------------------------------------------


def test_hidden_documents_are_hidden_everywhere(make) -> None:  # type: ignore[no-untyped-def]
    public = {"visibility": ("public",)}
    index = make([
        doc("pub", "budget emploi", tags={**public, "family": ("associations",)}, year=2008),
        doc("pub2", "budget", tags={**public, "family": ("associations",)}, year=2008),
        doc("secret", "budget emploi zanzibarite",
            tags={"visibility": ("internal",), "family": ("fondations",)}, year=1999),
    ])  # fmt: skip
    seen = frozenset({"public"})
    page = search(index, "budget emploi", visibilities=seen, facets=True)
    assert [h.id for h in page.hits] == ["pub", "pub2"] and page.total == 2
    assert page.facets["family"] == {"associations": 2}
    assert page.facets["year"] == {"2008": 2}
    assert search(index, "zanzibarite", visibilities=seen).total == 0
    assert search(index, "", visibilities=seen).total == 2
    assert search(index, "zanzibarte~", visibilities=seen).total == 0
    # Did you mean: the hidden document's word is never offered to those who cannot see it.
    hidden = search(index, "zanzibarte", visibilities=seen, suggest=True)
    assert hidden.suggestion is None
    assert search(index, "zanzibarte", suggest=True).suggestion == "zanzibarite"
    # Everything, for the local command line.
    assert search(index, "budget emploi", facets=True).total == 3
