"""The security probe of issue 26, kept in the suite: files never served as active content,
security headers on every route, JSON in pages, sessions that end, sign-in throttling,
side channels on hidden documents, an XSS corpus over every echo of user text, and the
404 rule for every role.

Over the same real library as tests/web/test_web_pages.py (the corpus ingested under tmp_path),
with its helpers."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from api.app import API_PREFIX, API_ROUTERS, create_app
from api.errors import TooManyAttempts
from api.routes import oai
from api.security import FILE_POLICY, PAGE_POLICY, disposition
from api.throttle import LIMIT, SignInLimiter
from api.web import PAGE_MODULES
from api.web.citation import script_json
from kb.actors import Actor
from kb.curation.corrections import set_tags
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tokens import create_token, hash_secret, revoke_token
from tests.web.test_web_pages import TestClient, csrf_of, setup, sign_in

pytestmark = pytest.mark.slow  # the corpus ingested, probed end to end

__all__ = ["setup"]  # the fixture, shared with tests/web/test_web_pages.py

CURATOR = Actor("probe-curator", "curator", "api")
SCRIPT_PAGE = (b"<!doctype html><html><head><title>Page</title></head><body>"
               b"<p>Observatoire ESS Bretagne, page avec script.</p>"
               b"<script>fetch('/mes-depots').then(r => r.text()).then(alert)</script>"
               b"</body></html>")


@pytest.fixture
def client(setup: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(library=setup["library"]))) as c:
        yield c


def bearer(setup: dict[str, Any], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {setup['tokens'][role]}"}


def submit_file(client: TestClient, setup: dict[str, Any], content: bytes, name: str,
                title: str = "Une page", role: str = "network") -> dict[str, Any]:
    answer = client.post("/api/v1/documents", headers=bearer(setup, role),
                         files={"file": (name, content, "application/octet-stream")},
                         data={"title": title, "kind": "etude"})
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def publish(setup: dict[str, Any], doc_id: str) -> None:
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        set_tags(library, doc_id, "visibility", ["public"], CURATOR)


# --- 1. files are never active content from our origin ------------------------------------


def test_an_uploaded_html_page_is_a_sandboxed_download_everywhere(
    client: TestClient, setup: dict[str, Any]
) -> None:
    sub = submit_file(client, setup, SCRIPT_PAGE, "page « piège ».html")
    publish(setup, sub["document_id"])
    doc = sub["document_id"]
    served = {
        "api": client.get(f"/api/v1/documents/{doc}/file"),
        "legacy api": client.get(f"/documents/{doc}/file"),
        "page": client.get(f"/notice/{doc}/fichier"),
        "api submission": client.get(f"/api/v1/submissions/{sub['id']}/file",
                                     headers=bearer(setup, "network")),
    }
    sign_in(client, setup["tokens"]["network"])
    served["page submission"] = client.get(f"/depots/{sub['id']}/fichier")
    for where, answer in served.items():
        assert answer.status_code == 200, where
        assert answer.content == SCRIPT_PAGE, where
        disposition = answer.headers["content-disposition"]
        assert disposition.startswith("attachment;"), (where, disposition)
        assert "filename*=UTF-8''page%20%C2%AB%20pi%C3%A8ge%20%C2%BB.html" in disposition
        assert '"' not in disposition.split('filename="', 1)[1].split('";')[0]
        assert answer.headers["x-content-type-options"] == "nosniff", where
        assert answer.headers["content-security-policy"] == FILE_POLICY, where
        assert answer.headers["content-security-policy"].startswith("sandbox")


def test_a_pdf_stays_readable_inline_but_sandboxed(client: TestClient,
                                                   setup: dict[str, Any]) -> None:
    pdf = setup["ids"]["public_pdf"]
    for path in (f"/api/v1/documents/{pdf}/file", f"/notice/{pdf}/fichier"):
        answer = client.get(path)
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.headers["content-disposition"].startswith("inline;")
        assert answer.headers["content-security-policy"] == FILE_POLICY
        assert answer.headers["x-content-type-options"] == "nosniff"
        ranged = client.get(path, headers={"Range": "bytes=0-9"})
        assert ranged.status_code == 206
        assert ranged.headers["content-security-policy"] == FILE_POLICY


def test_a_quote_in_a_file_name_cannot_break_the_header(client: TestClient,
                                                        setup: dict[str, Any]) -> None:
    sub = submit_file(client, setup, b"Une note sur les SCOP.\n", "note; x=y.txt")
    answer = client.get(f"/api/v1/submissions/{sub['id']}/file",
                        headers=bearer(setup, "network"))
    assert answer.headers["content-disposition"] == (
        "attachment; filename=\"note_ x=y.txt\"; filename*=UTF-8''note%3B%20x%3Dy.txt")
    # A quote cannot come through a form (clients escape it) but may be in an ingested name.
    assert disposition("text/plain", 'a"b\\c.txt') == (
        "attachment; filename=\"a_b_c.txt\"; filename*=UTF-8''a%22b%5Cc.txt")


# --- 2. security headers on every route ---------------------------------------------------


def _paths(client: TestClient, setup: dict[str, Any]) -> list[str]:
    """A concrete GET path for every route and mount of the app (ids of real things)."""
    values = {"doc_id": setup["ids"]["public_pdf"], "fmt": "ris", "collection_id": "x",
              "submission_id": "1", "field": "family", "path": "kb.css", "name": "x"}
    paths = ["/static/kb.css", "/static/api-docs/swagger-ui.css"]  # the app's mounts
    routes = [("", r) for r in client.app.router.routes]  # type: ignore[attr-defined]
    for module in API_ROUTERS:
        routes += [(prefix, r) for r in module.router.routes for prefix in (API_PREFIX, "")]
    for module in (*PAGE_MODULES, oai):
        routes += [("", r) for r in module.router.routes]
    for prefix, route in routes:
        if "GET" in (getattr(route, "methods", None) or ()):
            path = prefix + route.path
            for name in re.findall(r"{(\w+)(?::\w+)?}", path):
                path = re.sub(r"{" + name + r"(?::\w+)?}", values.get(name, "x"), path)
            paths.append(path)
    return sorted(set(paths))


def test_every_route_sends_the_security_headers(client: TestClient,
                                                setup: dict[str, Any]) -> None:
    paths = _paths(client, setup)
    assert len(paths) > 40 and "/" in paths and "/api/v1/search" in paths and "/oai" in paths
    for who in (None, "curator"):
        if who:
            sign_in(client, setup["tokens"][who])
        for path in [*paths, "/no-such-page", "/api/v1/no-such-route"]:
            answer = client.get(path)
            headers = answer.headers
            assert headers.get("x-content-type-options") == "nosniff", path
            assert headers.get("x-frame-options") == "DENY", path
            assert headers.get("referrer-policy") == "same-origin", path
            policy = headers.get("content-security-policy", "")
            assert "frame-ancestors 'none'" in policy, path
            if path in ("/docs", "/redoc"):
                assert "script-src 'self'" in policy and "'unsafe-inline'" not in \
                    policy.split("script-src", 1)[1].split(";", 1)[0], path
            elif path.endswith(("/file", "/fichier")) and answer.status_code == 200:
                assert policy == FILE_POLICY, path
            else:
                assert policy == PAGE_POLICY, path
    # Answers made outside the routes get them too: a 413 from the body limit, a 405.
    too_big = client.post("/api/v1/collections", content=b"x" * (2 * 1024 * 1024))
    assert too_big.status_code == 413 and too_big.headers["content-security-policy"]
    assert client.delete("/").headers["x-frame-options"] == "DENY"


def test_pages_need_no_script_and_the_docs_only_their_own(client: TestClient) -> None:
    for path in ("/", "/dossiers", "/aide", "/connexion"):
        assert "<script" not in client.get(path).text, path
    swagger = client.get("/docs")
    inline = re.findall(r"<script>(.*?)</script>", swagger.text, re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in swagger.headers["content-security-policy"]
    assert "script-src 'self';" in client.get("/redoc").headers["content-security-policy"]




# --- 3. JSON in pages -------------------------------------------------------------------------

HOSTILE_TITLE = "Étude <!--<script> </script><script>alert(1)</script> & ]]> \u2028\u2029 fin"


def test_a_title_cannot_break_out_of_the_json_ld_block(client: TestClient,
                                                       setup: dict[str, Any]) -> None:
    target = setup["ids"]["public_docx"]
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        set_tags(library, target, "title", [HOSTILE_TITLE], CURATOR)
    stored = client.get(f"/api/v1/documents/{target}").json()["title"]
    assert "</script>" in stored and "<!--<script>" in stored
    text = client.get(f"/notice/{target}").text
    raw = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert len(raw) == 1
    # The HTML rules for a script's content: no "<!--", "<script" or "</script" in it, so
    # that every parser ends the block where we do (we put no "<" in it at all).
    assert not set(raw[0]) & {"<", ">", "&", "\u2028", "\u2029"}
    tree = lxml.html.fromstring(text)
    (block,) = tree.xpath('//script[@type="application/ld+json"]')
    assert json.loads(block.text)["name"] == stored
    assert [s.get("type") for s in tree.iter("script")] == ["application/ld+json"]
    assert tree.xpath("//h1")[0].text_content().strip() == stored.strip()


def test_embedded_json_escapes_what_html_and_javascript_parsers_read() -> None:
    data = {"t": HOSTILE_TITLE, "n": [1, 2.5, None, True]}
    text = str(script_json(data))
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == data


# --- 6. nothing but text in <title> ---------------------------------------------------------


def page_paths(client: TestClient, setup: dict[str, Any]) -> list[str]:
    """Every GET page (not the API, files, OAI or static files), with real ids."""
    return [p for p in _paths(client, setup)
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


# --- 4. sessions end on the server --------------------------------------------------------


def _opens_my_submissions(client: TestClient) -> bool:
    answer = client.get("/mes-depots", follow_redirects=False)
    assert answer.status_code in (200, 303)
    return answer.status_code == 200


def _fresh(setup: dict[str, Any], cookie: str) -> TestClient:
    other = TestClient(create_app(Settings(library=setup["library"])))
    other.cookies.set("kb_session", cookie)
    return other


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(
    client: TestClient, setup: dict[str, Any]
) -> None:
    sign_in(client, setup["tokens"]["network"])
    copied = client.cookies["kb_session"]
    with _fresh(setup, copied) as thief:
        assert _opens_my_submissions(thief)
        out = client.post("/deconnexion", data={"csrf": csrf_of(client.get("/").text)},
                          follow_redirects=False)
        assert out.status_code == 303
        assert not _opens_my_submissions(thief)
        assert "t-network" not in thief.get("/").text
        # Nor can it sign out again or post a form with the CSRF value it had seen.
        assert thief.post("/deconnexion", data={"csrf": "x"}).status_code == 403


def test_revoking_the_token_ends_its_sessions_in_the_catalog(
    client: TestClient, setup: dict[str, Any]
) -> None:
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        _token, secret = create_token(library.catalog, "probe-revoked", "network")
    sign_in(client, secret)
    copied = client.cookies["kb_session"]
    assert _opens_my_submissions(client)
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        count = library.catalog.db.execute(
            "SELECT count(*) FROM web_sessions WHERE token_hash = ?", (hash_secret(secret),)
        ).fetchone()[0]
        assert count == 1
        revoke_token(library.catalog, "probe-revoked")
        assert library.catalog.db.execute(
            "SELECT count(*) FROM web_sessions WHERE token_hash = ?", (hash_secret(secret),)
        ).fetchone()[0] == 0
    with _fresh(setup, copied) as thief:
        assert not _opens_my_submissions(thief)


def test_the_cookie_holds_only_a_session_id_the_catalog_keeps_hashed(
    client: TestClient, setup: dict[str, Any]
) -> None:
    sign_in(client, setup["tokens"]["curator"])
    payload = client.cookies["kb_session"].split(".")[0]
    padded = payload + "=" * (-len(payload) % 4)
    data = json.loads(base64.urlsafe_b64decode(padded))
    assert set(data) == {"s"}
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        rows = library.catalog.db.execute("SELECT * FROM web_sessions").fetchall()
        assert rows and all(data["s"] not in tuple(r) for r in rows)
        assert all(r["expires_at"] > r["created_at"] for r in rows)


# --- 7. sign-in throttled per address --------------------------------------------------------


def test_sign_in_is_limited_per_address_with_a_clear_429(client: TestClient,
                                                         setup: dict[str, Any]) -> None:
    limit = LIMIT
    form = client.get("/connexion")
    csrf = csrf_of(form.text)
    for _ in range(limit):
        wrong = client.post("/connexion", data={"token": "kb_wrong", "csrf": csrf})
        assert wrong.status_code == 401
    # The next attempt is refused before the token is even looked at, right token or not.
    refused = client.post("/connexion", data={"token": setup["tokens"]["admin"],
                                              "csrf": csrf})
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.text and "réessayez dans 10 minutes" in refused.text
    assert 0 < int(refused.headers["retry-after"]) <= 600
    assert "t-admin" not in client.get("/").text
    # The API counts refused bearer tokens from that address the same way, in English JSON.
    api = client.get("/api/v1/search", params={"q": "ESS"},
                     headers={"Authorization": "Bearer kb_wrong"})
    assert api.status_code == 429
    assert api.json()["error"] == "too_many_attempts"
    assert "try again in" in api.json()["detail"]
    assert int(api.headers["retry-after"]) > 0
    # Answers without a token are never limited.
    assert client.get("/api/v1/search", params={"q": "ESS"}).status_code == 200
    assert client.get("/connexion").status_code == 200


def test_refused_bearer_tokens_on_the_api_are_limited_too(setup: dict[str, Any]) -> None:
    with TestClient(create_app(Settings(library=setup["library"]))) as api:
        for _ in range(LIMIT):
            assert api.get("/api/v1/collections",
                           headers={"Authorization": "Bearer kb_x"}).status_code == 401
        answer = api.get("/api/v1/collections", headers=bearer(setup, "curator"))
        assert answer.status_code == 429 and answer.headers["retry-after"]
        french = api.get("/api/v1/collections", headers={"Authorization": "Bearer kb_x",
                                                          "Accept-Language": "fr"})
        assert french.json()["detail"].startswith("trop de jetons refusés")
        # The answer is in the contract: every operation that reads a token lists it.
        operations = [op for methods in api.get("/openapi.json").json()["paths"].values()
                      for op in methods.values() if op.get("security")]  # fmt: skip
        assert operations and all("429" in op["responses"] for op in operations)
        assert answer.json()["error"] == "too_many_attempts"


def test_the_limiter_forgets_failures_after_its_window() -> None:
    now = [1000.0]
    limiter = SignInLimiter(limit=2, window=60, clock=lambda: now[0])
    limiter.failed("a")
    limiter.failed("a")
    with pytest.raises(TooManyAttempts) as refused:
        limiter.check("a")
    assert refused.value.retry_after == 60
    limiter.check("b")  # per address
    now[0] += 61
    limiter.check("a")


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
    routes = [p for p in _paths(client, setup) if ids["public_pdf"] in p]
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
