"""Facets on a real library: counts per tag value over the matches, hierarchical
territories, drill-down (each facet computed without its own filter), OR within a field,
AND across fields.

Tags of tests/fixtures/search/ (from the sidecars; `instance` comes from the text):
    rapport-activite.pdf    2012 note         mutuelles, cooperatives bretagne     validated public
    note-interne.txt        2011 compte-rendu fondations              morbihan     draft  internal
    mutuelles-morbihan.txt  2010 etude        mutuelles        pays-de-lorient     validated public
    diagnostic-finistere    2009 etude        associations            finistere    submitted public
    pole-ess-rennes.md      2008 etude        cooperatives, assoc.  pays-de-rennes validated public
    pole-ess-rennes-v2.md   2007 etude        cooperatives, assoc.  pays-de-rennes draft   network
    sans-date.md            -    note         -                     cotes-d-armor  draft    public
"""

from __future__ import annotations

from kb.library import Library
from tests.kb.test_search import lib  # noqa: F401 - the module-scoped library fixture

EVERYTHING = 7


def test_facets_count_each_field_over_the_whole_library(lib: Library) -> None:  # noqa: F811
    facets = lib.search("", facets=True).facets
    assert set(facets) == {"family", "territory", "mission", "kind", "year", "instance",
                           "status"}  # fmt: skip
    assert facets["family"] == {"associations": 3, "cooperatives": 3, "mutuelles": 2,
                                "fondations": 1}  # fmt: skip
    assert facets["kind"] == {"etude": 4, "note": 2, "compte-rendu": 1}
    assert facets["status"] == {"draft": 3, "validated": 3, "submitted": 1}
    # Years newest first; the undated document counts in no year.
    assert list(facets["year"].items()) == [
        ("2012", 1), ("2011", 1), ("2010", 1), ("2009", 1), ("2008", 1), ("2007", 1)
    ]  # fmt: skip
    assert facets["mission"]["developpement"] == 2


def test_a_territory_counts_what_lies_below_it(lib: Library) -> None:  # noqa: F811
    territory = lib.search("", facets=True).facets["territory"]
    # No document is tagged Ille-et-Vilaine itself: both studies are on the Pays de Rennes.
    assert territory["ille-et-vilaine"] == territory["pays-de-rennes"] == 2
    assert territory["morbihan"] == 2  # one tagged Morbihan, one Pays de Lorient
    assert territory["pays-de-lorient"] == 1
    assert territory["bretagne"] == territory["france"] == EVERYTHING


def test_facets_count_only_the_matches(lib: Library) -> None:  # noqa: F811
    results = lib.search("mutuelles", facets=True)
    assert results.total == 2
    assert results.facets["family"] == {"mutuelles": 2, "cooperatives": 1}
    assert results.facets["kind"] == {"etude": 1, "note": 1}
    for counts in results.facets.values():
        assert all(0 < n <= results.total for n in counts.values())


def test_each_facet_ignores_its_own_filter(lib: Library) -> None:  # noqa: F811
    results = lib.search("", {"family": ("cooperatives",)}, facets=True)
    assert results.total == 3
    # The family facet still shows the other families, to add or switch to...
    assert results.facets["family"] == {"associations": 3, "cooperatives": 3, "mutuelles": 2,
                                        "fondations": 1}  # fmt: skip
    # ... while the other facets count only the cooperatives' documents.
    assert results.facets["kind"] == {"etude": 2, "note": 1}
    assert "finistere" not in results.facets["territory"]
    assert results.facets["territory"]["bretagne"] == 3


def test_values_of_one_field_or_and_fields_and(lib: Library) -> None:  # noqa: F811
    either = lib.search("", {"family": ("cooperatives", "Mutuelles")}, facets=True)
    assert either.total == 4  # rapport, both pole studies, mutuelles-morbihan
    both = lib.search(
        "", {"family": ("cooperatives",), "territory": ("Ille-et-Vilaine",)}, facets=True
    )
    assert both.total == 2
    # family counted under the territory filter only; territory under the family filter only
    assert both.facets["family"] == {"associations": 2, "cooperatives": 2}
    assert both.facets["territory"]["bretagne"] == 3
    assert both.facets["year"] == {"2008": 1, "2007": 1}


def test_a_selected_value_stays_listed_when_the_query_empties_it(lib: Library) -> None:  # noqa: F811
    results = lib.search("mutuelles", {"kind": ("compte-rendu",)}, facets=True)
    assert results.total == 0
    assert results.facets["kind"]["compte-rendu"] == 0
    assert results.facets["kind"]["etude"] == 1


def test_year_filter_and_facet(lib: Library) -> None:  # noqa: F811
    results = lib.search("", {"year": ("2008", "2010")}, facets=True)
    assert results.total == 2
    assert results.facets["year"]["2009"] == 1  # the year facet ignores the year filter


def test_no_facets_unless_asked(lib: Library) -> None:  # noqa: F811
    assert lib.search("mutuelles").facets == {}
