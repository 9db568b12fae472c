"""One table of real fixture files drives the extraction tests (see markitdown's test vectors).

Each vector names a file under tests/fixtures/extract/ (made by make_fixtures.py), its
sniffed media type, strings its text must and must not contain, and the metadata expected.
Other test modules may import VECTORS and FIXTURES to drive CLI or API tests.
"""

from __future__ import annotations

import pickle
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from indexer.extract import default_registry, sniff

FIXTURES = Path(__file__).parents[2] / "fixtures" / "extract"

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
HTML = "text/html"
XHTML = "application/xhtml+xml"
TEXT = "text/plain"
MARKDOWN = "text/markdown"


@dataclass(frozen=True, kw_only=True)
class FileVector:
    """What extracting one fixture must give."""

    filename: str
    media_type: str
    must_include: tuple[str, ...]
    must_not_include: tuple[str, ...] = ()
    in_order: tuple[str, ...] = ()  # must appear in this order in the text
    title: str | None = None
    authors: tuple[str, ...] = ()
    pages: tuple[int, ...] = ()  # page numbers of the sections, for paged formats
    headings: tuple[str, ...] = ()  # section headings, in order (None-headed ones skipped)
    encoding: str | None = None
    language: str | None = None
    keywords: tuple[str, ...] = ()
    created: str | None = None  # prefix of the ISO 8601 creation date
    description: str | None = None

    @property
    def path(self) -> Path:
        return FIXTURES / self.filename


_PAGE_ONE = "L’économie sociale et solidaire représente une part croissante"
_PAGE_THREE = "Marqueur final : ÉTÉ 2008."
_FRENCH_TEXT = (
    "Compte rendu de l’atelier du 12 février 2008.",
    "Les coopératives, les mutuelles et les associations",
    "Une œuvre collective au cœur du territoire : 45 000 €.",
)

