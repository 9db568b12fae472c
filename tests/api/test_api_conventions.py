"""API conventions for the portal: /api/v1 with deprecated aliases, one way to page every
list (X-Total-Count, Link), sort by title with a direction, ETag/304 on searches, errors in
French on request, bulk tag corrections, examples in the OpenAPI document."""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from kb import audit
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tags import effective
from tests.api.routes.test_curation_api import Site, build

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

V1 = "/api/v1"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    library_dir, ids, tokens = build(tmp_path_factory.mktemp("conventions"))
    with TestClient(create_app(Settings(library=library_dir))) as client:
        yield Site(client, ids, tokens, library_dir)


def links(response: Any) -> dict[str, str]:
    """rel -> URL of an RFC 8288 Link header."""
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"',
                                                 response.headers.get("link", ""))}


def test_every_route_is_under_api_v1_and_the_old_paths_are_deprecated(site: Site) -> None:
    for path in ("/search?q=economie", "/vocabulary", "/health", "/collections",
                 f"/documents/{site.ids['etude']}"):
        new = site.call("GET", V1 + path)
        old = site.call("GET", path)
        assert new.status_code == old.status_code == 200, (path, new.text)
    schema = site.call("GET", "/openapi.json").json()
    paths = schema["paths"]
    versioned = [p for p in paths if p.startswith(V1)]
    legacy = [p for p in paths if not p.startswith(V1) and p != "/oai"]
    assert len(versioned) == len(legacy) > 20
    for path in legacy:
        assert V1 + path in paths
        assert all(op.get("deprecated") for op in paths[path].values()), path
    for path in versioned:
        assert not any(op.get("deprecated") for op in paths[path].values()), path


def test_searches_page_with_a_total_and_links(site: Site) -> None:
    first = site.call("GET", f"{V1}/search", "admin", params={"q": "", "size": 1})
    total = first.json()["total"]
    assert total >= 3 and first.headers["x-total-count"] == str(total)
    found = links(first)
    assert set(found) == {"first", "next", "last"}
    second = site.call("GET", found["next"].replace("http://testserver", ""), "admin")
    assert second.json()["page"] == 2 and second.json()["size"] == 1
    assert set(links(second)) == {"first", "prev", "next", "last"} or total == 2
    last = site.call("GET", links(first)["last"].replace("http://testserver", ""), "admin")
    assert last.json()["page"] == total and "next" not in links(last)
    ids = [site.call("GET", f"{V1}/search", "admin", params={"q": "", "size": 1, "page": n}
                     ).json()["hits"][0]["id"] for n in range(1, total + 1)]
    assert len(set(ids)) == total  # every document once across the pages


def test_every_list_pages_the_same_way(site: Site) -> None:
    for n in range(3):
        site.call("PUT", f"{V1}/documents/{site.ids['etude']}/tags/mission", "curator",
                  json={"values": [["developpement", "diffusion", "capitalisation"][n]]})
    response = site.call("GET", f"{V1}/audit", "admin", params={"size": 2, "page": 1})
    body = response.json()
    with Library.open(site.library_dir, DEFAULT_VOCABULARY) as library:
        assert body["total"] == audit.count(library.catalog) > 2
    assert response.headers["x-total-count"] == str(body["total"])
    assert len(body["entries"]) == 2 and "next" in links(response)
    page2 = site.call("GET", links(response)["next"].replace("http://testserver", ""), "admin")
    assert page2.json()["entries"][0]["id"] < body["entries"][-1]["id"]  # newest first
    old = site.call("GET", f"{V1}/audit", "admin", params={"limit": 2, "offset": 2}).json()
    assert old["entries"] == page2.json()["entries"]  # the former parameters still work
    for path, key in (("/collections", "collections"), ("/submissions", "submissions")):
        listed = site.call("GET", V1 + path, "admin", params={"page": 1, "size": 5})
        assert listed.status_code == 200, listed.text
        assert listed.headers["x-total-count"] == str(listed.json()["total"])
        assert "first" in links(listed) and key in listed.json()


def test_sort_by_title_both_ways(site: Site, tmp_path: Path) -> None:
    def titles(**params: Any) -> list[str]:
        response = site.call("GET", f"{V1}/search", "admin",
                             params={"q": "", "sort": "title", "size": 50, **params})
        assert response.status_code == 200, response.text
        return [h["title"] for h in response.json()["hits"]]

    up = titles()
    assert len(up) >= 3
    folded = [t.casefold().replace("é", "e").replace("É".casefold(), "e") for t in up]
    assert folded == sorted(folded)  # accents ignored: "Étude" among the e
    assert titles(order="desc") == up[::-1]
    dates = site.call("GET", f"{V1}/search", "admin",
                      params={"q": "", "sort": "date", "order": "asc"}).json()["hits"]
    years = [h["year"] for h in dates if h["year"]]
    assert years == sorted(years)


