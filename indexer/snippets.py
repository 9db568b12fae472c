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
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from whoosh import highlight
from whoosh import query as wq
from whoosh.analysis import Token
from whoosh.searching import Searcher

from indexer.postings import PostingCache

FIELD = "content"
SNIPPET_CHARS = 220  # longest snippet, before whitespace is squashed
SNIPPET_CONTEXT = 70  # characters kept around the matched words
_SPACES = re.compile(r"\s+")


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
        # charlimit=None: Whoosh's default stops highlighting after 32 kB, which would
        # leave the later pages of a long study without snippets.
        self._fragmenter = highlight.PinpointFragmenter(
            maxchars=SNIPPET_CHARS, surround=SNIPPET_CONTEXT, autotrim=True, charlimit=None
        )
        self._scorer = highlight.BasicFragmentScorer()
        self._chars: dict[int, list[Token]] = {}

    def load(self, docnums: Iterable[int]) -> None:
        """Read the matched words' offsets for these documents: one pass per term."""
        wanted = sorted(set(docnums))
        chars: dict[int, list[Token]] = {d: [] for d in wanted}
        reader = self._searcher.reader()
        fieldobj = reader.schema[FIELD]
        for btext in self._terms:
            word = fieldobj.from_bytes(btext)
            if self._postings is not None:
                for docnum, found in self._postings.characters(FIELD, btext, wanted).items():
                    chars[docnum].extend(
                        Token(text=word, pos=pos, startchar=start, endchar=end, matched=True)
                        for pos, start, end in found
                    )
                continue
            postings = reader.postings(FIELD, btext)
            for docnum in wanted:
                if not postings.is_active():
                    break
                if postings.id() < docnum:
                    postings.skip_to(docnum)
                if postings.is_active() and postings.id() == docnum:
                    for pos, start, end in postings.value_as("characters"):
                        chars[docnum].append(Token(text=word, pos=pos, startchar=start,
                                                   endchar=end, matched=True))  # fmt: skip
        self._chars.update(chars)

    def snippets(self, docnum: int, fields: Mapping[str, Any]) -> tuple[Snippet, ...]:
        """Snippets of one loaded document; () when none of its text matched (a title-only
        or tag-only match)."""
        text = fields.get(FIELD) or ""
        tokens = self._chars.get(docnum)
        if self.top <= 0 or not text or not tokens:
            return ()
        tokens.sort(key=lambda t: t.startchar)
        # Two terms at one place (a prefix and a word): keep the longer match.
        tokens = [
            max(group, key=lambda t: t.endchar - t.startchar)
            for _, group in groupby(tokens, key=lambda t: t.startchar)
        ]
        fragments = self._fragmenter.fragment_matches(text, tokens)
        best = highlight.top_fragments(fragments, self.top, self._scorer, highlight.SCORE)
        places = _Places(fields.get("sections") or [(0, None, "")])
        snippets = []
        for fragment in sorted(best, key=lambda f: f.startchar):
            # A fragment never runs across two pages: it is cut to the section holding
            # most of its matched words, so that its page number is the page it stands on.
            section = places.main_section([t.startchar for t in fragment.matches])
            low, high = places.bounds(section, len(text))
            start, end = max(fragment.startchar, low), min(fragment.endchar, high)
            marks = tuple(
                (t.startchar - start, t.endchar - start)
                for t in fragment.matches
                if start <= t.startchar and t.endchar <= end
            )
            page, heading = places.place(section)
            squashed, moved = squash(text[start:end], marks)
            if squashed:
                snippets.append(Snippet(squashed, moved, page=page, heading=heading))
        return tuple(snippets)


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
