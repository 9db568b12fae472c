"""A document's text analysed ahead of the index writer, in the extraction workers.

Whoosh analyses a text field inside `add_document`, in the one process that holds the
writer: at 10,000 documents that was half of the ingest's time, while the extraction
workers waited (benchmarks/README.md). `prepare_text` computes, anywhere, exactly what
the writer would: the postings of the `content` field (term, frequency, weight, encoded
positions and character offsets) and the folded surface words that "did you mean" draws
from. `PreparedTextField.index` then hands the postings over as they are.

`prepare_text` is the French chain of `indexer.analysis` done one word at a time with a
cache (word as written -> elision cut, surface word, stem) instead of five chained
generators over token objects: the same terms, positions and offsets
(tests/test_prepare.py checks it against the chain), several times faster.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh.fields import TEXT
from whoosh.formats import Characters

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

Posting = tuple[bytes, int, float, bytes]  # (term, frequency, weight, encoded value)


@dataclass(frozen=True)
class PreparedText:
    """A text as the index writer would analyse it (picklable: it crosses processes)."""

    text: str
    postings: tuple[Posting, ...]
    words: frozenset[str]  # folded surface words (stop words left out)


class PreparedTextField(TEXT):
    """A TEXT field that also accepts a `PreparedText` and indexes its postings as given.

    Pickled into the index schema: it must stay in this module under this name.
    """

    def index(self, value: Any, **kwargs: Any) -> Iterator[Posting]:
        if isinstance(value, PreparedText):
            return iter(value.postings)
        return super().index(value, **kwargs)


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
    """The postings (positions and character offsets) and surface words of `text`."""
    occurrences: dict[str, list[tuple[int, int, int]]] = {}
    words: set[str] = set()
    cache = _cache()
    pos = -1
    first = True
    for index, match in enumerate(_WORD_RE.finditer(text)):
        written = match.group()
        entry = cache.get(written)
        if entry is None:
            entry = cache[written] = _analyse(written)
        cut, surface, term = entry
        if term is None:
            continue
        # Positions as Whoosh's stop filter numbers them: the first kept word keeps its
        # place among all words, the next ones follow it without gaps.
        if first:
            pos, first = index, False
        else:
            pos += 1
        words.add(surface)
        found = occurrences.get(term)
        if found is None:
            found = occurrences[term] = []
        found.append((pos, match.start() + cut, match.end()))
    encode = _FORMAT.encode
    postings = tuple(
        (term.encode("utf-8"), len(found), float(len(found)), encode(found))
        for term, found in occurrences.items()
    )
    return PreparedText(text, postings, frozenset(words))


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


_FORMAT = Characters()
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
    "PreparedTextField",
    "join_sections",
    "prepare_sections",
    "prepare_text",
    "surface_words",
]
