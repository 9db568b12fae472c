"""The web pages in a real browser: headless Chromium (Debian's) driven by Selenium against
a real `kb serve` on loopback, over a library ingested from corpus/.

One server and one browser for the whole module (starting Chromium costs seconds).
Screenshots of the main pages at 1280 and 390 px wide go to var/screenshots/ (git-ignored),
to be looked at; with KB_KEEP_SCREENSHOTS=1, those of the search page and of a document's
page are also written to docs/screenshots/, which the repository keeps (a plain run leaves
the tree as it was: a document page's reference names the test server's port and the date).
axe-core checks each page for serious and critical accessibility violations, and the
search, document, collection and submission pages for any violation at all.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import bibtexparser
import httpx
import pytest
import rispy

from kb.actors import Actor
from kb.curation.collections import add_documents, create_collection
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, PROJECT_ROOT
from kb.tokens import create_token
from tests.conftest import stop
from tests.tools import require_tool

pytestmark = pytest.mark.slow

CORPUS = PROJECT_ROOT / "corpus"
SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
KEPT_SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"  # committed: how the pages look
KEPT = frozenset({"recherche", "document"})
WIDTHS = {"large": 1280, "phone": 390}
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync",
)
AXE_BLOCKING = ("serious", "critical")


@dataclass
class Site:
    base: str
    admin_token: str
    network_token: str
    root: Path
    browser: object  # selenium WebDriver
    collection: str  # a public collection of two documents, the first with a note

    def go(self, path: str) -> None:
        self.browser.get(self.base + path)  # type: ignore[attr-defined]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(base: str, server: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "kb serve stopped: " + (
            server.stderr.read().decode() if server.stderr else "")
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("kb serve did not answer in time")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    chromium = require_tool("chromium", package="chromium")
    chromedriver = require_tool("chromedriver", package="chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    root = tmp_path_factory.mktemp("web")
    library_dir = root / "library"
    subprocess.run([sys.executable, "-m", "kb", "--library", str(library_dir), "ingest",
                    str(CORPUS), "--workers", "1"], cwd=PROJECT_ROOT, check=True,
                   capture_output=True)
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        _token, admin = create_token(library.catalog, "web-admin", "admin")
        _token, network = create_token(library.catalog, "web-reseau", "network")
        collection = _a_collection(library)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "kb", "--library", str(library_dir), "serve", "--host",
         "127.0.0.1", "--port", str(port)],
        cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    browser = None
    try:
        _wait_for(base, server)
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={root / 'chromium-profile'}")
        options.add_argument("--window-size=1280,900")
        # The driver's path is given: Selenium Manager never looks for (or downloads) one.
        browser = webdriver.Chrome(service=Service(executable_path=chromedriver),
                                   options=options)
        browser.set_page_load_timeout(30)
        yield Site(base, admin, network, root, browser, collection)
    finally:
        if browser is not None:
            browser.quit()
        stop(server, timeout=10)
        if server.stderr is not None:
            server.stderr.close()


def _a_collection(library: Library) -> str:
    """A public collection of two public documents of corpus/, the first with a note."""
    actor = Actor("web-admin", "admin", "cli")
    made = create_collection(library, actor, "Pôle ESS du Pays de Rennes",
                             description="Le dossier de l'étude de 2007-2008.",
                             visibility="public")
    wanted = ("etude-pole-ess-pays-de-rennes-2008.pdf", "benchmarking-cae-rennes-2008.md")
    ids = {Path(p.path).name: doc.id for doc in library.catalog.documents(state="active")
           for p in library.catalog.paths_of(doc.id)}
    add_documents(library, actor, made.id, [ids[wanted[0]]], note="La version finale.")
    add_documents(library, actor, made.id, [ids[wanted[1]]])
    return made.id


def _by(kind: str):  # noqa: ANN202 - selenium's By, imported after the skip
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def follow(site: Site, element: object) -> None:
    """Click a link or button and wait until the next page has replaced this one."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    old = site.browser.find_element(_by("TAG_NAME"), "html")  # type: ignore[attr-defined]
    element.click()  # type: ignore[attr-defined]

    def replaced(_: object) -> bool:
        # Chromium answers a stale element or, caught mid-navigation, "Node with given
        # id does not belong to the document": either way the old page is gone.
        try:
            old.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(site.browser, 15).until(replaced)
    WebDriverWait(site.browser, 15).until(
        lambda b: b.execute_script("return document.readyState") == "complete")


