"""Highlighted snippets of a hit, each placed on its page (or under its nearest heading).

Only the stored text of the page's hits is read. The matched words are found by analysing
that text as the index did (`indexer.prepare.term_matches`) and keeping the words whose
term is one of the query's positive terms in `content` (`query_terms`: words, phrase
words, expanded fuzzy words; prefixes match a word whose term or surface starts with
them), so snippets do not depend on how the hits were collected. Only the parts of a text
holding one of the query's terms are analysed (`_matches`): a snippet costs about the same
for a note and a 500-page report. A document is stored as its sections
joined end to end, with a table of where each section starts (offset, page, heading): a
snippet takes the page of its first highlighted word, or, for formats without pages, the
nearest heading at or above it.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from indexer.analysis import WORD_PATTERN
from indexer.prepare import term_matches, word_match
from indexer.query import nodes as wq

FIELD = "content"
SNIPPET_CHARS = 220  # longest snippet, before whitespace is squashed
SNIPPET_CONTEXT = 70  # characters kept around the matched words


@dataclass(frozen=True)
class Snippet:
    text: str
    highlights: tuple[tuple[int, int], ...]  # (start, end) offsets of matched words in text
    page: int | None
    heading: str | None


# A matched word in the stored text: (start char, end char, term).
_Match = tuple[int, int, str]


@dataclass(frozen=True)
class QueryTerms:
    """What a snippet highlights: content terms, and prefixes of terms or words."""

    terms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes)


def query_terms(query: wq.Node) -> QueryTerms:
    """The positive `content` terms and prefixes of a query tree (exclusions left out)."""
    terms: set[str] = set()
    prefixes: set[str] = set()

    def walk(q: wq.Node) -> None:
        if isinstance(q, wq.AndNot):
            walk(q.a)
            return
        if isinstance(q, wq.Require):
            walk(q.a)
            walk(q.b)
            return
        if isinstance(q, wq.Term) and q.fieldname == FIELD:
            terms.add(str(q.text))
        elif isinstance(q, wq.Phrase) and q.fieldname == FIELD:
            terms.update(q.words)
        elif isinstance(q, wq.Prefix) and q.fieldname == FIELD:
            prefixes.add(str(q.text))
        for sub in wq.subqueries(q):
            walk(sub)

    walk(query)
    return QueryTerms(frozenset(terms), tuple(sorted(prefixes)))


def snippets_of(
    text: str, sections: Sequence[Sequence[Any]], wanted: QueryTerms, top: int,
    found_terms: set[str] | None = None,
) -> tuple[Snippet, ...]:
    """Up to `top` snippets of `text` for `wanted`: the best fragments (most distinct
    words, then most matches), in reading order; () when no word of the text matched (a
    title-only or tag-only match). The terms of the words matched are added to
    `found_terms`: terms `text`'s document holds in `content`."""
    if top <= 0 or not text or not wanted:
        return ()
    places = _Places(sections or [(0, None, "")])
    tokens = _matches(text, wanted)
    if not tokens:
        return ()
    if found_terms is not None:
        found_terms.update(match[2] for match in tokens)
    tokens.sort(key=lambda match: match[0])
    best = heapq.nlargest(top, _fragments(text, tokens))
    snippets = []
    for _score, fragment in sorted(best, key=lambda f: f[1].startchar):
        matches = tokens[fragment.first : fragment.last + 1]
        # A fragment never runs across two pages: it is cut to the section holding
        # most of its matched words, so that its page number is the page it stands on.
        section = places.main_section([t[0] for t in matches])
        low, high = places.bounds(section, len(text))
        start, end = max(fragment.startchar, low), min(fragment.endchar, high)
        marks = tuple(
            (t[0] - start, t[1] - start) for t in matches if start <= t[0] and t[1] <= end
        )
        page, heading = places.place(section)
        squashed, moved = squash(text[start:end], marks)
        if squashed:
            snippets.append(Snippet(squashed, moved, page=page, heading=heading))
    return tuple(snippets)


