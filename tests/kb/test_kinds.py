"""A document's kind from what it is: its form, its title and cover, its parts; never from a
phrase it mentions in passing. Real small files of each form, ingested by `kb` itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.extract.base import Section
from kb.autotag import automatic_tags
from kb.cli import cli
from kb.errors import InvalidVocabulary
from kb.kinds import kind_evidence
from kb.settings import DEFAULT_VOCABULARY
from kb.vocabulary import Vocabulary
from tests.conftest import write
from tests.office_files import write_pdf, write_pptx

VOCAB = Vocabulary.load(DEFAULT_VOCABULARY)
CONTEXT = "L'observatoire régional de l'ESS en Bretagne et la CRES Bretagne. "
PROSE = (
    "Les structures de l'économie sociale et solidaire emploient des salariés dans tous les "
    "secteurs d'activité, de l'action sociale à la culture, et leur poids dans l'emploi privé "
    "progresse depuis dix ans dans chacun des quatre départements de la région. "
)


def kind_of(text: str, title: str = "", media_type: str = "text/plain") -> str | None:
    tags = automatic_tags(VOCAB, title, [Section(text)], media_type).tags
    kinds = [t.value for t in tags if t.field == "kind"]
    assert len(kinds) <= 1
    return kinds[0] if kinds else None


MINUTES = f"""Cellule de coordination et d'animation
Réunion du 6 septembre 2011

Présents : la chargée de mission de la CRES Bretagne, le chargé de mission du Collège coopératif.
Excusés : le représentant de la Région.

Ordre du jour
1. Bilan de l'été
{PROSE}L'état des lieux des fonds documentaires est achevé ; un cahier des charges du portail
sera rédigé et le diaporama du forum est prêt.
2. Questions diverses
{PROSE}
"""

CALL_FOR_TENDER = f"""Observatoire régional de l'ESS en Bretagne
Consultation pour une étude sur l'emploi dans l'ESS

Objet de la consultation
{PROSE}
Livrables
{PROSE}
Calendrier prévisionnel
{PROSE}
Critères de sélection : qualité de la méthode, prix, références.
Date limite : 15 mars 2008.
"""

REFERENTIEL = f"""Les critères de l'utilité sociale en Bretagne

