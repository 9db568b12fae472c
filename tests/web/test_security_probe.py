"""The security probe of issue 26, kept in the suite: nothing but text in <title>, side
channels on hidden documents, an XSS corpus over every echo of user text, and the 404 rule
for every role. Its other parts, and the helpers they share, are listed in
tests/web/probe.py.

Over the same real library as tests/web/test_web_pages.py (the corpus ingested under tmp_path),
with its helpers."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from api.app import create_app
from kb.curation.corrections import set_tags
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from tests.web.probe import CURATOR, bearer, client, route_paths, submit_file
from tests.web.test_web_pages import TestClient, setup, sign_in

pytestmark = pytest.mark.slow  # the corpus ingested, probed end to end

__all__ = ["client", "setup"]  # the fixtures, from tests/web/probe.py and test_web_pages.py


# --- 6. nothing but text in <title> ---------------------------------------------------------


def page_paths(client: TestClient, setup: dict[str, Any]) -> list[str]:
    """Every GET page (not the API, files, OAI or static files), with real ids."""
    return [p for p in route_paths(client, setup)
            if not p.startswith(("/api/", "/static", "/oai", "/openapi"))
            and not p.endswith(("/file", "/fichier", "/text", "/similar"))
            and "/citer/" not in p
            and p.split("/")[1] not in {"documents", "search", "collections", "vocabulary",
                                        "health", "submissions", "exports", "export",
                                        "failures", "suggest", "facets", "curation"}]


@pytest.mark.parametrize("role", [None, "network", "curator", "admin"])
def test_no_page_title_holds_markup_or_a_csrf_value(client: TestClient, setup: dict[str, Any],
                                                    role: str | None) -> None:
    if role:
        sign_in(client, setup["tokens"][role])
    csrf = client.cookies.get("kb_session") or ""
    pages = page_paths(client, setup)
    assert "/dossiers" in pages and "/" in pages
    for path in pages:
        answer = client.get(path)
        if not answer.headers.get("content-type", "").startswith("text/html"):
            continue
        titles = re.findall(r"<title>(.*?)</title>", answer.text, re.S)
        assert len(titles) == 1, path
        assert "<" not in titles[0] and "csrf" not in titles[0], (path, titles[0][:200])
        forms = re.findall(r'name="csrf" value="([^"]+)"', answer.text)
        assert all(value not in titles[0] for value in forms), path
        assert not csrf or csrf not in titles[0]


# --- 5. side channels on hidden documents -------------------------------------------------


def _anonymous_view(setup: dict[str, Any], cid: str) -> dict[str, Any]:
    with TestClient(create_app(Settings(library=setup["library"]))) as anonymous:
        listed = [c for c in anonymous.get("/api/v1/collections").json()["collections"]
                  if c["id"] == cid]
        detail = anonymous.get(f"/api/v1/collections/{cid}")
        page = anonymous.get("/dossiers").text
        count = re.search(rf'href="/dossiers/{cid}">[^<]*</a> <span class="count">([^<]*)<',
                          page)
        return {"listed": listed, "detail": detail.json(), "etag": detail.headers["etag"],
                "count": count[1] if count else None,
                "page": anonymous.get(f"/dossiers/{cid}").text}


def test_a_hidden_document_added_to_a_public_collection_changes_nothing_anonymous_sees(
    client: TestClient, setup: dict[str, Any]
) -> None:
    curator = bearer(setup, "curator")
    made = client.post("/api/v1/collections", headers=curator,
                       json={"name": "Sonde canaux cachés", "visibility": "public"})
    assert made.status_code == 201, made.text
    cid = made.json()["id"]
    assert client.post(f"/api/v1/collections/{cid}/documents", headers=curator,
                       json={"document_id": setup["ids"]["public_pdf"]}).status_code == 200
    before = _anonymous_view(setup, cid)
    assert before["count"] == "1 document" and before["detail"]["documents"] == 1
    curator_before = client.get(f"/api/v1/collections/{cid}", headers=curator)
    time.sleep(1.1)  # updated_at counts seconds: a change now would show
    for hidden in (setup["ids"]["internal"], setup["ids"]["network"]):
        added = client.post(f"/api/v1/collections/{cid}/documents", headers=curator,
                            json={"document_id": hidden, "note": "secret", "position": 1})
        assert added.status_code == 200
    assert client.put(f"/api/v1/collections/{cid}/order", headers=curator, json={
        "documents": [setup["ids"]["internal"], setup["ids"]["public_pdf"],
                      setup["ids"]["network"]]}).status_code == 200
    after = _anonymous_view(setup, cid)
    assert after == before  # revision, ETag, updated_at, counts, the page: all the same
    # Those who see the hidden documents see the changes.
    curator_after = client.get(f"/api/v1/collections/{cid}", headers=curator)
    assert curator_after.json()["revision"] == curator_before.json()["revision"] + 3
    assert curator_after.headers["etag"] != curator_before.headers["etag"]
    network = client.get(f"/api/v1/collections/{cid}", headers=bearer(setup, "network"))
    assert network.json()["documents"] == 2 and network.json()["revision"] > \
        before["detail"]["revision"]
    # A visible change moves the anonymous view.
    assert client.patch(f"/api/v1/collections/{cid}", headers=curator,
                        json={"description": "Nouvelle description"}).status_code == 200
    changed = _anonymous_view(setup, cid)
    assert changed["etag"] != before["etag"]
    assert changed["detail"]["revision"] == before["detail"]["revision"] + 1


def _file_of(setup: dict[str, Any], key: str) -> tuple[bytes, str]:
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        path = library.catalog.paths_of(setup["ids"][key])[0].path
    return Path(path).read_bytes(), Path(path).name


def test_a_copy_of_a_hidden_document_is_answered_as_new_and_changes_nothing(
    client: TestClient, setup: dict[str, Any]
) -> None:
    content, name = _file_of(setup, "internal")
    hidden = setup["ids"]["internal"]
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        tags_before = library.catalog.tags(hidden)
        documents_before = len(library.catalog.documents())
    fresh = submit_file(client, setup, b"Un compte rendu nouveau sur les SCIC.\n", "neuf.txt")
    copy = submit_file(client, setup, content, name, title="Titre du déposant")
    assert set(copy) == set(fresh)
    assert copy["state"] == fresh["state"] == "ingested" and copy["error"] is None
    assert copy["document_id"] == hidden  # the id a new document would get: its content's
    mine = client.get(f"/api/v1/submissions/{copy['id']}", headers=bearer(setup, "network"))
    assert set(mine.json()) == set(fresh)
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        assert library.catalog.tags(hidden) == tags_before  # no tag of the submitter's
        assert len(library.catalog.documents()) == documents_before + 1  # the fresh one only
    # The submitter's pages show it as they show a new submission; the curators see a copy.
    sign_in(client, setup["tokens"]["network"])
    rows = client.get("/mes-depots").text

    def cells(sid: int) -> list[str]:  # reading, status, visibility
        row = re.search(rf'href="/depots/{sid}">.*?</tr>', rows, re.S)
        assert row
        return re.findall(r"<td>([^<]*)</td>", row[0])[-3:]

    assert cells(copy["id"]) == cells(fresh["id"]) == ["lu", "Soumis", "Interne"]
    review = client.get(f"/depots/{copy['id']}").text
    assert "identique" not in review
    sign_in(client, setup["tokens"]["curator"])
    assert "identique au document" in client.get(f"/depots/{copy['id']}").text
    # A document the submitter may see is still named as a conflict: nothing to hide.
    public, public_name = _file_of(setup, "public_docx")
    again = client.post("/api/v1/documents", headers=bearer(setup, "network"),
                        files={"file": (public_name, public, "application/octet-stream")},
                        data={"title": "Encore", "kind": "etude"})
    assert again.status_code == 409 and setup["ids"]["public_docx"] in again.text


# --- 8. the XSS corpus over every echo of user text ----------------------------------------

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</title><script>alert(1)</script>",
    "<!--<script>",
    "x\u2028y\u2029z",
    "'><svg onload=alert(1)>",
    "<a href=javascript:alert(1)>lien</a>",
    "</textarea><script>alert(1)</script>",
    "<iframe src=javascript:alert(1)></iframe>",
    '" onmouseover="alert(1)',
    "<body onload=alert(1)>",
    "{{ 7*7 }}{% raw %}",
)


def assert_no_injection(html: str, where: str) -> None:
    """No element or attribute the payloads could have made: no script but our JSON-LD,
    no frame, object or svg, no on* attribute, no javascript: URL, nothing inside <title>."""
    assert "<script>alert(1)</script>" not in html, where
    tree = lxml.html.fromstring(html)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        assert tag not in {"iframe", "object", "embed", "svg", "frame"}, (where, tag)
        if tag == "script":
            assert element.get("type") == "application/ld+json", where
        if tag == "img":
            assert element.get("src", "").startswith("/"), where
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (where, tag, name)
            if name.lower() in {"href", "src", "action", "formaction"}:
                assert not value.strip().lower().startswith("javascript:"), (where, value)
    for title in tree.iter("title"):
        assert len(title) == 0, where


def test_the_xss_corpus_is_shown_as_text_everywhere(client: TestClient,
                                                     setup: dict[str, Any]) -> None:
    curator, network = bearer(setup, "curator"), bearer(setup, "network")
    target = setup["ids"]["public_pdf"]
    pages: list[str] = []
    for n, payload in enumerate(PAYLOADS):
        # Collection names, descriptions and notes.
        made = client.post("/api/v1/collections", headers=curator, json={
            "name": f"{payload} {n}", "description": payload, "visibility": "public"})
        assert made.status_code == 201, made.text
        cid = made.json()["id"]
        client.post(f"/api/v1/collections/{cid}/documents", headers=curator,
                    json={"document_id": target, "note": payload})
        pages += [f"/dossiers/{cid}", f"/?collection={cid}"]
        # Submission metadata and file names.
        sent = client.post("/api/v1/documents", headers=network, data={
            "title": payload, "kind": "etude", "authors": payload, "summary": payload},
            files={"file": (f"{payload}.txt", f"Note {n} sur les SCOP.".encode(),
                            "text/plain")})
        assert sent.status_code in (201, 422), sent.text
        if sent.status_code == 201:
            pages += [f"/depots/{sent.json()['id']}"]
        # Queries and filter values.
        pages += [f"/?q={payload}", f"/?q=ESS&family={payload}", f"/?q=ESS&tri={payload}"]
    # Tag values and titles, on a public document's page and in results.
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        set_tags(library, target, "title", [" ".join(PAYLOADS[:4])], CURATOR)
        set_tags(library, target, "authors", list(PAYLOADS[4:10]), CURATOR)
    pages += [f"/notice/{target}", "/?q=alert", "/dossiers", "/connexion?suivant=" +
              PAYLOADS[2], "/aide"]
    for role in (None, "network", "curator"):
        if role:
            sign_in(client, setup["tokens"][role])
            pages += ["/mes-depots", "/depots"]
        for path in pages:
            answer = client.get(path)
            if answer.headers.get("content-type", "").startswith("text/html"):
                assert_no_injection(answer.text, f"{role} {path}")
    signed_in = client.get("/connexion", params={"suivant": PAYLOADS[2]}).text
    assert 'value="javascript:' not in signed_in


# --- 8. the 404 rule, for every role --------------------------------------------------------


def test_a_hidden_document_answers_exactly_like_a_missing_one_for_every_role(
    client: TestClient, setup: dict[str, Any]
) -> None:
    ids = setup["ids"]
    routes = [p for p in route_paths(client, setup) if ids["public_pdf"] in p]
    assert len(routes) >= 10, routes  # API (versioned and not) and pages
    missing = "ffffffffff"
    hidden_for = {None: ("network", "internal"), "network": ("internal",),
                  "curator": ("internal",)}
    statuses: dict[int, int] = {}
    for role, keys in hidden_for.items():
        headers = bearer(setup, role) if role else {}
        if role:
            sign_in(client, setup["tokens"][role])
        for key in keys:
            for route in routes:
                if role == "curator" and route.endswith(("/status", "/tags", "/suggestions")):
                    continue  # curators review every document there (api.deps.curation_scope)
                hidden = client.get(route.replace(ids["public_pdf"], ids[key]), headers=headers)
                absent = client.get(route.replace(ids["public_pdf"], missing), headers=headers)
                where = (role, key, route)
                # 404, or the 401/403 of a route the role may not use at all.
                assert hidden.status_code == absent.status_code, where
                assert absent.status_code in (401, 403, 404), where
                statuses[absent.status_code] = statuses.get(absent.status_code, 0) + 1
                assert hidden.headers["content-type"] == absent.headers["content-type"], where
                assert hidden.text.replace(ids[key], "X") == absent.text.replace(missing, "X"), \
                    where
    assert statuses[404] >= 2 * len(routes)  # most answers are the 404 itself
