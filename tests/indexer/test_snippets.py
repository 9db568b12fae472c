"""How snippets choose their fragments (`indexer.snippets`): the densest fragment wins,
ties go to the later fragment, a fragment never runs across two pages, and highlights
point at the matched words."""

from __future__ import annotations

import heapq
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract.base import Section
from indexer.prepare import join_sections, term_matches
from indexer.snippets import (
    SNIPPET_CHARS,
    SNIPPET_CONTEXT,
    QueryTerms,
    _fragments,
    _matches,
    snippets_of,
)
from indexer.text import fold

WORDS = ("economie", "sociale", "solidaire", "pole", "cooperative")
Matches = list[tuple[int, int, str]]  # (start, end, term), sorted by start


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


def _best(text: str, matches: Matches, top: int) -> list[tuple[float, int, int, int]]:
    best = heapq.nlargest(top, _fragments(text, matches))
    return [(score, f.startchar, f.endchar, f.last - f.first + 1) for score, f in best]


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 10**6), length=st.integers(0, 3000), density=st.floats(0.0, 1.0))
def test_fragments_hold_their_matches_and_score_by_matches_and_words(
    seed: int, length: int, density: float
) -> None:
    text, matches = _text_and_matches(seed, length, density)
    covered = set()
    for score, fragment in _fragments(text, matches):
        inside = matches[fragment.first : fragment.last + 1]
        assert inside
        assert 0 <= fragment.startchar <= inside[0][0] and inside[-1][1] <= fragment.endchar
        assert fragment.endchar <= len(text)
        words = len({m[2] for m in inside}) if len(inside) > 1 else 1
        assert score == len(inside) * words * 100
        covered.update(range(fragment.first, fragment.last + 1))
    assert covered == set(range(len(matches)))  # every match is in some fragment


def test_the_densest_fragment_wins() -> None:
    far = " ".join(["x" * 10] * 40)
    text = f"economie {far} economie sociale solidaire {far} sociale"
    matches = [(m, m + len(w), w) for w in ("economie", "sociale", "solidaire")
               for m in _starts(text, w)]  # fmt: skip
    matches.sort()
    ((score, start, end, count),) = _best(text, matches, 1)
    assert count == 3 and score == 3 * 3 * 100
    assert start <= text.index("economie sociale") and end >= text.index(" solidaire") + 10


def test_equal_scores_go_to_the_later_fragment() -> None:
    # Three single matches far apart: all score 100; the later ones are kept.
    text = " ".join(["economie"] + ["x" * 10] * 40 + ["economie"] + ["y" * 10] * 40 + ["economie"])
    starts = _starts(text, "economie")
    matches = [(s, s + 8, "economie") for s in starts]
    assert len(starts) == 3
    best = _best(text, matches, 2)
    assert [score for score, *_ in best] == [100, 100]
    assert sorted(start for _, start, _, _ in best) > [starts[0] + 8] * 2
    assert SNIPPET_CONTEXT < 200 < SNIPPET_CHARS * 3  # the matches are fragments apart


def test_a_snippet_never_runs_across_two_pages_and_tells_its_page() -> None:
    # The matched words end one page and start the next: the fragment is cut to the
    # page holding most of them.
    pages = (
        Section("Rapport annuel du bureau. " * 3 + "Le pôle de l'économie sociale", page=1),
        Section("solidaire. " + "Réunion du conseil, budget et compte. " * 3, page=2),
        Section("Annexe: " + "bilan " * 30 + "économie sociale et solidaire.", page=3),
    )
    text, starts = join_sections(pages)
    wanted = QueryTerms(frozenset({"econom", "social", "solidair"}))
    snippets = snippets_of(text, starts, wanted, 5)
    assert [s.page for s in snippets] == [1, 3]
    assert "solidaire" not in snippets[0].text  # the word of page 2 is left out
    for snippet in snippets:
        page_text = pages[(snippet.page or 1) - 1].text
        assert snippet.text in " ".join(page_text.split())
        assert snippet.heading is None


def test_without_pages_a_snippet_tells_its_nearest_heading() -> None:
    sections = (
        Section("Introduction au rapport.", heading="Introduction"),
        Section("L'économie sociale et solidaire en Bretagne."),  # under the same heading
        Section("Budget et compte.", heading="Annexes"),
    )
    text, starts = join_sections(sections)
    (snippet,) = snippets_of(text, starts, QueryTerms(frozenset({"econom"})), 3)
    assert (snippet.page, snippet.heading) == (None, "Introduction")


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(["L’économie", "économies", "ÉCONOMIE", "sociale", "de", "la", "pôle",
                         "coopératives", "x", "\n", "l'Économie", "e\u0301conomie"]),
        max_size=80,
    ),
    page_break=st.integers(0, 80),
)  # fmt: skip
def test_highlights_point_at_the_matched_words(words: list[str], page_break: int) -> None:
    pages = (Section(" ".join(words[:page_break]), 1), Section(" ".join(words[page_break:]), 2))
    text, starts = join_sections(pages)
    wanted = QueryTerms(frozenset({"econom"}), prefixes=("cooperat",))
    for snippet in snippets_of(text, starts, wanted, 3):
        assert snippet.highlights
        for a, b in snippet.highlights:
            word = fold(snippet.text[a:b])
            assert word.startswith("econom") or word.startswith("cooperat"), word


def _starts(text: str, word: str) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(word, i)]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(["Bretagne", "BRETAGNE", "bretonne", "Formation", "formations",
                         "Économie", "l’économie", "d'Économies", "sociale", "de", "Pôle",
                         "pôles", "Mission", "mIssions", "x_bretagne", "2024", "\n", "é"]),
        max_size=120,
    ),
)  # fmt: skip
def test_every_matching_word_is_found_whatever_its_case_and_accents(words: list[str]) -> None:
    """Places are found in a folded copy of the text: a capital without accented forms
    ("Formation", "Pôle", "Mission") is found like any other (it was missed once)."""
    text = " ".join(words)
    wanted = QueryTerms(frozenset({"bretagn", "format", "econom", "pol", "mission"}),
                        prefixes=("breto",))  # fmt: skip
    assert sorted(_matches(text, wanted)) == term_matches(text, wanted.terms, wanted.prefixes)


def test_a_capital_word_is_highlighted_beside_its_lower_case_forms() -> None:
    text = "Le bilan de la formation. " + "x " * 200 + "Formation des bénévoles en Bretagne."
    (first, second) = snippets_of(text, [(0, None, "")], QueryTerms(frozenset({"format"})), 2)
    assert [second.text[a:b] for a, b in second.highlights] == ["Formation"]
    assert [first.text[a:b] for a, b in first.highlights] == ["formation"]
