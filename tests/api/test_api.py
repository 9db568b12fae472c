"""The HTTP API through TestClient over a real library built from tests/fixtures/api/library.

Five documents: two public (a Markdown study, a two-page PDF), one for the network, one
internal, and one whose file is deleted before the app starts (state "missing"). Tokens of
every role are created in the catalog, as `kb token create` would.
"""

from __future__ import annotations

import os
import shutil
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from api.app import create_app
from api.middleware import BodyLimit
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tokens import ROLES, create_token, revoke_token

with warnings.catch_warnings():
    # Starlette 1.x prefers the httpx2 package for its TestClient and warns on import.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "library"
ORIGIN = "https://portail.ess-bretagne.example"
NAMES = {
    "etude": "etude-pole-ess.md",
    "rapport": "rapport-annuel.pdf",
    "reseau": "compte-rendu-reseau.txt",
    "interne": "note-budget.txt",
    "ancien": "ancien.txt",
}
NETWORK = {"etude", "rapport", "reseau"}
SEES: dict[str | None, set[str]] = {
    None: {"etude", "rapport"},
    "network": NETWORK,
    "curator": NETWORK,
    "council": NETWORK,
    "admin": NETWORK | {"interne"},
}
CALLERS = list(SEES)
EVERY_DOCUMENT_ROUTE = ("/documents/{id}", "/documents/{id}/text", "/documents/{id}/file",
                        "/documents/{id}/similar")


@dataclass
class Site:
    client: TestClient
    ids: dict[str, str]  # short name -> document id
    tokens: dict[str, str]  # role -> secret
    revoked: str
    docs: Path  # the ingested folder (a copy of the fixtures)
    root: Path  # everything under tmp for this module

    def auth(self, role: str | None) -> dict[str, str]:
        return {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}

    def get(self, url: str, role: str | None = None, **kwargs: Any) -> Any:
        headers = {**self.auth(role), **kwargs.pop("headers", {})}
        return self.client.get(url, headers=headers, **kwargs)


