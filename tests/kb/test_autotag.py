"""Places and families a curator would set, on the sample library's vocabulary: the national
level said in passing is not France, a document whose scope is national is; an agglomeration
named after its town is the pays, and a commune outside the vocabulary names its pays; an
association's own documents are about associations, a ministry's name is not, and families
compared with the one a page is about are not what it is about (docs/cataloguing.md)."""

from __future__ import annotations

from indexer.extract.base import Section
from kb.autotag import automatic_tags
from kb.settings import DEFAULT_VOCABULARY
from kb.vocabulary import Vocabulary

VOCAB = Vocabulary.load(DEFAULT_VOCABULARY)
FILLER = "Le service accompagne les habitants dans leurs démarches quotidiennes. " * 60


def places(title: str, text: str) -> tuple[list[str], list[str]]:
    """The territories tagged and those suggested."""
    return terms("territory", title, text)


def terms(field: str, title: str, text: str) -> tuple[list[str], list[str]]:
    """The terms of `field` tagged and those suggested."""
    found = automatic_tags(VOCAB, title, [Section(text)], "text/markdown")
    tagged = [t.value for t in found.tags if t.field == field]
    suggested = [s.value for s in found.suggestions if s.field == field]
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


# The yearly report of a programme run across ministries: its scope is national.
NATIONAL_REPORT = (
    "Le programme est un programme interministériel animé au sein de la Direction "
    "interministérielle du numérique. Il aide les administrations de l'État et les ministères "
    "à construire des services publics numériques. "
    + "En 2023, six nouveaux services à impact national ont été déployés ; le Gouvernement "
      "a confié au programme l'accompagnement des ministères et des opérateurs nationaux. "
      "Les incubateurs ministériels et interministériels suivent la même approche. " * 5
    + FILLER[:1500]
)


def test_a_document_whose_scope_is_national_is_about_france() -> None:
    assert places("Bilan 2023 du programme", NATIONAL_REPORT)[0] == ["france"]
    # Its title says so, on the observatory's ground (collectivités).
    text = ("L'Incubateur accompagne les collectivités territoriales dans la conception de "
            "services publics numériques. " + FILLER)  # fmt: skip
    assert places("Programme national d'investigations", text)[0] == ["france"]


def test_the_national_level_named_in_a_long_local_document_is_not_france() -> None:
    # The same words in a call for tender ten times longer: a ministry as the buyer, not a
    # document about the national level.
    assert places("Cahier des clauses techniques", NATIONAL_REPORT + FILLER * 12)[0] == []
    # A national body named at the head of a local page.
    text = ("Centre national de la fonction publique territoriale\n" + FILLER)
    assert places("Identifier le problème", text)[0] == []


def test_an_associations_own_documents_are_about_associations() -> None:
    minutes = ("Ordre du jour\n1. Mandat donné aux administrateurs.\nSecrétaire de séance\n"
               "Les statuts prévoient deux mandats. " + FILLER[:800])  # fmt: skip
    assert terms("family", "Compte rendu du conseil d'administration de l'association "
                 "Les amis du lavoir", minutes)[0] == ["associations"]  # fmt: skip
    # Its name at the head of its general meeting's minutes, which speak of its president
    # and its dues.
    report = ("Association des amis du lavoir de Quimper (AALQ)\n1. Présences : Jeanne Le Bihan "
              "(présidente), dix membres.\n2. Rapport du trésorier : les cotisations couvrent "
              "les frais. " + FILLER[:800])  # fmt: skip
    assert terms("family", "Procès-verbal de l'Assemblée Générale du 14 mars 2024",
                 report)[0] == ["associations"]  # fmt: skip


def test_an_associations_letter_on_another_subject_is_not_about_associations() -> None:
    letter = ("L'association Les Veilleurs, représentée par sa co-présidente, forme un recours "
              "gracieux contre le permis d'aménager. " + FILLER[:1500])  # fmt: skip
    assert terms("family", "Recours gracieux", letter)[0] == []


def test_a_ministrys_name_is_not_associations() -> None:
    text = (NATIONAL_REPORT[:600] + "\nLe service est en accélération au sein de la Direction "
            "de la jeunesse, de l'éducation populaire et de la vie associative. " + FILLER[:800]
            + " 510 000 bénévoles et 8 000 associations inscrits.")  # fmt: skip
    tagged, _ = terms("family", "Bilan 2023 du programme", text)
    assert tagged == []


def test_families_compared_with_the_one_a_page_is_about_are_suggested() -> None:
    tab = ("Les fondations et fonds de dotation ne sont pas soumis à un contrôle hiérarchique. "
           "Les sociétés coopératives d'intérêt collectif signent des conventions. ")  # fmt: skip
    text = ("Qu'est-ce qu'une fondation ou un fonds de dotation ? Les fondations d'entreprise, "
            "les fonds de dotation et les fondations abritées. " + FILLER[:600] + tab * 3
            + "Les fonds de dotation sont soumis à la comptabilité privée. " * 4)  # fmt: skip
    tagged, suggested = terms("family", "De la startup d'État à la Fondation et au Fonds de "
                              "dotation", text)  # fmt: skip
    assert tagged == ["fondations"]
    assert suggested == ["cooperatives"]
    found = automatic_tags(VOCAB, "De la startup d'État à la Fondation et au Fonds de dotation",
                           [Section(text)], "text/markdown")  # fmt: skip
    assert "compared with fondations" in found.suggestions[0].reason
