"""Exports round-tripped through pandoc (its BibTeX and CSL-JSON readers, and citeproc), and
checked against the fields Zotero's BibTeX and RIS importers read."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest

from kb.actors import Actor
from kb.curation import collections, exports
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from tests.conftest import write
from tests.tools import require_tool

PUBLIC_URL = "https://ess-bretagne.example"
TITLE = "Étude de faisabilité d'un pôle ESS sur le Pays de Rennes"
EXTERNAL_TITLE = "Portrait de l'emploi dans les SCOP du Finistère"
STUDY = """\
title = "Étude de faisabilité d'un pôle ESS sur le Pays de Rennes"
authors = ["Collège coopératif de Bretagne", "Dupont, Jean"]
date = 2008-06-15
kind = "etude"
territory = "pays-de-rennes"
language = "fr"
source = "internal"
"""
EXTERNAL = """\
title = "Portrait de l'emploi dans les SCOP du Finistère"
publisher = "URSCOP Ouest"
date = "2011-04"
kind = "etude"
language = "fr"
source = "external"
"""
# What Zotero's importers read (its BibTeX.js and RIS.js translators): the BibTeX fields
# and the RIS tags these exports may use, each with the Zotero field it fills.
ZOTERO_BIBTEX = {"title": "title", "author": "creators", "year": "date", "date": "date",
                 "institution": "publisher", "publisher": "publisher", "school": "publisher",
                 "type": "type", "howpublished": "medium", "abstract": "abstractNote",
                 "langid": "language", "language": "language", "url": "url",
                 "keywords": "tags", "annote": "note"}
ZOTERO_RIS = {"TY": "itemType", "TI": "title", "AU": "creators", "PY": "date", "DA": "date",
              "M3": "type", "AB": "abstractNote", "LA": "language", "PB": "publisher",
              "UR": "url", "KW": "tags", "N1": "note"}


@pytest.fixture(scope="module")
def refs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[exports.Reference]]:
    root = tmp_path_factory.mktemp("pandoc")
    docs = root / "docs"
    write(docs / "etude.md", "# Étude\n\nLe pôle ESS du Pays de Rennes.\n")
    write(docs / "etude.md.meta.toml", STUDY)
    write(docs / "portrait.md", "# Portrait\n\nL'emploi dans les SCOP.\n")
    write(docs / "portrait.md.meta.toml", EXTERNAL)
    with Library.open(root / "library", DEFAULT_VOCABULARY) as library:
        ingest(library, [docs], IngestOptions(workers=1))
        ids = sorted(d.id for d in library.catalog.documents())
        collections.create_collection(library, Actor.local(), "Lectures", visibility="public")
        collections.add_documents(library, Actor.local(), "lectures", ids, note="interne")
        _, found = exports.collection_references(library, "lectures", scope=None,
                                                 public_url=PUBLIC_URL)
    yield sorted(found, key=lambda r: r.title)


def study_id(refs: list[exports.Reference]) -> str:
    return next(r.id for r in refs if r.title == TITLE)


def pandoc(*args: str, stdin: str = "") -> str:
    tool = require_tool("pandoc", package="pandoc")
    done = subprocess.run([tool, *args], input=stdin, capture_output=True, text=True,
                          timeout=60, check=True)
    return done.stdout


def plain(text: str) -> str:
    """pandoc's typography undone: curly apostrophes, line breaks."""
    return " ".join(text.replace("\u2019", "'").split())


def check_items(items: list[dict[str, object]], refs: list[exports.Reference]) -> None:
    by_title = {plain(str(i["title"])): i for i in items}
    study = by_title[TITLE]  # capitals kept: ESS, Pays, Rennes
    assert study["issued"] == {"date-parts": [[2008, 6, 15]]}
    assert "CRES Bretagne" in str(study["publisher"])
    assert "Collège coopératif de Bretagne" in str(study["publisher"])
    assert study["URL"] == f"{PUBLIC_URL}/notice/{study_id(refs)}"
    assert study["type"] == "report"
    external = by_title[EXTERNAL_TITLE]
    assert external["publisher"] == "URSCOP Ouest"
    assert external["issued"] == {"date-parts": [[2011, 4]]}
    assert "note" not in study  # curators' notes are not exported unless asked


def test_bibtex_through_pandoc_keeps_titles_publisher_date_and_url(
    refs: list[exports.Reference], tmp_path: Path
) -> None:
    text = exports.render(refs, "bibtex").text
    items = json.loads(pandoc("-f", "bibtex", "-t", "csljson", stdin=text))
    check_items(items, refs)
    assert all(i["language"] == "fr-FR" for i in items)  # from langid = {french}


def test_csl_json_through_pandoc(refs: list[exports.Reference]) -> None:
    text = exports.render(refs, "csl-json").text
    items = json.loads(pandoc("-f", "csljson", "-t", "csljson", stdin=text))
    check_items(items, refs)


@pytest.mark.parametrize(("fmt", "suffix"), [("bibtex", "bib"), ("csl-json", "json")])
def test_a_bibliography_made_by_citeproc_keeps_proper_nouns(
    refs: list[exports.Reference], tmp_path: Path, fmt: str, suffix: str
) -> None:
    bibliography = tmp_path / f"refs.{suffix}"
    bibliography.write_text(exports.render(refs, fmt).text, encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    text = plain(pandoc("--citeproc", f"--bibliography={bibliography}", "-t", "plain",
                        str(page)))
    assert TITLE in text and EXTERNAL_TITLE in text  # not "Sur Le Pays" nor "pays de rennes"
    assert "CRES Bretagne" in text and "URSCOP Ouest" in text
    assert f"{PUBLIC_URL}/notice/{study_id(refs)}" in text


def test_bibtex_without_langid_would_lose_the_case(tmp_path: Path) -> None:
    """Why langid and the braces: without them citeproc title-cases an entry it takes for
    English, which the exports guard against."""
    bibliography = tmp_path / "bare.bib"
    bibliography.write_text("@techreport{x, title = {" + TITLE + "}, year = {2008}}",
                            encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    text = plain(pandoc("--citeproc", f"--bibliography={bibliography}", "-t", "plain",
                        str(page)))
    assert TITLE not in text and "Sur Le Pays" in text


def test_exports_use_only_fields_zotero_reads(refs: list[exports.Reference]) -> None:
    parsed = bibtexparser.parse_string(exports.render(refs, "bibtex").text)
    for entry in parsed.entries:
        assert set(entry.fields_dict) <= set(ZOTERO_BIBTEX), entry.fields_dict.keys()
    study = next(e for e in parsed.entries if e["title"].startswith("Étude"))
    assert study["title"] == "Étude de faisabilité d'un pôle {ESS} sur le {Pays} de {Rennes}"
    assert study["institution"] == "{CRES Bretagne} and {Collège coopératif de Bretagne}"
    assert study["date"] == "2008-06-15" and study["langid"] == "french"
    ris = exports.render(refs, "ris").text
    tags = {line[:2] for line in ris.split("\r\n") if line}
    assert tags - {"ER"} <= set(ZOTERO_RIS)
    assert "PB  - URSCOP Ouest" in ris and "DA  - 2008/06/15/" in ris