def screenshot(site: Site, name: str) -> None:
    """The whole page at each width, as PNG files under var/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser = site.browser
    for label, width in WIDTHS.items():
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {  # type: ignore[attr-defined]
            "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500})
        shot = browser.execute_cdp_cmd("Page.captureScreenshot", {  # type: ignore[attr-defined]
            "format": "png", "captureBeyondViewport": True})
        png = base64.b64decode(shot["data"])
        (SCREENSHOTS / f"{name}-{label}.png").write_bytes(png)
        if name in KEPT and os.environ.get("KB_KEEP_SCREENSHOTS"):
            KEPT_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            (KEPT_SCREENSHOTS / f"{name}-{label}.png").write_bytes(png)
        if width < 500:  # the first screen alone, as a phone shows it
            browser.execute_script("window.scrollTo(0, 0)")  # type: ignore[attr-defined]
            top = browser.execute_cdp_cmd("Page.captureScreenshot", {  # type: ignore[attr-defined]
                "format": "png"})
            (SCREENSHOTS / f"{name}-{label}-top.png").write_bytes(base64.b64decode(top["data"]))
        # Nothing wider than the screen: no sideways scrolling on a phone.
        overflow = browser.execute_script(  # type: ignore[attr-defined]
            "return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} is {overflow}px wider than {width}px"
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})  # type: ignore[attr-defined]


def accessible(site: Site, *, any_impact: bool = False) -> None:
    """No serious or critical axe-core violation on the current page (`any_impact`: no
    violation at all, minor and moderate ones too)."""
    from axe_selenium_python import Axe

    axe = Axe(site.browser)
    axe.inject()
    results = axe.run()
    blocking = [v for v in results["violations"]
                if any_impact or v.get("impact") in AXE_BLOCKING]
    assert not blocking, axe.report(blocking)


def test_search_facet_document_page_anchor_file_and_citations(site: Site) -> None:
    browser = site.browser
    site.go("/")
    box = browser.find_element(_by("ID"), "q")  # type: ignore[attr-defined]
    box.send_keys('"pole ESS"')  # accents optional
    follow(site, browser.find_element(_by("CSS_SELECTOR"), "form.search button"))
    assert "pôle" in browser.page_source.lower() or "pole" in browser.current_url
    assert "<mark>" in browser.page_source
    query = parse_qs(urlsplit(browser.current_url).query)
    assert query["q"] == ['"pole ESS"']  # the state is in the URL
    total = browser.find_element(_by("ID"), "resultats").text
    # The facets fit: the territory tree folds below the départements, so that the other
    # facets' headings are on the first screen of a desk (1280 x 900).
    tops = browser.execute_script(
        "return Array.from(document.querySelectorAll('aside.facets h3'),"
        " h => [h.textContent, h.getBoundingClientRect().top + window.scrollY])")
    print("facet headings (px from the top):", tops)
    assert len(tops) >= 4 and all(top < 900 for _name, top in tops[:4]), tops
    screenshot(site, "recherche")
    accessible(site, any_impact=True)

    # Narrow by territory: the facet is a plain link that adds the filter to the URL.
    facet = browser.find_element(_by("XPATH"),
                                 "//aside//a[normalize-space(text())='Ille-et-Vilaine']")
    follow(site, facet)
    assert parse_qs(urlsplit(browser.current_url).query)["territory"] == ["ille-et-vilaine"]
    chips = browser.find_elements(_by("CSS_SELECTOR"), ".chips .chip")
    assert any("Ille-et-Vilaine" in c.text for c in chips)
    narrowed = browser.find_element(_by("ID"), "resultats").text
    assert narrowed != total or "document" in narrowed

    # A snippet leads to its page of the document, words highlighted there.
    snippet = browser.find_element(_by("CSS_SELECTOR"), ".snippets a[href*='#page-']")
    target = snippet.get_attribute("href")
    anchor = urlsplit(target).fragment
    follow(site, snippet)
    assert urlsplit(browser.current_url).path.startswith("/notice/")
    assert browser.find_element(_by("ID"), anchor).is_displayed()
    assert browser.find_elements(_by("CSS_SELECTOR"), ".section-text mark")
    # The page carries what Zotero's connector reads.
    metas = {m.get_attribute("name"): m.get_attribute("content")
             for m in browser.find_elements(_by("CSS_SELECTOR"), "meta[name^='citation_']")}
    assert metas["citation_title"]
    assert metas["citation_publication_date"][:4].isdigit()
    ld = json.loads(browser.find_element(
        _by("CSS_SELECTOR"), "script[type='application/ld+json']").get_attribute("textContent"))
    assert ld["@context"] == "https://schema.org" and ld["name"] == metas["citation_title"]
    screenshot(site, "document")
    accessible(site, any_impact=True)

    # The original file answers (a PDF, inline).
    file_link = browser.find_element(_by("XPATH"), "//section[@aria-labelledby='fichier']//a")
    answer = httpx.get(file_link.get_attribute("href"))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    assert metas["citation_pdf_url"] == file_link.get_attribute("href")

    # The three citation downloads parse with the formats' own readers.
    links = {a.text: a.get_attribute("href") for a in browser.find_elements(
        _by("XPATH"), "//section[@aria-labelledby='citer']//a")}
    ris = rispy.loads(httpx.get(links["RIS"]).text)
    assert ris[0]["title"] == metas["citation_title"]
    bib = bibtexparser.parse_string(httpx.get(links["BibTeX"]).text)
    assert len(bib.entries) == 1 and not bib.failed_blocks
    csl = httpx.get(links["CSL-JSON"]).json()
    assert csl[0]["title"] == metas["citation_title"]
    assert "consulté le" in browser.find_element(_by("CSS_SELECTOR"), ".reference").text


def test_help_collections_and_a_missing_document(site: Site) -> None:
    browser = site.browser
    site.go("/aide")
    assert "Syntaxe" in browser.page_source
    screenshot(site, "aide")
    accessible(site)
    site.go("/dossiers")
    assert browser.find_element(_by("TAG_NAME"), "h1").text == "Collections"
    site.go("/notice/0000000000")
    assert browser.find_element(_by("TAG_NAME"), "h1").text == "Page introuvable"
    accessible(site)


def test_keyboard_focus_is_visible(site: Site) -> None:
    browser = site.browser
    site.go("/")
    from selenium.webdriver.common.keys import Keys

    body = browser.find_element(_by("TAG_NAME"), "body")
    body.send_keys(Keys.TAB)  # the skip link first
    active = browser.switch_to.active_element
    assert active.text == "Aller au contenu"
    outline = browser.execute_script(
        "const s = getComputedStyle(document.activeElement);"
        "return [s.outlineStyle, s.outlineWidth];")
    assert outline[0] != "none" and outline[1] != "0px"


def test_api_docs_load_without_internet(site: Site) -> None:
    browser = site.browser
    site.go("/docs")
    deadline = time.monotonic() + 15
    while not browser.find_elements(_by("CSS_SELECTOR"), ".swagger-ui .info"):
        assert time.monotonic() < deadline, "Swagger UI did not render"
        time.sleep(0.2)
    scripts = [s.get_attribute("src") for s in browser.find_elements(_by("TAG_NAME"), "script")]
    assert all(s.startswith(site.base) for s in scripts if s)


def test_sign_in_correct_a_tag_audit_shows_it_sign_out(site: Site) -> None:
    browser = site.browser
    site.go("/?q=fondations")
    first = browser.find_element(_by("CSS_SELECTOR"), ".hit h3 a")
    doc_path = urlsplit(first.get_attribute("href")).path
    site.go("/connexion")
    accessible(site)
    browser.find_element(_by("ID"), "token").send_keys(site.admin_token)
    follow(site, browser.find_element(_by("CSS_SELECTOR"), "form.stack button"))
    assert "web-admin" in browser.find_element(_by("CSS_SELECTOR"), "header").text
    assert site.admin_token not in browser.page_source
    cookie = browser.get_cookie("kb_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert site.admin_token not in cookie["value"]

    site.go(doc_path)
    section = browser.find_element(_by("XPATH"),
                                   "//details[summary[starts-with(normalize-space(), 'Mission')]]")
    section.find_element(_by("TAG_NAME"), "summary").click()
    box = section.find_element(_by("CSS_SELECTOR"), "input[value='capitalisation']")
    if not box.is_selected():
        box.click()
    else:
        section.find_element(_by("CSS_SELECTOR"), "input[value='diffusion']").click()
    follow(site, section.find_element(_by("CSS_SELECTOR"), "button[type=submit]"))
    assert "La correction est enregistrée." in browser.page_source
    # The curation panel spans the page under the text, not the side column.
    widths = browser.execute_script(
        "return [document.querySelector('section.curation').offsetWidth,"
        " document.querySelector('main').offsetWidth]")
    assert widths[0] > 0.8 * widths[1], widths
    screenshot(site, "document-curation")
    accessible(site)

    follow(site, browser.find_element(_by("LINK_TEXT"), "Historique des modifications"))
    rows = browser.find_elements(_by("CSS_SELECTOR"), "table.history tbody tr")
    assert rows and "tag.set" in rows[0].text and "web-admin" in rows[0].text
    screenshot(site, "historique")
    accessible(site)

    follow(site, browser.find_element(_by("CSS_SELECTOR"), "header button.link"))
    assert "Se connecter" in browser.find_element(_by("CSS_SELECTOR"), "header").text
    assert browser.get_cookie("kb_session") is None
    site.go(doc_path + "/historique")
    assert browser.find_element(_by("TAG_NAME"), "h1").text == "Action refusée"


def sign_in(site: Site, token: str) -> None:
    site.go("/connexion")
    site.browser.find_element(_by("ID"), "token").send_keys(token)  # type: ignore[attr-defined]
    follow(site, site.browser.find_element(  # type: ignore[attr-defined]
        _by("CSS_SELECTOR"), "main form.stack button"))


def sign_out(site: Site) -> None:
    follow(site, site.browser.find_element(  # type: ignore[attr-defined]
        _by("CSS_SELECTOR"), "header button.link"))


def test_submit_review_validate_then_public_in_an_anonymous_search(site: Site) -> None:
    from selenium.webdriver.support.ui import Select

    browser = site.browser
    note = site.root / "note-okapi.txt"
    note.write_text("L'okapi coopératif : une SCIC de services à la personne à Vannes.\n" * 8,
                    encoding="utf-8")
    sign_in(site, site.network_token)
    site.go("/depot")
    screenshot(site, "depot")
    accessible(site, any_impact=True)
    browser.find_element(_by("ID"), "file").send_keys(str(note))
    browser.find_element(_by("ID"), "title").send_keys("L'okapi coopératif")
    Select(browser.find_element(_by("ID"), "kind")).select_by_visible_text("Étude")
    browser.find_element(_by("ID"), "authors").send_keys("Le Goff, Anne")
    follow(site, browser.find_element(_by("CSS_SELECTOR"), "form.stack > button"))
    assert "Votre document est déposé" in browser.page_source
    screenshot(site, "mes-depots")
    sign_out(site)

    sign_in(site, site.admin_token)
    site.go("/depots")
    follow(site, browser.find_element(_by("LINK_TEXT"), "L'okapi coopératif"))
    assert "une SCIC de services" in browser.page_source  # the extracted text
    screenshot(site, "examen-depot")
    accessible(site)
    follow(site, browser.find_element(_by("CSS_SELECTOR"), "button[value='validated']"))
    browser.find_element(_by("CSS_SELECTOR"), "input[name='value'][value='public']").click()
    follow(site, browser.find_element(_by("XPATH"),
                                      "//button[normalize-space()='Changer la visibilité']"))
    review = browser.find_element(_by("TAG_NAME"), "main").text
    assert "Validé" in review and "Public" in review
    sign_out(site)

    site.go("/?q=okapi")
    hits = browser.find_elements(_by("CSS_SELECTOR"), ".hit h3 a")
    assert [h.text for h in hits] == ["L'okapi coopératif"]


def test_sign_in_and_collections_pages(site: Site) -> None:
    site.go("/connexion")
    screenshot(site, "connexion")
    site.go("/dossiers")
    screenshot(site, "collections")
    accessible(site, any_impact=True)
    site.go(f"/dossiers/{site.collection}")
    screenshot(site, "collection")
    accessible(site, any_impact=True)
    # The collection exports from its page, as Zotero reads it.
    ris = site.browser.find_element(  # type: ignore[attr-defined]
        _by("XPATH"), "//p[contains(@class, 'export')]/a[text()='RIS']")
    entries = rispy.loads(httpx.get(ris.get_attribute("href")).text)
    assert len(entries) == 2 and entries[0]["notes"] == ["La version finale."]


def test_screenshots_are_written() -> None:
    if not SCREENSHOTS.exists():
        pytest.skip("no browser run in this session")
    names = {p.name for p in SCREENSHOTS.glob("*.png")}
    assert {"recherche-large.png", "recherche-phone.png"} <= names, sorted(names)
    assert all(os.path.getsize(SCREENSHOTS / n) > 5000 for n in names)
    kept = {f"{page}-{width}.png" for page in KEPT for width in WIDTHS}
    assert all((KEPT_SCREENSHOTS / n).stat().st_size > 5000 for n in kept)