# Where a snippet may be: the text is folded to one byte a character (Latin-1, lower case,
# accents dropped, by `bytes.translate` at C speed; a character outside Latin-1 becomes "?",
# so offsets stay the text's), and each of the query's terms and prefixes is looked for in
# it with `bytes.find` at the start of a word; only the words found there are analysed
# exactly. A needle outside ASCII is looked for with a regular expression of letter
# classes instead. A text where none is found (a title-only match, or a word folding
# misses, such as "cœur" for "coeur") is analysed from its start.
_FALLBACK_CHARS = 20_000
_APOSTROPHES = "'’‘ʼ"
_WORD_RE = re.compile(WORD_PATTERN)
_MAX_PLACES = 400  # places looked at in one text (a frequent word in a long report)


def _bare(char: str) -> str:
    """`char` without its accents, lower case ("É" -> "e"; "œ" stays "œ")."""
    return "".join(c for c in unicodedata.normalize("NFD", char)
                   if not unicodedata.combining(c)).lower()  # fmt: skip


def _folding_table() -> bytes:
    """Latin-1 byte -> the byte of its bare ASCII letter ("É" -> "e"), others unchanged."""
    table = bytearray(range(256))
    for code in range(256):
        base = _bare(chr(code))
        if len(base) == 1 and base.isascii():
            table[code] = ord(base)
    return bytes(table)


_FOLDING = _folding_table()


def _letter_classes() -> dict[str, str]:
    """Each ASCII letter -> a regex class of it and its accented forms, both cases
    ("e" -> "[eéèêë...EÉÈÊË...]"): matching without IGNORECASE, which is slower."""
    forms: dict[str, set[str]] = {}
    for char in [*map(chr, range(0x61, 0x7B)), *map(chr, range(0xC0, 0x250))]:
        base = _bare(char)
        if len(base) == 1 and base.isascii() and base.isalpha():
            cases = {c for c in (char.lower(), char.upper()) if len(c) == 1}
            forms.setdefault(base, {base, base.upper()}).update(cases)
    return {base: "[" + "".join(sorted(chars)) + "]" for base, chars in forms.items()}


_LETTER_CLASSES = _letter_classes()


@functools.lru_cache(maxsize=1024)
def _needle_pattern(needle: str) -> re.Pattern[str]:
    """A needle outside ASCII, accents and case ignored."""
    return re.compile("".join(_LETTER_CLASSES.get(c, re.escape(c)) for c in needle))


def _needle_starts(text: str, folded: bytes, needle: str) -> Iterator[int]:
    """Where `needle` occurs in `text` (word start or not), in order."""
    if not needle.isascii():
        yield from (match.start() for match in _needle_pattern(needle).finditer(text))
        return
    wanted = needle.encode("ascii")
    at = folded.find(wanted)
    while at >= 0:
        yield at
        at = folded.find(wanted, at + 1)


def _places(text: str, needles: Iterable[str]) -> list[int]:
    """The first _MAX_PLACES offsets of `text` where a word starts with a needle."""
    folded = text.encode("latin-1", "replace").translate(_FOLDING)
    starts: set[int] = set()
    for needle in needles:
        kept = 0
        for at in _needle_starts(text, folded, needle):
            if at and text[at - 1].isalnum():  # inside a word ("_" parts words, as analysed)
                continue
            starts.add(at)
            kept += 1
            if kept >= _MAX_PLACES:
                break
    return sorted(starts)[:_MAX_PLACES]


def _matches(text: str, wanted: QueryTerms) -> list[_Match]:
    """The query's words in `text` (the first _MAX_PLACES places where one may be), each
    word analysed as the index analyses it: only words holding a needle are looked at."""
    needles = {n for n in (*wanted.terms, *wanted.prefixes) if n}
    if not needles:
        return []
    places = _places(text, needles)
    if not places:  # a word the folding misses ("cœur"): read the start exactly
        head = text[:_FALLBACK_CHARS]
        return term_matches(head, wanted.terms, wanted.prefixes)
    out: dict[int, _Match] = {}
    for start in places:
        word_start = start
        while word_start > 0 and (text[word_start - 1].isalnum()
                                  or text[word_start - 1] in _APOSTROPHES):  # fmt: skip
            word_start -= 1
        if word_start in out:
            continue
        word = _WORD_RE.match(text, word_start)
        if word is None:
            continue
        matched = word_match(word.group(), wanted.terms, wanted.prefixes)
        if matched is not None:
            out[word_start] = (word_start + matched[0], word.end(), matched[1])
    return list(out.values())


def _span(match: _Match) -> int:
    return match[1] - match[0]