Critère 1 : la gouvernance démocratique.
{PROSE}
Critère 2 : l'ancrage territorial.
{PROSE}
Critère 3 : la coopération entre structures.
{PROSE}
Critère 4 : la lucrativité limitée.
{PROSE} Les résultats seront présentés en diaporama au forum régional.
"""


def test_minutes_are_minutes_whatever_they_mention() -> None:
    # "état des lieux", "cahier des charges", "diaporama": words in passing, not the form.
    assert kind_of(CONTEXT + MINUTES) == "compte-rendu"


def test_a_call_for_tender_is_known_by_its_parts() -> None:
    assert kind_of(CONTEXT + CALL_FOR_TENDER) == "termes-de-reference"


def test_a_referentiel_is_known_by_its_numbered_criteria_not_a_diaporama_it_names() -> None:
    assert kind_of(CONTEXT + REFERENTIEL) == "cadre-de-reference"


def test_an_article_mentioning_kinds_in_passing_gets_no_kind() -> None:
    article = (
        CONTEXT
        + (
            PROSE + "Le comité a validé le cahier des charges de l'étude et un état des lieux. "
            "Un diaporama et un compte-rendu de la réunion ont été diffusés. "
        )
        * 4
    )
    assert kind_of(article) is None
    # Before this rule, each of these phrases set a kind wherever it stood.
    assert {m.key for m in VOCAB.find_mentions("", [(article, None)]) if m.field == "kind"} >= {
        "termes-de-reference", "etude", "presentation"
    }  # fmt: skip


def test_the_title_and_the_cover_say_what_the_document_is() -> None:
    assert kind_of(CONTEXT + PROSE, title="Compte rendu de la réunion du 14 mars 2013") == (
        "compte-rendu"
    )
    assert kind_of(CONTEXT + PROSE, title="Les mutuelles du Morbihan – étude sectorielle") == (
        "etude"
    )
    cover = "Les fondations en Bretagne\nNote thématique de l'observatoire\nAvril 2012\n"
    assert kind_of(cover + CONTEXT + PROSE * 3) == "note"
    # A kind named in a title's running words is no more evidence than in the text.
    assert kind_of(CONTEXT + PROSE, title="Pourquoi une étude de l'ESS en Bretagne") is None
    # "Présentation de ..." describes; only the form makes slides.
    assert kind_of(CONTEXT + PROSE, title="Présentation de la CRES Bretagne") is None


def test_no_kind_for_a_document_off_the_observatorys_ground() -> None:
    manual = "Ordre du jour\nPrésents : Alice, Bob.\nExcusés : Carol.\nQuestions diverses\n"
    assert kind_of(manual) is None
    assert kind_of(CONTEXT + manual) == "compte-rendu"


def test_slides_are_a_presentation_whatever_their_words(tmp_path: Path) -> None:
    slide = ("Pourquoi un observatoire ?", "Une ESS très présente en Bretagne", "Des données")
    deck = write_pdf(tmp_path / "forum.pdf", [(slide, None)] * 8)
    pages = [Section(" ".join(slide), page=n) for n in range(1, 9)]
    found = kind_evidence(VOCAB, "Cadre de référence stratégique", pages, "application/pdf")
    assert found is not None and (found.value, found.reason) == (
        "presentation",
        "slides: 8 of 8 pages",
    )
    # The same words on pages of running text: a report, and its title says which kind.
    report = [Section(" ".join(slide) + " " + PROSE * 6, page=n) for n in range(1, 9)]
    found = kind_evidence(VOCAB, "Cadre de référence stratégique", report, "application/pdf")
    assert found is not None and found.value == "cadre-de-reference"
    assert deck.exists()


def test_kb_show_says_where_the_kind_came_from(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    write(folder / "cr-cellule.txt", CONTEXT + MINUTES)
    write(folder / "article.txt", CONTEXT + (PROSE + "Un diaporama et un cahier des charges. ") * 4)
    write_pptx(folder / "pole.pptx")
    runner = CliRunner()
    library = ["--library", str(tmp_path / "lib")]
    result = runner.invoke(cli, [*library, "ingest", "--workers", "1", str(folder)])
    assert result.exit_code == 0, result.output
    found = json.loads(
        runner.invoke(cli, [*library, "search", "Bretagne OR pôle", "--json"]).stdout
    )
    kinds = {}
    for hit in found["hits"]:
        shown = json.loads(runner.invoke(cli, [*library, "show", hit["id"], "--json"]).stdout)
        name = Path(shown["paths"][0]["path"]).name
        kinds[name] = [t["evidence"] for t in shown["tags"] if t["field"] == "kind"]
        if name == "cr-cellule.txt":
            text = runner.invoke(cli, [*library, "show", hit["id"]]).stdout
    assert [e["reason"] for e in kinds["pole.pptx"]] == ["slides"]
    assert [(e["reason"], e["words"][:2]) for e in kinds["cr-cellule.txt"]] == [
        ("parts: 4 lines", ["Présents : la chargée de mission de la CRES Bretagne, le cha",
                            "Excusés : le représentant de la Région."])
    ]  # fmt: skip
    assert kinds["article.txt"] == []
    assert "parts: 4 lines" in text


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('[[family]]\nkey = "x"\nlabel = "X"\nmarkers = ["a b"]\n', "of [[kind]] entries only"),
        ('[[kind]]\nkey = "x"\nlabel = "X"\nmarkers = "ordre du jour"\n', "markers must be a list"),
        ('[[kind]]\nkey = "x"\nlabel = "X"\nmin_markers = 0\n', "min_markers must be a whole"),
    ],
)
def test_a_bad_marker_setting_names_the_entry(tmp_path: Path, entry: str, message: str) -> None:
    with pytest.raises(InvalidVocabulary, match=re.escape(message)):
        Vocabulary.load(write(tmp_path / "vocabulary.toml", entry))


def test_an_associations_minutes_are_minutes_without_any_term_of_the_vocabulary() -> None:
    # A walkers' association in Geneva: no place, family or mission of ours, but on the
    # observatory's ground (the vocabulary's [ground] words: association, assemblée générale).
    walk = "Nous avons marché six heures jusqu'au sommet et pique-niqué au col. " * 5
    minutes = (
        "Association des amis du Salève\nProcès-verbal de l'assemblée générale du 14 mars 2024\n"
        "1. Présences\n" + walk
    )
    assert kind_of(minutes) == "compte-rendu"
    assert kind_of(minutes.replace("Association des amis du Salève", "Club")
                   .replace("assemblée générale", "réunion")) is None  # fmt: skip


def test_one_heading_repeated_or_a_table_on_one_page_is_not_a_form() -> None:
    report = CONTEXT + "".join(f"Résultats du trimestre {n}\n{PROSE}\n" for n in range(1, 5))
    assert kind_of(report) is None  # "résultats" four times: an activity report
    pages = [Section(CONTEXT + PROSE * 3, page=n) for n in range(1, 10)]
    table = "Indicateur d'effort\nIndicateur d'usage\nIndicateur de coût\nIndicateur de délai\n"
    pages[5] = Section(table + PROSE, page=6)
    found = kind_evidence(VOCAB, "", pages, "application/pdf")
    assert found is None  # four criteria-like rows on one page of a nine-page study
    # Two parts of one name and one other: a contract's clauses naming project methods,
    # not a study's method, results and recommendations.
    clauses = (CONTEXT + "Méthode en cascade : les phases se suivent.\n" + PROSE
               + "\nMéthode du tourniquet : les équipes alternent.\n" + PROSE
               + "\nRecommandations\n" + PROSE)  # fmt: skip
    assert kind_of(clauses) is None
    assert kind_of(clauses + "\nPrincipaux résultats\n" + PROSE) == "etude"


def test_a_title_part_after_a_comma_and_a_weak_name_only_in_the_title() -> None:
    title = "Journée inter-associations alimentation, le compte-rendu"
    assert kind_of(CONTEXT + PROSE, title=title) == "compte-rendu"
    assert kind_of(CONTEXT + PROSE, title="Guide de lancement des tiers-lieux") == (
        "guide-de-procedures"
    )
    # "Guide" alone on a line of a page's head (a menu) says nothing of the page.
    assert kind_of("Accueil\nGuide\nContact\n" + CONTEXT + PROSE) is None
