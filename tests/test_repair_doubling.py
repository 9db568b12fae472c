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
