"""The web pages over a real library (corpus/ ingested under tmp_path), through TestClient:
the 404 rule for each role, sessions and CSRF, stale edits, the workflow, citations."""

from __future__ import annotations

import html
import re
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.app import create_app
from indexer.index import title_key
from kb.actors import Actor
from kb.curation.corrections import set_tags
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, PROJECT_ROOT, Settings
from kb.tokens import create_token, hash_secret, revoke_token, token_by_hash

pytestmark = pytest.mark.slow  # the corpus ingested, its pages end to end

with warnings.catch_warnings():
    # Starlette 1.x prefers the httpx2 package for its TestClient and warns on import.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

CORPUS = PROJECT_ROOT / "corpus"
ROLES = ("network", "curator", "council", "admin")


def doc_id(library: Library, file_name: str) -> str:
    for doc in library.catalog.documents(state="active"):
        if any(p.path.endswith(file_name) for p in library.catalog.paths_of(doc.id)):
            return doc.id
    raise AssertionError(file_name)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("pages")
    library_dir = root / "library"
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        ingest(library, [CORPUS], IngestOptions(workers=1))
        tokens = {role: create_token(library.catalog, f"t-{role}", role)[1] for role in ROLES}
        ids = {
            "public_pdf": doc_id(library, "etude-pole-ess-pays-de-rennes-2008.pdf"),
            "public_docx": doc_id(library, "etude-mutuelles-sante-morbihan-2010.docx"),
            "network": doc_id(library, "compte-rendu-conseil-scientifique-2009-03.txt"),
            "internal": doc_id(library, "compte-rendu-cellule-coordination-2011-09.txt"),
            "submitted": doc_id(library, "portrait-ess-cotes-d-armor-2011.html"),
            "stale": doc_id(library, "note-fondations-bretagne-2012.pdf"),
        }
    return {"library": library_dir, "tokens": tokens, "ids": ids}


@pytest.fixture
def client(setup: dict[str, object]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(library=setup["library"]))) as c:  # type: ignore[arg-type]
        yield c


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found[1]


