"""French where the user reads it, English on the command line, one sentence each: the
findings of a French user's first day, over one real library under tmp_path (the CLI through
click's runner, the API and the pages through TestClient).

- an unknown filter value on a page and under `Accept-Language: fr` is said in French, the
  field by its label, with the closest values; a missing document likewise;
- what the query reader says of a query (stop words only, a lone quote) likewise;
- an acronym written with dots ("S.C.I.C.") is searched as the acronym;
- a misspelled word whose stem happens to match another word ("assocation", "associés")
  gets "did you mean « association »";
- `kb tag set ID kind portrait` lists the kinds there are;
- a sidecar's warning names its file once.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from click.testing import CliRunner

from api.app import create_app
from kb.cli import cli
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from tests.conftest import write

# End-to-end: real libraries through `kb` and the API (make check leaves them to make test).
pytestmark = pytest.mark.slow

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}
DOCS = {
    "pole.md": "# Statut du pôle ESS\n\nLe comité propose que le pôle prenne la forme d'une "
               "S.C.I.C. : une société coopérative d'intérêt collectif.\n",
    "reseau.md": "# Le réseau des associations\n\nChaque association du réseau réunit ses "
                 "associés une fois par an ; l'association tient ses comptes.\n",
}  # fmt: skip


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("messages")
    docs = root / "docs"
    for name, text in DOCS.items():
        write(docs / name, text)
        write(docs / f"{name}.meta.toml", 'visibility = "public"\n')
    library_dir = root / "library"
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        report = ingest(library, [docs], IngestOptions(workers=1))
        assert report.added == len(DOCS), report
        ids = {Path(p.path).name: doc.id for doc in library.catalog.documents()
               for p in library.catalog.paths_of(doc.id)}
    return {"library": library_dir, "ids": ids, "docs": docs}


@pytest.fixture
def client(setup: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(library=setup["library"]))) as c:
        yield c


def kb(library: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--library", str(library), *args])
    return result.exit_code, result.stdout, result.stderr


# --- French on the pages and under Accept-Language: fr ------------------------------------


def test_an_unknown_value_in_the_api_is_said_in_french_when_asked(client: TestClient) -> None:
    english = client.get("/search", params={"territory": "cotes-darmor"})
    assert english.status_code == 422
    assert english.json()["detail"] == (
        "territory: unknown value 'cotes-darmor' (closest: cotes-d-armor)")
    french = client.get("/search", params={"territory": "cotes-darmor"}, headers=FRENCH)
    assert french.json() == {"error": "invalid_tag", "detail": (
        "Territoire : valeur inconnue « cotes-darmor » (les plus proches : cotes-d-armor)")}
    assert french.headers["content-language"] == "fr"


def test_an_unknown_value_on_a_page_is_said_in_french(client: TestClient) -> None:
    response = client.get("/", params={"territory": "cotes-darmor"})
    text = " ".join(lxml.html.fromstring(response.text).text_content().split())
    assert "Territoire : valeur inconnue « cotes-darmor » (les plus proches : cotes-d-armor)" \
        in text
    assert "unknown" not in text and "closest" not in text


def test_a_missing_document_is_said_in_french_only(client: TestClient) -> None:
    answer = client.get("/documents/0123456789", headers=FRENCH).json()
    assert answer == {"error": "not_found",
                      "detail": "aucun document d'identifiant « 0123456789 »"}
    assert client.get("/documents/0123456789").json()["detail"] == (
        "no document with id '0123456789'")


def test_a_parameter_problem_names_the_field_by_its_label_in_french(client: TestClient
                                                                    ) -> None:
    answer = client.get("/search", params={"year": "20x8"}, headers=FRENCH).json()
    assert answer["detail"].startswith("Année : ni une année ni une plage d'années")
    assert "(reçu '20x8')" in answer["detail"]


def test_what_the_query_reader_says_is_french_on_the_page_and_when_asked(
        client: TestClient) -> None:
    page = lxml.html.fromstring(client.get("/", params={"q": "le la les"}).text)
    notices = [" ".join(p.text_content().split()) for p in page.xpath('//p[@class="notice"]')]
    assert "rien à chercher : tous les mots sont des mots vides (« le la les ») ; aucun " \
        "document ne correspond" in notices
    asked = client.get("/search", params={"q": "le la les"}, headers=FRENCH).json()
    assert asked["warnings"][0].startswith("rien à chercher")
    assert "Accept-Language" in client.get("/search", params={"q": "x"}).headers["vary"]
    assert client.get("/search", params={"q": "le la les"}).json()["warnings"][0].startswith(
        "nothing to search")


# --- The command line -----------------------------------------------------------------------


def test_an_acronym_written_with_dots_is_searched_as_the_acronym(setup: dict[str, Any]) -> None:
    pole = setup["ids"]["pole.md"]
    for query in ("S.C.I.C.", "SCIC", "scic", "s.c.i.c"):
        code, out, err = kb(setup["library"], "search", "--json", query)
        assert code == 0, err
        assert [h["id"] for h in json.loads(out)["hits"]] == [pole], query
    code, out, err = kb(setup["library"], "search", "S.C.I.C.")
    assert "stop word" not in out + err


def test_a_misspelling_that_shares_a_stem_gets_a_suggestion(setup: dict[str, Any],
                                                            client: TestClient) -> None:
    code, out, _err = kb(setup["library"], "search", "assocation")
    assert code == 0 and "Did you mean: association" in out
    assert client.get("/search", params={"q": "assocation"}).json()["suggestion"] == (
        "association")
    # A word the library writes, or writes in another form of the same stem, is left alone.
    for typed in ("associés", "associations"):
        assert client.get("/search", params={"q": typed}).json()["suggestion"] is None


def test_an_unknown_kind_lists_the_kinds(setup: dict[str, Any]) -> None:
    doc = setup["ids"]["pole.md"]
    code, _out, err = kb(setup["library"], "tag", "set", doc, "kind", "affiche")
    assert code == 1
    assert "unknown kind 'affiche' (allowed: cadre-de-reference, cadre-logique" in err
    assert "etude" in err and "lettre-d-information" in err


def test_a_sidecar_warning_names_its_file_once(setup: dict[str, Any], tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "note.md", "# Une note\n\nUne note sur les coopératives.\n")
    sidecar = write(docs / "note.md.meta.toml", 'family = "cooperativs"\n')
    library = tmp_path / "library"
    code, out, err = kb(library, "ingest", str(docs))
    assert code == 0, err
    first = [line for line in (out + err).splitlines() if line.startswith("warning:")]
    assert first == [f"warning: {sidecar}: unknown family 'cooperativs' (closest: "
                     "cooperatives)"]
    write(sidecar, 'family = "mutuels"\n')  # the sidecar alone changes: a re-tag
    code, out, err = kb(library, "ingest", str(docs))
    again = [line for line in (out + err).splitlines() if line.startswith("warning:")]
    assert again == [f"warning: {sidecar}: unknown family 'mutuels' (closest: mutuelles)"]
