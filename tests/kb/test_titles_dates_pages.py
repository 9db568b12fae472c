"""Titles and dates as real sites, reports and office files print them: a section label as
`<h1>`, a post date in ISO, a front matter date, "Vigiliantes 2022" on a cover, a title
property a file name cut short, an emoji before a title, a letter typed without styles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from indexer.extract.base import ExtractedDocument, Limits, Section
from indexer.extract.docx import DocxExtractor
from indexer.extract.html import HtmlExtractor
from indexer.extract.pdf import PdfExtractor
from indexer.extract.text import MarkdownExtractor
from kb.stated_dates import choose_date
from kb.tags import Sourced
from kb.titles import choose_title
from tests.conftest import write
from tests.office_files import write_pdf_typeset

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
BODY = "L'économie sociale et solidaire en Bretagne réunit des structures très diverses."
PITCH = "Réduire le gaspillage alimentaire dans les cantines scolaires"


def investigation_page(pitch: str, after_h1: str = "") -> str:
    """An investigation's page of a site whose every page has the section as `<h1>`."""
    return (
        "<html><head><title>Programme d'Investigation - Incubateur des Territoires</title>"
        "</head><body><div class='offres'><div class='page-title'><h1>Investigation</h1></div>"
        f"{after_h1}<div class='backlinks'><a href='/investigations/'>Toutes les investigations"
        "</a><div> / <a href='/investigations/?promo=12'>Le Havre 2021</a></div></div>"
        "<div class='card'><div><div class='status'>En cours</div>"
        f"<div class='pitch'>{pitch}</div></div><ul><li>Le Havre</li></ul></div>"
        "<div class='text-lg'>2021-02-12</div><h2>Fiche Problème</h2>"
        f"<div class='page-content'><p>{BODY}</p></div></div></body></html>"
    )


def html_title(tmp_path: Path, page: str) -> Sourced:
    path = write(tmp_path / "index.html", page)
    return choose_title(HtmlExtractor().extract(path, Limits()), path.name)


def test_a_one_word_h1_is_a_section_label_and_the_block_under_it_the_title(
    tmp_path: Path,
) -> None:
    assert html_title(tmp_path, investigation_page(PITCH)) == Sourced(
        PITCH, "block under the page's one-word <h1>"
    )


@pytest.mark.parametrize(
    "page",
    [
        # the block under the label is a sentence of the text, not a title
        investigation_page("Les cantines jettent un tiers des repas servis chaque jour."),
        # the label's first section begins before any block that reads as a title
        investigation_page(PITCH, after_h1="<h2>Présentation du programme</h2>"),
        # an h1 of more than one word is the page's title
        investigation_page(PITCH).replace("<h1>Investigation</h1>", "<h1>Investigation ESS</h1>"),
    ],
)
def test_the_h1_stays_where_nothing_under_it_reads_as_the_title(tmp_path: Path, page: str) -> None:
    assert html_title(tmp_path, page).source == "<h1> of the page"


def test_a_web_page_s_iso_post_date_is_its_date(tmp_path: Path) -> None:
    path = write(tmp_path / "index.html", investigation_page(PITCH))
    document = HtmlExtractor().extract(path, Limits())
    assert choose_date(document, PITCH, NOW) == Sourced(
        "2021-02-12", "stated at the start of the text", "2021-02-12"
    )


def test_a_markdown_front_matter_date_over_the_year_its_title_names(tmp_path: Path) -> None:
    page = write(tmp_path / "index.md", '---\ntitle: "Rétrospective 2023"\n'
                 "date: 2024-01-07T19:45:08+02:00\n---\n\n2023, c'était notre deuxième année "
                 "à la Pépille.\n\n## 1. A la Pépille\n\n" + BODY + "\n")  # fmt: skip
    document = MarkdownExtractor().extract(page, Limits())
    found = choose_date(document, "Rétrospective 2023", NOW)
    assert found is not None and found.source == "front matter date"
    assert found.value.startswith("2024-01-07")


def cover(text: str) -> ExtractedDocument:
    return ExtractedDocument(
        media_type="application/pdf",
        sections=(Section(text, page=1), Section(BODY, page=2)),
    )


def test_the_year_of_a_short_line_on_the_cover() -> None:
    doc = cover("Rapport moral\nVigiliantes 2022\n2022, 2023… l’accélération des urgences 1\n"
                + BODY)  # fmt: skip
    assert choose_date(doc, "Rapport moral", NOW) == Sourced("2022", "year on page 1", "2022", 1)


@pytest.mark.parametrize(
    "text",
    [
        "Rapport moral\n2022, 2023… l’accélération des urgences\n" + BODY,  # two years
        "Rapport moral\nProgramme 2021-2027\n" + BODY,  # a span
        "Rapport moral\n" + BODY + "\n" + BODY + "\n" + BODY + "\nBilan 2019\n",  # not the cover
        "Rapport moral\nLes 40 structures de 2019 réunies\n" + BODY,  # a sentence
    ],
)
def test_no_cover_year_in_other_lines(text: str) -> None:
    assert choose_date(cover(text), "Rapport moral", NOW) is None


# --- titles a file's properties or marks distort ------------------------------------------


