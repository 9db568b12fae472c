"""Highlighted snippets of a hit, each placed on its page (or under its nearest heading).

The matched words' character offsets come from the postings (`content` is indexed with
`chars=True`): nothing is re-analysed, and only the stored text of the page's hits is read.
The words are the query's own terms in `content` (prefixes and fuzzy words expanded to the
index terms they match), so snippets do not depend on how the hits were collected. A
document is stored as its sections joined end to end, with a table of where each section
starts (offset, page, heading): a snippet takes the page of its first highlighted word, or,
for formats without pages, the nearest heading at or above it.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from indexer.postings import PostingCache

FIELD = "content"
SNIPPET_CHARS = 220  # longest snippet, before whitespace is squashed
SNIPPET_CONTEXT = 70  # characters kept around the matched words
# The runs of whitespace squashing changes: a leading run, and any run but a lone space
# (most runs are one space between two words: skipping them is most of the work).
_SPACES = re.compile(r"^\s+|\s*[^\S ]\s*|\s{2,}")


@dataclass(frozen=True)
class Snippet:
    text: str
    highlights: tuple[tuple[int, int], ...]  # (start, end) offsets of matched words in text
    page: int | None
    heading: str | None


class Snippeter:
    """Up to `top` snippets per document for `query`: the best fragments (most distinct
    words, then most matches), shown in reading order."""

    def __init__(
        self,
        searcher: Searcher,
        query: wq.Query,
        top: int,
        postings: PostingCache | None = None,
    ):
        """`postings`: the searcher's bulk postings, which read only the blocks holding
        the page's documents (else Whoosh's matchers skip through every block)."""
        self.top = top
        self._searcher = searcher
        self._postings = postings
        self._terms: list[bytes] = []
        if top > 0 and not isinstance(query, wq.Every) and query is not wq.NullQuery:
            found = query.existing_terms(searcher.reader(), expand=True, fieldname=FIELD)
            self._terms = sorted(text for _field, text in found)
        self._chars: dict[int, list[_Match]] = {}

    def load(self, docnums: Iterable[int]) -> None:
        """Read the matched words' offsets for these documents: one pass per term."""
        wanted = sorted(set(docnums))
        chars: dict[int, list[_Match]] = {d: [] for d in wanted}
        reader = self._searcher.reader()
        fieldobj = reader.schema[FIELD]
        for btext in self._terms:
            word = fieldobj.from_bytes(btext)
            if self._postings is not None:
                for docnum, found in self._postings.characters(FIELD, btext, wanted).items():
                    chars[docnum].extend((start, end, word) for _pos, start, end in found)
                continue
            postings = reader.postings(FIELD, btext)
            for docnum in wanted:
                if not postings.is_active():
                    break
                if postings.id() < docnum:
                    postings.skip_to(docnum)
                if postings.is_active() and postings.id() == docnum:
                    chars[docnum].extend(
                        (start, end, word) for _pos, start, end in postings.value_as("characters")
                    )
        self._chars.update(chars)

    def snippets(self, docnum: int, fields: Mapping[str, Any]) -> tuple[Snippet, ...]:
        """Snippets of one loaded document; () when none of its text matched (a title-only
        or tag-only match)."""
        text = fields.get(FIELD) or ""
        tokens = self._chars.get(docnum)
        if self.top <= 0 or not text or not tokens:
            return ()
        tokens.sort(key=_START)
        # Two terms at one place (a prefix and a word): keep the longer match.
        tokens = [max(group, key=_span) for _, group in groupby(tokens, key=_START)]
        best = heapq.nlargest(self.top, _fragments(text, tokens))
        places = _Places(fields.get("sections") or [(0, None, "")])
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


# A matched word in the stored text: (start char, end char, term).
_Match = tuple[int, int, str]
_START = itemgetter(0)


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
    highlight offsets along."""
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


__all__ = ["Snippet", "Snippeter", "squash"]
