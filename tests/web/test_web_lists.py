"""What researchers and curators look for on the pages, over corpus/ ingested under
tmp_path (TestClient, pages read with lxml): exports of a result list and of a collection
from the page itself, a page size, facets folded to fit, chips that name their field, the
curation panel across the page, a collection note shown once, the submission form's
territories as the vocabulary's tree."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import bibtexparser
import lxml.html
import pytest
import rispy

from api.app import create_app
from kb.actors import Actor
from kb.curation.collections import add_documents, create_collection
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, PROJECT_ROOT, Settings
from kb.tokens import create_token
from tests.web.test_web_pages import csrf_of, doc_id

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow  # the corpus ingested, its pages end to end

NOTE = "À lire avant la réunion du groupe de travail."


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    library_dir = tmp_path_factory.mktemp("lists") / "library"
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        ingest(library, [PROJECT_ROOT / "corpus"], IngestOptions(workers=1))
        tokens = {role: create_token(library.catalog, f"l-{role}", role)[1]
                  for role in ("curator", "network")}
        actor = Actor("l-curator", "curator", "api")
        made = create_collection(library, actor, "Dossier pôle ESS", visibility="public")
        public = doc_id(library, "etude-pole-ess-pays-de-rennes-2008.pdf")
        internal = doc_id(library, "compte-rendu-cellule-coordination-2011-09.txt")
        add_documents(library, actor, made.id, [public], note=NOTE)
        add_documents(library, actor, made.id, [internal])
    return {"library": library_dir, "tokens": tokens, "collection": made.id,
            "public": public, "internal": internal}


@pytest.fixture
def client(setup: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(library=setup["library"]))) as c:
        yield c


def tree(html: str) -> Any:
    return lxml.html.fromstring(html)


def has(name: str) -> str:
    """XPath: an element of class `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def sign_in(client: TestClient, token: str) -> None:
    form = client.get("/connexion")
    answer = client.post("/connexion", data={"token": token, "csrf": csrf_of(form.text)},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text


def links_in(page: Any, kind: str) -> dict[str, str]:
    """Text -> href of the links in the paragraphs of class `kind`."""
    return {a.text_content().strip(): a.get("href")
            for a in page.xpath(f".//p[{has(kind)}]//a")}


def export_links(page: Any) -> dict[str, str]:
    return links_in(page, "export")


# --- exports ---------------------------------------------------------------------------------


def test_a_result_list_exports_as_ris_bibtex_and_csl_json(client: TestClient) -> None:
    page = tree(client.get("/", params={"q": "ESS", "sort": "date", "page": 2}).text)
    heading = page.get_element_by_id("resultats").text_content()
    total = int(re.search(r"(\d+) documents", heading)[1])  # type: ignore[index]
    links = export_links(page)
    assert set(links) == {"RIS", "BibTeX", "CSL-JSON"}
    query = parse_qs(urlsplit(links["RIS"]).query)
    assert query["q"] == ["ESS"] and query["sort"] == ["date"] and "page" not in query
    ris = client.get(links["RIS"])
    assert ris.status_code == 200 and "attachment" in ris.headers["content-disposition"]
    entries = rispy.loads(ris.text)
    assert len(entries) == total > 10  # every result, not the page shown
    assert all(e["urls"][0].startswith("http://testserver/notice/") for e in entries)
    bib = bibtexparser.parse_string(client.get(links["BibTeX"]).text)
    assert len(bib.entries) == total and not bib.failed_blocks
    csl = json.loads(client.get(links["CSL-JSON"]).text)
    assert len(csl) == total
    # Dates first, as the page listed them.
    years = [e["issued"]["date-parts"][0][0] for e in csl if e.get("issued")]
    assert years == sorted(years, reverse=True)


def test_an_export_holds_only_what_the_visitor_may_see(
    client: TestClient, setup: dict[str, Any]
) -> None:
    anonymous = client.get("/exporter", params={"q": "compte rendu", "format": "csl-json"})
    ids = {e["id"] for e in anonymous.json()}
    assert ids and setup["internal"] not in ids
    assert client.get("/exporter", params={"format": "docx"}).status_code == 404


def test_a_collection_exports_from_its_page(client: TestClient, setup: dict[str, Any]) -> None:
    page = tree(client.get(f"/dossiers/{setup['collection']}").text)
    links = export_links(page)
    assert set(links) == {"RIS", "BibTeX", "CSL-JSON"}
    entries = rispy.loads(client.get(links["RIS"]).text)
    # The internal document stays out for an anonymous visitor; the note comes along.
    assert [e["urls"][0].rsplit("/", 1)[1] for e in entries] == [setup["public"]]
    assert NOTE in entries[0]["notes"][0]
    assert client.get("/dossiers/nulle-part/exporter?format=ris").status_code == 404


# --- the search page ---------------------------------------------------------------------------


def test_a_page_size_of_20_or_50(client: TestClient) -> None:
    default = tree(client.get("/", params={"q": "ESS"}).text)
    assert len(default.xpath(f".//li[{has('hit')}]")) == 10
    sizes = links_in(default, "sizes")
    assert set(sizes) == {"20", "50"}
    bigger = tree(client.get(sizes["20"]).text)
    assert 10 < len(bigger.xpath(f".//li[{has('hit')}]")) <= 20
    # The size stays while paging, sorting and in the form; an odd size is the nearest one.
    kept = bigger.xpath(f".//p[{has('sort')}]//a | .//nav[{has('pages')}]//a")
    assert kept and all("size=20" in a.get("href") for a in kept)
    assert bigger.xpath(".//form[@role='search']//input[@name='size'][@value='20']")
    odd = tree(client.get("/", params={"q": "ESS", "size": "45"}).text)
    assert odd.xpath(f".//p[{has('sizes')}]/strong")[0].text_content() == "50"


def test_territories_fold_below_the_departements(client: TestClient) -> None:
    page = tree(client.get("/", params={"q": "ESS"}).text)
    facets = page.xpath(".//aside")[0]
    folds = facets.xpath(f".//details[{has('below')}]")
    assert folds, "no folded level"
    by_name = {d.getparent().xpath("./a")[0].text_content().strip(): d for d in folds}
    # France and Bretagne stand alone at their level: open down to the départements.
    assert by_name["France"].get("open") is not None
    assert by_name["Bretagne"].get("open") is not None
    assert by_name["Ille-et-Vilaine"].get("open") is None  # its pays wait behind a click
    # Every facet's heading is on the first screen's list, not below a long tree.
    headings = [h.text_content() for h in facets.xpath(".//h3")]
    assert headings[:2] == ["Famille de l'ESS", "Territoire"]  # the field table's order
    # A selected pays opens the levels above it.
    chosen = tree(client.get("/", params={"q": "ESS", "territory": "pays-de-rennes"}).text)
    opened = {d.getparent().xpath("./a")[0].text_content().strip()
              for d in chosen.xpath(f".//aside//details[{has('below')}][@open]")}
    assert "Ille-et-Vilaine" in opened


def test_a_hits_tags_say_their_field(client: TestClient) -> None:
    page = tree(client.get("/", params={"q": "pôle ESS Rennes"}).text)
    chips = [li.text_content() for li in page.xpath(f".//ul[{has('tags')}]/li")]
    assert any(c.startswith("Territoire") and "Rennes" in c for c in chips), chips
    assert all(re.match(r"^[^:]+\xa0:", c.strip()) for c in chips), chips
    assert page.xpath(f".//ul[{has('tags')}]/li[{has('tag-territory')}]")


# --- curators ---------------------------------------------------------------------------------


def test_the_curation_panel_spans_the_page(client: TestClient, setup: dict[str, Any]) -> None:
    sign_in(client, setup["tokens"]["curator"])
    page = tree(client.get(f"/notice/{setup['public']}").text)
    panel = page.xpath(f".//section[{has('curation')}]")[0]
    assert not [a for a in panel.iterancestors() if "doc-side" in (a.get("class") or "")]
    assert panel.getparent().tag == "article"


def test_a_collection_note_is_shown_once_to_curators(
    client: TestClient, setup: dict[str, Any]
) -> None:
    url = f"/dossiers/{setup['collection']}"
    assert client.get(url).text.count(NOTE) == 1  # a reader: the note as text
    sign_in(client, setup["tokens"]["curator"])
    assert client.get(url).text.count(NOTE) == 1  # a curator: in the field that edits it


def test_the_submission_form_nests_territories_as_the_vocabulary(
    client: TestClient, setup: dict[str, Any]
) -> None:
    sign_in(client, setup["tokens"]["network"])
    page = tree(client.get("/depot").text)

    def parent_of(key: str) -> str | None:
        box = page.xpath(f".//input[@name='territory'][@value='{key}']")[0]
        li = box.getparent().getparent()  # label, then its li
        above = [a for a in li.iterancestors("li")]
        return above[0].xpath("./label/input")[0].get("value") if above else None

    assert parent_of("pays-de-saint-brieuc") == "cotes-d-armor"
    assert parent_of("saint-brieuc") == "pays-de-saint-brieuc"
    assert parent_of("pays-de-lorient") == "morbihan"
    assert parent_of("cotes-d-armor") == "bretagne"
    assert parent_of("france") is None
