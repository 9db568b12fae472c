"""Spacing accents of TeX PDFs composed into their letter, on evidence from the document."""

from __future__ import annotations

import pytest

from indexer.extract.base import ExtractedDocument, Section
from indexer.repair import repair_document, repair_text
from indexer.repair.accents import compose_accents, is_damaged


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        ("r´ef´erence", "référence"),
        ("Ex´ecution de lilypond", "Exécution de lilypond"),
        ("la mati`ere, o`u et `a Paris", "la matière, où et à Paris"),
        ("Ao^ut et la cha^ıne", "Août et la chaîne"),
        ("la chaˆıne et la tˆete", "la chaîne et la tête"),
        ("fran¸cais, gar¸con", "français, garçon"),
        ("na¨ıf et ma¨ıs", "naïf et maïs"),
        ("d´ efinition et r´ ef´ erence", "définition et référence"),  # spaced, as some readers
        ("cr´e´e", "créé"),
        # Typewriter fonts: the accent after its letter.
        ("taille\\unite´ et cle´=valeur", "taille\\unité et clé=valeur"),
        ("le franc¸ais", "le français"),
        ("le r´ sultat", "le r´ sultat"),  # "ŕ", "ś" are no French letters: left alone
    ],
)
def test_spacing_accents_are_composed(damaged: str, expected: str) -> None:
    # Evidence from the document: a TeX manual has many of them.
    text = f"{damaged}\nla d´efinition pr´ecise"
    assert repair_text(text)[0] == f"{expected}\nla définition précise"


def test_the_composed_letters_are_counted_as_a_named_repair() -> None:
    text, changes = repair_text("La r´ef´erence de l’utilisateur `a la page.")
    assert text == "La référence de l’utilisateur à la page."
    assert changes == {"spacing_accents": 3}


@pytest.mark.parametrize(
    "honest",
    [
        "l´entreprise d´une association, aujourd´hui qu´elle s´est créée",  # ´ as apostrophe
        "la note c4^a et le code `a` en Markdown, x^e",  # code
        "Un seul accent isolé : r´esumé.",  # too little evidence
        "L’économie sociale et solidaire, déjà évaluée.",
    ],
)
def test_honest_uses_of_the_same_characters_are_left_alone(honest: str) -> None:
    assert repair_text(honest) == (honest, {})


def test_evidence_is_taken_from_the_whole_document() -> None:
    # One page has the evidence, the other only an ambiguous grave accent: both are repaired.
    doc = ExtractedDocument(
        media_type="application/pdf",
        sections=(
            Section("La d´efinition et la r´ef´erence.", page=1),
            Section("Voir `a la page suivante.", page=2),
        ),
    )
    repaired = repair_document(doc)
    assert [s.text for s in repaired.document.sections] == [
        "La définition et la référence.",
        "Voir à la page suivante.",
    ]
    assert repaired.changes["spacing_accents"] == 4


def test_without_evidence_nothing_is_composed() -> None:
    assert not is_damaged(["voir `a la page", "c4^a"])
    assert compose_accents("voir `a la page", damaged=False) == ("voir `a la page", 0)
    assert compose_accents("x´y", damaged=True) == ("xý", 1)
