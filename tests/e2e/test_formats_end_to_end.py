"""`kb ingest` of a folder holding one file of each format read through the new extractors
and tools, then `kb search` finds each by a phrase of its text, on the right page, slide or
sheet; `kb show` says which text came through LibreOffice or OCR."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from kb.twins import twins_of
from tests import office_files as of
from tests.tools import require_libreoffice, require_tesseract

FIXTURES = Path(__file__).parents[1] / "fixtures" / "extract"

pytestmark = pytest.mark.slow


def kb(library: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--library", str(library), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> tuple[Path, Path]:
    # .doc and .rtf, .ppt, .xls: each converted by its own part of LibreOffice.
    soffice = require_libreoffice("writer", "impress", "calc")
    require_tesseract("fra")
    root = tmp_path_factory.mktemp("e2e")
    docs = root / "docs"
    docs.mkdir()
    work = root / "work"
    work.mkdir()
    shutil.copy(FIXTURES / "rapport.pdf", docs / "rapport.pdf")
    of.write_pptx(docs / "deck.pptx")
    of.write_odp(docs / "deck.odp")
    of.write_xlsx(docs / "tableau.xlsx")
    of.write_ods(docs / "tableau.ods")
    for source, target in (
        (of.write_docx(work / "cr.docx"), "doc"),
        (of.write_pptx(work / "ancien-deck.pptx"), "ppt"),
        (of.write_xlsx(work / "ancien-tableau.xlsx"), "xls"),
        (of.write_docx(work / "note.docx"), "rtf"),
    ):
        shutil.move(of.legacy(soffice, source, target, work), docs)
    scans = of.write_scans(work)
    shutil.move(scans["png"], docs / "scan.png")
    shutil.move(scans["pdf"], docs / "scan-pdf.pdf")
    library = root / "library"
    code, out, err = kb(library, "ingest", "--workers", "2", str(docs))
    assert code == 0, out + err
    assert "added 11" in out and "failed 0" in out, out
    return library, docs


def _files(library: Path) -> dict[str, tuple[str, list[str]]]:
    """File name -> its document's id and the names of its twins' files (kb.twins: the
    same text in another format is one hit, its twins' files on its page)."""
    with Library.open(library, DEFAULT_VOCABULARY, read_only=True) as lib:
        def names(doc_id: str) -> list[str]:
            return [Path(p.path).name for p in lib.catalog.paths_of(doc_id)]

        return {name: (doc.id, [n for t in twins_of(lib.catalog, doc.id, None)
                                for n in names(t)])
                for doc in lib.catalog.documents(state="active") for name in names(doc.id)}


def _places(library: Path, phrase: str) -> dict[str, set[object]]:
    code, out, _ = kb(library, "search", f'"{phrase}"', "--json", "--size", "50")
    assert code == 0, out
    files = _files(library)
    found: dict[str, set[object]] = {}
    for hit in json.loads(out)["hits"]:
        name = Path(hit["path"]).name
        for each in (name, *files[name][1]):  # a twin is found with the hit standing for it
            places = found.setdefault(each, set())
            for snippet in hit["snippets"]:
                places.add(snippet.get("page") or snippet.get("heading"))
    return found


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Marqueur final : ÉTÉ 2008", {"rapport.pdf": 3}),
        (of.DOC_PAGE_TWO, {"cr.doc": 2}),
        (of.SLIDE_TWO_CELL, {"deck.pptx": 2, "deck.odp": 2, "ancien-deck.ppt": 2}),
        (of.SLIDE_ONE_NOTES, {"deck.pptx": 1, "deck.odp": 1, "ancien-deck.ppt": 1}),
        (of.SHEET_CELL, {"tableau.xlsx": of.SHEET_ONE, "tableau.ods": of.SHEET_ONE,
                         "ancien-tableau.xls": of.SHEET_ONE}),
        (of.DOC_PAGE_ONE, {"note.rtf": None, "cr.doc": 1}),
        (of.SCAN_TEXT, {"scan.png": 1, "scan-pdf.pdf": 1}),
    ],
)
def test_each_format_is_found_on_its_page(ingested, phrase: str, expected) -> None:
    library, _ = ingested
    found = _places(library, phrase)
    for name, place in expected.items():
        assert name in found, f"{name} not found by {phrase!r}: {sorted(found)}"
        if place is not None:
            assert place in found[name], f"{name}: {found[name]}"


def test_show_says_how_the_text_was_read(ingested) -> None:
    library, docs = ingested
    shown = {}
    files = _files(library)
    for name in ("cr.doc", "scan.png"):
        code, out, _ = kb(library, "show", files[name][0])
        assert code == 0
        shown[name] = out
    assert "text converted by LibreOffice from Word 97-2003 (.doc) to PDF" in shown["cr.doc"]
    assert "page 1 read by OCR (Tesseract fra+eng): mean word confidence" in shown["scan.png"]
