"""Curation through the HTTP API: roles, tags with If-Match, the workflow, collections,
the audit trail, submissions from upload to validation, index repair on start.

A real library built from tests/fixtures/api/library (two public documents, one for the
network, one internal, one whose file is gone), tokens of every role, TestClient.
"""

from __future__ import annotations

import shutil
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from kb.actors import Actor
from kb.curation import corrections, writes
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tokens import ROLES, create_token

# End-to-end: real libraries through `kb` and the API (make check leaves them to make test).
pytestmark = pytest.mark.slow

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

FIXTURES = Path(__file__).parents[2] / "fixtures" / "api" / "library"
NAMES = {
    "etude": "etude-pole-ess.md",
    "rapport": "rapport-annuel.pdf",
    "reseau": "compte-rendu-reseau.txt",
    "interne": "note-budget.txt",
}
MAX_UPLOAD = 64 * 1024
STUDY = b"# Diagnostic de l'ESS du Pays de Brest\n\nLes SCOP et l'URSCOP du Finistere.\n"


@dataclass
class Site:
    client: TestClient
    ids: dict[str, str]
    tokens: dict[str, str]
    library_dir: Path

    def auth(self, role: str | None, **headers: str) -> dict[str, str]:
        token = {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}
        return {**token, **headers}

    def call(self, method: str, url: str, role: str | None = None, *,
             if_match: str | None = None, **kwargs: Any) -> Any:
        extra = {} if if_match is None else {"If-Match": if_match}
        return self.client.request(method, url, headers=self.auth(role, **extra), **kwargs)


def build(root: Path) -> tuple[Path, dict[str, str], dict[str, str]]:
    docs = root / "docs"
    shutil.copytree(FIXTURES, docs)
    shutil.rmtree(docs / "gone")
    library_dir = root / "library"
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        assert ingest(library, [docs], IngestOptions(workers=1)).added == len(NAMES)
        by_name = {Path(p.path).name: d.id for d in library.catalog.documents()
                   for p in library.catalog.paths_of(d.id)}
        tokens = {role: create_token(library.catalog, f"{role}-1", role)[1] for role in ROLES}
        tokens["network-2"] = create_token(library.catalog, "network-2", "network")[1]
    return library_dir, {k: by_name[v] for k, v in NAMES.items()}, tokens


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    library_dir, ids, tokens = build(tmp_path_factory.mktemp("curation-api"))
    app = create_app(Settings(library=library_dir), max_upload=MAX_UPLOAD)
    with TestClient(app) as client:
        yield Site(client, ids, tokens, library_dir)


def error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code
    return str(body["detail"])


def search_ids(site: Site, role: str | None = None, **params: Any) -> set[str]:
    """What a search finds once the index has followed the catalog (the server's writer
    indexes in the background: writes answer before)."""
    deadline = time.monotonic() + 60  # fails only if the index never follows
    while site.client.get("/health").json()["index"]["state"] != "ok":
        assert time.monotonic() < deadline, "the index did not follow the catalog in 60 s"
        time.sleep(0.05)
    response = site.call("GET", "/search", role, params=params)
    assert response.status_code == 200, response.text
    return {h["id"] for h in response.json()["hits"]}


# --- roles ------------------------------------------------------------------------------------


WRITES = [
    ("PUT", "/documents/{id}/tags/family", {"json": {"values": ["cooperatives"]}}),
    ("POST", "/documents/{id}/tags/family", {"json": {"values": ["cooperatives"]}}),
    ("DELETE", "/documents/{id}/corrections/family", {}),
    ("POST", "/collections", {"json": {"name": "Refusée"}}),
    ("POST", "/retag", {}),
]


@pytest.mark.parametrize(("method", "url", "kwargs"), WRITES)
def test_writes_need_a_curator_token(site: Site, method: str, url: str,
                                     kwargs: dict[str, Any]) -> None:
    url = url.format(id=site.ids["etude"])
    error(site.call(method, url, None, **kwargs), 401, "unauthorized")
    for role in ("network", "council"):
        detail = error(site.call(method, url, role, **kwargs), 403, "forbidden")
        assert "curator or admin" in detail


