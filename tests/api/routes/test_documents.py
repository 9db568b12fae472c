"""`GET /documents/{id}` and its text, file and similar documents (`api.routes.documents`):
hidden documents answer as missing ones, metadata, ETags, pages, ranges, files changed on
disk."""

from __future__ import annotations

import os
from datetime import datetime

import pytest

from tests.api.api_site import (
    CALLERS,
    EVERY_DOCUMENT_ROUTE,
    SEES,
    Site,
    assert_error,
    ids_of,
    names,
    site,
)

__all__ = ["site"]  # the fixture, from tests/api/api_site.py


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
