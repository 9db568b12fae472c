"""Doubled text from shadowed titles, without touching real repetition."""

from __future__ import annotations

import pytest

from indexer.repair.doubling import fix_doubling


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("Calendrier du projetCalendrier du projet", "Calendrier du projet"),
        ("2.2. Le budget Le budget", "2.2. Le budget"),
        ("2.2. Le budget2.2. Le budget", "2.2. Le budget"),
        ("Budget Budget", "Budget"),
        ("BudgetBudget", "Budget"),
        ("ANNEXESANNEXES", "ANNEXES"),
        ("Pourquoi un observatoire ?Pourquoi un observatoire ?", "Pourquoi un observatoire ?"),
        ("Partie 2 : Le budgetLe budget", "Partie 2 : Le budget"),
        ("1. IntroductionIntroduction", "1. Introduction"),
        ("MMéétthhooddoollooggiiee", "Méthodologie"),
        ("22.. LLee bbuuddggeett", "2. Le budget"),
        ("Le budget Le budget Le budget Le budget", "Le budget"),
        ("  - Calendrier du projet Calendrier du projet", "  - Calendrier du projet"),
    ],
)
def test_doubled_runs_lose_their_copy(damaged: str, repaired: str) -> None:
    assert fix_doubling(damaged)[0] == repaired


@pytest.mark.parametrize(
    "text",
    [
        "nous nous sommes réunis",
        "nous nous",
        "très très",
        "« de de » est une faute de frappe",
        "couscous, bonbon, froufrou, Bora-Bora, tam-tam",
        "BoraBora",  # a word of four letters glued to itself: too short to tell
        "Le budget. Le budget.",  # a sentence said twice
        "Vous vous",
        "PowerPoint, McDonald, iPhone, LibreOffice",
        "le 11 mai 2008, 2007-2008, 1010",
        "Oui\nOui",  # table cells on lines of their own
        "elle elle",
    ],
)
def test_real_repetition_is_kept(text: str) -> None:
    assert fix_doubling(text) == (text, 0)


def test_counts_the_copies_removed() -> None:
    text = "Calendrier du projetCalendrier du projet\ntexte\n2.2. Le budget Le budget"
    assert fix_doubling(text) == ("Calendrier du projet\ntexte\n2.2. Le budget", 2)


def test_glued_runs_are_only_looked_for_in_short_lines() -> None:
    paragraph = "mot " * 100 + "Le budgetLe budget"
    assert fix_doubling(paragraph) == (paragraph, 0)


# --- runs doubled anywhere in a line, several in a row, across a line break -------------


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("Bilan du comité de du comité de pilotagepilotage", "Bilan du comité de pilotage"),
        (
            "3 axes3 axes de travail retenus\nde travail retenus\ncomme priorités comme priorités",
            "3 axes de travail retenus\ncomme priorités",
        ),
        ("Phase 1 Phase 1 \ufffd\ufffd mars 2009mars 2009", "Phase 1 \ufffd mars 2009"),
        ("Phase 1 Phase 1 – – mars 2009 mars 2009", "Phase 1 – mars 2009"),
        ("Le pôle ESSLe pôle ESS : missions", "Le pôle ESS : missions"),  # one glued phrase
        (
            "Objectifs du pôle Objectifs du pôle – – calendrier de travailcalendrier de travail",
            "Objectifs du pôle – calendrier de travail",
        ),
    ],
)
def test_doubled_runs_anywhere_in_a_line(damaged: str, repaired: str) -> None:
    assert fix_doubling(damaged)[0] == repaired


@pytest.mark.parametrize(
    "text",
    [
        "L’économie sociale économie sociale et solidaire",  # one phrase said twice: kept
        "Économie l’observatoire l’observatoire économie.",  # one word with its elision
        "Conseil scientifique\tConseil scientifique\t1 mois",  # table cells
        "il le dit de\nde toute façon",  # "de de" across a real line
        "nous nous sommes réunis, vous vous êtes excusés",
        "Le budget. Le budget.",
        "Calendrier\nCalendrier du projet",  # a title really repeated in the text
        "Le comité de pilotage\ncomité de pilotage",  # no doubling in the first line
        "de 10 – – 20",  # dashes beside no other doubling
    ],
)
def test_real_repetition_around_lines_is_kept(text: str) -> None:
    assert fix_doubling(text) == (text, 0)


def test_a_doubled_run_continued_on_the_next_line_loses_its_copy() -> None:
    text = "Les 3 axes3 axes de travail retenus\nde travail retenus\nsuite du texte"
    assert fix_doubling(text) == ("Les 3 axes de travail retenus\nsuite du texte", 2)