def test_searches_answer_304_to_a_current_etag(site: Site) -> None:
    # The tests before wrote tags, which the server indexes in the background: the answer
    # (and its ETag) changes once, when the index has followed. Compare after that.
    deadline = time.monotonic() + 60
    while site.client.get("/health").json()["index"]["state"] != "ok":
        assert time.monotonic() < deadline, "the index did not follow the catalog in 60 s"
        time.sleep(0.05)
    first = site.client.get(f"{V1}/search", params={"q": "économie"})
    etag = first.headers["etag"]
    again = site.client.get(f"{V1}/search", params={"q": "économie"},
                            headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag
    other = site.client.get(f"{V1}/search", params={"q": "économie", "size": 3},
                            headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_errors_in_french_when_asked(site: Site) -> None:
    french = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
    response = site.client.get(f"{V1}/search", params={"size": 0}, headers=french)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert body["detail"] == "size : doit être supérieur ou égal à 1 (reçu '0')"
    assert response.headers["content-language"] == "fr"
    english = site.client.get(f"{V1}/search", params={"size": 0})
    assert "greater than or equal" in english.json()["detail"]
    missing = site.client.get(f"{V1}/documents/0000000000", headers=french).json()
    assert missing["error"] == "not_found"
    assert missing["detail"] == "aucun document d'identifiant « 0000000000 »"
    route = site.client.get(f"{V1}/nulle-part", headers=french).json()
    assert route["detail"] == "aucune ressource à cette adresse"
    token = site.client.get(f"{V1}/search", headers={**french, "Authorization": "Bearer x"})
    assert token.status_code == 401 and token.json()["detail"].startswith("jeton")
    prefers_english = site.client.get(f"{V1}/search", params={"size": 0},
                                      headers={"Accept-Language": "en, fr;q=0.8"})
    assert "greater than or equal" in prefers_english.json()["detail"]


def test_bulk_tag_corrections(site: Site) -> None:
    etude, rapport, interne = site.ids["etude"], site.ids["rapport"], site.ids["interne"]
    stale = site.call("GET", f"{V1}/documents/{interne}/tags", "curator").json()["revision"]
    site.call("PUT", f"{V1}/documents/{interne}/tags/family", "curator",
              json={"values": ["fondations"]})  # someone else changed it meanwhile
    with Library.open(site.library_dir, DEFAULT_VOCABULARY) as library:
        before = audit.count(library.catalog, action="tag")
    response = site.call("POST", f"{V1}/tag-corrections", "curator", json={"changes": [
        {"document_id": etude, "field": "family", "operation": "add",
         "values": ["Mutuelles"]},
        {"document_id": rapport, "field": "territory", "operation": "set",
         "values": ["Pays de Rennes"]},
        {"document_id": interne, "field": "family", "operation": "set",
         "values": ["associations"], "revision": stale},
        {"document_id": "0000000000", "field": "family", "operation": "set",
         "values": ["associations"]},
    ]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["changed"], body["refused"]) == (2, 2)
    results = {r["document_id"]: r for r in body["results"]}
    assert "mutuelles" in results[etude]["tags"]["family"]
    assert results[rapport]["tags"]["territory"] == ["pays-de-rennes"]
    assert results[interne]["error"] == "precondition_failed"
    assert results["0000000000"]["error"] == "not_found"
    with Library.open(site.library_dir, DEFAULT_VOCABULARY) as library:
        assert audit.count(library.catalog, action="tag") == before + 2  # one per document
        assert effective(library.catalog.tags(interne))["family"] == ("fondations",)
    refused = site.call("POST", f"{V1}/tag-corrections", "network", json={"changes": [
        {"document_id": etude, "field": "family", "operation": "add", "values": ["x"]}]})
    assert refused.status_code == 403
    bad = site.call("POST", f"{V1}/tag-corrections", "curator", json={"changes": [
        {"document_id": etude, "field": "family", "operation": "replace", "values": []}]})
    assert bad.status_code == 422


def test_every_operation_has_an_example_and_its_422_shape(site: Site) -> None:
    schema = site.call("GET", "/openapi.json").json()
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not has_example(operation, schema):
                missing.append(f"{method.upper()} {path}")
            error = operation.get("responses", {}).get("422")
            if error is not None:
                ref = error["content"]["application/json"]["schema"].get("$ref", "")
                assert ref.endswith("/ErrorResponse"), (path, method, error)
    assert not missing, missing


def has_example(operation: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Whether an operation shows an example of a parameter, of its body or of its success
    (the error shape's examples do not count: every operation has those)."""
    for parameter in operation.get("parameters", ()):
        if "example" in parameter or "examples" in parameter or \
                "examples" in parameter.get("schema", {}):
            return True
    contents = [operation.get("requestBody", {}).get("content", {})]
    contents += [r.get("content", {}) for code, r in operation.get("responses", {}).items()
                 if code.startswith("2")]
    for content in contents:
        for media in content.values():
            if "example" in media or "examples" in media:
                return True
            ref = media.get("schema", {}).get("$ref", "")
            if ref:
                component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
                if "examples" in component or "example" in component:
                    return True
    return False


def test_an_export_holds_only_what_the_caller_may_see(site: Site) -> None:
    created = site.call("POST", f"{V1}/collections", "curator",
                        json={"name": "Tout", "visibility": "public"})
    assert created.status_code == 201, created.text
    cid = created.json()["id"]
    for key in ("etude", "rapport", "reseau", "interne"):
        added = site.call("POST", f"{V1}/collections/{cid}/documents", "curator",
                          json={"document_id": site.ids[key], "note": f"note {key}"})
        assert added.status_code in (200, 201), added.text

    def exported(role: str | None, **params: str) -> list[dict[str, Any]]:
        response = site.call("GET", f"{V1}/collections/{cid}/export", role,
                             params={"format": "csl-json", **params})
        assert response.status_code == 200, response.text
        assert response.headers["x-total-count"] == str(len(response.json()))
        return response.json()  # type: ignore[no-any-return]

    public = {site.ids["etude"], site.ids["rapport"]}
    assert {i["id"] for i in exported(None)} == public
    assert {i["id"] for i in exported("network")} == public | {site.ids["reseau"]}
    assert len(exported("curator")) == 4  # curators see every document in curation
    assert not any("note" in i for i in exported(None))
    assert {i.get("note") for i in exported(None, with_notes="true")} == {
        "note etude", "note rapport"}