VECTORS: tuple[FileVector, ...] = (
    FileVector(
        filename="rapport.pdf",
        media_type=PDF,
        must_include=(_PAGE_ONE, "Une œuvre", "collective, préparée avec soin", _PAGE_THREE),
        title="Rapport d’activité de l’observatoire",
        authors=("Cellule de coordination",),
        pages=(1, 2, 3),
        keywords=("observatoire", "ESS", "bilan"),
        description="Bilan annuel",
        created="20",
    ),
    FileVector(
        # Encrypted with an empty user password: opens without asking.
        filename="rapport-sans-mot-de-passe.pdf",
        media_type=PDF,
        must_include=(_PAGE_ONE, _PAGE_THREE),
        title="Rapport d’activité de l’observatoire",
        authors=("Cellule de coordination",),
        pages=(1, 2, 3),
    ),
    FileVector(
        # pdfLaTeX draws word gaps by positioning: pypdf glues such words, PDFium does not.
        filename="latex.pdf",
        media_type=PDF,
        must_include=(
            "L’économie sociale et solidaire rassemble des structures très diverses",
            "Le conseil scientifique ga-\nrantit la qualité des informations",
            "méthodologie validée en amont.",
        ),
        must_not_include=("\ufffe", "économiesociale"),
        pages=(1,),
    ),
    FileVector(
        filename="etude.docx",
        media_type=DOCX,
        must_include=(
            "Préambule : l’économie sociale et solidaire (ESS) rassemble associations",
            "les coopératives aussi.",  # one word split across two runs, then a lone space
            "Mission\tPriorité\nFinancement\thaute",
            "Voir le site de l’observatoire pour les chiffres",  # hyperlink text
            "chiffres\taprès tabulation\naprès saut de ligne",
            "Texte conservé texte inséré résultat du champ",
            "Encadré : cinquante structures",
            "Une œuvre collective au cœur du territoire : 45 000 €.",
            "En-tête : Observatoire régional de l’ESS",
            "Pied de page : CRES Bretagne 2008",
            "Note : source INSEE 2006.",
        ),
        must_not_include=("PASSAGE SUPPRIMÉ", "MERGEFIELD", "python-docx"),
        in_order=(
            "Avant le tableau",
            "Financement\thaute",
            "Après le tableau",
            "Les cinq missions du pôle",
            "Annexe méthodologique",
        ),
        title="Étude de faisabilité d’un pôle ESS au Pays de Rennes",
        authors=("Collège coopératif de Bretagne", "CRES Bretagne"),
        headings=("Contexte et enjeux", "Les cinq missions du pôle", "Annexe méthodologique"),
        language="fr-FR",
        keywords=("ESS", "pôle", "Rennes"),
        created="2008-03-14T10:00:00",
        description="Version 4 validée par le comité de pilotage",
    ),
    FileVector(
        filename="note-de-cadrage.odt",
        media_type=ODT,
        must_include=(
            "Préambule : note de cadrage du pôle ESS.",
            "Trois   espaces, une\ttabulation et un saut\nde ligne dans le diagnostic.",
            "Voir le site du CRES pour la suite",
            "Note de bas de page : enquête 2007.",
            "sous-point imbriqué",
            "Pays de Rennes\tcinquante",
            "Texte du cadre flottant",
            "En-tête ODT : Collège coopératif",
            "Pied de page ODT",
        ),
        must_not_include=(
            "COMMENTAIRE RELECTEUR",
            "TEXTE EFFACÉ",
            "DESCRIPTION IMAGE",
            "Sommaire généré",
            "1Note",
        ),
        in_order=("Diagnostic territorial", "capitalisation", "Territoire\tStructures", "SCIC"),
        title="Note de cadrage du pôle ESS",
        authors=("Marie Le Goff", "Yann Kerhervé"),
        headings=("Diagnostic territorial", "Gouvernance de la SCIC"),
        language="fr-FR",
        keywords=("SCIC", "gouvernance"),
        created="2007-11-05T09:15:00",
        description="Note préparatoire au comité de pilotage",
    ),
    FileVector(
        filename="page.html",
        media_type=HTML,
        must_include=(
            "Le pôle réunit les acteurs de l’économie sociale et solidaire.",
            "Publié par le CRES",  # an article's own header is content
            "Mission\tPriorité\nDiffusion\thaute",
            "Première ligne\nDeuxième ligne",
            "code   préformaté",
            "Une œuvre collective\u00a0: 45\u00a0000\u00a0€.",
            "MARQUEUR-ENCART",  # an aside inside <main> is a box of the content
        ),
        must_not_include=(
            "MARQUEUR-STYLE",
            "MARQUEUR-SCRIPT",
            "MARQUEUR-BANDEAU",
            "MARQUEUR-MENU",
            "MARQUEUR-NOSCRIPT",
            "MARQUEUR-CACHE",
            "MARQUEUR-PIED",
            "MARQUEUR-ARIANE",
            "font-family",
        ),
        title="Le pôle ESS du Pays de Rennes",
        authors=("CRES Bretagne", "Collège coopératif de Bretagne"),
        headings=("Le pôle ESS", "Les missions", "Pour aller plus loin"),
        encoding="utf-8",
        language="fr",
        keywords=("ESS", "pôle", "Rennes", "SCIC"),
        created="2008-06-02",
        description="Présentation du pôle et de ses missions",
    ),
    FileVector(
        # Declared ISO-8859-1, written by Windows: 0x92 is an apostrophe, 0x80 the euro.
        filename="ancienne-page.html",
        media_type=HTML,
        must_include=(
            "La 3ème réunion d’étape doit être préparée avec les coopératives.",
            "Budget : 12 000 € pour l’année.",
        ),
        title="Compte rendu du comité de pilotage",
        authors=("Cellule de coordination",),
        headings=("Réunion d’étape",),
        encoding="cp1252",
    ),
    FileVector(
        filename="sans-declaration-utf8.html",
        media_type=HTML,
        must_include=("Page sans déclaration d’encodage : été, Noël, cœur.",),
        title="Sans déclaration",
        encoding="utf-8",
    ),
    FileVector(
        filename="sans-declaration-cp1252.html",
        media_type=HTML,
        must_include=("Page sans déclaration d’encodage : été, Noël, cœur.",),
        title="Sans déclaration",
        encoding="cp1252",
    ),
    FileVector(
        filename="guide.xhtml",
        media_type=XHTML,
        must_include=(
            "Le conseil scientifique valide\u00a0les études\u00a0: qualité & rigueur, été.",
            "Prix : 5 €.",
        ),
        must_not_include=("MARQUEUR-NAVIGATION", "&nbsp;", "&eacute;"),
        title="Guide de procédures",
        authors=("Comité de pilotage",),
        headings=("Procédure de validation", "Diffusion"),
        encoding="iso8859-15",
        language="fr",
        keywords=("procédures", "qualité"),
        created="2006-09-15",
        description="Guide interne de l'observatoire",
    ),
    FileVector(
        filename="notes-utf8.txt",
        media_type=TEXT,
        must_include=(*_FRENCH_TEXT, "Café écrit en forme décomposée : Café.\nFin CRLF."),
        must_not_include=("\r", "e\u0301"),
        encoding="utf-8",
    ),
    FileVector(
        filename="notes-utf8-bom.txt",
        media_type=TEXT,
        must_include=_FRENCH_TEXT,
        must_not_include=("\ufeff",),
        encoding="utf-8-sig",
    ),
    FileVector(
        filename="notes-utf16le.txt",
        media_type=TEXT,
        must_include=_FRENCH_TEXT,
        must_not_include=("\ufeff", "\x00"),
        encoding="utf-16-le",
    ),
    FileVector(
        filename="notes-utf16be.txt",
        media_type=TEXT,
        must_include=_FRENCH_TEXT,
        must_not_include=("\ufeff", "\x00"),
        encoding="utf-16-be",
    ),
    FileVector(
        filename="notes-cp1252.txt",
        media_type=TEXT,
        must_include=(*_FRENCH_TEXT, "Octet non défini : [\x81]."),
        encoding="cp1252",
    ),
    FileVector(
        filename="termes-de-reference.md",
        media_type=MARKDOWN,
        must_include=(
            "Introduction avant le premier titre.",
            "L’étude porte sur la faisabilité d’un pôle ESS.",
            "# pas un titre : ceci est du code",
            "Un rapport final et une synthèse.",
        ),
        must_not_include=("statut: validé", "title:"),
        title="Termes de référence de l’étude",
        authors=("Collège coopératif de Bretagne",),
        headings=("Objet de l’étude", "Calendrier", "Livrables"),
        encoding="utf-8",
        language="fr",
        keywords=("étude", "diagnostic"),
        created="2007-10-01",
    ),
)


