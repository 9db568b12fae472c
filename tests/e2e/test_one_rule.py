"""One behaviour per rule, whichever door a person comes in by: the command line (click's
runner), the API and the web pages (TestClient, pages read with lxml), over one real
library under tmp_path.

The rules: a long pasted query is searched (never cut silently, never refused); a year
filter takes a range as `year:2008..2010` does; a page past the last one says so and names
the last page; a document whose file was deleted says so plainly and offers no download.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from api.app import create_app
from indexer.years import PATTERN, read_years
from kb.cli import cli
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from tests.conftest import write

# End-to-end: real libraries ingested through `kb` (make check leaves them to make test).
pytestmark = pytest.mark.slow

with warnings.catch_warnings():
    # Starlette 1.x prefers the httpx2 package for its TestClient and warns on import.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

# Twelve public notes, one a year from 2003 to 2014: two pages of ten on the search page.
YEARS = range(2003, 2015)
IN_RANGE = {2008, 2009, 2010}
GONE_YEAR = 2005  # its file is deleted from disk after the ingest
# A paragraph as people paste one from a report: real words, about 2,000 characters.
PARAGRAPH = (
    "Le pôle de l'économie sociale et solidaire du Pays de Rennes accompagne les "
    "structures dans leurs projets, favorise l'entrepreneuriat collectif, mutualise les "
    "ressources existantes et représente l'ESS auprès des collectivités locales. "
) * 9
assert 1900 < len(PARAGRAPH) < 2200


def note_text(year: int) -> str:
    return (f"# Note de l'observatoire {year}\n\nL'observatoire de l'économie sociale et "
            f"solidaire publie sa note annuelle {year} sur les structures du Pays de Rennes.\n")


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("rules")
    docs = root / "docs"
    for year in YEARS:
        write(docs / f"note-{year}.md", note_text(year))
        write(docs / f"note-{year}.md.meta.toml", f'visibility = "public"\nyear = {year}\n')
    library_dir = root / "library"
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        report = ingest(library, [docs], IngestOptions(workers=1))
        assert report.added == len(YEARS), report
        ids = {
            int(Path(p.path).stem.split("-")[1].split(".")[0]): doc.id
            for doc in library.catalog.documents()
            for p in library.catalog.paths_of(doc.id)
        }
    # Deleted behind the library's back: no ingest since, the catalog still lists the file.
    (docs / f"note-{GONE_YEAR}.md").unlink()
    return {"library": library_dir, "ids": ids}


@pytest.fixture
def client(setup: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(library=setup["library"]))) as c:
        yield c


def kb(setup: dict[str, Any], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--library", str(setup["library"]), *args])
    return result.exit_code, result.stdout, result.stderr


def cli_ids(setup: dict[str, Any], *args: str) -> set[str]:
    code, out, err = kb(setup, "search", "--json", "--size", "100", *args)
    assert code == 0, out + err
    return {h["id"] for h in json.loads(out)["hits"]}


def api_ids(client: TestClient, **params: Any) -> set[str]:
    response = client.get("/search", params={"size": 100, **params})
    assert response.status_code == 200, response.text
    return {h["id"] for h in response.json()["hits"]}


def html_of(response: Any) -> Any:
    return lxml.html.fromstring(response.text)


def page_ids(client: TestClient, setup: dict[str, Any], **params: Any) -> set[str]:
    """Document ids on every page of the search page's results for `params`."""
    found: set[str] = set()
    for number in (1, 2):
        response = client.get("/", params={**params, "page": number})
        assert response.status_code == 200, response.text
        links = html_of(response).xpath('//ol[@class="hits"]//h3/a/@href')
        found |= {href.split("/notice/")[1].split("?")[0] for href in links}
    return found


def ids_of_years(setup: dict[str, Any], years: set[int]) -> set[str]:
    return {setup["ids"][y] for y in years}


def text_of(response: Any) -> str:
    """The page's text, runs of ASCII white space as one (French no-break spaces kept)."""
    return re.sub(r"[ \t\r\n]+", " ", html_of(response).text_content())


# --- 1. A long pasted query is searched everywhere, on the same characters -----------------


def test_a_pasted_paragraph_is_searched_by_the_cli_the_api_and_the_page(
    setup: dict[str, Any], client: TestClient
) -> None:
    code, out, err = kb(setup, "search", "--json", "--size", "100", PARAGRAPH)
    assert code == 0, err
    payload = json.loads(out)
    assert payload["warnings"] == [] and payload["total"] == len(YEARS)
    by_cli = {h["id"] for h in payload["hits"]}
    api = client.get("/search", params={"q": PARAGRAPH, "size": 100})
    assert api.status_code == 200, api.text
    assert api.json()["warnings"] == []
    assert {h["id"] for h in api.json()["hits"]} == by_cli
    assert page_ids(client, setup, q=PARAGRAPH) == by_cli


