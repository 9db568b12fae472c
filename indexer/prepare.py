"""A document's text analysed ahead of the index writer, in the extraction workers.

The index holds our own French analysis (`indexer.analysis`): the writer hands the engine
each text field as its terms in reading order, separated by spaces, which the engine
splits on whitespace and indexes with their positions. `prepare_text` computes, anywhere,
that string and the folded surface words that "did you mean" draws from: in the workers
the analysis is spread over every core instead of running in the one process that holds
the writer.

`prepare_text` is the French chain of `indexer.analysis` done one word at a time with a
cache (word as written -> elision cut, surface word, stem) instead of chained generators
over token objects: the same terms in the same order (tests/indexer/test_prepare.py checks it
against the chain), several times faster.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.analysis import (
    FRENCH_STOP_WORDS,
    MAX_TOKEN_LENGTH,
    WORD_PATTERN,
    elision_cut,
    fold_token,
    stem,
)
from indexer.extract.base import Section

SECTION_SEPARATOR = "\n\n"
_WORD_RE = re.compile(WORD_PATTERN)
_CACHE_LIMIT = 200_000  # distinct words as written; a worker's cache is cleared past it



@dataclass(frozen=True)
class PreparedText:
    """A text as the index writer would analyse it (picklable: it crosses processes)."""

    text: str
    terms: str  # the indexed terms in reading order, separated by single spaces
    length: int  # how many terms
    words: frozenset[str]  # folded surface words (stop words left out)


def join_sections(sections: Sequence[Section]) -> tuple[str, list[tuple[int, int | None, str]]]:
    """A document's text as one string (what `content` holds), and where each section
    starts in it: (offset, page, heading)."""
    parts: list[str] = []
    starts: list[tuple[int, int | None, str]] = []
    offset = 0
    for section in sections:
        starts.append((offset, section.page, section.heading or ""))
        parts.append(section.text)
        offset += len(section.text) + len(SECTION_SEPARATOR)
    return SECTION_SEPARATOR.join(parts), starts


def prepare_sections(sections: Sequence[Section]) -> PreparedText:
    """`prepare_text` of the text `content` will hold for these sections."""
    return prepare_text(join_sections(sections)[0])


def prepare_text(text: str) -> PreparedText:
    """The indexed terms and the surface words of `text`."""
    terms: list[str] = []
    words: set[str] = set()
    cache = _cache()
    for written in _WORD_RE.findall(text):
        entry = cache.get(written)
        if entry is None:
            entry = cache[written] = _analyse(written)
        term = entry[2]
        if term is not None:
            terms.append(term)
            words.add(entry[1])
    return PreparedText(text, " ".join(terms), len(terms), frozenset(words))


def analysed_terms(text: str) -> str:
    """The indexed terms of a short text (a title, a summary), space-separated."""
    return prepare_text(text).terms


def term_matches(text: str, wanted: frozenset[str], prefixes: tuple[str, ...] = ()
                 ) -> list[tuple[int, int, str]]:  # fmt: skip
    """(start, end, term) of each word of `text` whose term is in `wanted` or starts with
    one of `prefixes`: where a snippet highlights. Offsets leave out an elided article
    ("l'" of "l'économie")."""
    found = []
    for match in _WORD_RE.finditer(text):
        matched = word_match(match.group(), wanted, prefixes)
        if matched is not None:
            found.append((match.start() + matched[0], match.end(), matched[1]))
    return found


def word_match(written: str, wanted: frozenset[str], prefixes: tuple[str, ...] = ()
               ) -> tuple[int, str] | None:  # fmt: skip
    """(characters elided at the start, term) of one written word if its term is in
    `wanted` or it starts with one of `prefixes`, else None (see `term_matches`)."""
    cache = _cache()
    entry = cache.get(written)
    if entry is None:
        entry = cache[written] = _analyse(written)
    cut, surface, term = entry
    if term is None:
        return None
    if term in wanted or (prefixes and (term.startswith(prefixes) or surface.startswith(prefixes))):
        return cut, term
    return None


def surface_words(*texts: str) -> frozenset[str]:
    """The folded surface words of short texts (titles, summaries), stop words left out."""
    cache = _cache()
    words: set[str] = set()
    for text in texts:
        for written in _WORD_RE.findall(text):
            entry = cache.get(written)
            if entry is None:
                entry = cache[written] = _analyse(written)
            if entry[2] is not None:
                words.add(entry[1])
    return frozenset(words)


_words_cache: dict[str, tuple[int, str, str | None]] = {}


def _cache() -> dict[str, tuple[int, str, str | None]]:
    if len(_words_cache) > _CACHE_LIMIT:
        _words_cache.clear()
    return _words_cache


def _analyse(written: str) -> tuple[int, str, str | None]:
    """(characters elided at the start, folded surface word, stem or None if dropped)."""
    cut = elision_cut(written)
    rest = written[cut:]
    surface = fold_token(rest)
    if not surface or len(surface) > MAX_TOKEN_LENGTH or surface in FRENCH_STOP_WORDS:
        return cut, surface, None
    return cut, surface, stem(surface)


__all__ = [
    "SECTION_SEPARATOR",
    "PreparedText",
    "analysed_terms",
    "term_matches",
    "word_match",
    "join_sections",
    "prepare_sections",
    "prepare_text",
    "surface_words",
]
