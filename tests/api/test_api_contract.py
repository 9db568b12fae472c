"""The API's contract held to what the server does (issue 26): each mismatch schemathesis
found, as a request and the answer the OpenAPI document promises. The property-based run
itself is tests/api/test_api_schema.py."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from api.app import create_app
from api.curation_schemas import MAX_ORDER
from api.middleware import MAX_BODY
from kb.settings import Settings
from kb.vocabulary import MULTI_VALUED
from tests.api.routes.test_curation_api import MAX_UPLOAD, Site, TestClient, build, error

V1 = "/api/v1"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    library_dir, ids, tokens = build(tmp_path_factory.mktemp("contract"))
    app = create_app(Settings(library=library_dir), max_upload=MAX_UPLOAD)
    with TestClient(app) as client:
        yield Site(client, ids, tokens, library_dir)


@pytest.fixture(scope="module")
def openapi(site: Site) -> dict[str, Any]:
    return dict(site.client.get("/openapi.json").json())


def test_created_collection_is_located_at_its_versioned_path(site: Site) -> None:
    for path, name in ((f"{V1}/collections", "Lectures versionnées"),
                       ("/collections", "Lectures par l'ancien chemin")):
        created = site.call("POST", path, "curator", json={"name": name})
        assert created.status_code == 201, created.text
        location = created.headers["Location"]
        assert location == f"{V1}/collections/{created.json()['id']}"
        assert site.call("GET", location, "curator").status_code == 200


def test_an_empty_order_is_refused_by_the_schema_and_the_server(site: Site,
                                                                 openapi: dict[str, Any]) -> None:
    documents = openapi["components"]["schemas"]["OrderIn"]["properties"]["documents"]
    assert documents["minItems"] == 1
    cid = site.call("POST", f"{V1}/collections", "curator",
                    json={"name": "Ordre vide"}).json()["id"]
    error(site.call("PUT", f"{V1}/collections/{cid}/order", "curator",
                    json={"documents": []}), 422, "invalid_parameter")


def test_a_wrong_order_is_a_documented_conflict(site: Site, openapi: dict[str, Any]) -> None:
    cid = site.call("POST", f"{V1}/collections", "curator",
                    json={"name": "Ordre partiel"}).json()["id"]
    for key in ("etude", "rapport"):
        site.call("POST", f"{V1}/collections/{cid}/documents", "curator",
                  json={"document_id": site.ids[key]})
    detail = error(site.call("PUT", f"{V1}/collections/{cid}/order", "curator",
                             json={"documents": [site.ids["etude"]]}), 409, "conflict")
    assert "exactly once" in detail
    responses = openapi["paths"][f"{V1}/collections/{{collection_id}}/order"]["put"]["responses"]
    assert "409" in responses


def test_the_longest_order_the_schema_allows_fits_the_body_limit(
    openapi: dict[str, Any],
) -> None:
    """Before: 10,000 ids of 100 characters (more once escaped) passed 1 MB and got an
    undocumented 413 for a schema-valid body."""
    documents = openapi["components"]["schemas"]["OrderIn"]["properties"]["documents"]
    assert documents["maxItems"] == MAX_ORDER
    item = documents["items"]
    # The widest id the schema lets through: the character JSON writes longest among those
    # its pattern allows (a control character takes 6 bytes as \\u0000).
    allowed = [c for c in ("\x00", '"', "é", "~")
               if re.fullmatch(item.get("pattern", "^.*$"), c, re.S)]
    widest = max(allowed, key=lambda c: len(json.dumps(c))) * item["maxLength"]
    body = json.dumps({"documents": [widest] * MAX_ORDER})
    assert len(body.encode()) < MAX_BODY


@pytest.mark.parametrize("bad", ['a"b', "a\\b", "é", "a b", "x" * 65])
def test_order_ids_outside_the_schema_are_refused(site: Site, bad: str) -> None:
    cid = site.call("POST", f"{V1}/collections", "curator",
                    json={"name": f"Ordre {len(bad)} {bad.encode().hex()}"}).json()["id"]
    error(site.call("PUT", f"{V1}/collections/{cid}/order", "curator",
                    json={"documents": [bad]}), 422, "invalid_parameter")


def test_an_oversized_body_is_a_documented_413(site: Site, openapi: dict[str, Any]) -> None:
    cid = site.call("POST", f"{V1}/collections", "curator",
                    json={"name": "Ordre trop grand"}).json()["id"]
    huge = json.dumps({"documents": ["a" * 64] * (MAX_BODY // 60)})
    response = site.client.put(f"{V1}/collections/{cid}/order", content=huge, headers=site.auth(
        "curator", **{"Content-Type": "application/json"}))
    assert response.status_code == 413 and response.json()["error"] == "request_too_large"
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                assert "413" in operation["responses"], (method, path)


def test_adding_values_is_offered_only_for_fields_that_hold_several(
    site: Site, openapi: dict[str, Any],
) -> None:
    """Before: POST /documents/{id}/tags/summary was schema-valid and always refused."""
    tags = openapi["paths"][f"{V1}/documents/{{doc_id}}/tags/{{field}}"]

    def fields(method: str) -> set[str]:
        (field,) = [p for p in tags[method]["parameters"] if p["name"] == "field"]
        return set(field["schema"]["enum"])

    assert "summary" in fields("put") and "summary" not in fields("post")
    assert fields("post") == fields("put") & MULTI_VALUED
    assert {"family", "authors"} <= fields("post")
    doc = site.ids["etude"]
    error(site.call("POST", f"{V1}/documents/{doc}/tags/summary", "curator",
                    json={"values": ["Résumé"]}), 422, "invalid_tag")
    added = site.call("POST", f"{V1}/documents/{doc}/tags/authors", "curator",
                      json={"values": ["CRES Bretagne"]})
    assert added.status_code == 200, added.text


def test_a_submission_is_located_at_its_versioned_path(site: Site) -> None:
    for path in (f"{V1}/documents", "/documents"):
        created = site.call("POST", path, "network", files={
            "file": ("note.txt", f"Une note déposée par {path}.".encode(), "text/plain")},
            data={"title": f"Note {path}", "kind": "etude"})
        assert created.status_code in (201, 202), created.text
        location = created.headers["Location"]
        assert location.startswith(f"{V1}/submissions/"), location
        assert site.call("GET", location, "network").status_code == 200