def test_the_search_box_cuts_nothing(client: TestClient) -> None:
    box = html_of(client.get("/")).xpath('//input[@id="q"]')[0]
    assert box.get("maxlength") is None


def test_beyond_the_limit_the_first_characters_are_searched_with_a_warning(
    setup: dict[str, Any], client: TestClient
) -> None:
    longer = (PARAGRAPH * 3)[:6000]
    code, out, err = kb(setup, "search", longer)
    assert code == 0, err
    assert "query truncated to its first 5000 characters (of 6000)" in err
    assert "12 documents" in out
    api = client.get("/search", params={"q": longer})
    assert api.status_code == 200, api.text
    assert api.json()["warnings"] == ["query truncated to its first 5000 characters (of 6000)"]
    assert api.json()["total"] == len(YEARS)
    page = client.get("/", params={"q": longer})
    assert page.status_code == 200
    said = text_of(page)
    assert "Votre requête compte 6\u202f000 caractères : seuls les 5\u202f000 premiers ont été " \
           "cherchés." in said
    assert "12 documents" in said and "truncated" not in said


# --- 2. Year ranges mean what year:2008..2010 means, everywhere ---------------------------


@given(st.text(max_size=30) | st.from_regex(PATTERN, fullmatch=True))
def test_a_year_filter_reads_back_its_canonical_spelling(value: str) -> None:
    span = read_years(value)
    assert (span is not None) == bool(re.fullmatch(PATTERN, value))
    if span is not None:
        assert read_years(str(span)) == span
        assert span.first is None or span.last is None or span.first <= span.last


@pytest.mark.parametrize("spelled", ["2008..2010", "2008-2010", "2010..2008"])
def test_a_range_of_years_on_the_command_line(setup: dict[str, Any], spelled: str) -> None:
    expected = ids_of_years(setup, IN_RANGE)
    assert cli_ids(setup, "year:2008..2010") == expected
    assert cli_ids(setup, "--year", spelled) == expected
    assert cli_ids(setup, "--year", "2004", "--year", "2012") == ids_of_years(setup, {2004, 2012})
    assert cli_ids(setup, "--year", "2013..") == ids_of_years(setup, {2013, 2014})


def test_a_bad_year_on_the_command_line_names_it(setup: dict[str, Any]) -> None:
    code, _out, err = kb(setup, "search", "--year", "20x8")
    assert code != 0
    assert "year" in err and "20x8" in err and "2008..2010" in err


@pytest.mark.parametrize("spelled", ["2008..2010", "2008-2010"])
def test_a_range_of_years_in_the_api(setup: dict[str, Any], client: TestClient,
                                     spelled: str) -> None:
    expected = ids_of_years(setup, IN_RANGE)
    assert api_ids(client, q="year:2008..2010") == expected
    assert api_ids(client, year=spelled) == expected
    assert api_ids(client, year=["2004", "2012"]) == ids_of_years(setup, {2004, 2012})
    assert api_ids(client, year=2009) == ids_of_years(setup, {2009})