def build_library(root: Path) -> tuple[Path, Path, dict[str, str]]:
    """Ingest a copy of the fixtures, then delete one file and ingest again (-> missing)."""
    docs = root / "docs"
    shutil.copytree(FIXTURES, docs)
    library_dir = root / "library"
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        report = ingest(library, [docs], IngestOptions(workers=1))
        assert report.added == len(NAMES), report
        by_name = {
            Path(p.path).name: doc.id
            for doc in library.catalog.documents()
            for p in library.catalog.paths_of(doc.id)
        }
        shutil.rmtree(docs / "gone")
        assert ingest(library, [docs], IngestOptions(workers=1)).missing == 1
    return docs, library_dir, {short: by_name[name] for short, name in NAMES.items()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("api")
    docs, library_dir, ids = build_library(root)
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        tokens = {role: create_token(library.catalog, f"{role}-test", role)[1] for role in ROLES}
        revoked = create_token(library.catalog, "former", "admin")[1]
        revoke_token(library.catalog, "former")
    # Many tests here send refused tokens from the one test client on purpose: the sign-in
    # limit (tested in tests/web/test_security_probe.py) is set out of their way.
    app = create_app(Settings(library=library_dir, cors_origins=(ORIGIN,)), sign_in_limit=10**6)
    with TestClient(app) as client:
        yield Site(client, ids, tokens, revoked, docs, root)


def ids_of(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {hit["id"] for hit in response.json()["hits"]}


def names(site: Site, shorts: set[str]) -> set[str]:
    return {site.ids[s] for s in shorts}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert body["error"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body  # type: ignore[no-any-return]


# --- search -------------------------------------------------------------------------------


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


# --- documents ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", CALLERS)
@pytest.mark.parametrize("route", EVERY_DOCUMENT_ROUTE)
def test_hidden_documents_answer_exactly_like_missing_ones(
    site: Site, role: str | None, route: str
) -> None:
    absent = site.get(route.format(id="0123456789"), role)
    assert_error(absent, 404, "not_found")
    for short, doc_id in site.ids.items():
        response = site.get(route.format(id=doc_id), role)
        if short in SEES[role]:
            assert response.status_code == 200, (short, response.text)
            continue
        assert response.status_code == 404, (short, role)
        assert response.json() == {
            "error": "not_found", "detail": absent.json()["detail"].replace("0123456789", doc_id)
        }
        assert sorted(response.headers) == sorted(absent.headers)


def test_a_document_whose_files_are_gone_is_404_even_for_admins(site: Site) -> None:
    for route in EVERY_DOCUMENT_ROUTE:
        assert_error(site.get(route.format(id=site.ids["ancien"]), "admin"), 404, "not_found")
    assert site.ids["ancien"] not in ids_of(site.get("/search", "admin", params={"q": "disparu"}))


def test_ids_are_exact_not_prefixes(site: Site) -> None:
    assert_error(site.get(f"/documents/{site.ids['etude'][:6]}"), 404, "not_found")


def test_document_metadata(site: Site) -> None:
    response = site.get(f"/documents/{site.ids['etude']}")
    doc = response.json()
    assert doc["id"] == site.ids["etude"]
    assert doc["title"] == "Étude de faisabilité d'un pôle ESS"
    assert doc["authors"] == ["Collège coopératif de Bretagne"]
    assert doc["year"] == 2008
    assert doc["media_type"] == "text/markdown"
    assert doc["files"] == ["etude-pole-ess.md"]
    assert doc["tags"]["territory"] == ["pays-de-rennes"]
    assert doc["tags"]["visibility"] == ["public"]
    assert "title" not in doc["tags"]  # free fields have their own keys
    by_origin = {(t["field"], t["value"], t["origin"]): t for t in doc["tag_origins"]}
    sidecar = by_origin[("territory", "pays-de-rennes", "sidecar")]
    assert sidecar["label"] == "Pays de Rennes" and sidecar["effective"] is True
    default = by_origin[("visibility", "public", "derived")]
    assert default["effective"] is False  # the sidecar's visibility wins
    for stamp in (doc["added_at"], doc["updated_at"]):
        assert datetime.fromisoformat(stamp.replace("Z", "+00:00")).tzinfo is not None
    assert str(site.root) not in response.text and "/" not in "".join(doc["files"])
    pdf = site.get(f"/documents/{site.ids['rapport']}").json()
    assert pdf["pages"] == 2 and pdf["media_type"] == "application/pdf"
    assert pdf["tags"]["visibility"] == ["public"]  # the default, without a sidecar value


@pytest.mark.parametrize("route", ["/documents/{id}", "/documents/{id}/text"])
def test_documents_carry_an_etag_and_answer_304(site: Site, route: str) -> None:
    url = route.format(id=site.ids["rapport"])
    first = site.get(url)
    etag = first.headers["etag"]
    assert etag.startswith('"') and first.status_code == 200
    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = site.get(url, headers={"If-None-Match": sent})
        assert again.status_code == 304, sent
        assert again.content == b"" and again.headers["etag"] == etag
    assert site.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    # The same document seen by an admin has the same representation, hence the same ETag.
    assert site.get(url, "admin").headers["etag"] == etag


def test_text_by_page(site: Site) -> None:
    url = f"/documents/{site.ids['rapport']}/text"
    whole = site.get(url).json()
    assert whole["pages"] == 2 and whole["title"]
    assert [s["page"] for s in whole["sections"]] == [1, 2]
    page_two = site.get(url, params={"page": 2}).json()
    assert [s["page"] for s in page_two["sections"]] == [2]
    assert "économie sociale" in page_two["sections"][0]["text"]
    assert_error(site.get(url, params={"page": 3}), 404, "not_found")
    assert_error(site.get(url, params={"page": 0}), 422, "invalid_parameter")
    markdown = site.get(f"/documents/{site.ids['etude']}/text").json()
    headings = [s["heading"] for s in markdown["sections"]]
    assert "Les missions du pôle" in headings


def test_file_with_media_type_name_etag_and_ranges(site: Site) -> None:
    url = f"/documents/{site.ids['rapport']}/file"
    data = (site.docs / "rapport-annuel.pdf").read_bytes()
    full = site.get(url)
    assert full.status_code == 200 and full.content == data
    assert full.headers["content-type"] == "application/pdf"
    assert full.headers["content-disposition"] == (
        "inline; filename=\"rapport-annuel.pdf\"; filename*=UTF-8''rapport-annuel.pdf")
    assert full.headers["content-security-policy"].startswith("sandbox")
    assert full.headers["accept-ranges"] == "bytes"
    etag = full.headers["etag"]
    part = site.get(url, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.content == data[:100]
    assert part.headers["content-range"] == f"bytes 0-99/{len(data)}"
    tail = site.get(url, headers={"Range": "bytes=-10", "If-Range": etag})
    assert tail.status_code == 206 and tail.content == data[-10:]
    stale = site.get(url, headers={"Range": "bytes=0-99", "If-Range": '"older"'})
    assert stale.status_code == 200 and stale.content == data
    assert site.get(url, headers={"Range": f"bytes={len(data) + 10}-"}).status_code == 416
    assert_error(site.get(url, headers={"Range": "pages=1"}), 400, "bad_request")
    head = site.client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(data)) and head.headers["etag"] == etag
    cached = site.get(url, headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.content == b""


def test_file_names_with_accents_are_encoded(site: Site) -> None:
    response = site.get(f"/documents/{site.ids['etude']}/file")
    # Not a PDF: a download (api.security), never shown from the site's origin.
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"etude-pole-ess.md\"; filename*=UTF-8''etude-pole-ess.md")
    assert response.headers["content-type"].startswith("text/markdown")


def test_a_file_moved_or_changed_on_disk_is_not_served(site: Site) -> None:
    path = site.docs / "reseau" / "compte-rendu-reseau.txt"
    url = f"/documents/{site.ids['reseau']}/file"
    original = path.read_bytes()
    moved = path.with_name("ailleurs.txt")
    path.rename(moved)
    try:
        body = assert_error(site.get(url, "network"), 404, "not_found")
        assert "no longer" in body["detail"] and str(site.root) not in body["detail"]
    finally:
        moved.rename(path)
    os.utime(path, ns=(10**18, 10**18))  # touched, same content: still served
    assert site.get(url, "network").content == original
    path.write_bytes(original.replace(b"Brest", b"Brast"))  # changed, not re-ingested yet
    try:
        assert site.get(url, "network").status_code == 404
    finally:
        path.write_bytes(original)


@pytest.mark.parametrize("role", CALLERS)
def test_similar_documents_are_among_those_the_caller_sees(site: Site, role: str | None) -> None:
    for short in SEES[role]:
        body = site.get(f"/documents/{site.ids[short]}/similar", role).json()
        assert body["like"] == site.ids[short]
        found = {h["id"] for h in body["hits"]}
        assert found <= names(site, SEES[role] - {short}), (short, role)
        assert body["total"] >= len(found)
        assert all("/" not in (h["file"] or "") for h in body["hits"])
    # Every document speaks of the économie sociale: an admin's study has company.
    admin = site.get(f"/documents/{site.ids['etude']}/similar", "admin",
                     params={"size": 1}).json()
    assert len(admin["hits"]) == 1 and admin["total"] >= 2


# --- vocabulary ---------------------------------------------------------------------------


def _terms(body: dict[str, Any], field: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            found[node["key"]] = node
            walk(node["children"])

    walk(next(f for f in body["fields"] if f["name"] == field)["terms"])
    return found


def test_vocabulary_is_a_tree_with_french_labels(site: Site) -> None:
    body = site.get("/vocabulary").json()
    fields = {f["name"]: f for f in body["fields"]}
    assert {"family", "territory", "mission", "kind", "instance", "status"} <= set(fields)
    assert fields["territory"]["label"] == "Territoire"
    top = fields["territory"]["terms"]
    assert [t["key"] for t in top] == ["france"]
    bretagne = next(t for t in top[0]["children"] if t["key"] == "bretagne")
    ille = next(t for t in bretagne["children"] if t["key"] == "ille-et-vilaine")
    assert ille["label"] == "Ille-et-Vilaine"
    assert "pays-de-rennes" in {t["key"] for t in ille["children"]}
    assert _terms(body, "territory")["finistere"]["label"] == "Finistère"


@pytest.mark.parametrize("role", CALLERS)
def test_vocabulary_counts_what_the_caller_sees(site: Site, role: str | None) -> None:
    body = site.get("/vocabulary", role).json()
    seen = SEES[role]
    assert body["documents"] == len(seen)
    family = _terms(body, "family")
    assert family["fondations"]["count"] == (1 if "interne" in seen else 0)
    assert family["associations"]["count"] == len(seen & {"etude", "reseau"})
    territory = _terms(body, "territory")
    assert territory["bretagne"]["count"] == len(seen)  # every document is in Bretagne
    assert territory["ille-et-vilaine"]["count"] == 1  # through Pays de Rennes
    assert _terms(body, "visibility")["internal"]["count"] == (1 if "interne" in seen else 0)


def test_vocabulary_has_an_etag(site: Site) -> None:
    etag = site.get("/vocabulary").headers["etag"]
    assert site.get("/vocabulary", headers={"If-None-Match": etag}).status_code == 304
    assert site.get("/vocabulary", "admin").headers["etag"] != etag  # other counts


# --- health -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", CALLERS)
def test_health(site: Site, role: str | None) -> None:
    response = site.get("/health", role)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok"
    assert body["catalog"]["state"] == body["index"]["state"] == "ok"
    assert body["documents"] == len(SEES[role])
    last = body["last_ingest"]
    assert datetime.fromisoformat(last["finished_at"].replace("Z", "+00:00"))


def test_an_outdated_index_is_503_without_server_paths(site: Site, tmp_path: Path) -> None:
    library_dir = tmp_path / "library"
    shutil.copytree(site.root / "library", library_dir)
    (library_dir / "index" / "kb-index.json").write_text('{"schema_version": 0}')
    with TestClient(create_app(Settings(library=library_dir))) as client:
        health = client.get("/health")
        assert health.status_code == 503
        assert health.json()["status"] == "degraded"
        assert health.json()["index"]["state"] == "outdated"
        body = assert_error(client.get("/search", params={"q": "economie"}), 503,
                            "index_outdated")
        assert "kb reindex" in body["detail"]
        for text in (health.text, body["detail"]):
            assert str(tmp_path) not in text
        # What the catalog alone answers still works.
        assert client.get(f"/documents/{site.ids['etude']}").status_code == 200


def test_the_app_refuses_to_start_without_a_library(tmp_path: Path) -> None:
    from kb.errors import NotFound

    with pytest.raises(NotFound), TestClient(create_app(Settings(library=tmp_path / "none"))):
        pass
    assert not (tmp_path / "none").exists()


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer kb_unknown", "kb_unknown", "Bearer x y"],
)
@pytest.mark.parametrize("url", ["/search?q=economie", "/documents/0123456789", "/vocabulary",
                                 "/health"])
def test_a_refused_token_is_401_never_anonymous(site: Site, header: str, url: str) -> None:
    response = site.client.get(url, headers={"Authorization": header})
    assert_error(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_revoked_token_is_401(site: Site) -> None:
    response = site.client.get("/search", headers={"Authorization": f"Bearer {site.revoked}"})
    assert "revoked" in assert_error(response, 401, "unauthorized")["detail"]


def test_the_scheme_is_case_insensitive(site: Site) -> None:
    response = site.client.get("/search", params={"q": "zorglubien"},
                               headers={"Authorization": f"bearer {site.tokens['admin']}"})
    assert response.json()["total"] == 1


# --- portal conventions -------------------------------------------------------------------


def test_cache_control_is_public_for_anonymous_callers_only(site: Site) -> None:
    url = f"/documents/{site.ids['etude']}"
    anonymous = site.get(url)
    assert anonymous.headers["cache-control"].startswith("public")
    assert "authorization" in anonymous.headers["vary"].lower()
    for role in ROLES:
        private = site.get(url, role)
        assert private.headers["cache-control"] == "private, no-cache"
    assert site.get("/search", "network").headers["cache-control"] == "private, no-cache"
    not_found = site.get("/documents/0123456789")
    assert "cache-control" not in not_found.headers
    assert site.get(url, headers={"If-None-Match": anonymous.headers["etag"]}).headers[
        "cache-control"].startswith("public")


def test_cors_for_configured_origins(site: Site) -> None:
    preflight = site.client.options("/search", headers={
        "Origin": ORIGIN,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization, range",
    })
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    simple = site.get(f"/documents/{site.ids['etude']}", headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN
    assert "etag" in simple.headers["access-control-expose-headers"].lower()
    error = site.get("/search", params={"size": 500}, headers={"Origin": ORIGIN})
    assert error.headers["access-control-allow-origin"] == ORIGIN
    other = site.get("/search", headers={"Origin": "https://ailleurs.example"})
    assert "access-control-allow-origin" not in other.headers
    refused = site.client.options("/search", headers={
        "Origin": "https://ailleurs.example", "Access-Control-Request-Method": "GET"})
    assert refused.status_code == 400


def test_unknown_routes_and_methods_use_the_error_shape(site: Site) -> None:
    assert_error(site.client.get("/nowhere"), 404, "not_found")
    assert_error(site.client.post("/search"), 405, "method_not_allowed")
    assert_error(site.client.delete(f"/documents/{site.ids['etude']}"), 405,
                 "method_not_allowed")


def test_a_large_body_is_413(site: Site) -> None:
    response = site.client.request("GET", "/search", content=b"x" * (2 * 1024 * 1024))
    assert_error(response, 413, "request_too_large")


def test_a_streamed_body_over_the_limit_is_413() -> None:
    async def echo(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(len(await request.body())))

    app = Starlette(routes=[Route("/echo", echo, methods=["POST"])])
    from api.errors import install_error_handlers

    install_error_handlers(app)  # type: ignore[arg-type]
    limited = BodyLimit(app, max_body=100)

    def chunks(n: int) -> Iterator[bytes]:
        yield from (b"x" * 40 for _ in range(n))

    with TestClient(limited) as client:  # type: ignore[arg-type]
        assert client.post("/echo", content=chunks(2)).text == "80"
        assert_error(client.post("/echo", content=chunks(3)), 413, "request_too_large")


def test_openapi_and_docs(site: Site) -> None:
    schema = site.client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in ("/search", "/documents/{doc_id}", "/documents/{doc_id}/text",
                 "/documents/{doc_id}/file", "/documents/{doc_id}/similar", "/vocabulary",
                 "/health"):
        assert "get" in paths[path], path
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    search = schema["components"]["schemas"]["SearchOut"]
    assert search["examples"][0]["hits"][0]["snippets"][0]["page"] == 12
    error = paths["/search"]["get"]["responses"]["422"]
    assert error["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    assert "text/html" in site.client.get("/docs").headers["content-type"]


def test_requests_from_many_threads_at_once(site: Site) -> None:
    failures: list[str] = []
    urls = ["/search?q=economie", f"/documents/{site.ids['rapport']}", "/vocabulary",
            f"/documents/{site.ids['etude']}/text", "/health", "/search?q=chiffres&sort=date"]

    def worker(offset: int) -> None:
        for i in range(12):
            url = urls[(offset + i) % len(urls)]
            response = site.client.get(url, headers=site.auth("admin"))
            if response.status_code != 200:
                failures.append(f"{url}: {response.status_code}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