def sign_in(client: TestClient, token: str) -> None:
    form = client.get("/connexion")
    answer = client.post("/connexion", data={"token": token, "csrf": csrf_of(form.text)},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text


def revision_of(html: str) -> str:
    found = re.search(r'name="revision" value="(\d+)"', html)
    assert found
    return found[1]


# --- visibility ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, *ROLES])
def test_a_document_the_visitor_may_not_see_is_a_404_page(
    client: TestClient, setup: dict[str, object], role: str | None
) -> None:
    ids, tokens = setup["ids"], setup["tokens"]
    if role:
        sign_in(client, tokens[role])  # type: ignore[index]
    sees_network = role is not None
    sees_internal = role == "admin"
    for key, visible in (("public_pdf", True), ("network", sees_network),
                         ("internal", sees_internal)):
        target = ids[key]  # type: ignore[index]
        for path in (f"/notice/{target}", f"/notice/{target}/fichier",
                     f"/notice/{target}/citer/ris"):
            answer = client.get(path)
            assert answer.status_code == (200 if visible else 404), (role, key, path)
            if not visible:
                assert "Page introuvable" in answer.text
                # The same page as an id that does not exist: nothing tells them apart.
                missing = client.get("/notice/ffffffffff")
                assert answer.text.replace(target, "X") == missing.text.replace(
                    "ffffffffff", "X")
        found = client.get("/", params={"q": "compte rendu", "size": 50}).text
        assert (f"/notice/{target}" in found) == visible or key == "public_pdf"


def test_the_status_facet_is_for_curators_and_the_council(
    client: TestClient, setup: dict[str, object]
) -> None:
    assert ">Statut<" not in client.get("/", params={"q": "ESS"}).text
    sign_in(client, setup["tokens"]["curator"])  # type: ignore[index]
    assert ">Statut<" in client.get("/", params={"q": "ESS"}).text


# --- sessions and CSRF ---------------------------------------------------------------------


def test_sign_in_keeps_the_token_out_of_pages_and_urls(
    client: TestClient, setup: dict[str, object]
) -> None:
    token = setup["tokens"]["curator"]  # type: ignore[index]
    form = client.get("/connexion")
    answer = client.post("/connexion", data={"token": token, "csrf": csrf_of(form.text)},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert token not in cookie
    assert token not in answer.headers["location"]
    for path in ("/", "/?q=ESS", f"/notice/{setup['ids']['public_pdf']}"):  # type: ignore[index]
        page = client.get(path)
        assert token not in page.text
        assert "t-curator" in page.text
        assert page.headers["cache-control"] == "private, no-cache"


def test_a_wrong_token_is_refused_in_french(client: TestClient) -> None:
    form = client.get("/connexion")
    answer = client.post("/connexion", data={"token": "kb_nope", "csrf": csrf_of(form.text)})
    assert answer.status_code == 401
    assert "pas reconnu ou a été révoqué" in answer.text
    assert "kb_nope" not in answer.text


def test_forms_without_the_csrf_value_are_refused(
    client: TestClient, setup: dict[str, object]
) -> None:
    target = setup["ids"]["public_pdf"]  # type: ignore[index]
    # Signing in without the form's value (login CSRF).
    client.get("/connexion")
    refused = client.post("/connexion", data={"token": setup["tokens"]["admin"]})  # type: ignore[index]
    assert refused.status_code == 403 and "Formulaire expiré" in refused.text
    sign_in(client, setup["tokens"]["admin"])  # type: ignore[index]
    page = client.get(f"/notice/{target}").text
    before = re.findall(r'value="(\w+)" checked', page)
    for csrf in ("", "forged"):
        answer = client.post(f"/notice/{target}/etiquettes", data={
            "csrf": csrf, "revision": revision_of(page), "field": "mission",
            "value": ["diffusion"]})
        assert answer.status_code == 403
        assert "Formulaire expiré" in answer.text
    assert re.findall(r'value="(\w+)" checked', client.get(f"/notice/{target}").text) == before
    # Signing out needs it too: still signed in after a forged POST.
    assert client.post("/deconnexion", data={"csrf": "forged"}).status_code == 403
    assert "t-admin" in client.get("/").text
    out = client.post("/deconnexion", data={"csrf": csrf_of(client.get("/").text)},
                      follow_redirects=False)
    assert out.status_code == 303
    assert "Se connecter" in client.get("/").text


def test_a_revoked_token_ends_its_sessions(client: TestClient, setup: dict[str, object]
                                           ) -> None:
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:  # type: ignore[arg-type]
        _token, secret = create_token(library.catalog, "short-lived", "network")
    sign_in(client, secret)
    assert "short-lived" in client.get("/").text
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:  # type: ignore[arg-type]
        revoke_token(library.catalog, "short-lived")
        assert token_by_hash(library.catalog, hash_secret(secret)) is None
    assert "short-lived" not in client.get("/").text
    assert client.get(f"/notice/{setup['ids']['network']}").status_code == 404  # type: ignore[index]


# --- curation ------------------------------------------------------------------------------


def test_a_stale_edit_is_refused_with_the_current_values(
    client: TestClient, setup: dict[str, object]
) -> None:
    target = setup["ids"]["stale"]  # type: ignore[index]
    sign_in(client, setup["tokens"]["curator"])  # type: ignore[index]
    page = client.get(f"/notice/{target}").text
    seen = revision_of(page)
    # Someone else corrects the kind meanwhile.
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:  # type: ignore[arg-type]
        set_tags(library, target, "kind", ["guide-de-procedures"],
                 Actor("someone", "curator", "api"))
    answer = client.post(f"/notice/{target}/etiquettes", data={
        "csrf": csrf_of(page), "revision": seen, "field": "kind", "value": ["etude"]})
    assert answer.status_code == 412
    assert "le document a changé depuis votre lecture" in answer.text
    assert "Guide de procédures" in answer.text  # the current value, shown
    assert revision_of(answer.text) != seen
    # With the current revision, the same change goes through.
    again = client.post(f"/notice/{target}/etiquettes", data={
        "csrf": csrf_of(answer.text), "revision": revision_of(answer.text), "field": "kind",
        "value": ["etude"]}, follow_redirects=False)
    assert again.status_code == 303
    assert "La correction est enregistrée." in client.get(again.headers["location"]).text


def test_an_unknown_value_is_refused_in_french(client: TestClient, setup: dict[str, object]
                                              ) -> None:
    target = setup["ids"]["public_pdf"]  # type: ignore[index]
    sign_in(client, setup["tokens"]["curator"])  # type: ignore[index]
    page = client.get(f"/notice/{target}").text
    answer = client.post(f"/notice/{target}/etiquettes", data={
        "csrf": csrf_of(page), "revision": revision_of(page), "field": "family",
        "value": ["cooperativs"]})
    assert answer.status_code == 422
    assert "Valeur incorrecte" in answer.text and "cooperatives" in answer.text


def test_a_rejection_asks_for_a_comment(client: TestClient, setup: dict[str, object]) -> None:
    target = setup["ids"]["submitted"]  # type: ignore[index]
    sign_in(client, setup["tokens"]["council"])  # type: ignore[index]
    page = client.get(f"/notice/{target}").text
    assert 'value="validated"' in page and 'value="rejected"' in page
    assert "Corriger une étiquette" not in page  # the council validates, curators correct
    answer = client.post(f"/notice/{target}/statut", data={
        "csrf": csrf_of(page), "revision": revision_of(page), "status": "rejected"})
    assert answer.status_code == 409
    assert "Un refus doit être motivé" in answer.text
    done = client.post(f"/notice/{target}/statut", data={
        "csrf": csrf_of(page), "revision": revision_of(page), "status": "rejected",
        "comment": "Sources non citées."}, follow_redirects=False)
    assert done.status_code == 303
    after = client.get(done.headers["location"]).text
    assert "Le statut du document a changé." in after and "Statut : Rejeté" in after


def test_the_audit_page_is_for_administrators(client: TestClient, setup: dict[str, object]
                                              ) -> None:
    target = setup["ids"]["public_pdf"]  # type: ignore[index]
    assert client.get(f"/notice/{target}/historique").status_code == 403
    sign_in(client, setup["tokens"]["curator"])  # type: ignore[index]
    assert client.get(f"/notice/{target}/historique").status_code == 403
    sign_in(client, setup["tokens"]["admin"])  # type: ignore[index]
    assert "Historique des modifications" in client.get(f"/notice/{target}/historique").text


# --- search and documents ------------------------------------------------------------------


def test_search_state_lives_in_the_url(client: TestClient) -> None:
    page = client.get("/", params={"q": "economie", "territory": "bretagne", "sort": "date"})
    assert page.status_code == 200
    links = re.findall(r'href="(/\?[^"]+)"', page.text)
    narrowing = [unescape(u) for u in links if "family=" in u]
    assert narrowing and all("territory=bretagne" in u and "sort=date" in u for u in narrowing)
    assert "Territoire : Bretagne" in page.text  # a removable chip
    assert "<mark>" in page.text


def test_results_sort_by_title_with_accents_folded(client: TestClient) -> None:
    page = client.get("/", params={"q": "", "sort": "title"})
    titles = [html.unescape(t) for t in re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>',
                                                   page.text)]
    assert len(titles) >= 3
    assert titles == sorted(titles, key=lambda t: title_key(t))
    assert '<strong aria-current="true">Titre (A à Z)</strong>' in page.text


def test_did_you_mean_and_a_bad_filter(client: TestClient) -> None:
    page = client.get("/", params={"q": "cooperatve"})
    assert "Vouliez-vous dire" in page.text
    bad = client.get("/", params={"q": "ESS", "family": "nope"})
    assert bad.status_code == 400
    assert "ne peut pas être lue" in bad.text and 'id="q"' in bad.text


def test_a_document_page_carries_its_citation(client: TestClient, setup: dict[str, object]
                                              ) -> None:
    target = setup["ids"]["public_pdf"]  # type: ignore[index]
    page = client.get(f"/notice/{target}", params={"q": "pôle"}).text
    metas = dict(re.findall(r'<meta name="(citation_\w+)" content="([^"]*)">', page))
    assert metas["citation_title"].startswith("Étude de faisabilité")
    assert metas["citation_publication_date"].startswith("2008")
    assert metas["citation_pdf_url"].endswith(f"/notice/{target}/fichier")
    assert "citation_technical_report_institution" in metas
    assert "COLLÈGE COOPÉRATIF DE BRETAGNE" in page  # ISO 690: organisations in capitals
    assert 'id="page-2"' in page and "<mark>pôle</mark>" in page
    assert '"@type": "Report"' in page


def test_a_non_pdf_file_is_a_download(client: TestClient, setup: dict[str, object]) -> None:
    answer = client.get(f"/notice/{setup['ids']['public_docx']}/fichier")  # type: ignore[index]
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("attachment")
    pdf = client.get(f"/notice/{setup['ids']['public_pdf']}/fichier")  # type: ignore[index]
    assert pdf.headers["content-disposition"].startswith("inline")


def test_api_docs_use_local_assets(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        html = client.get(path).text
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources and all(s.startswith("/") for s in sources), sources
        for source in sources:
            assert client.get(source).status_code == 200, source
    assert client.get("/openapi.json").status_code == 200


def test_page_paths_stay_out_of_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not any(p == "/" or p.startswith(("/notice", "/dossiers", "/connexion"))
                   for p in paths)


def unescape(url: str) -> str:
    return url.replace("&amp;", "&")


def test_session_key_is_kept_in_the_library(setup: dict[str, object]) -> None:
    key = Path(setup["library"]) / "web-session.key"  # type: ignore[arg-type]
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"


# --- submissions ---------------------------------------------------------------------------


def test_submit_review_validate_publish_then_public(
    client: TestClient, setup: dict[str, object]
) -> None:
    tokens = setup["tokens"]
    assert client.get("/depot", follow_redirects=False).headers["location"].startswith(
        "/connexion?suivant=/depot")
    sign_in(client, tokens["network"])  # type: ignore[index]
    form = client.get("/depot")
    assert form.status_code == 200 and 'name="kind"' in form.text
    text = "Le quokka solidaire : note sur une monnaie locale en Pays de Morlaix.\n" * 5
    files = {"file": ("quokka.txt", text.encode(), "text/plain")}
    # Without the form's CSRF value: refused, nothing stored.
    refused = client.post("/depot", data={"title": "Quokka", "kind": "etude"}, files=files)
    assert refused.status_code == 403
    missing_kind = client.post("/depot", data={"title": "Quokka", "csrf": csrf_of(form.text)},
                               files=files)
    assert missing_kind.status_code == 422 and "corrigez le formulaire" in missing_kind.text
    sent = client.post("/depot", data={
        "title": "Le quokka solidaire", "kind": "etude", "authors": "Martin, Anne; CRES",
        "territory": ["bretagne"], "csrf": csrf_of(form.text)}, files=files,
        follow_redirects=False)
    assert sent.status_code == 303, sent.text
    mine = client.get(sent.headers["location"]).text
    assert "Le quokka solidaire" in mine and "Soumis" in mine
    number = re.search(r'href="/depots/(\d+)"', mine)[1]  # type: ignore[index]
    assert client.get("/depots").status_code == 403  # reviewing is for curators

    sign_in(client, tokens["admin"])  # type: ignore[index]
    assert "Le quokka solidaire" in client.get("/depots").text
    review = client.get(f"/depots/{number}").text
    assert "quokka solidaire : note sur une monnaie locale" in review  # the extracted text
    doc = re.search(r'action="/notice/(\w+)/statut"', review)[1]  # type: ignore[index]
    done = client.post(f"/notice/{doc}/statut", data={
        "csrf": csrf_of(review), "revision": revision_of(review), "status": "validated",
        "retour": f"/depots/{number}"}, follow_redirects=False)
    assert done.headers["location"] == f"/depots/{number}"
    review = client.get(f"/depots/{number}").text
    assert "Validé par le conseil scientifique" in review
    wait_indexed(client)
    assert client.get("/", params={"q": "quokka"}).text.count("/notice/" + doc) >= 1
    published = client.post(f"/notice/{doc}/etiquettes", data={
        "csrf": csrf_of(review), "revision": revision_of(review), "field": "visibility",
        "value": ["public"], "retour": f"/depots/{number}"}, follow_redirects=False)
    assert published.status_code == 303

    client.post("/deconnexion", data={"csrf": csrf_of(client.get("/").text)})
    wait_indexed(client)
    found = client.get("/", params={"q": "quokka"}).text
    assert f"/notice/{doc}" in found  # public now, for anonymous visitors
    assert client.get(f"/depots/{number}", follow_redirects=False).status_code == 303


# --- collections ---------------------------------------------------------------------------


def test_curators_build_order_and_annotate_a_collection(
    client: TestClient, setup: dict[str, object]
) -> None:
    ids = setup["ids"]
    sign_in(client, setup["tokens"]["curator"])  # type: ignore[index]
    listing = client.get("/dossiers").text
    made = client.post("/dossiers", data={
        "name": "Dossier pôle ESS", "description": "Les versions de l'étude.",
        "csrf": csrf_of(listing)}, follow_redirects=False)
    assert made.status_code == 303
    url = made.headers["location"]
    cid = url.rsplit("/", 1)[1]
    # From a document's page, then from a search result.
    page = client.get(f"/notice/{ids['public_pdf']}").text  # type: ignore[index]
    assert 'action="/dossiers/ajouter"' in page
    client.post("/dossiers/ajouter", data={"csrf": csrf_of(page), "collection": cid,
                                           "document": ids["public_pdf"]})  # type: ignore[index]
    results = client.get("/", params={"q": "mutuelles"}).text
    assert f'id="add-{ids["public_docx"]}"' in results  # type: ignore[index]
    back = client.post("/dossiers/ajouter", data={
        "csrf": csrf_of(results), "collection": cid, "document": ids["public_docx"],  # type: ignore[index]
        "note": "Pour comparer", "retour": "/?q=mutuelles"}, follow_redirects=False)
    assert back.headers["location"] == "/?q=mutuelles"
    shown = client.get(url).text
    order = re.findall(r'<li id="d-(\w+)"', shown)
    assert order == [ids["public_pdf"], ids["public_docx"]]  # type: ignore[index]
    assert "Pour comparer" in shown
    revision = revision_of(shown)
    moved = client.post(f"/dossiers/{cid}/entree", data={
        "csrf": csrf_of(shown), "revision": revision, "document": ids["public_docx"],  # type: ignore[index]
        "action": "monter"}, follow_redirects=False)
    assert moved.status_code == 303
    assert re.findall(r'<li id="d-(\w+)"', client.get(url).text)[0] == ids["public_docx"]  # type: ignore[index]
    # The page's revision is now stale: refused, nothing moved.
    stale = client.post(f"/dossiers/{cid}/entree", data={
        "csrf": csrf_of(shown), "revision": revision, "document": ids["public_pdf"],  # type: ignore[index]
        "action": "retirer"})
    assert stale.status_code == 412 and "Modifié entre-temps" in stale.text
    assert len(re.findall(r'<li id="d-', client.get(url).text)) == 2
    # "Search within" the collection; the document page names it.
    within = client.get(url).text
    assert f'name="collection" value="{cid}"' in within
    found = client.get("/", params={"collection": cid}).text
    assert "2 documents" in found and "Collection : Dossier pôle ESS" in found
    assert "Dossier pôle ESS" in client.get(f"/notice/{ids['public_pdf']}").text  # type: ignore[index]


def test_a_collection_the_visitor_may_not_see_is_a_404_page(
    client: TestClient, setup: dict[str, object]
) -> None:
    sign_in(client, setup["tokens"]["curator"])  # type: ignore[index]
    made = client.post("/dossiers", data={
        "name": "Réservé au réseau", "visibility": "network",
        "csrf": csrf_of(client.get("/dossiers").text)}, follow_redirects=False)
    url = made.headers["location"]
    assert client.get(url).status_code == 200
    client.post("/deconnexion", data={"csrf": csrf_of(client.get("/").text)})
    assert client.get(url).status_code == 404
    assert "Réservé au réseau" not in client.get("/dossiers").text
    assert client.get("/", params={"collection": url.rsplit("/", 1)[1]}).status_code == 404


@pytest.mark.parametrize("query", ["recyclerie", "fondations", "SCIC bois", "pôle ESS"])
def test_every_snippet_leads_to_an_anchor_on_its_document_page(
    client: TestClient, query: str
) -> None:
    links = re.findall(r'href="(/notice/[^"#]*)#([^"]+)"', client.get("/", params={
        "q": query}).text)
    assert links
    for url, anchor in links:
        assert f'id="{anchor}"' in client.get(unescape(url)).text, (url, anchor)


def wait_indexed(client: TestClient, seconds: float = 10.0) -> None:
    """Until the index has followed the catalog: the server's writer indexes in the
    background, a page's write answers before."""
    deadline = time.monotonic() + seconds
    while client.get("/api/v1/health").json()["index"]["state"] != "ok":
        assert time.monotonic() < deadline, "the index did not follow the catalog"
        time.sleep(0.05)
