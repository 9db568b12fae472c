"""Collections seen from a document and from a search: `GET /documents/{id}` lists the
collections holding the document that the caller may see, `kb show` lists them all, and
`kb search --collection` narrows a search to them.

A real library built from tests/fixtures/api/library (two public documents, one for the
network, one internal, one whose file is gone), with three collections of each visibility
that all hold the public study.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from api.app import create_app
from kb.actors import Actor
from kb.cli import cli
from kb.curation import collections as coll
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tokens import create_token
from tests.api.api_site import TestClient, build_library

CURATOR = Actor("curatrice", "curator", "cli")
# collection id -> (name, visibility, documents with their notes)
COLLECTIONS = {
    "lectures": ("Lectures du pôle", "public", [("etude", "à lire d'abord"), ("rapport", "")]),
    "reseau": ("Dossier du réseau", "network", [("etude", ""), ("reseau", "le compte rendu")]),
    "budget": ("Budget interne", "internal", [("interne", ""), ("etude", "pour le budget")]),
}


@dataclass
class Site:
    client: TestClient
    library_dir: Path
    ids: dict[str, str]
    tokens: dict[str, str]

    def get(self, url: str, role: str | None = None, **kwargs: Any) -> Any:
        headers = {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}
        return self.client.get(url, headers={**headers, **kwargs.pop("headers", {})}, **kwargs)

    def kb(self, *args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--library", str(self.library_dir), *args])
        return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    _docs, library_dir, ids = build_library(tmp_path_factory.mktemp("membership"))
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        for cid, (name, visibility, entries) in COLLECTIONS.items():
            coll.create_collection(library, CURATOR, name, visibility=visibility,
                                   collection_id=cid)
            for short, note in entries:
                coll.add_documents(library, CURATOR, cid, [ids[short]], note=note)
        tokens = {role: create_token(library.catalog, f"{role}-m", role)[1]
                  for role in ("network", "curator", "admin")}
    app = create_app(Settings(library=library_dir))
    with TestClient(app) as client:
        yield Site(client, library_dir, ids, tokens)


def memberships(site: Site, short: str, role: str | None) -> list[tuple[str, str, str]]:
    response = site.get(f"/documents/{site.ids[short]}", role)
    assert response.status_code == 200, response.text
    return [(c["id"], c["name"], c["note"]) for c in response.json()["collections"]]


# --- GET /documents/{id} ---------------------------------------------------------------------


def test_an_anonymous_caller_sees_only_public_collections(site: Site) -> None:
    assert memberships(site, "etude", None) == [("lectures", "Lectures du pôle", "à lire d'abord")]
    assert memberships(site, "rapport", None) == [("lectures", "Lectures du pôle", "")]


def test_each_role_sees_the_collections_it_may_see(site: Site) -> None:
    assert [c for c, _, _ in memberships(site, "etude", "network")] == ["reseau", "lectures"]
    everything = [("budget", "Budget interne", "pour le budget"),
                  ("reseau", "Dossier du réseau", ""),
                  ("lectures", "Lectures du pôle", "à lire d'abord")]
    assert memberships(site, "etude", "admin") == everything
    assert memberships(site, "etude", "curator") == everything  # curators see every one
    assert memberships(site, "reseau", "network") == [
        ("reseau", "Dossier du réseau", "le compte rendu")]


def test_a_hidden_document_is_still_404_whatever_collection_holds_it(site: Site) -> None:
    interne = site.ids["interne"]
    for role in (None, "network"):
        response = site.get(f"/documents/{interne}", role)
        assert response.status_code == 404
        assert response.json() == {"error": "not_found",
                                   "detail": f"no document with id {interne!r}"}
    assert memberships(site, "interne", "admin") == [("budget", "Budget interne", "")]


def test_a_document_in_no_collection_lists_none(site: Site) -> None:
    with Library.open(site.library_dir, DEFAULT_VOCABULARY) as library:
        coll.remove_document(library, CURATOR, "lectures", site.ids["rapport"])
    try:
        assert memberships(site, "rapport", "admin") == []
    finally:
        with Library.open(site.library_dir, DEFAULT_VOCABULARY) as library:
            coll.add_documents(library, CURATOR, "lectures", [site.ids["rapport"]])


def test_the_etag_changes_when_the_document_joins_a_collection(site: Site) -> None:
    url = f"/documents/{site.ids['reseau']}"
    before = site.get(url, "network")
    etag = before.headers["etag"]
    assert site.get(url, "network", headers={"If-None-Match": etag}).status_code == 304
    with Library.open(site.library_dir, DEFAULT_VOCABULARY) as library:
        coll.add_documents(library, CURATOR, "lectures", [site.ids["reseau"]], note="aussi")
    try:
        after = site.get(url, "network", headers={"If-None-Match": etag})
        assert after.status_code == 200 and after.headers["etag"] != etag
        assert ("lectures", "Lectures du pôle", "aussi") in [
            (c["id"], c["name"], c["note"]) for c in after.json()["collections"]]
    finally:
        with Library.open(site.library_dir, DEFAULT_VOCABULARY) as library:
            coll.remove_document(library, CURATOR, "lectures", site.ids["reseau"])


def test_the_schema_documents_the_collections_with_an_example(site: Site) -> None:
    schemas = site.get("/openapi.json").json()["components"]["schemas"]
    field = schemas["DocumentOut"]["properties"]["collections"]
    assert field["items"]["$ref"].endswith("/MembershipOut")
    assert "caller may see" in field["description"]
    assert schemas["MembershipOut"]["examples"][0]["id"] == "pole-ess-rennes"
    assert schemas["DocumentOut"]["examples"][0]["collections"]


# --- the command line ------------------------------------------------------------------------


def test_kb_show_lists_every_collection_with_place_and_note(site: Site) -> None:
    code, out, err = site.kb("show", site.ids["etude"], "--json")
    assert code == 0, err
    assert [(c["id"], c["visibility"], c["position"], c["note"])
            for c in json.loads(out)["collections"]] == [
        ("budget", "internal", 2, "pour le budget"),
        ("reseau", "network", 1, ""),
        ("lectures", "public", 1, "à lire d'abord"),
    ]
    code, out, _ = site.kb("show", site.ids["etude"])
    listed = out.split("\nCollections:\n")[1].split("\n\n")[0]
    assert listed.splitlines() == [
        "  Budget interne [budget, internal] #2 of 2 — pour le budget",
        "  Dossier du réseau [reseau, network] #1 of 2",
        "  Lectures du pôle [lectures, public] #1 of 2 — à lire d'abord",
    ]
    code, out, _ = site.kb("show", site.ids["ancien"], "--json")  # a missing document
    assert code == 0 and json.loads(out)["collections"] == []
    assert "Collections:" not in site.kb("show", site.ids["ancien"])[1]


def hits(site: Site, *args: str) -> set[str]:
    code, out, err = site.kb("search", *args, "--json")
    assert code == 0, err
    return {h["id"] for h in json.loads(out)["hits"]}


def test_kb_search_by_collection_id_or_name(site: Site) -> None:
    ids = site.ids
    assert hits(site, "--collection", "lectures") == {ids["etude"], ids["rapport"]}
    assert hits(site, "--collection", "Dossier du réseau") == {ids["etude"], ids["reseau"]}
    # Values of the option are OR-ed; other filters and the words AND-ed with them.
    assert hits(site, "--collection", "lectures", "--collection", "budget") == {
        ids["etude"], ids["rapport"], ids["interne"]}
    assert hits(site, "budget", "--collection", "budget") == {ids["interne"]}
    assert hits(site, "--collection", "budget", "--kind", "etude") == {ids["etude"]}


def test_kb_search_by_an_unknown_collection_says_so(site: Site) -> None:
    code, out, err = site.kb("search", "économie", "--collection", "nulle-part")
    assert code == 1 and out == ""
    assert err.strip() == "Error: collection: no collection 'nulle-part'"
    with Library.open(site.library_dir, DEFAULT_VOCABULARY) as library:
        coll.create_collection(library, CURATOR, "Vide", collection_id="vide")
    code, out, _ = site.kb("search", "--collection", "vide")
    assert code == 0 and out.startswith("0 documents")
