"""Did you mean: respell the query's unknown words from the library's own words.

A typed word is *unknown* when its stem is in no document the caller may see. A typed word
whose stem is known only by chance is respelled too: no visible document writes it so, and
the closest library word has another stem ("assocation" shares the stem "assoc" with
"associés" but meant "association"; "cooperatives" is left alone when only "coopérative"
is written, the same stem). For each unknown word the library's word store (`indexer.words`:
folded, unstemmed words with how many documents of each visibility hold them) gives the
words within a small edit distance;
a candidate counts only through the documents the caller may see, so a word found only in
hidden documents is never suggested. The chosen
word is shown as the library writes it (accents restored from a visible document: the
reader typed "sante", the text says "santé"). Finally the caller's `accept` checks that the
respelled query finds documents under the same visibility and filters.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from indexer.analysis import stem, tokens
from indexer.expand import TagNames, find_names
from indexer.query import Run
from indexer.words import WordStore

log = logging.getLogger(__name__)

MIN_WORD_LENGTH = 4  # shorter words have too many neighbours to guess from


@dataclass(frozen=True)
class _Word:
    start: int  # span in the query text
    end: int
    surface: str  # folded, unstemmed: what the word store holds
    typed: str


def suggest(
    text: str,
    *,
    runs: Sequence[Run],
    known: Callable[[str], bool],
    as_written: Callable[[str], str | None],
    words: WordStore,
    visibilities: frozenset[str] | None,
    accept: Callable[[str], bool],
    names: TagNames | None = None,
) -> str | None:
    """A respelled `text` whose unknown words are replaced by close library words, or None.

    `runs`: the runs of plain words of `text` (`ParsedQuery.runs`), the only words
    respelled; `known(stem)`: whether a document the caller may see holds that stem in a
    text field; `as_written(word)`: a folded word as a visible document writes it;
    `visibilities`: the visibility values the caller may see (None: all); `words`: the
    library's words; `accept(suggestion)`: whether the respelled query finds anything for
    this caller; `names`: the vocabulary's names (a word inside one, such as "brétilien",
    is known even if no text holds it). None when every word is known, when no close word
    exists, or when the respelled query would find nothing.
    """
    named = find_names(runs, names) if names is not None else []
    changes: list[tuple[_Word, str]] = []
    for word in _words(runs):
        if len(word.surface) < MIN_WORD_LENGTH or not word.surface.isalpha():
            continue
        if any(n.start <= word.start and word.end <= n.end for n in named):
            continue
        typed_stem = stem(word.surface)
        if known(typed_stem) and words.documents_with(word.surface, visibilities):
            continue
        best = _closest(words, word.surface, visibilities)
        if best is None or (known(typed_stem) and stem(best) == typed_stem):
            continue
        shown = as_written(best) or best
        changes.append((word, _same_case(word.typed, shown)))
    if not changes:
        return None
    out, last = [], 0
    for word, replacement in changes:
        out.append(text[last : word.start])
        out.append(replacement)
        last = word.end
    out.append(text[last:])
    suggestion = "".join(out)
    if suggestion == text or not accept(suggestion):
        return None
    log.debug("suggestion for %r: %r", text, suggestion)
    return suggestion


def _words(runs: Sequence[Run]) -> Iterator[_Word]:
    """The plain words of the query, with their spans; syntax is left alone."""
    for segment in runs:
        for offset, core in segment:
            for token in tokens(core, stems=False):
                yield _Word(
                    offset + token.start,
                    offset + token.end,
                    token.text,
                    core[token.start : token.end],
                )


def _closest(words: WordStore, word: str, visibilities: frozenset[str] | None) -> str | None:
    """The nearest library word: fewest edits, then most (visible) documents.

    One edit is tried first (the common typo, and a much smaller automaton); two only for
    words of 6 letters or more, where two edits still leave the word recognisable.
    """
    for maxdist in (1, 2) if len(word) >= 6 else (1,):
        ranked = []
        # prefix=1: typos rarely touch the first letter, and it keeps the walk short.
        for candidate in words.within(word, maxdist, prefix=1):
            if candidate == word or not candidate.isalpha():
                continue
            count = words.documents_with(candidate, visibilities)
            if count:
                distance = OSA.distance(word, candidate)
                ranked.append((distance, -count, abs(len(candidate) - len(word)), candidate))
        if ranked:
            return min(ranked)[3]
    return None


def written_as(text: str, word: str) -> str | None:
    """`word` (folded) as `text` writes it, lower-cased: "sante" -> "santé"."""
    for token in tokens(text, stems=False):  # elided articles already cut off
        if token.text == word:
            return text[token.start : token.end].lower()
    return None


def _same_case(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


__all__ = ["suggest", "written_as"]
