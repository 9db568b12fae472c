"""Titles and dates from what the document shows, on real small files, and `kb show`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from indexer.extract.base import ExtractedDocument, Limits, Section
from indexer.extract.docx import DocxExtractor
from indexer.extract.html import HtmlExtractor
from indexer.extract.odt import OdtExtractor
from indexer.extract.pdf import PdfExtractor
from indexer.extract.text import MarkdownExtractor, PlainTextExtractor
from kb.cli import cli
from kb.stated_dates import choose_date
from kb.tags import Sourced
from kb.titles import choose_title, first_line_title, property_title
from tests.conftest import write
from tests.office_files import ODT_MIME, write_odf, write_pdf_typeset

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
BODY = "L'économie sociale et solidaire en Bretagne réunit des structures très diverses."


def title_of(path: Path, extractor: object) -> Sourced:
    document = extractor.extract(path, Limits())  # type: ignore[attr-defined]
    return choose_title(document, path.name)


# --- titles ----------------------------------------------------------------------------------


def test_pdf_title_is_the_largest_type_on_page_1_not_its_metadata(tmp_path: Path) -> None:
    pdf = write_pdf_typeset(
        tmp_path / "rapport01.pdf",
        [(10, "Observatoire régional de l'ESS"), (24, "Panorama de l'ESS en Bretagne"),
         (11, BODY), (11, "Publication : février 2023")],
        {"Title": "Microsoft Word - note3.doc"},
    )
    assert title_of(pdf, PdfExtractor()) == Sourced(
        "Panorama de l'ESS en Bretagne", "largest type on page 1"
    )


def test_pdf_in_one_size_with_a_file_name_as_metadata_title_gets_its_file_name(
    tmp_path: Path,
) -> None:
    pdf = write_pdf_typeset(
        tmp_path / "Bilan-activité_2025.pdf", [(11, BODY), (11, "Deuxième ligne du texte.")],
        {"Title": "Bilan 2025 site_ok"},
    )
    assert title_of(pdf, PdfExtractor()) == Sourced("Bilan activité 2025", "file name")


def test_pdf_metadata_title_serves_when_it_reads_as_a_title(tmp_path: Path) -> None:
    pdf = write_pdf_typeset(
        tmp_path / "doc.pdf", [(11, BODY)], {"Title": "Étude de faisabilité d'un pôle ESS"}
    )
    assert title_of(pdf, PdfExtractor()) == Sourced(
        "Étude de faisabilité d'un pôle ESS", "file metadata"
    )


@pytest.mark.parametrize(
    "title",
    ["rapport01.pdf", "rapport01", "Microsoft Word - note3.doc", "Document1", "site_ok",
     "Bilan 2025 site_ok", "Présentation PowerPoint", "Modèle", "Microsoft Word", "C:\\x\\a",
     "  ", None],
)
def test_file_name_like_program_and_template_titles_are_refused(title: str | None) -> None:
    assert property_title(title) is None


@pytest.mark.parametrize(
    "title",
    ["Étude de faisabilité d'un pôle ESS", "Rapport du 1er semestre 2015",
     "Plan COVID-19 des associations", "Les SCIC en 2008"],
)
def test_titles_that_read_as_titles_are_kept(title: str) -> None:
    assert property_title(title) == title


def test_docx_title_style_beats_a_placeholder_core_title(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Document1"
    document.add_paragraph("Conseil régional de Bretagne")
    document.add_heading("Guide des coopératives d'activité", 0)
    document.add_heading("Introduction", 1)
    document.add_paragraph(BODY)
    document.save(str(tmp_path / "guide.docx"))
    assert title_of(tmp_path / "guide.docx", DocxExtractor()) == Sourced(
        "Guide des coopératives d'activité", "Title style"
    )


def test_docx_heading_1_when_no_title_style(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("En-tête")
    document.add_heading("Diagnostic du Pays de Brest", 1)
    document.add_paragraph(BODY)
    document.save(str(tmp_path / "diag.docx"))
    assert title_of(tmp_path / "diag.docx", DocxExtractor()) == Sourced(
        "Diagnostic du Pays de Brest", "Heading 1 style"
    )


def test_a_chapter_heading_is_not_the_title(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Étude sur l'emploi associatif"
    document.add_paragraph(BODY * 20)
    document.add_heading("Les résultats de l'enquête", 1)
    document.add_paragraph(BODY)
    document.save(str(tmp_path / "etude.docx"))
    assert title_of(tmp_path / "etude.docx", DocxExtractor()) == Sourced(
        "Étude sur l'emploi associatif", "file metadata"
    )
    document = docx.Document()
    document.add_heading("Introduction", 1)
    document.add_paragraph(BODY)
    document.save(str(tmp_path / "Étude_emploi.docx"))
    assert title_of(tmp_path / "Étude_emploi.docx", DocxExtractor()) == Sourced(
        "Étude emploi", "file name"
    )


def test_odt_title_style_even_reformatted(tmp_path: Path) -> None:
    body = (
        '<office:automatic-styles><style:style style:name="P1" style:family="paragraph"'
        ' style:parent-style-name="Title"/></office:automatic-styles><office:text>'
        "<text:p>Observatoire régional de l'ESS</text:p>"
        '<text:p text:style-name="P1">Cadre logique de l\'observatoire</text:p>'
        '<text:h text:outline-level="1">Présentation</text:h>'
        f"<text:p>{BODY}</text:p></office:text>"
    )
    odt = write_odf(tmp_path / "cadre.odt", ODT_MIME, body,
                    meta="<dc:title>Modèle de document</dc:title>")
    assert title_of(odt, OdtExtractor()) == Sourced("Cadre logique de l'observatoire",
                                                    "Title style")


def test_html_h1_then_title(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>CRES | Accueil</title></head><body>"
        f"<h2>Menu</h2><h1>Les mutuelles en Finistère</h1><p>{BODY}</p></body></html>",
        encoding="utf-8",
    )
    assert title_of(page, HtmlExtractor()) == Sourced(
        "Les mutuelles en Finistère", "<h1> of the page"
    )
    page.write_text(
        f"<html><head><title>Annuaire des SCOP</title></head><body><p>{BODY}</p></body></html>",
        encoding="utf-8",
    )
    assert title_of(page, HtmlExtractor()) == Sourced("Annuaire des SCOP", "<title> of the page")


def test_text_first_line_as_title_else_file_name_with_accents(tmp_path: Path) -> None:
    text = tmp_path / "compte_rendu_reunion_lorient.txt"
    text.write_text(
        "Compte rendu de la réunion du 14 mars 2013 à Lorient\n\nPrésents : ...\n",
        encoding="utf-8",
    )
    assert title_of(text, PlainTextExtractor()) == Sourced(
        "Compte rendu de la réunion du 14 mars 2013 à Lorient", "first line of the text"
    )
    sentence = tmp_path / "Réunion_à_Lorient.txt"
    sentence.write_text("Les présents ont validé le budget de l'année.\nSuite.\n", encoding="utf-8")
    assert title_of(sentence, PlainTextExtractor()) == Sourced("Réunion à Lorient", "file name")


@pytest.mark.parametrize(
    ("line", "title"),
    [("Rennes, le 3 juin 2009", False), ("Mars 2015", False), ("Ordre du jour :", False),
     ("x" * 151, False), ("Assemblée générale de l'URSCOP", True)],
)
def test_first_line_reads_as_a_title(line: str, title: bool) -> None:
    assert (first_line_title(line + "\nsuite") == line) is title


# --- dates -----------------------------------------------------------------------------------


def page_one(text: str, **properties: object) -> ExtractedDocument:
    return ExtractedDocument(
        media_type="application/pdf",
        sections=(Section(text, page=1), Section("Annexes.", page=2)),
        **properties,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("text", "date", "quote"),
    [
        ("Compte rendu de la réunion du 14 mars 2013\nPrésents : A, B", "2013-03-14",
         "14 mars 2013"),
        ("Panorama de l'ESS\nPublication : février 2023\n" + BODY, "2023-02", "février 2023"),
        ("Monsieur le Président,\nRennes, le 3 juin 2009\n" + BODY, "2009-06-03", "3 juin 2009"),
        ("Séance du conseil d'administration du 1er avril 2010", "2010-04-01", "1er avril 2010"),
        ("Date : 12/03/2014\n" + BODY, "2014-03-12", "12/03/2014"),
        ("Rapport d'activité\nDécembre 2015\n" + BODY, "2015-12", "Décembre 2015"),
        ("Bilan 2007-2010\nForum régional de l'ESS – 18 novembre 2010\nCRES", "2010-11-18",
         "18 novembre 2010"),
        # a web page's post date, in ISO under the authors' names
        ("Investigation\nEn cours\nRéduire le gaspillage alimentaire dans les cantines\n"
         "Aymeric Raoult\nCoach\n2021-02-12\nFiche Problème\n" + BODY, "2021-02-12",
         "2021-02-12"),
    ],
)
def test_dates_stated_on_page_1(text: str, date: str, quote: str) -> None:
    assert choose_date(page_one(text), "Titre", NOW) == Sourced(
        date, "stated on page 1", quote, 1
    )


def test_date_in_the_title() -> None:
    found = choose_date(page_one(BODY), "Compte rendu de la réunion du 14 mars 2013 à Lorient",
                        NOW)  # fmt: skip
    assert found == Sourced("2013-03-14", "stated in the title", "14 mars 2013")


@pytest.mark.parametrize(
    "text",
    [
        BODY,
        "Depuis la loi du 31 juillet 2014, les structures de l'ESS ont changé de cadre.",
        "Le conseil applique le décret du 3 mai 2012 sur les SCIC.",  # a text's reference
        "Les entretiens et le premier atelier, prévu le 24 janvier 2008, diront la suite.",
        "Calendrier\nÉtape\tDate\nFin des entretiens\t31 janvier 2008",  # a table's row
        "\n".join(["Une ligne de texte."] * 15 + ["Mars 2015"]),  # not near the top
        "La réunion d'hier a validé le budget. Rendez-vous lundi prochain.",
        "Le comité se réunira le 3 juin 2031 pour la suite.",  # after the ingest: not its date
        "Programme 2021-2027\nDossier 2021-02-1234\n2021-02-30\n" + BODY,  # not ISO dates
    ],
)
def test_no_date_when_none_is_stated_nor_plausible(text: str) -> None:
    assert choose_date(page_one(text), "Titre", NOW) is None


def test_file_date_is_used_when_plausible() -> None:
    doc = page_one(BODY, created="2008-03-14T10:22:00+00:00", properties={"producer": "Word"})
    assert choose_date(doc, "Titre", NOW) == Sourced("2008-03-14T10:22:00+00:00",
                                                    "file properties")  # fmt: skip


DATED = BODY + "\nLes ateliers de mars 2015 ont réuni 40 structures."


@pytest.mark.parametrize(
    ("text", "properties"),
    [
        # saved or converted a few minutes before the ingest
        (BODY, {"created": "2026-12-07T09:55:00+00:00"}),
        # a converter's date: CreationDate == ModDate
        (BODY, {"created": "2011-05-02T08:00:00", "modified": "2011-05-02T08:00:00",
                "properties": {"producer": "GPL Ghostscript 9.10"}}),
        # a template's date, older than the dates the text gives
        (DATED, {"created": "2013-01-10T08:00:00", "modified": "2015-06-02T08:00:00"}),
    ],
)
def test_implausible_file_dates_give_no_date(text: str, properties: dict[str, object]) -> None:
    assert choose_date(page_one(text, **properties), "Titre", NOW) is None


def test_the_same_file_dates_serve_when_plausible() -> None:
    """The cases above, each without what made its date implausible."""
    earlier = page_one(BODY, created="2026-12-01T09:55:00+00:00")
    assert choose_date(earlier, "Titre", NOW) == Sourced(earlier.created or "", "file properties")
    edited = page_one(BODY, created="2011-05-02T08:00:00", modified="2011-06-02T08:00:00",
                      properties={"producer": "GPL Ghostscript 9.10"})
    assert choose_date(edited, "Titre", NOW) == Sourced("2011-05-02T08:00:00", "file properties")
    written = page_one(DATED, created="2015-01-10T08:00:00")
    assert choose_date(written, "Titre", NOW) == Sourced("2015-01-10T08:00:00", "file properties")
    draft = page_one(DATED, created="2014-12-10T08:00:00")  # written months before the
    assert choose_date(draft, "Titre", NOW) == Sourced(  # workshops it plans
        "2014-12-10T08:00:00", "file properties"
    )


def test_a_pdf_saved_today_by_a_converter_gets_its_stated_date_not_todays(
    tmp_path: Path,
) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")
    pdf = write_pdf_typeset(
        tmp_path / "cr.pdf", [(20, "Comité de pilotage"), (11, "Réunion du 14 mars 2013"),
                              (11, BODY)],
        {"Producer": "LibreOffice 7.4", "CreationDate": stamp, "ModDate": stamp},
    )
    document = PdfExtractor().extract(pdf, Limits())
    found = choose_date(document, "Comité de pilotage", dt.datetime.now(dt.UTC))
    assert found == Sourced("2013-03-14", "stated on page 1", "14 mars 2013", 1)
    undated = write_pdf_typeset(tmp_path / "nd.pdf", [(11, BODY)],
                                {"Producer": "LibreOffice 7.4", "CreationDate": stamp})
    document = PdfExtractor().extract(undated, Limits())
    assert choose_date(document, "x", dt.datetime.now(dt.UTC)) is None


# --- end to end --------------------------------------------------------------------------------


def test_kb_show_says_where_title_and_date_came_from(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf_typeset(
        folder / "cr_copil.pdf",
        [(22, "Comité de pilotage de l'observatoire"), (11, "Réunion du 14 mars 2013"),
         (11, BODY)],
        {"Title": "Microsoft Word - cr3.doc", "CreationDate": "D:20130101090000"},
    )
    runner = CliRunner()
    library = ["--library", str(tmp_path / "lib")]
    result = runner.invoke(cli, [*library, "ingest", "--workers", "1", str(folder)])
    assert result.exit_code == 0, result.output
    found = runner.invoke(cli, [*library, "search", "observatoire", "--json"])
    doc_id = json.loads(found.stdout)["hits"][0]["id"]
    shown = runner.invoke(cli, [*library, "show", doc_id])
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert lines[0] == "Comité de pilotage de l'observatoire"
    assert "      from largest type on page 1" in lines
    assert "      from stated on page 1: « 14 mars 2013 »" in lines
    assert any(line.split()[:3] == ["year", "2013", "derived"] for line in lines)
    as_json = json.loads(runner.invoke(cli, [*library, "show", doc_id, "--json"]).stdout)
    date = next(t for t in as_json["tags"] if t["field"] == "date")
    assert date == {"field": "date", "value": "2013-03-14", "origin": "derived",
                    "source": "stated on page 1", "quote": "14 mars 2013"}  # fmt: skip
    assert as_json["effective"]["year"] == ["2013"]


# --- titles on real documents of the gold catalogue's kinds ----------------------------------


def test_a_pdf_whose_fonts_are_scaled_by_the_text_matrix_shows_its_title(tmp_path: Path) -> None:
    lines = [(10, "Observatoire régional de l'ESS"), (24, "Panorama de l'ESS en Bretagne"),
             (11, BODY), (11, BODY)]  # fmt: skip
    pdf = write_pdf_typeset(tmp_path / "panorama.pdf", lines, scaled=True)
    assert title_of(pdf, PdfExtractor()) == Sourced(
        "Panorama de l'ESS en Bretagne", "largest type on page 1"
    )


def test_a_cover_title_in_its_largest_type_even_where_most_of_the_text_is(tmp_path: Path) -> None:
    # A cover: the title is most of its letters; the body's size is the date's.
    pdf = write_pdf_typeset(
        tmp_path / "guide.pdf",
        [(26, "Guide de lancement des structures de l'économie sociale"), (14, "version 2018")],
    )
    assert title_of(pdf, PdfExtractor()).value == (
        "Guide de lancement des structures de l'économie sociale"
    )


def test_a_metadata_title_that_page_1_confirms_wins_over_a_running_header(tmp_path: Path) -> None:
    pdf = write_pdf_typeset(
        tmp_path / "11-premier-open-lab.pdf",
        [(11, "Centre national de la fonction publique territoriale"),
         (18, "Créer des services publics innovants"), (14, "Monter son premier Open Lab"),
         (14, BODY), (14, BODY)],
        {"Title": "Microsoft Word - 04_Monter son premier Open Lab.docx"},
    )  # fmt: skip
    assert title_of(pdf, PdfExtractor()) == Sourced(
        "Monter son premier Open Lab", "file metadata, on page 1"
    )


def test_scattered_letters_in_large_type_are_not_a_title(tmp_path: Path) -> None:
    pdf = write_pdf_typeset(
        tmp_path / "recepisse.pdf", [(24, "G O S S S é é é"), (11, BODY), (11, BODY)]
    )
    assert title_of(pdf, PdfExtractor()) == Sourced("recepisse", "file name")


def test_a_markdown_page_shows_its_front_matter_title(tmp_path: Path) -> None:
    page = write(tmp_path / "dora.md", "---\nmission: Recenser les services\ntitle: DORA\n"
                 "---\n\n## Le problème\n\n" + BODY + "\n")  # fmt: skip
    assert title_of(page, MarkdownExtractor()) == Sourced("DORA", "front matter title")
    plain = write(tmp_path / "note.md", "# Une note\n\n" + BODY + "\n")
    assert title_of(plain, MarkdownExtractor()) == Sourced("Une note", "first heading")


def test_the_one_year_a_title_names_when_nothing_states_a_date() -> None:
    assert choose_date(page_one(BODY), "Rapport annuel 2023", NOW) == Sourced(
        "2023", "year in the title", "2023"
    )
    for title in ("Programme opérationnel 2021-2027", "Plan climat 2030", "Bilan 2019 et 2020"):
        assert choose_date(page_one(BODY), title, NOW) is None, title