class _Fragment:
    """A candidate snippet: its span and its matches `tokens[first:last + 1]`. Compared by
    start, as Whoosh's `Fragment` (ties of score go to the later fragment)."""

    __slots__ = ("startchar", "endchar", "first", "last")

    def __init__(self, startchar: int, endchar: int, first: int, last: int):
        self.startchar = startchar
        self.endchar = endchar
        self.first = first
        self.last = last

    def __lt__(self, other: _Fragment) -> bool:
        return self.startchar < other.startchar


def _fragments(text: str, tokens: Sequence[_Match]) -> Iterator[tuple[float, _Fragment]]:
    """(score, fragment) of each candidate snippet: Whoosh's `PinpointFragmenter`
    (maxchars=SNIPPET_CHARS, surround=SNIPPET_CONTEXT, autotrim=True, charlimit=None, so
    that the later pages of a long study get snippets too) scored by its
    `BasicFragmentScorer` (matches times 100 per distinct word), the same fragments and
    scores, on plain tuples instead of a `Token` and a `Fragment` object per match.
    `tokens`: the matches sorted by start."""
    maxchars, surround, length = SNIPPET_CHARS, SNIPPET_CONTEXT, len(text)
    count = len(tokens)
    j = -1
    for i in range(count):
        if j >= i:
            continue
        j = i
        left, right = tokens[i][0], tokens[i][1]
        current = right - left
        while j < count - 1 and current < maxchars:
            nstart, nend, _ = tokens[j + 1]
            if nend - right <= surround and nend - left <= maxchars:
                j += 1
                right = nend
                current += nend - nstart
            else:
                break
        start = max(0, left - surround)
        end = min(length, right + surround)
        # autotrim: from the first space to the last one, matches kept whole
        first_space = text.find(" ", start, end)
        if first_space > 0:
            start = first_space + 1
        last_space = text.rfind(" ", start, end)
        if last_space > 0:
            end = last_space
        start, end = min(start, tokens[i][0]), max(end, tokens[j][1])
        matches = j - i + 1
        words = len({t[2] for t in tokens[i : j + 1]}) if matches > 1 else 1
        yield float(matches) * ((words * 100) or 1), _Fragment(start, end, i, j)


class _Places:
    """Where each section starts in the joined text, and its page or nearest heading."""

    def __init__(self, sections: Sequence[Sequence[Any]]):
        self.offsets = [int(s[0]) for s in sections]
        self.pages = [s[1] for s in sections]
        headings: list[str | None] = []
        last: str | None = None
        for s in sections:
            # A section without a heading of its own stands under the previous one.
            last = s[2] or last
            headings.append(last)
        self.headings = headings

    def section_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.offsets, offset) - 1)

    def main_section(self, offsets: Sequence[int]) -> int:
        """The section holding most of `offsets` (the first of equals)."""
        counts = Counter(self.section_at(o) for o in offsets)
        return min(counts, key=lambda i: (-counts[i], i)) if counts else 0

    def bounds(self, section: int, length: int) -> tuple[int, int]:
        end = self.offsets[section + 1] if section + 1 < len(self.offsets) else length
        return self.offsets[section], end

    def place(self, section: int) -> tuple[int | None, str | None]:
        """(page, None) for a paged format, else (None, nearest heading)."""
        page = self.pages[section]
        return page, (None if page is not None else self.headings[section])


def squash(
    text: str, marks: tuple[tuple[int, int], ...]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Collapse whitespace runs to one space (none at the start or end), moving the
    highlight offsets along.

    `str.split` splits on what a regular expression's whitespace class matches (both are
    `str.isspace`), so the squashed text is the words joined by one space, and an offset
    moves to the length of the squashed text before it, plus the space kept when whitespace
    precedes it (tests/indexer/test_squash.py checks both against a run-by-run squash)."""
    squashed = " ".join(text.split())
    if not marks:
        return squashed, ()
    length = len(squashed)
    return squashed, tuple((_moved(text, s), min(_moved(text, e), length)) for s, e in marks)


def _moved(text: str, offset: int) -> int:
    """Where `offset` of `text` lands in `squash(text)`."""
    head = text[:offset]
    words = head.split()
    if not words:
        return 0
    new = len(" ".join(words))
    return new + 1 if head[-1].isspace() else new


__all__ = ["QueryTerms", "Snippet", "query_terms", "snippets_of", "squash"]
