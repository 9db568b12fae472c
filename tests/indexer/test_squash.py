"""`indexer.snippets.squash` against a squash done run by run with a regular expression (how
it was written before `str.split` did it): the same text and the same highlight offsets
for any text, whitespace of every kind included, and any offsets."""

from __future__ import annotations

import bisect
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.snippets import squash

# The runs a squash changes: a leading run, and any run but a lone space.
_SPACES = re.compile(r"^\s+|\s*[^\S ]\s*|\s{2,}")
# Spaces of every kind `str.isspace` knows, and a few characters that look like one but
# are not (zero-width space, word joiner).
_ALPHABET = "ab é\t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000\u200b\u2060"


def run_by_run(text: str, marks: tuple[tuple[int, int], ...]
               ) -> tuple[str, tuple[tuple[int, int], ...]]:  # fmt: skip
    pieces: list[str] = []
    runs: list[tuple[int, int, int, int]] = []  # (start, end, new start, spaces kept)
    pos = length = 0
    for match in _SPACES.finditer(text):
        start, end = match.span()
        pieces.append(text[pos:start])
        length += start - pos
        kept = 1 if length else 0
        runs.append((start, end, length, kept))
        if kept:
            pieces.append(" ")
            length += 1
        pos = end
    pieces.append(text[pos:])
    squashed = "".join(pieces).rstrip()
    starts = [run[0] for run in runs]

    def moved(offset: int) -> int:
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return offset
        start, end, new, kept = runs[i]
        if offset == start:
            return new
        if offset < end:
            return new + kept
        return new + kept + offset - end

    return squashed, tuple((moved(s), min(moved(e), len(squashed))) for s, e in marks)


@st.composite
def text_and_marks(draw: st.DrawFn) -> tuple[str, tuple[tuple[int, int], ...]]:
    text = draw(st.text(alphabet=_ALPHABET, max_size=80))
    offsets = st.integers(0, len(text))
    pairs = draw(st.lists(st.tuples(offsets, offsets), max_size=6))
    return text, tuple((min(a, b), max(a, b)) for a, b in pairs)


@settings(max_examples=1500, deadline=None)
@given(text_and_marks())
def test_squash_gives_the_run_by_run_text_and_offsets(case: tuple[str, tuple]) -> None:
    text, marks = case
    assert squash(text, marks) == run_by_run(text, marks)


def test_squash_moves_highlights_onto_the_same_words() -> None:
    text = "\n  le  pôle\tESS \u00a0 de   Rennes \n"
    marks = ((text.index("pôle"), text.index("pôle") + 4),
             (text.index("Rennes"), text.index("Rennes") + 6))  # fmt: skip
    squashed, moved = squash(text, marks)
    assert squashed == "le pôle ESS de Rennes"
    assert [squashed[s:e] for s, e in moved] == ["pôle", "Rennes"]
    assert squash(" \t\n", ()) == ("", ())
