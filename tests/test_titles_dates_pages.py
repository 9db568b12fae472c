"""Titles and dates of web pages, Markdown pages and covers as real sites and reports print
them: a section label as `<h1>`, a post date in ISO, a front matter date, "Vigiliantes 2022"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from indexer.extract.base import ExtractedDocument, Limits, Section
from indexer.extract.html import HtmlExtractor
from indexer.extract.text import MarkdownExtractor
from kb.stated_dates import choose_date
from kb.tags import Sourced
from kb.titles import choose_title
from tests.conftest import write

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
