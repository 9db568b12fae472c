"""Places a curator would set, on the sample library's vocabulary: the national level said in
passing is not France, an agglomeration named after its town is the pays, and a commune
outside the vocabulary names its pays (docs/cataloguing.md)."""

from __future__ import annotations

from indexer.extract.base import Section
from kb.autotag import automatic_tags
from kb.settings import DEFAULT_VOCABULARY
from kb.vocabulary import Vocabulary

VOCAB = Vocabulary.load(DEFAULT_VOCABULARY)
FILLER = "Le service accompagne les habitants dans leurs démarches quotidiennes. " * 60


def places(title: str, text: str) -> tuple[list[str], list[str]]:
    """The territories tagged and those suggested."""
    found = automatic_tags(VOCAB, title, [Section(text)], "text/markdown")
    tagged = [t.value for t in found.tags if t.field == "territory"]
    suggested = [s.value for s in found.suggestions if s.field == "territory"]
    return tagged, suggested


def test_the_national_level_said_in_passing_is_not_france() -> None:
    text = (FILLER + "Le dispositif existe à l'échelle nationale depuis 2019. " + FILLER
            + "Les données sont publiées au niveau national chaque année.")  # fmt: skip
    tagged, _ = places("Implantation des entreprises", text)
    assert "france" not in tagged


def test_an_agglomeration_named_after_its_town_is_the_pays_not_the_town() -> None:
    text = ("Un collectif de citoyens du pays de Dinan. Nos actions à Dinan et autour : "
            "le marché de Dinan, la pépinière. " + FILLER + "Nous avons écrit aux maires de "
            "Dinan Agglomération. La mairie de Dinan a répondu.")  # fmt: skip
    tagged, suggested = places("Manifeste", text)
    assert tagged == ["pays-de-dinan"]
    assert "dinan" in suggested


def test_a_town_beside_a_pays_of_another_name_stays() -> None:
    text = ("Diagnostic de l'ESS à Quimper et dans le Pays de Cornouaille. " + FILLER
            + "Quimper compte 400 associations. Le Pays de Cornouaille en compte 2000.")
    tagged, _ = places("Diagnostic", text)
    assert "quimper" in tagged and "pays-de-cornouaille" in tagged


def test_a_commune_outside_the_vocabulary_names_its_pays() -> None:
    text = ("Recours gracieux contre le permis d'aménager délivré à Quévert. " + FILLER
            + "Le projet de Quévert artificialise six hectares de terres agricoles.")
    tagged, _ = places("Recours gracieux", text)
    assert tagged == ["pays-de-dinan"]
