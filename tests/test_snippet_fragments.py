"""The snippets' fragments are Whoosh's: `indexer.snippets._fragments` on plain tuples picks
the same fragments, with the same scores and the same ties, as Whoosh's
`PinpointFragmenter` and `top_fragments` on `Token` objects (what the snippets used)."""

from __future__ import annotations

import heapq
import random

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import highlight
from whoosh.analysis import Token

from indexer.snippets import SNIPPET_CHARS, SNIPPET_CONTEXT, _fragments

WORDS = ("economie", "sociale", "solidaire", "pole", "cooperative")
Matches = list[tuple[int, int, str]]  # (start, end, term), sorted by start
Chosen = list[tuple[float, int, int, int]]  # (score, start, end, matches)


def _text_and_matches(seed: int, length: int, density: float) -> tuple[str, Matches]:
    """A text of words and spaces (runs of spaces too), and matches on some of its words,
    sorted by start; two terms may match at one place (a prefix and a word)."""
    rng = random.Random(seed)
    pieces: list[str] = []
    matches: Matches = []
    pos = 0
    while pos < length:
        word = rng.choice(WORDS)[: rng.randint(2, 8)]
        if rng.random() < density:
            matches.append((pos, pos + len(word), word))
            if rng.random() < 0.1:
                matches.append((pos, pos + len(word) - 1, word[:-1]))
        gap = " " * rng.choice((1, 1, 1, 2, 5)) if rng.random() > 0.05 else "\n"
        pieces.append(word + gap)
        pos += len(word) + len(gap)
    matches.sort(key=lambda m: m[0])
    return "".join(pieces), matches


def _whoosh(text: str, matches: Matches, top: int) -> Chosen:
    tokens = [Token(text=w, startchar=s, endchar=e, matched=True) for s, e, w in matches]
    fragmenter = highlight.PinpointFragmenter(
        maxchars=SNIPPET_CHARS, surround=SNIPPET_CONTEXT, autotrim=True, charlimit=None
    )
    fragments = fragmenter.fragment_matches(text, tokens)
    scored = heapq.nlargest(top, ((highlight.BasicFragmentScorer()(f), f) for f in fragments))
    return [(score, f.startchar, f.endchar, len(f.matches)) for score, f in scored]


def _ours(text: str, matches: Matches, top: int) -> Chosen:
    best = heapq.nlargest(top, _fragments(text, matches))
    return [(score, f.startchar, f.endchar, f.last - f.first + 1) for score, f in best]


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    length=st.integers(0, 3000),
    density=st.floats(0.0, 1.0),
    top=st.integers(1, 5),
)
def test_the_same_fragments_scores_and_ties_as_whoosh(
    seed: int, length: int, density: float, top: int
) -> None:
    text, matches = _text_and_matches(seed, length, density)
    assert _ours(text, matches, top) == _whoosh(text, matches, top)


def test_equal_scores_go_to_the_later_fragment_as_in_whoosh() -> None:
    # Three single matches far apart: all score 100; Whoosh keeps the later ones.
    text = " ".join(["economie"] + ["x" * 10] * 40 + ["economie"] + ["y" * 10] * 40 + ["economie"])
    starts = [i for i in range(len(text)) if text.startswith("economie", i)]
    matches = [(s, s + 8, "economie") for s in starts]
    assert len(starts) == 3
    assert _ours(text, matches, 2) == _whoosh(text, matches, 2)
    assert all(start > starts[0] + 8 for _, start, _, _ in _ours(text, matches, 2))