def pdf_title(tmp_path: Path, lines: list[tuple[float, str]], title: str) -> Sourced:
    pdf = write_pdf_typeset(tmp_path / "cours.pdf", lines, {"Title": title})
    return choose_title(PdfExtractor().extract(pdf, Limits()), pdf.name)


def course_page(title_line: str) -> list[tuple[float, str]]:
    """A course's page: the institution, the course's name in the largest type, then the
    session's title in smaller type (as a file name cannot write it)."""
    return [(11, "Centre national de la fonction publique territoriale"),
            (18, "Créer des services publics innovants"), (14, title_line), (11, BODY),
            (11, BODY)]  # fmt: skip


def test_a_title_property_is_taken_as_page_1_writes_it(tmp_path: Path) -> None:
    found = pdf_title(tmp_path, course_page("Identifier les problèmes imaginaires 1/2"),
                      "Microsoft Word - 02_Identifier les problèmes imaginaires 1:2 .docx")
    assert found == Sourced("Identifier les problèmes imaginaires 1/2",
                            "file metadata, on page 1")  # fmt: skip


def test_a_title_property_that_begins_page_1_s_title_line_gives_the_whole_line(
    tmp_path: Path,
) -> None:
    line = "Trouver ses premiers utilisateurs : l'objectif n°1 d'une Startup d'Etat"
    found = pdf_title(tmp_path, course_page(line),
                      "Microsoft Word - 01_Trouver ses premiers utilisateurs .docx")
    assert found == Sourced(line, "file metadata, on page 1")
    # a title property that page 1 writes shorter: the page's line, without "1:2"
    found = pdf_title(tmp_path, course_page("4 conseils pratiques pour trouver ses utilisateurs"),
                      "Microsoft Word - 02_4 conseils pratiques pour trouver ses utilisateurs"
                      " 1:2.docx")  # fmt: skip
    assert found.value == "4 conseils pratiques pour trouver ses utilisateurs"


def test_a_numbered_heading_keeps_its_number(tmp_path: Path) -> None:
    page = write(tmp_path / "README.md", "# 4. Structure autonome pour un ou des produits "
                 "numériques\n\n" + BODY + "\n\n## Avantages\n\n" + BODY + "\n")  # fmt: skip
    found = choose_title(MarkdownExtractor().extract(page, Limits()), page.name)
    assert found == Sourced("4. Structure autonome pour un ou des produits numériques",
                            "first heading")  # fmt: skip


def test_an_emoji_or_its_remains_before_a_title_is_dropped() -> None:
    document = ExtractedDocument(
        media_type="application/pdf", sections=(Section(BODY, page=1),),
        shown_title="\ufffd\ufffd Cauchemar à bêta : la mesure d’impact !",
        shown_title_source="largest type on page 1",
    )  # fmt: skip
    assert choose_title(document, "mesure-impact.pdf") == Sourced(
        "Cauchemar à bêta : la mesure d’impact !", "largest type on page 1"
    )


def test_a_letter_typed_without_styles_shows_its_first_line(tmp_path: Path) -> None:
    letter = docx.Document()
    for line in ("LETTRE DE MISSION", "Confiée à NOM Prénom de l’intrapreneur·e", BODY):
        letter.add_paragraph(line)
    path = tmp_path / "Exemple_LM_beta.docx"
    letter.save(str(path))
    found = choose_title(DocxExtractor().extract(path, Limits()), path.name)
    assert found == Sourced("LETTRE DE MISSION", "first line of the text")


def test_a_letter_s_object_line_is_its_title() -> None:
    letter = ExtractedDocument(
        media_type="application/pdf",
        sections=(Section(
            "Association Les Vigiliantes\n22100 LANVALLAY\nMairie de Quevert\n"
            "Quévert, le 25/07/2022\n"
            "Objet : recours gracieux contre le PA 022 259 22 C 0002 du 31/05/2022 au "
            "bénéfice de Terra\nDéveloppement\nMonsieur le Maire,\n" + BODY, page=1),),
    )  # fmt: skip
    assert choose_title(letter, "2022_recours_quevert.pdf") == Sourced(
        "Recours gracieux contre le PA 022 259 22 C 0002 du 31/05/2022 au bénéfice de Terra "
        "Développement", "object line of the letter"
    )


def test_a_form_s_title_typed_large_without_a_style(tmp_path: Path) -> None:
    form = docx.Document()
    title = form.add_paragraph()
    run = title.add_run("Lancement d’une phase d’investigation")
    run.font.size, run.bold = Pt(18), True
    run.add_break()
    second = title.add_run("Engagement du sponsor")
    second.font.size, second.bold = Pt(18), True
    for _ in range(3):
        form.add_paragraph(BODY).runs[0].font.size = Pt(10)
    path = tmp_path / "engagement.docx"
    form.save(str(path))
    found = choose_title(DocxExtractor().extract(path, Limits()), path.name)
    assert found == Sourced("Lancement d’une phase d’investigation Engagement du sponsor",
                            "largest type at the start")  # fmt: skip
    # The same first paragraph in the body's type is no title of its own: its first line.
    for paragraph in form.paragraphs[1:]:
        paragraph.runs[0].font.size = Pt(18)
    form.save(str(path))
    found = choose_title(DocxExtractor().extract(path, Limits()), path.name)
    assert found == Sourced("Lancement d’une phase d’investigation", "first line of the text")
