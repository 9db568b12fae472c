"""A place name is a place only where the text uses it as one; a name inside an acronym's
expansion or a public body's name is no evidence (`kb.mention_rules`), checked through the
vocabulary's own search of the sample library's vocabulary."""

from __future__ import annotations

import pytest

from kb.settings import DEFAULT_VOCABULARY
from kb.vocabulary import Vocabulary

VOCAB = Vocabulary.load(DEFAULT_VOCABULARY)


def named(text: str, field: str = "territory") -> list[str]:
    return [m.key for m in VOCAB.find_mentions("", [(text, None)]) if m.field == field]


@pytest.mark.parametrize(
    ("text", "not_named"),
    [
        ("On a ouvert les vannes de l'écluse du canal.", "vannes"),
        ("La maquette est signée par l'agence Brest Design.", "brest"),
        ("Le spectacle Finistère Express part en tournée.", "finistere"),
        ("Contact : 12 rue de la Paix, 35000 Rennes.", "rennes"),
        ("Maison de la Famille – BP 74 – 56002 VANNES cedex", "vannes"),
        ("Siège : 2 place du Marché, Lorient Cedex", "lorient"),
        # after a capitalised word in the middle of a name: a group's, a programme's
        ("Juliette - vigiliantes / Extinction Rebellion Dinan", "dinan"),
        ("Le témoignage de la startup d'État Work In France sur les imprévus.", "france"),
        # a list's item of its own: one of many places, none in particular
        ("Communes engagées :\n- Lorient (2008)\n- Vannes (2014)\n", "vannes"),
    ],
)
def test_a_place_name_that_is_not_used_as_a_place_is_not_a_mention(
    text: str, not_named: str
) -> None:
    assert not_named not in named(text)
    # The same name used as a place is one (the rule, not the name, decides).
    assert not_named in named(text + f" L'ESS à {VOCAB.get('territory', not_named).label}.")  # type: ignore[union-attr]


def test_a_common_word_of_a_place_is_no_piece_of_a_name() -> None:
    # Only a proper name goes on into another name: a national consultation is national.
    assert named("Résultats de la consultation nationale France Relance") == ["france"]
    assert named("Le programme national Petites Villes de demain") == ["france"]


def test_places_written_as_places_stay_mentions() -> None:
    assert named("Les pays de Saint-Malo, de Fougères et de Vitré.") == [
        "pays-de-saint-malo", "fougeres", "vitre"
    ]  # fmt: skip
    assert named("Brest Métropole et Lorient Agglomération.") == ["brest", "pays-de-lorient"]
    assert named("L'ESS EN FINISTÈRE NORD ET BRETAGNE") == ["finistere", "bretagne"]
    assert named("Le Finistère, Rennes.") == ["finistere", "rennes"]
    # A sentence's first word, a place's own word before it, a list item that says more.
    assert named("En Bretagne, les SCOP. La ville de Saint Malo.") == ["bretagne", "saint-malo"]
    assert named("Le Conseil Départemental Finistère.") == ["finistere"]
    assert named("- Réunion à Dinan le 3 mai") == ["dinan"]


def test_an_acronyms_expansion_is_no_evidence_of_a_family() -> None:
    assert named("Le Fonds pour le développement de la vie associative (FDVA).", "family") == []
    assert (
        named("Le FDVA (Fonds pour le développement de la vie associative) aide.", "family") == []
    )
    assert named("La vie associative du quartier est riche.", "family") == ["associations"]
    # The acronym itself, when the vocabulary lists it, still counts.
    assert named("La Conférence permanente des coordinations associatives (CPCA).", "family") == [
        "associations"
    ]


def test_a_name_opening_an_acronyms_expansion_says_what_the_body_is() -> None:
    assert named("Association genevoise des amis du Salève (AGAS)\n", "family") == [
        "associations"
    ]  # fmt: skip
    assert named("L'AGAS (Association genevoise des amis du Salève) marche.", "family") == [
        "associations"
    ]  # fmt: skip
    # Inside it, a name is the body's domain, not what it is.
    assert named("Le Fonds pour le développement de la vie associative (FDVA).", "family") == []


@pytest.mark.parametrize(
    "text",
    [
        # a report's box, wrapped over three lines as its PDF prints it
        "Lancé en 2021 — en accélération au sein de la Direction\nde la jeunesse, de "
        "l\u02bcéducation populaire\net de la vie associative.",
        "Le ministère de l'Éducation nationale, de la Jeunesse et de la Vie associative "
        "finance le dispositif.",
        "Avec la Délégation à l'économie sociale et aux SCOP.",
    ],
)
def test_a_public_bodys_name_is_no_mention_of_the_family_in_its_charge(text: str) -> None:
    assert named(text, "family") == []


def test_a_family_beside_a_public_body_but_not_in_its_name_stays_a_mention() -> None:
    assert named("La Direction a décidé de soutenir la vie associative du quartier.",
                 "family") == ["associations"]  # fmt: skip
    assert named("Le ministère finance la vie associative.", "family") == ["associations"]
    # A place in a public body's name is its territory.
    assert named("La Direction départementale du Finistère.") == ["finistere"]