@pytest.fixture(scope="module")
def registry():
    return default_registry()


def _ids(vectors: tuple[FileVector, ...]) -> list[str]:
    return [v.filename for v in vectors]


@pytest.mark.parametrize("vector", VECTORS, ids=_ids(VECTORS))
def test_sniff_finds_the_media_type(vector: FileVector) -> None:
    assert sniff(vector.path) == vector.media_type


@pytest.mark.parametrize("vector", VECTORS, ids=_ids(VECTORS))
def test_text_has_the_markers(vector: FileVector, registry) -> None:
    document = registry.extract(vector.path)
    text = document.text
    assert document.media_type == vector.media_type
    for expected in vector.must_include:
        assert expected in text, f"{expected!r} missing from {vector.filename}"
    for unwanted in vector.must_not_include:
        assert unwanted not in text, f"{unwanted!r} found in {vector.filename}"
    positions = [text.index(marker) for marker in vector.in_order]
    assert positions == sorted(positions), f"out of order in {vector.filename}"
    assert unicodedata.is_normalized("NFC", text)
    assert "\r" not in text
    assert all(section.text.strip() for section in document.sections)


@pytest.mark.parametrize("vector", VECTORS, ids=_ids(VECTORS))
def test_metadata_is_read(vector: FileVector, registry) -> None:
    document = registry.extract(vector.path)
    assert document.title == vector.title
    assert document.authors == vector.authors
    if vector.media_type == PDF:
        assert tuple(s.page for s in document.sections) == vector.pages
    else:
        assert all(s.page is None for s in document.sections)
    headings = tuple(s.heading for s in document.sections if s.heading is not None)
    assert headings == vector.headings
    assert document.encoding == vector.encoding
    if vector.language is not None:
        assert document.language == vector.language
    if vector.keywords:
        assert document.keywords == vector.keywords
    if vector.created is not None:
        assert document.created is not None
        assert document.created.startswith(vector.created)
    if vector.description is not None:
        assert document.description == vector.description


@pytest.mark.parametrize("vector", VECTORS, ids=_ids(VECTORS))
def test_result_survives_pickling(vector: FileVector, registry) -> None:
    document = registry.extract(vector.path)
    assert pickle.loads(pickle.dumps(document)) == document


def test_every_pdf_page_keeps_its_own_text(registry) -> None:
    document = registry.extract(FIXTURES / "rapport.pdf")
    by_page = {section.page: section.text for section in document.sections}
    assert by_page[1].startswith("Première page du rapport")
    assert "Deuxième page" in by_page[2] and "Deuxième page" not in by_page[1]
    assert by_page[3].endswith(_PAGE_THREE)


def test_docx_heading_sections_hold_their_own_text(registry) -> None:
    document = registry.extract(FIXTURES / "etude.docx")
    sections = {section.heading: section.text for section in document.sections}
    assert sections["Contexte et enjeux"].startswith("Contexte et enjeux\nCinquante")
    assert "Entretiens semi-directifs" in sections["Annexe méthodologique"]
    assert "Entretiens semi-directifs" not in sections["Les cinq missions du pôle"]


def test_dates_are_iso_8601(registry) -> None:
    document = registry.extract(FIXTURES / "etude.docx")
    assert document.created == "2008-03-14T10:00:00+00:00"
    assert document.modified == "2008-06-02T16:30:00+00:00"
    pdf = registry.extract(FIXTURES / "rapport.pdf")
    assert pdf.created is not None and pdf.created[4] == "-" and "T" in pdf.created