def test_audit_is_for_admins(site: Site) -> None:
    error(site.call("GET", "/audit"), 401, "unauthorized")
    for role in ("network", "curator", "council"):
        error(site.call("GET", "/audit", role), 403, "forbidden")
    assert site.call("GET", "/audit", "admin").status_code == 200


# --- tags --------------------------------------------------------------------------------------


def test_tag_corrections_with_if_match(site: Site) -> None:
    doc = site.ids["rapport"]
    read = site.call("GET", f"/documents/{doc}/tags", "curator")
    assert read.status_code == 200
    etag = read.headers["ETag"]
    assert read.json()["tags"]["family"] == ["mutuelles"] and read.json()["corrections"] == {}
    changed = site.call("PUT", f"/documents/{doc}/tags/family", "curator", if_match=etag,
                        json={"values": ["Coopératives", "associations"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["tags"]["family"] == ["cooperatives", "associations"]
    assert changed.headers["ETag"] != etag
    # A second curator who read the same revision is refused; nothing of theirs is written.
    stale = site.call("PUT", f"/documents/{doc}/tags/family", "admin", if_match=etag,
                      json={"values": ["fondations"]})
    assert "changed since you read it" in error(stale, 412, "precondition_failed")
    now = site.call("GET", f"/documents/{doc}/tags", "curator").json()
    assert now["tags"]["family"] == ["cooperatives", "associations"]
    assert search_ids(site, family="cooperatives") >= {doc}
    # They read again and redo their change: both changes are there.
    fresh = site.call("GET", f"/documents/{doc}/tags", "admin").headers["ETag"]
    added = site.call("POST", f"/documents/{doc}/tags/family", "admin", if_match=fresh,
                      json={"values": ["fondations"]})
    assert added.json()["tags"]["family"] == ["cooperatives", "associations", "fondations"]
    removed = site.call("DELETE", f"/documents/{doc}/tags/family", "curator",
                        params={"value": ["associations"]})
    assert removed.json()["tags"]["family"] == ["cooperatives", "fondations"]
    cleared = site.call("DELETE", f"/documents/{doc}/corrections/family", "curator")
    assert cleared.json()["tags"]["family"] == ["mutuelles"]
    assert site.call("PUT", f"/documents/{doc}/tags/family", "curator", if_match='W/"r1"',
                     json={"values": ["fondations"]}).status_code == 412
    entries = site.call("GET", "/audit", "admin",
                        params={"document": doc, "action": "tag"}).json()["entries"]
    assert [(e["action"], e["actor"], e["via"]) for e in entries] == [
        ("tag.clear", "curator-1", "api"), ("tag.remove", "curator-1", "api"),
        ("tag.add", "admin-1", "api"), ("tag.set", "curator-1", "api")]
    assert entries[-1]["before"] == {"family": ["mutuelles"]}
    assert entries[-1]["after"] == {"family": ["cooperatives", "associations"]}


def test_invalid_tags_are_422_with_the_closest_terms(site: Site) -> None:
    doc = site.ids["etude"]
    detail = error(site.call("PUT", f"/documents/{doc}/tags/territory", "curator",
                             json={"values": ["Finister"]}), 422, "invalid_tag")
    assert "closest: finistere" in detail
    error(site.call("PUT", f"/documents/{doc}/tags/status", "curator",
                    json={"values": ["validated"]}), 422, "invalid_tag")
    error(site.call("PUT", f"/documents/{doc}/tags/family", "curator", json={"values": []}),
          422, "invalid_parameter")
    error(site.call("PUT", "/documents/0000000000/tags/family", "curator",
                    json={"values": ["cooperatives"]}), 404, "not_found")


# --- workflow -----------------------------------------------------------------------------------


def test_validation_workflow_and_its_rules(site: Site) -> None:
    doc = site.ids["reseau"]
    url = f"/documents/{doc}/status"
    detail = error(site.call("POST", url, "council", json={"status": "validated"}), 409,
                   "invalid_transition")
    assert "cannot go from draft to validated" in detail
    assert site.call("POST", url, "curator", json={"status": "submitted"}).status_code == 200
    error(site.call("POST", url, "curator", json={"status": "validated"}), 403, "forbidden")
    error(site.call("POST", url, "council", json={"status": "rejected"}), 409,
          "invalid_transition")
    error(site.call("POST", url, "council", json={"status": "publié"}), 422, "invalid_tag")
    rejected = site.call("POST", url, "council", json={"status": "rejected",
                                                        "comment": "Sources à citer"})
    assert rejected.json()["status"] == "rejected"
    etag = rejected.headers["ETag"]
    assert site.call("POST", url, "curator", if_match=etag,
                     json={"status": "submitted"}).status_code == 200
    error(site.call("POST", url, "council", if_match=etag, json={"status": "validated"}),
          412, "precondition_failed")
    validated = site.call("POST", url, "council", json={"status": "validated"})
    view = validated.json()
    assert view["status"] == "validated"
    assert [(h["from"], h["to"], h["actor"], h["comment"]) for h in view["history"]] == [
        ("submitted", "validated", "council-1", None),
        ("rejected", "submitted", "curator-1", None),
        ("submitted", "rejected", "council-1", "Sources à citer"),
        ("draft", "submitted", "curator-1", None),
    ]
    assert site.call("GET", url, "council").json()["status"] == "validated"
    assert doc in search_ids(site, "network", status="validated")


# --- collections --------------------------------------------------------------------------------


def test_collections_crud_visibility_and_search_filter(site: Site) -> None:
    etude, rapport, reseau, interne = (site.ids[k] for k in
                                       ("etude", "rapport", "reseau", "interne"))
    created = site.call("POST", "/collections", "curator",
                        json={"name": "Groupe de travail pôle ESS", "description": "Lectures"})
    assert created.status_code == 201, created.text
    cid = created.json()["id"]
    assert cid == "groupe-de-travail-pole-ess" and created.json()["visibility"] == "internal"
    assert created.headers["Location"] == f"/api/v1/collections/{cid}"
    error(site.call("POST", "/collections", "curator", json={"name": "Groupe de travail pôle ESS"}),
          409, "conflict")
    for doc, note in ((etude, "d'abord"), (interne, "budget"), (reseau, ""), (rapport, "")):
        response = site.call("POST", f"/collections/{cid}/documents", "curator",
                             json={"document_id": doc, "note": note})
        assert response.status_code == 200, response.text
    moved = site.call("PATCH", f"/collections/{cid}/documents/{rapport}", "curator",
                      json={"position": 1, "note": "la synthèse"})
    assert [e["document_id"] for e in moved.json()["entries"]] == [rapport, etude, interne,
                                                                    reseau]
    # Internal: nobody but curators, the council and admins sees it.
    for role in (None, "network"):
        error(site.call("GET", f"/collections/{cid}", role), 404, "not_found")
        assert cid not in {c["id"] for c in site.call("GET", "/collections", role).json()[
            "collections"]}
        error(site.call("GET", "/search", role, params={"collection": cid}), 404, "not_found")
    etag = moved.headers["ETag"]
    published = site.call("PATCH", f"/collections/{cid}", "curator", if_match=etag,
                          json={"visibility": "public", "name": "Pôle ESS : lectures"})
    assert published.status_code == 200 and published.json()["name"] == "Pôle ESS : lectures"
    error(site.call("PATCH", f"/collections/{cid}", "curator", if_match=etag,
                    json={"description": "x"}), 412, "precondition_failed")
    # Public now: the portal sees it, without the documents it may not see.
    seen = site.call("GET", f"/collections/{cid}").json()
    assert [(e["position"], e["document_id"], e["note"]) for e in seen["entries"]] == [
        (1, rapport, "la synthèse"), (2, etude, "d'abord")]
    assert seen["documents"] == 2
    network = site.call("GET", f"/collections/{cid}", "network").json()
    assert [e["document_id"] for e in network["entries"]] == [rapport, etude, reseau]
    assert search_ids(site, None, collection=cid) == {rapport, etude}
    assert search_ids(site, "admin", collection=cid) == {rapport, etude, interne, reseau}
    assert search_ids(site, "admin", collection=cid, q="budget") == {interne}
    reordered = site.call("PUT", f"/collections/{cid}/order", "curator",
                          json={"documents": [etude, rapport, reseau, interne]})
    assert [e["document_id"] for e in reordered.json()["entries"]] == [etude, rapport, reseau,
                                                                        interne]
    error(site.call("PUT", f"/collections/{cid}/order", "curator",
                    json={"documents": [etude]}), 409, "conflict")
    removed = site.call("DELETE", f"/collections/{cid}/documents/{interne}", "curator")
    assert removed.json()["documents"] == 3
    error(site.call("DELETE", f"/collections/{cid}/documents/{interne}", "curator"), 404,
          "not_found")
    assert site.call("DELETE", f"/collections/{cid}", "curator").status_code == 204
    error(site.call("GET", f"/collections/{cid}", "admin"), 404, "not_found")
    actions = [e["action"] for e in site.call("GET", "/audit", "admin",
                                              params={"collection": cid}).json()["entries"]]
    assert actions[0] == "collection.delete" and actions[-1] == "collection.create"
    assert actions.count("collection.add") == 4


# --- submissions ------------------------------------------------------------------------------


def submit(site: Site, role: str, content: bytes, name: str = "diagnostic.md",
           **fields: Any) -> Any:
    data = {"title": "Diagnostic de l'ESS du Pays de Brest", "kind": "etude", **fields}
    return site.call("POST", "/documents", role, data=data,
                     files={"file": (name, content, "application/octet-stream")})


def test_a_submission_from_upload_to_validation(site: Site) -> None:
    sent = submit(site, "network", STUDY, family=["cooperatives"], territory="finistere",
                  authors=["Dupont, Jean", "URSCOP Bretagne"], date="2011-05")
    assert sent.status_code == 201, sent.text
    sub = sent.json()
    assert sub["state"] == "ingested" and sub["submitter"] == "network-1"
    assert sent.headers["Location"] == f"/api/v1/submissions/{sub['id']}"
    doc = sub["document_id"]
    # Submitted and internal: the portal and the network do not see it; curators review it.
    assert doc not in search_ids(site, None, q="Brest") | search_ids(site, "network", q="Brest")
    error(site.call("GET", f"/documents/{doc}"), 404, "not_found")
    tags = site.call("GET", f"/documents/{doc}/tags", "curator").json()
    assert tags["tags"]["status"] == ["submitted"] and tags["tags"]["visibility"] == ["internal"]
    assert tags["corrections"]["title"] == ["Diagnostic de l'ESS du Pays de Brest"]
    assert tags["corrections"]["authors"] == ["Dupont, Jean", "URSCOP Bretagne"]
    assert tags["tags"]["year"] == ["2011"]
    assert site.call("GET", f"/submissions/{sub['id']}/file", "council").content == STUDY
    # The submitter sees their own; another network member does not.
    mine = site.call("GET", "/submissions", "network").json()["submissions"]
    assert sub["id"] in {s["id"] for s in mine}
    assert all(s["submitter"] == "network-1" for s in mine)
    error(site.call("GET", f"/submissions/{sub['id']}", "network-2"), 404, "not_found")
    assert site.call("GET", "/submissions", "network-2").json()["submissions"] == []
    # A curator publishes it, the council validates it: the portal finds it.
    published = site.call("PUT", f"/documents/{doc}/tags/visibility", "curator",
                          json={"values": ["public"]})
    assert published.status_code == 200
    assert site.call("POST", f"/documents/{doc}/status", "council",
                     json={"status": "validated"}).status_code == 200
    assert search_ids(site, None, q="Brest", status="validated") == {doc}
    assert site.call("GET", f"/documents/{doc}").json()["tags"]["status"] == ["validated"]
    actions = [e["action"] for e in site.call("GET", "/audit", "admin",
                                              params={"document": doc}).json()["entries"]]
    assert actions == ["status.validated", "tag.set", "submission.create", "ingest.add"]
    # Re-ingesting the store changes nothing a curator or submitter decided.
    with Library.open(site.library_dir, DEFAULT_VOCABULARY) as library:
        ingest(library, [site.library_dir / "files"], IngestOptions(workers=1))
    after = site.call("GET", f"/documents/{doc}/tags", "curator").json()["tags"]
    assert after["visibility"] == ["public"] and after["status"] == ["validated"]
    # The same file again is refused, with nothing kept.
    error(submit(site, "network-2", STUDY, name="copie.md"), 409, "conflict")


def test_submission_limits_and_failures(site: Site) -> None:
    error(submit(site, "network", b"x" * (MAX_UPLOAD + 1), name="gros.txt"), 413,
          "file_too_large")
    error(submit(site, "network", b"GIF89a" + b"\x00" * 64, name="photo.pdf"), 415,
          "unsupported_format")
    error(submit(site, "network", b"", name="vide.txt"), 422, "extraction_failed")
    detail = error(submit(site, "network", STUDY + b"2", kind="etud"), 422, "invalid_tag")
    assert "closest: etude" in detail
    missing = site.call("POST", "/documents", "network", data={"kind": "etude"},
                        files={"file": ("a.md", STUDY + b"4", "text/markdown")})
    assert "needs a title" in error(missing, 422, "invalid_tag")
    error(site.call("POST", "/documents", "network", json={"title": "x"}), 400, "bad_request")
    error(submit(site, "network", STUDY + b"5", status="validated"), 422, "invalid_tag")
    store = site.library_dir / "files"
    kept_before = {p.name for p in store.iterdir()} if store.exists() else set()
    # A file that cannot be read: reported to the submitter, kept for the curators.
    broken = submit(site, "network", b"%PDF-1.4\n1 0 obj garbage", name="casse.pdf")
    assert broken.status_code == 201
    assert broken.json()["state"] == "failed" and broken.json()["document_id"] is None
    assert broken.json()["error"]
    kept = {p.name for p in store.iterdir()} - kept_before
    assert len(kept) == 1 and not any(n.startswith(".incoming") for n in kept)
    assert site.call("GET", f"/submissions/{broken.json()['id']}/file",
                     "curator").content.startswith(b"%PDF-1.4")


def test_a_declared_oversized_upload_is_refused_before_reading(site: Site) -> None:
    response = site.client.post(
        "/documents", headers={**site.auth("network"), "Content-Length": str(10**9),
                               "Content-Type": "multipart/form-data; boundary=x"},
        content=b"--x--",
    )
    assert response.status_code == 413


# --- index repair ----------------------------------------------------------------------------


def test_the_api_repairs_a_lagging_index_when_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library_dir, ids, _ = build(tmp_path)
    monkeypatch.setattr(writes, "follow_index", lambda library: False)  # the crash
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        corrections.set_tags(library, ids["etude"], "kind", ["termes-de-reference"],
                             Actor.local())
        assert library.search("", {"kind": ("termes-de-reference",)}).total == 0
    monkeypatch.undo()
    with TestClient(create_app(Settings(library=library_dir))) as client:
        hits = client.get("/search", params={"kind": "termes-de-reference"}).json()["hits"]
    assert [h["id"] for h in hits] == [ids["etude"]]