def test_a_bad_year_in_the_api_names_the_field_and_the_value(client: TestClient) -> None:
    response = client.get("/search", params={"year": "20x8"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert "year" in body["detail"] and "20x8" in body["detail"]
    assert "range of years" in body["detail"]
    french = client.get("/search", params={"year": "20x8"}, headers={"Accept-Language": "fr"})
    assert "année" in french.json()["detail"] and "20x8" in french.json()["detail"]


def test_the_api_documents_year_ranges(client: TestClient) -> None:
    parameters = client.get("/openapi.json").json()["paths"]["/search"]["get"]["parameters"]
    year = next(p for p in parameters if p["name"] == "year")
    assert "2008..2010" in year["description"]


def test_the_search_page_has_a_range_of_years(setup: dict[str, Any], client: TestClient
                                              ) -> None:
    form = html_of(client.get("/")).xpath('//form[@role="search"]')[0]
    labels = {label.get("for"): label.text_content().strip() for label in form.xpath(".//label")}
    assert labels.get("de") == "de" and labels.get("a") == "à"
    expected = ids_of_years(setup, IN_RANGE)
    assert page_ids(client, setup, de="2008", a="2010") == expected
    assert page_ids(client, setup, de="2010", a="2008") == expected
    assert page_ids(client, setup, year="2008..2010") == expected
    assert page_ids(client, setup, q="year:2008..2010") == expected
    assert page_ids(client, setup, de="2013") == ids_of_years(setup, {2013, 2014})
    response = client.get("/", params={"de": "2008", "a": "2010"})
    page = html_of(response)
    assert "Année : de 2008 à 2010" in " ".join(page.xpath('//a[@class="chip"]//text()'))
    # The form shows the range in its fields, not again as a hidden filter.
    assert page.xpath('//input[@id="de"]/@value') == ["2008"]
    assert page.xpath('//input[@id="a"]/@value') == ["2010"]
    assert not page.xpath('//form[@role="search"]//input[@type="hidden"][@name="year"]')
    # Single years (facet links) still work, alone or with a range.
    assert page_ids(client, setup, year="2004") == ids_of_years(setup, {2004})
    assert page_ids(client, setup, year=["2004", "2008..2010"]) == ids_of_years(
        setup, IN_RANGE | {2004})


@pytest.mark.parametrize(("params", "named"), [
    ({"de": "20x8"}, "« de »"), ({"a": "deux mille"}, "« à »"), ({"year": "2008...x"}, "Année"),
])  # fmt: skip
def test_a_bad_year_on_the_page_is_named_in_french(client: TestClient,
                                                   params: dict[str, str], named: str) -> None:
    response = client.get("/", params=params)
    assert response.status_code == 400
    alerts = " ".join(" ".join(p.text_content().split())
                      for p in html_of(response).xpath('//p[@role="alert"]'))
    assert named in alerts and next(iter(params.values())) in alerts
    assert "année" in alerts and "not a" not in alerts


# --- 3. Past the last page ----------------------------------------------------------------


def test_the_page_past_the_last_one_says_so_and_links_to_the_last(client: TestClient) -> None:
    response = client.get("/", params={"page": 50})
    assert response.status_code == 200
    page = html_of(response)
    assert "Page 50 au-delà de la dernière page (2)" in text_of(response)
    assert page.xpath('//p[contains(@class, "past-end")]/a/@href') == ["/?page=2"]
    assert not page.xpath('//a[@rel="prev"]')


def test_the_cli_past_the_last_page_says_so(setup: dict[str, Any]) -> None:
    code, out, _err = kb(setup, "search", "--page", "1000")
    assert code == 0
    assert "12 documents; page 1000 is past the last page (2): ask for --page 2" in out
    assert "page 1000 of" not in out
    code, out, _err = kb(setup, "search", "--page", "1000", "--json")
    assert json.loads(out)["last_page"] == 2


def test_the_api_past_the_last_page_names_it(client: TestClient) -> None:
    body = client.get("/search", params={"page": 50}).json()
    assert body["hits"] == [] and body["total"] == len(YEARS)
    assert body["last_page"] == 2
    assert "page 50 is past the last page (2)" in body["warnings"]
    first = client.get("/search").json()
    assert first["last_page"] == 2 and first["warnings"] == []
    schema = client.get("/openapi.json").json()["components"]["schemas"]["SearchOut"]
    assert "last page" in schema["properties"]["last_page"]["description"]


# --- 4. A document whose file was deleted from disk ---------------------------------------


def test_a_deleted_file_is_said_plainly_and_not_offered(setup: dict[str, Any],
                                                        client: TestClient) -> None:
    gone = setup["ids"][GONE_YEAR]
    api = client.get(f"/documents/{gone}/file")
    assert api.status_code == 404 and "no longer where it was ingested" in api.json()["detail"]

    notice = client.get(f"/notice/{gone}")
    assert notice.status_code == 200
    page = html_of(notice)
    assert "Le fichier n'est plus disponible" in text_of(notice)
    assert not page.xpath('//a[contains(@href, "/fichier")]')
    assert not page.xpath('//meta[@name="citation_pdf_url"]')

    download = client.get(f"/notice/{gone}/fichier")
    assert download.status_code == 404
    said = text_of(download)
    assert "Fichier indisponible" in said and "Le fichier n'est plus disponible" in said
    assert "pas le droit" not in said


def test_a_present_file_keeps_its_download_button(setup: dict[str, Any],
                                                  client: TestClient) -> None:
    here = setup["ids"][2008]
    page = html_of(client.get(f"/notice/{here}"))
    assert page.xpath(f'//a[@class="button"][@href="http://testserver/notice/{here}/fichier"]')
    assert client.get(f"/notice/{here}/fichier").status_code == 200
