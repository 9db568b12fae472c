"""`GET /search` (`api.routes.search`): what each role finds, filters, facets, snippets,
pages and sorts, and the 422 of bad parameters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.api_site import CALLERS, SEES, Site, assert_error, ids_of, names, site

__all__ = ["site"]  # the fixture, from tests/api/api_site.py


@pytest.mark.parametrize("role", CALLERS)
def test_search_shows_each_role_what_it_may_see(site: Site, role: str | None) -> None:
    response = site.get("/search", role, params={"q": "economie"})
    assert ids_of(response) == names(site, SEES[role])
    assert response.json()["total"] == len(SEES[role])


@pytest.mark.parametrize("role", CALLERS)
def test_hidden_words_find_nothing_and_suggest_nothing(site: Site, role: str | None) -> None:
    sees_internal = "interne" in SEES[role]
    for q in ("zorglubien", "zorglubiem", "zorglubiem~", "zorg*", "budget zorglubien",
              "visibility:internal", "family:fondations", "note-budget"):
        body = site.get("/search", role, params={"q": q}).json()
        if not sees_internal:
            assert body["total"] == 0 and body["hits"] == [], q
            leaked = str(body["suggestion"]) + " ".join(body["warnings"]) + str(body["facets"])
            assert "zorglub" not in leaked.lower(), (q, body)
    body = site.get("/search", role, params={"q": "zorglubien"}).json()
    assert body["total"] == (1 if sees_internal else 0)


@pytest.mark.parametrize("role", CALLERS)
def test_facets_count_only_what_the_caller_sees(site: Site, role: str | None) -> None:
    body = site.get("/search", role, params={"q": "economie"}).json()
    families = body["facets"].get("family", {})
    if "interne" not in SEES[role]:
        assert "fondations" not in families
    for counts in body["facets"].values():
        assert all(0 < n <= body["total"] for n in counts.values())


def test_search_filters(site: Site) -> None:
    def found(**params: Any) -> set[str]:
        return ids_of(site.get("/search", "admin", params={"q": "", **params}))

    assert found(family="cooperatives") == names(site, {"etude"})
    assert found(family=["cooperatives", "mutuelles"]) == names(site, {"etude", "rapport"})
    # A territory includes what lies below it; labels and accents work like keys.
    assert found(territory="bretagne") == names(site, {"etude", "rapport", "reseau", "interne"})
    assert found(territory="Ille-et-Vilaine") == names(site, {"etude"})
    assert found(territory="finistere") == found(territory="Finistère") == names(site, {"reseau"})
    assert found(year=2010) == names(site, {"rapport"})
    assert found(kind="etude", year=2010) == set()
    # Filters never widen what a role sees.
    assert ids_of(site.get("/search", params={"family": "fondations"})) == set()


def test_unknown_filter_value_is_422_naming_the_closest(site: Site) -> None:
    body = assert_error(site.get("/search", params={"family": "cooperativ"}), 422, "invalid_tag")
    assert "cooperativ" in body["detail"] and "cooperatives" in body["detail"]


def test_hits_have_snippets_with_page_numbers_and_file_names(site: Site) -> None:
    # A word far enough into page 2 that its snippet starts on page 2 too (a snippet takes
    # the page where it starts).
    response = site.get("/search", params={"q": "salaries emploient"})
    hits = {h["id"]: h for h in response.json()["hits"]}
    pdf = hits[site.ids["rapport"]]
    assert pdf["file"] == "rapport-annuel.pdf"
    assert pdf["year"] == 2010
    assert pdf["tags"]["family"] == ["mutuelles"]
    assert pdf["snippets"] and {s["page"] for s in pdf["snippets"]} == {2}
    for snippet in pdf["snippets"]:
        marked = [snippet["text"][a:b].lower() for a, b in snippet["highlights"]]
        assert any(m.startswith(("salari", "emploi")) for m in marked), snippet
    assert str(site.root) not in response.text


def test_search_pages_and_sorts(site: Site) -> None:
    by_date = site.get("/search", "admin", params={"q": "", "sort": "date"}).json()
    years = [h["year"] for h in by_date["hits"]]
    assert years == sorted(years, reverse=True) and years[0] == 2011
    first = site.get("/search", "admin", params={"q": "", "sort": "date", "size": 1}).json()
    second = site.get("/search", "admin",
                      params={"q": "", "sort": "date", "size": 1, "page": 2}).json()
    assert first["total"] == second["total"] == 4
    assert [first["hits"][0]["id"], second["hits"][0]["id"]] == [h["id"] for h in
                                                                 by_date["hits"][:2]]
    beyond = site.get("/search", params={"q": "economie", "page": 400})
    assert beyond.status_code == 200 and beyond.json()["hits"] == []


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"size": 101}, "size"),
        ({"size": 0}, "size"),
        ({"page": 0}, "page"),
        ({"page": "deux"}, "page"),
        ({"sort": "author"}, "sort"),
        ({"year": "deux-mille"}, "year"),
        ({"year": 99999}, "year"),
        ({"family": ["x"] * 21}, "family"),
        ({"facets": "peut-être"}, "facets"),
    ],
)
def test_bad_parameters_are_422(site: Site, params: dict[str, Any], named: str) -> None:
    body = assert_error(site.get("/search", params=params), 422, "invalid_parameter")
    assert named in body["detail"]
