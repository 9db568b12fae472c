"""Presentations and spreadsheets read natively: PPTX, ODP (slides as pages), XLSX, ODS
(one section per sheet), from small real files the tests write, and their hostile cases."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from indexer.extract import Limits, Tools, default_registry, sniff
from indexer.extract.xlsx import display
from kb.errors import ExtractionFailed
from tests import office_files as of

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def registry():
    return default_registry()


@pytest.mark.parametrize(
    ("writer", "name", "media_type"),
    [
        (of.write_pptx, "deck.pptx", PPTX),
        (of.write_odp, "deck.odp", of.ODP_MIME),
    ],
)
def test_slides_are_pages_with_titles_tables_and_notes(
    tmp_path: Path, registry, writer, name: str, media_type: str
) -> None:
    path = writer(tmp_path / name)
    assert sniff(path) == media_type
    document = registry.extract(path)
    assert document.media_type == media_type
    assert [s.page for s in document.sections] == [1, 2]
    one, two = document.sections
    assert one.heading == of.SLIDE_ONE_TITLE
    assert one.text.splitlines()[0] == of.SLIDE_ONE_TITLE  # the title first
    assert of.SLIDE_ONE_BODY in one.text
    assert one.text.rstrip().endswith(of.SLIDE_ONE_NOTES)  # speaker notes last
    assert "<number>" not in one.text
    assert two.heading == of.SLIDE_TWO_TITLE
    assert f"{of.SLIDE_TWO_CELL}\t45 000 €" in two.text  # a table row, cells by tabs
    assert document.title == "Présentation du pôle ESS"
    assert document.properties["pages"] == "2"


@pytest.mark.parametrize(
    ("writer", "name", "media_type", "figures"),
    [
        (of.write_xlsx, "tableau.xlsx", XLSX, f"{of.SHEET_CELL}\t45 000\t12,5 %"),
        (of.write_ods, "tableau.ods", of.ODS_MIME, f"{of.SHEET_CELL}\t45 000"),
    ],
)
def test_one_section_per_sheet_named_after_it(
    tmp_path: Path, registry, writer, name: str, media_type: str, figures: str
) -> None:
    path = writer(tmp_path / name)
    assert sniff(path) == media_type
    document = registry.extract(path)
    assert [s.heading for s in document.sections] == [of.SHEET_ONE, "Notes"]
    assert all(s.page is None for s in document.sections)
    assert figures in document.sections[0].text
    assert document.sections[0].text.startswith("Indicateur\tValeur")
    assert "Source : INSEE" in document.sections[1].text
    assert document.properties["sheets"] == "2"
    # Runs of repeated empty cells and rows cost nothing.
    assert len(document.text) < 500


def test_xlsx_numbers_and_dates_as_shown(tmp_path: Path, registry) -> None:
    document = registry.extract(of.write_xlsx(tmp_path / "t.xlsx"))
    notes = document.sections[1].text
    assert notes.splitlines() == ["Source : INSEE, traitement de l’observatoire", "3,5",
                                  "12/02/2008"]
    assert document.title == "Chiffres de l’emploi"
    assert document.authors == ("Observatoire régional de l’ESS",)


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (45000, "General", "45000"),
        (0.1 + 0.2, "General", "0,3"),
        (1234567.891, "#,##0.00", "1 234 567,89"),
        (0.4567, "0%", "46 %"),
        (12.5, '#,##0.00\\ "€"', "12,50 €"),
        (1500, "#,##0 €", "1 500 €"),
        (True, "General", "VRAI"),
        (None, "General", ""),
    ],
)
def test_xlsx_display(value, number_format: str, shown: str) -> None:
    assert display(value, number_format) == shown


def _bomb(path: Path, inner: str, first: tuple[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(inner, b"<a>" + b" " * (60 * 1024 * 1024) + b"</a>")
    return path


@pytest.mark.parametrize(
    ("name", "inner", "first"),
    [
        ("bombe.pptx", "ppt/slides/slide1.xml", None),
        ("bombe.xlsx", "xl/worksheets/sheet1.xml", None),
        ("bombe.odp", "content.xml", ("mimetype", of.ODP_MIME)),
        ("bombe.ods", "content.xml", ("mimetype", of.ODS_MIME)),
    ],
)
def test_zip_bombs_are_refused(tmp_path: Path, registry, name, inner, first) -> None:
    path = _bomb(tmp_path / name, inner, first)
    with pytest.raises(ExtractionFailed, match=rf"{name}: refused: zip bomb suspected"):
        registry.extract(path)


_XXE = '<!DOCTYPE x [<!ENTITY secret SYSTEM "file://{target}">]>'


def test_odp_external_entity_is_not_resolved(tmp_path: Path, registry) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET", encoding="utf-8")
    path = of.write_odp(tmp_path / "xxe.odp")
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml").decode()
    content = content.replace(
        "<office:document-content", _XXE.format(target=secret) + "<office:document-content", 1
    ).replace(of.SLIDE_ONE_BODY, f"{of.SLIDE_ONE_BODY} &secret;")
    hostile = of.write_odf(tmp_path / "hostile.odp", of.ODP_MIME, "")
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), of.ODP_MIME)
        archive.writestr("content.xml", content)
    document = registry.extract(hostile)
    assert of.SLIDE_ONE_BODY in document.text
    assert "MOT-DE-PASSE-SECRET" not in document.text


def test_xlsx_entity_in_a_sheet_is_refused(tmp_path: Path, registry) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET", encoding="utf-8")
    source = of.write_xlsx(tmp_path / "t.xlsx")
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(hostile, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode().split("?>", 1)[-1]  # openpyxl writes no declaration
                text = _XXE.format(target=secret) + text.replace("</c>", "<is>&secret;</is></c>", 1)
                data = text.encode()
            dst.writestr(info, data)
    with pytest.raises(ExtractionFailed, match="hostile.xlsx: corrupt XLSX") as caught:
        registry.extract(hostile)
    assert "MOT-DE-PASSE-SECRET" not in str(caught.value)


@pytest.mark.parametrize("name", ["cassé.pptx", "cassé.xlsx", "cassé.odp", "cassé.ods"])
def test_a_file_that_is_not_a_zip_is_broken_not_text(tmp_path: Path, registry, name) -> None:
    path = tmp_path / name
    path.write_text("ceci n’est pas une archive", encoding="utf-8")
    with pytest.raises(ExtractionFailed, match=f"{name}: not a valid"):
        registry.extract(path)


def test_truncated_pptx_fails_cleanly(tmp_path: Path, registry) -> None:
    data = of.write_pptx(tmp_path / "deck.pptx").read_bytes()
    path = tmp_path / "tronqué.pptx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExtractionFailed, match="tronqué.pptx: "):
        registry.extract(path)


def test_slides_past_max_pages_are_left_with_a_warning(tmp_path: Path, registry) -> None:
    document = registry.extract(of.write_pptx(tmp_path / "d.pptx"), Limits(max_pages=1))
    assert [s.page for s in document.sections] == [1]
    assert any("only the first 1 of 2 slides" in w for w in document.warnings)


def test_decks_go_through_repair_like_pdf_exports(tmp_path: Path) -> None:
    """Slides are pages, so a deck gets the paged repairs: doubled titles, StandardEncoding
    mojibake, and a title repeated on every slide is running furniture (kept as heading)."""
    from pptx import Presentation

    from kb.extraction import ExtractJob, run_extraction

    deck = Presentation()
    bodies = ["Les coopératives du Finistère", "La 3Łme rØunion d’Øtape doit Œtre prØparØe",
              "Le budget prévisionnel", "Les mutuelles bretonnes", "La gouvernance du pôle"]
    for body in bodies:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = "Calendrier du projetCalendrier du projet"
        slide.placeholders[1].text = body
    path = tmp_path / "calendrier.pptx"
    deck.save(str(path))
    outcome = run_extraction(ExtractJob(str(path), str(path)), default_registry())
    document = outcome.document
    assert document is not None
    assert [s.page for s in document.sections] == [1, 2, 3, 4, 5]
    assert {s.heading for s in document.sections} == {"Calendrier du projet"}
    assert "La 3ème réunion d’étape doit être préparée" in document.sections[1].text
    assert outcome.repairs.get("doubled_text") and outcome.repairs.get("standard_encoding")
    assert outcome.repairs.get("running_headers")


def test_rtf_is_read_natively_with_accents_paragraphs_and_info(tmp_path: Path) -> None:
    """Word 97 style: code page 1252 escapes, \\uN escapes, \\par, \\page, an {\\info} group."""
    path = tmp_path / "note.rtf"
    path.write_text(
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman Times New Roman;}}"
        r"{\info{\title Note de synth\'e8se}{\author CRES Bretagne}}"
        r"\pard\f0 L\u8217?\'e9conomie sociale et solidaire\par"
        r"\page Une \'9cuvre collective au c\'9cur du territoire : 45\~000 \'80.\par}",
        encoding="ascii",
    )
    registry = default_registry(Tools())
    assert sniff(path) == "application/rtf"
    document = registry.extract(path)
    lines = [line.strip() for line in document.text.splitlines() if line.strip()]
    assert lines == ["L’économie sociale et solidaire",
                     "Une œuvre collective au cœur du territoire : 45\u00a0000 €."]
    assert document.title == "Note de synthèse"
    assert document.authors == ("CRES Bretagne",)


def test_pptx_external_entity_and_entity_bomb_are_not_expanded(tmp_path: Path, registry) -> None:
    """The slide is read without its entities, or skipped with a warning; never expanded."""
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET", encoding="utf-8")
    source = of.write_pptx(tmp_path / "d.pptx")
    hostile = tmp_path / "hostile.pptx"
    laughs = '<!ENTITY l0 "haha">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 9)
    )
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(hostile, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "ppt/slides/slide1.xml":
                text = data.decode().split("?>", 1)[-1]
                dtd = f'<!DOCTYPE p:sld [<!ENTITY secret SYSTEM "file://{secret}">{laughs}]>'
                text = dtd + text.replace(of.SLIDE_ONE_BODY, f"{of.SLIDE_ONE_BODY} &secret; &l8;")
                data = text.encode()
            dst.writestr(info, data)
    document = registry.extract(hostile)
    assert of.SLIDE_TWO_CELL in document.text
    assert "MOT-DE-PASSE-SECRET" not in document.text
    assert "hahahaha" not in document.text
    if of.SLIDE_ONE_BODY not in document.text:
        assert any("ppt/slides/slide1.xml skipped" in w for w in document.warnings)
