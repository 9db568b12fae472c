"""UTF-8 read as Latin-1 or Windows-1252, fixed with ftfy word by word."""

from __future__ import annotations

import pytest

from indexer.repair.encoding import fix_utf8_as_latin1


def misread(text: str, times: int = 1) -> str:
    for _ in range(times):
        text = text.encode("utf-8").decode("cp1252")
    return text


@pytest.mark.parametrize("times", [1, 2])
def test_utf8_read_as_windows_1252_once_or_twice(times: int) -> None:
    text = "L’étude de faisabilité du pôle ESS a été présentée à Saint-Brieuc."
    damaged = misread(text, times)
    assert damaged != text
    assert fix_utf8_as_latin1(damaged) == (text, 6)  # the words with a non-ASCII letter


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("rÃ©union", "réunion"),
        ("Ã‰tude", "Étude"),
        ("dâ€™Ã©tape", "d’étape"),
        ("la mise en Å“uvre", "la mise en œuvre"),
        ("voilÃ le travail", "voilà le travail"),  # à whose 0xA0 byte became a space
        ("rapportÂ : suite", "rapport\u00a0: suite"),  # a no-break space likewise
        ("d\x92étape", "d’étape"),  # a C1 control is the Windows-1252 character it was
    ],
)
def test_mojibake_words(damaged: str, repaired: str) -> None:
    assert fix_utf8_as_latin1(damaged)[0] == repaired


def test_a_damaged_line_among_intact_ones() -> None:
    text = "Le comité a validé.\nLe comitÃ© a validÃ©.\nL’œuvre est réalisée."
    assert fix_utf8_as_latin1(text) == (
        "Le comité a validé.\nLe comité a validé.\nL’œuvre est réalisée.",
        2,
    )


@pytest.mark.parametrize(
    "text",
    [
        "« Le pôle » a été réalisé\u00a0; c’est déjà ça\u00a0!",
        "São Paulo, Ærø, naïve, Noël, 1 500 €, n° 5, ½, l’été…",
        "São João, Pão de Açúcar, Ærø, Œuvres",
        "ÉTÉ, À BIENTÔT, ÇA",
    ],
)
def test_clean_text_is_left_alone(text: str) -> None:
    assert fix_utf8_as_latin1(text) == (text, 0)


def test_a_very_long_word_is_fixed_in_bounded_pieces() -> None:
    damaged = "rÃ©" * 100_000
    fixed, _ = fix_utf8_as_latin1(damaged)
    assert fixed.count("é") > 99_000
