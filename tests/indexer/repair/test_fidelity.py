"""Fidelity check: on fixtures with a known true text, repair brings the text back.

The damaged fixtures are made by scripts/repair_fidelity.py --write from the true texts
(each kind of damage alone, then all together); the script prints the same figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.repair import repair_document
from indexer.repair.fidelity import character_error_rate, fixture_document, levenshtein

FIXTURES = Path(__file__).parents[2] / "fixtures" / "repair"
TRUE = sorted((FIXTURES / "true").glob("*.txt"))
DAMAGED = sorted((FIXTURES / "damaged").glob("*.txt"))
# Damage the repairs undo exactly: the text comes back character for character.
# "shadowed" is written by hand (not by the script): runs of a deck's titles doubled with
# spaces, several in a row and across a line break, and U+FFFD for Windows punctuation.
EXACT = {"utf8_as_latin1", "doubled_text", "layout", "shadowed"}


def truth_of(damaged: Path) -> Path:
    return FIXTURES / "true" / f"{damaged.name.split('.')[0]}.txt"


def test_the_fixtures_cover_every_damage_alone_and_mixed() -> None:
    kinds = {path.name.split(".")[1] for path in DAMAGED}
    assert kinds == {*EXACT, "standard_encoding", "furniture", "mixed"}
    assert len(TRUE) >= 4
    assert all(len(path.read_text(encoding="utf-8").split()) >= 150 for path in TRUE)


@pytest.mark.parametrize("path", TRUE, ids=lambda p: p.stem)
def test_clean_fixtures_come_out_unchanged(path: Path) -> None:
    document = fixture_document(path)
    result = repair_document(document)
    assert result.changes == {}
    assert character_error_rate(document.text, result.document.text) == 0.0


@pytest.mark.parametrize("path", DAMAGED, ids=lambda p: p.name.removesuffix(".txt"))
def test_repair_brings_damaged_fixtures_back(path: Path) -> None:
    truth = fixture_document(truth_of(path)).text
    damaged = fixture_document(path)
    repaired = repair_document(damaged)
    before = character_error_rate(truth, damaged.text)
    after = character_error_rate(truth, repaired.document.text)
    assert before > 0.02
    assert repaired.changes
    if path.name.split(".")[1] in EXACT:
        assert after == 0.0
    else:
        # What is left: U+FFFD that could be …, “ or ”; the first running header or footer,
        # kept on purpose; Œuvres read back as œuvres.
        assert after < before / 10


def test_overall_error_rate() -> None:
    errors_before = errors_after = length = 0
    for path in DAMAGED:
        truth = fixture_document(truth_of(path)).text
        damaged = fixture_document(path)
        errors_before += levenshtein(truth, damaged.text)
        errors_after += levenshtein(truth, repair_document(damaged).document.text)
        length += len(truth)
    assert errors_before / length > 0.05
    assert errors_after / length < 0.005


@given(st.text("abcé ’\n", max_size=25), st.text("abcé ’\n", max_size=25))
def test_levenshtein_is_the_edit_distance(a: str, b: str) -> None:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    assert levenshtein(a, b) == previous[-1] == levenshtein(b, a)


def test_character_error_rate() -> None:
    assert character_error_rate("réunion", "rØunion") == pytest.approx(1 / 7)
    assert character_error_rate("", "") == 0.0
    assert character_error_rate("", "x") == 1.0
    assert levenshtein("x" * 3000, "y" * 3000) == 3000
