"""`fold`, the one way words are compared, against its definition on every code point."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from indexer.text import LIGATURES, fold


def folded_by_definition(text: str) -> str:
    """What `fold`'s docstring says, written the plain way: ligatures spelt out, curly
    apostrophes straight, NFKD, combining marks dropped, case folded."""
    for ligature, spelt in LIGATURES.items():
        text = text.replace(ligature, spelt)
    for curly in "’‘ʼ`":
        text = text.replace(curly, "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_fold_is_its_definition_on_every_code_point() -> None:
    differ = [
        hex(code) for code in range(sys.maxunicode + 1)
        if not 0xD800 <= code <= 0xDFFF  # surrogates are no text
        and fold(f"a{chr(code)}É") != folded_by_definition(f"a{chr(code)}É")
    ]  # fmt: skip
    assert differ == []


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("L’Œuvre", "l'oeuvre"),
        ("CŒUR et cœur", "coeur et coeur"),
        ("Économie sociale", "economie sociale"),
        ("ﬁnancement", "financement"),
        ("Côtes-d’Armor", "cotes-d'armor"),
        ("plain ASCII Text", "plain ascii text"),
        ("Straße", "strasse"),
        ("", ""),
    ],
)
def test_fold_examples(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_remembers_a_bounded_number_of_characters() -> None:
    """A hostile text holding every code point does not grow the table without end."""
    from indexer import text

    everything = "".join(chr(c) for c in range(0x80, 0x30000) if not 0xD800 <= c <= 0xDFFF)
    assert fold(everything) == folded_by_definition(everything)
    assert len(text._COMBINING_MARKS) <= text.MAX_REMEMBERED_CODES
