"""Exports: RIS and CSL-JSON checked field by field against what Zotero's importers read,
BibTeX parsed back, CSV and JSON; through the library, `kb export` and the API."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from click.testing import CliRunner

from api.app import create_app
from kb.actors import Actor
from kb.cli import cli
from kb.curation import collections, exports
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from tests.conftest import write

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

BASE = "https://ess-bretagne.example"
PUBLISHERS = "CRES Bretagne; Collège coopératif de Bretagne"
STUDY_SIDECAR = """\
title = "Étude de faisabilité d'un pôle ESS : 50 % des {structures} & la SCIC"
authors = ["Dupont, Jean", "Collège coopératif de Bretagne"]
date = 2008-03-14
kind = "etude"
family = ["cooperatives", "associations"]
territory = "pays-de-rennes"
mission = ["developpement"]
summary = "Cinquante structures,\\nsept priorités."
language = "fr"
"""


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    root = tmp_path_factory.mktemp("export")
    docs = root / "docs"
    write(docs / "etude.md", "# Étude\n\nLe pôle ESS du Pays de Rennes.\n")
    write(docs / "etude.md.meta.toml", STUDY_SIDECAR)
    write(docs / "diaporama.md", "# Réunion\n\nDiaporama du comité de pilotage.\n")
    write(docs / "diaporama.md.meta.toml", 'kind = "presentation"\nyear = 2010\n'
          'title = "Restitution au comité"\n')
    write(docs / "page.html", "<html><head><title>Recyclerie de Lorient</title></head>"
          "<body><p>Une recyclerie solidaire à Lorient.</p></body></html>")
    with Library.open(root / "library", DEFAULT_VOCABULARY) as library:
        assert ingest(library, [docs], IngestOptions(workers=1)).added == 3
        ids = {p.name: d.id for d in library.catalog.documents()
               for p in map(lambda r: Path(r.path), library.catalog.paths_of(d.id))}
        me = Actor.local()
        collections.create_collection(library, me, "Lectures", visibility="public")
        collections.add_documents(library, me, "lectures", [ids["etude.md"]],
                                  note="Lire d'abord\nla synthèse")
        collections.add_documents(library, me, "lectures", [ids["diaporama.md"],
                                                            ids["page.html"]])
    yield root / "library", {"etude": ids["etude.md"], "slides": ids["diaporama.md"],
                             "page": ids["page.html"]}


def rendered(lib: tuple[Path, dict[str, str]], fmt: str, *, with_notes: bool = True) -> str:
    with Library.open(lib[0], DEFAULT_VOCABULARY) as library:
        _, refs = exports.collection_references(library, "lectures", scope=None,
                                                public_url=BASE, with_notes=with_notes)
        return exports.render(refs, fmt).text


def ris_records(text: str) -> list[list[tuple[str, str]]]:
    """RIS as Zotero reads it: `XX  - value` lines, records closed by ER."""
    records: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in text.split("\r\n"):
        if not line:
            continue
        assert line[2:6] == "  - ", f"not a RIS line: {line!r}"
        tag, value = line[:2], line[6:]
        if tag == "ER":
            records.append(current)
            current = []
        else:
            current.append((tag, value))
    assert not current, "a record without ER"
    return records


def test_ris_field_by_field(lib: tuple[Path, dict[str, str]]) -> None:
    text = rendered(lib, "ris")
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    study, slides, page = ris_records(text)
    etude = lib[1]["etude"]
    assert study == [
        ("TY", "RPRT"),
        ("TI", "Étude de faisabilité d'un pôle ESS : 50 % des {structures} & la SCIC"),
        ("AU", "Dupont, Jean"),
        ("AU", "Collège coopératif de Bretagne"),
        ("PY", "2008"),
        ("DA", "2008/03/14/"),
        ("M3", "Étude"),
        ("AB", "Cinquante structures, sept priorités."),
        ("LA", "fr"),
        ("PB", PUBLISHERS),
        ("UR", f"{BASE}/notice/{etude}"),
        ("KW", "Coopératives"),
        ("KW", "Associations"),
        ("KW", "Pays de Rennes"),
        ("KW", "Développement"),
        ("N1", "Lire d'abord la synthèse"),
    ]
    assert slides[:2] == [("TY", "SLIDE"), ("TI", "Restitution au comité")]
    assert ("PY", "2010") in slides and ("M3", "Présentation") in slides
    assert page[0] == ("TY", "ELEC") and ("TI", "Recyclerie de Lorient") in page
    assert not any(tag in ("AU", "N1", "DA") for tag, _ in page)
    assert not any(tag == "N1" for record in ris_records(rendered(lib, "ris", with_notes=False))
                   for tag, _ in record)


def test_csl_json_field_by_field(lib: tuple[Path, dict[str, str]]) -> None:
    study, slides, page = json.loads(rendered(lib, "csl-json"))
    etude = lib[1]["etude"]
    assert study == {
        "id": etude,
        "type": "report",
        "title": "Étude de faisabilité d'un pôle ESS : 50 % des {structures} & la SCIC",
        "author": [{"family": "Dupont", "given": "Jean"},
                   {"literal": "Collège coopératif de Bretagne"}],
        "issued": {"date-parts": [[2008, 3, 14]]},
        "genre": "Étude",
        "abstract": "Cinquante structures,\nsept priorités.",
        "language": "fr",
        "publisher": PUBLISHERS,
        "URL": f"{BASE}/notice/{etude}",
        "keyword": "Coopératives, Associations, Pays de Rennes, Développement",
        "note": "Lire d'abord\nla synthèse",
    }
    assert slides["type"] == "speech" and slides["issued"] == {"date-parts": [[2010]]}
    assert slides["genre"] == "Présentation"
    assert page["type"] == "webpage" and "issued" not in page and "genre" not in page
    # Types Zotero's CSL JSON importer accepts (it refuses a file with any other).
    assert {i["type"] for i in (study, slides, page)} <= {"report", "speech", "webpage",
                                                          "thesis"}


def test_bibtex_parses_back(lib: tuple[Path, dict[str, str]]) -> None:
    text = rendered(lib, "bibtex")
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks
    study, slides, page = parsed.entries
    assert study.entry_type == "techreport" and study.key.startswith("dupont2008-")
    assert study["title"] == (r"Étude de faisabilité d'un pôle {ESS} : 50 \% des {structures} "
                              r"\& la {SCIC}")
    assert study["author"] == "Dupont, Jean and {Collège coopératif de Bretagne}"
    assert study["year"] == "2008" and study["type"] == "Étude"
    assert study["date"] == "2008-03-14"
    assert study["langid"] == "french" and study["language"] == "french"
    assert study["institution"] == "{CRES Bretagne} and {Collège coopératif de Bretagne}"
    assert study["keywords"] == "Coopératives, Associations, Pays de Rennes, Développement"
    assert study["url"] == f"{BASE}/notice/{lib[1]['etude']}"
    assert study["annote"] == "Lire d'abord la synthèse"
    assert slides.entry_type == "misc" and slides["howpublished"] == "Présentation"
    assert page.entry_type == "misc"
    assert len({study.key, slides.key, page.key}) == 3


def test_bibtex_unbalanced_braces_do_not_break_the_file() -> None:
    from kb.curation.citations import Reference, bibtex

    ref = Reference(id="abcdef1234", title="Bilan } provisoire {", authors=(), year=None,
                    date=None, kind=None, kind_label=None, media_type="application/pdf",
                    summary=None, language=None, url="http://x/documents/abcdef1234",
                    file_url="", tags={}, labels={}, keywords=())
    parsed = bibtexparser.parse_string(bibtex([ref]))
    assert not parsed.failed_blocks
    assert parsed.entries[0]["title"] == "Bilan provisoire"
    assert parsed.entries[0].key == "bilannd-abcdef"


def test_csv_and_json(lib: tuple[Path, dict[str, str]]) -> None:
    text = rendered(lib, "csv")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["id"] for r in rows] == [lib[1]["etude"], lib[1]["slides"], lib[1]["page"]]
    assert rows[0]["authors"] == "Dupont, Jean; Collège coopératif de Bretagne"
    assert rows[0]["family"] == "Coopératives; Associations" and rows[0]["year"] == "2008"
    assert rows[0]["note"] == "Lire d'abord\nla synthèse"
    items = json.loads(rendered(lib, "json"))
    assert items[0]["tags"]["family"] == ["cooperatives", "associations"]
    assert items[0]["citation_type"] == "report" and items[1]["citation_type"] == "speech"


def test_kb_export(lib: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    out = tmp_path / "lectures.ris"
    result = CliRunner().invoke(cli, ["--library", str(lib[0]), "export", "--collection",
                                      "lectures", "-o", str(out), "--public-url", BASE])
    assert result.exit_code == 0, result.output
    assert "3 references written" in result.stderr
    # Acting with every power, it says what the file holds before it is shared.
    assert "3 references as the local user" in result.stderr
    assert "3 public" in result.stderr and "without the curators' notes" in result.stderr
    assert "N1  - " not in out.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["--library", str(lib[0]), "export", "--collection",
                                      "lectures", "--with-notes"],
                                env={"KB_PUBLIC_URL": "https://portail.example"})
    assert "N1  - Lire d'abord la synthèse" in result.stdout
    assert "UR  - https://portail.example/notice/" in result.stdout
    assert "with the curators' notes" in result.stderr
    assert len(ris_records(out.read_bytes().decode("utf-8"))) == 3
    result = CliRunner().invoke(cli, ["--library", str(lib[0]), "export", "pôle",
                                      "--family", "cooperatives", "-f", "csl-json"])
    assert result.exit_code == 0, result.output
    assert [i["id"] for i in json.loads(result.stdout)] == [lib[1]["etude"]]
    result = CliRunner().invoke(cli, ["--library", str(lib[0]), "export", "diaporama",
                                      "--collection", "lectures", "-f", "json"])
    assert [i["id"] for i in json.loads(result.stdout)] == [lib[1]["slides"]]
    result = CliRunner().invoke(cli, ["--library", str(lib[0]), "export", "--collection",
                                      "inconnue"])
    assert result.exit_code == 1 and "no collection 'inconnue'" in result.stderr


def test_api_exports(lib: tuple[Path, dict[str, str]]) -> None:
    with TestClient(create_app(Settings(library=lib[0], public_url=BASE))) as client:
        response = client.get("/collections/lectures/export", params={"format": "ris"})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-research-info-systems")
        assert response.headers["content-disposition"] == (
            'attachment; filename="collection-lectures.ris"')
        records = ris_records(response.text)
        assert ("UR", f"{BASE}/notice/{lib[1]['etude']}") in records[0]
        assert not any(tag == "N1" for tag, _ in records[0])
        response = client.get("/collections/lectures/export",
                              params={"format": "ris", "with_notes": "true"})
        assert ("N1", "Lire d'abord la synthèse") in ris_records(response.text)[0]
        response = client.get("/search/export", params={"q": "recyclerie", "format": "csl-json"})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/vnd.citationstyles.csl+json"
        assert [i["id"] for i in response.json()] == [lib[1]["page"]]
        response = client.get("/search/export", params={"collection": "lectures",
                                                        "format": "bibtex", "kind": "etude"})
        assert len(bibtexparser.parse_string(response.text).entries) == 1
        assert client.get("/search/export", params={"format": "docx"}).status_code == 422
        assert client.get("/collections/nulle/export").status_code == 404
