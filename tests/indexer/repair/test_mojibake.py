"""StandardEncoding mojibake: the derived table and the evidence rules."""

from __future__ import annotations

import pytest

from indexer.repair.mojibake import (
    FRENCH_LETTERS,
    TABLE,
    damaged_form,
    fix_standard_encoding,
    is_damaged,
)


def fix(text: str, damaged: bool = True) -> str:
    return fix_standard_encoding(text, damaged)[0]


def damage(text: str) -> str:
    return "".join(damaged_form(c) for c in text)


def test_the_table_is_the_one_readers_produce() -> None:
    # Pins pypdf's private StandardEncoding table: if a release moves or changes it, this fails.
    assert TABLE == {
        "Ø": "é", "Ł": "è", "Œ": "ê", "º": "ë", "ø": "ù", "ß": "û",
        "´": "Â", "˜": "Ä", "˙": "Ç", "¨": "È", "˚": "Ê", "¸": "Ë", "˛": "Î", "ˇ": "Ï",
        "˘": "Æ",
    }  # fmt: skip


@pytest.mark.parametrize("letter", list("àâçîïôöüÿÀÉÔÙÛÜ"))
def test_letters_standard_encoding_leaves_alone_survive(letter: str) -> None:
    assert damaged_form(letter) == letter


@pytest.mark.parametrize("char", ["’", "–", "—", "…", "•", "œ", "Œ", "€", "“", "”"])
def test_windows_only_punctuation_becomes_a_replacement_character(char: str) -> None:
    assert damaged_form(char) == "\ufffd"


def test_every_damaged_french_letter_is_in_the_table() -> None:
    for letter in FRENCH_LETTERS:
        glyph = damaged_form(letter)
        assert glyph in (letter, "\ufffd") or TABLE[glyph] == letter


@pytest.mark.parametrize(
    "text",
    [
        "la 3ème réunion d’étape doit être préparée",
        "Où en est la fête ? Noël, août, sûr, mûr et dû.",
        "Être ou ne pas être : Ça, Île, Ève, Âge, ÉCONOMIE, FRANÇAIS, MÊME.",
        "Le cœur du projet et l’œuvre ; le budget de 15 000 € ; 2007–2008.",
        "• Premier point de l’ordre du jour",
        "la démarche – très suivie – a été évaluée",
    ],
)
def test_damage_is_undone(text: str) -> None:
    damaged = damage(text)
    assert damaged != text
    assert is_damaged(damaged) or "é" not in text
    assert fix(damaged) == text


def test_the_domain_example() -> None:
    assert fix_standard_encoding("la 3Łme rØunion d\ufffdØtape doit Œtre prØparØe", True) == (
        "la 3ème réunion d’étape doit être préparée",
        7,
    )


@pytest.mark.parametrize(
    ("text", "damaged"),
    [
        ("rØunion", True),
        ("MØthodologie", True),
        ("prØparØ", True),
        ("Œuvres complètes, mise en œuvre", False),
        ("Ørsted, Łódź, ØRESUND, Straße, nº 5", False),
        ("Øtape", False),  # Danish words start so: a lower-case letter after Ø proves nothing
        ("", False),
    ],
)
def test_evidence(text: str, damaged: bool) -> None:
    assert is_damaged(text) is damaged


def test_nothing_changes_without_evidence() -> None:
    text = "Œuvres d\ufffdart, Ørsted, Noºl"
    assert fix_standard_encoding(text, False) == (text, 0)


def test_real_oe_and_non_french_stay_in_damaged_text() -> None:
    assert fix("la rØunion sur les Œuvres, la mise en œuvre, nº 5 et 1º") == (
        "la réunion sur les Œuvres, la mise en œuvre, nº 5 et 1º"
    )
    assert fix("ØRESUND, Œil, Œdipe, ºC") == "ØRESUND, Œil, Œdipe, ºC"


def test_a_line_in_an_intact_font_keeps_its_ambiguous_glyphs() -> None:
    # The second line holds é: its font was intact, so only glyphs no language writes change.
    text = "la rØunion\nSøren et Ørsted ont été reçus par la prØsidente"
    assert fix(text) == "la réunion\nSøren et Ørsted ont été reçus par la présidente"


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("d\ufffdØtape", "d’étape"),
        ("c\ufffdur", "cœur"),
        ("l\ufffd\ufffduvre", "l’œuvre"),
        ("C\ufffdUR", "CŒUR"),
        ("d\ufffdIlle-et-Vilaine", "d’Ille-et-Vilaine"),  # not "œil"
        ("\ufffd Premier point", "• Premier point"),
        ("  \ufffd\tsous-point", "  •\tsous-point"),
        ("2007\ufffd2008", "2007–2008"),
        ("le pôle \ufffd qui", "le pôle – qui"),
        ("de 10 \ufffd 20 personnes", "de 10 – 20 personnes"),
        ("version 4 \ufffd juin 2008", "version 4 – juin 2008"),
        ("en 2008 \ufffd la suite", "en 2008 – la suite"),
        ("un budget de 15 000 \ufffd par an", "un budget de 15 000 € par an"),
        ("coût : 500 \ufffd.", "coût : 500 €."),
        ("soit 50\ufffd", "soit 50€"),
        ("etc\ufffd", "etc\ufffd"),  # an ellipsis or a closing quote: left for a reader to see
        ("\ufffdBonjour\ufffd", "\ufffdBonjour\ufffd"),
        # Old decks (issue 26): a bullet glued to its word, a dash's shadow copy glued to the
        # word before it, an ellipsis before a closing bracket.
        ("\ufffdContenu", "• Contenu"),
        ("\ufffdFinancement du pôle (2007\ufffd2008)", "• Financement du pôle (2007–2008)"),
        ("  \ufffdles associations de l\ufffdESS", "  • les associations de l’ESS"),
        ("\ufffd10 % de l\ufffdemploi", "• 10 % de l’emploi"),
        ("\ufffdBilan du projet\ufffd : suite", "\ufffdBilan du projet\ufffd : suite"),
        ("Méthodologie\ufffd – prochaines étapes", "Méthodologie – prochaines étapes"),
        ("Phase 2\ufffd — mars 2009", "Phase 2 — mars 2009"),
        ("le pôle \ufffd – qui", "le pôle – – qui"),  # spaced: left to the doubled-dash rule
        ("Méthodologie\ufffd -prochaines", "Méthodologie\ufffd -prochaines"),
        ("(économie, culture\ufffd)", "(économie, culture…)"),
        ("[sport, loisirs\ufffd]", "[sport, loisirs…]"),
        ("(\ufffdBonjour\ufffd)", "(\ufffdBonjour\ufffd)"),  # a quote in brackets
    ],
)
def test_replacement_characters_are_read_from_their_context(damaged: str, repaired: str) -> None:
    assert fix("la rØunion\n" + damaged) == "la réunion\n" + repaired


def test_capitals_are_read_from_the_case_of_the_word() -> None:
    assert fix("˙a va ; FRAN˙AIS ; ˚tre ; APR¨S ; ˛le") == ("Ça va ; FRANÇAIS ; Être ; APRÈS ; Île")
    # A spacing accent after a lower-case letter is an apostrophe typed with the wrong key.
    assert fix("l´économie") == "l´économie"


def test_changes_count_characters() -> None:
    assert fix_standard_encoding("rØunion d\ufffdØtape", True)[1] == 3
