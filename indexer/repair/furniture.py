"""Page furniture: running headers, footers and page numbers repeated on most pages.

Only paged documents have furniture, and only lines at the edges of a page can be
furniture: the first and the last line, then the next ones once those were removed (a
header of two lines). Such a line is a running header or footer when the same line
(compared case-blind, with its numbers blanked, so "Étude pôle ESS – mars 2008 – 3" matches
on every page) sits at an edge of at least half the pages, and of 3 pages or more. It is
removed from all of them but the first it appears on: a running header is the document's
title, which one occurrence keeps findable, and a table whose heading row is repeated on
every page keeps its heading once. An edge line is a page number when it is only a number
("12", "- 12 -", "Page 12", "12 / 40") and that number minus the page's index is the same
on at least half the pages: a number that follows the pages is a page number; a table's
last cell is not. Page numbers are all removed.

Nothing is removed from documents of fewer than 3 pages with text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

HEADERS = "running_headers"
PAGE_NUMBERS = "page_numbers"

_MIN_PAGES = 3
_MIN_SHARE = 0.5  # "most pages"
_MAX_HEADER_CHARS = 200
_MAX_NUMBER_CHARS = 40
_MAX_ROUNDS = 20  # lines peeled from each edge of a page, at most
_PAGE_NUMBER_RE = re.compile(
    r"(?:page|p\.?)?[ \t]*[-–—(\[]?[ \t]*(\d{1,4})[ \t]*[-–—)\]]?"
    r"(?:[ \t]*(?:/|sur|of|de)[ \t]*\d{1,4})?",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d+")
_SPACES_RE = re.compile(r"\s+")


def remove_furniture(pages: Sequence[tuple[int, str]]) -> tuple[list[str], Counter[str]]:
    """Remove running headers, footers and page numbers from (page number, text) pairs.

    Returns the texts in the same order and the number of lines removed, by repair name.
    """
    state = [_Page(number, text) for number, text in pages]
    changes: Counter[str] = Counter()
    # One line from each edge per round: a line is furniture only if every line between it
    # and the edge of the page was too.
    for _ in range(_MAX_ROUNDS):
        removed = _peel(state)
        if not removed:
            break
        changes.update(removed)
    return [page.text() for page in state], changes


class _Page:
    """A page being peeled: its lines, and how many kept lines sit above and below its edges."""

    def __init__(self, number: int, text: str) -> None:
        self.number = number
        self.original = text
        self.lines = text.split("\n")
        self.removed: set[int] = set()
        self.kept_top = 0  # furniture lines kept here (first occurrence), above the top edge
        self.kept_bottom = 0

    def edges(self) -> dict[str, int]:
        """Index of the line at the top and at the bottom edge ("top"/"bottom"), if any."""
        filled = [
            index
            for index, line in enumerate(self.lines)
            if index not in self.removed and line.strip()
        ]
        filled = filled[self.kept_top : len(filled) - self.kept_bottom]
        return {"top": filled[0], "bottom": filled[-1]} if filled else {}

    def text(self) -> str:
        if not self.removed:
            return self.original
        kept = [line for index, line in enumerate(self.lines) if index not in self.removed]
        return "\n".join(kept).strip("\n")


def _peel(pages: list[_Page]) -> Counter[str]:
    changes: Counter[str] = Counter()
    edges = [page.edges() for page in pages]
    with_text = sum(1 for page_edges in edges if page_edges)
    if with_text < _MIN_PAGES:
        return changes
    needed = max(_MIN_PAGES, math.ceil(_MIN_SHARE * with_text))

    header_pages: Counter[str] = Counter()
    offset_pages: Counter[int] = Counter()
    for page, page_edges in zip(pages, edges, strict=True):
        keys: set[str] = set()
        offsets: set[int] = set()
        for index in set(page_edges.values()):
            number = _page_number(page.lines[index])
            if number is not None:
                offsets.add(number - page.number)
            elif (key := _header_key(page.lines[index])) is not None:
                keys.add(key)
        header_pages.update(keys)
        offset_pages.update(offsets)

    headers = {key for key, count in header_pages.items() if count >= needed}
    offset, count = offset_pages.most_common(1)[0] if offset_pages else (None, 0)
    if count < needed:
        offset = None
    if not headers and offset is None:
        return changes

    kept_once: set[str] = set()
    for page, page_edges in zip(pages, edges, strict=True):
        for side, index in page_edges.items():
            if side == "bottom" and index == page_edges["top"]:  # a page of one line
                continue
            number = _page_number(page.lines[index])
            if number is not None:
                if offset is not None and number - page.number == offset:
                    page.removed.add(index)
                    changes[PAGE_NUMBERS] += 1
                continue
            key = _header_key(page.lines[index])
            if key not in headers:
                continue
            if key in kept_once:
                page.removed.add(index)
                changes[HEADERS] += 1
                continue
            # See the module docstring: the first occurrence stays, so the text stays
            # findable; the lines under it are then compared from below it.
            kept_once.add(key)
            if side == "top":
                page.kept_top += 1
            else:
                page.kept_bottom += 1
    return changes


def _page_number(line: str) -> int | None:
    line = line.strip()
    if len(line) > _MAX_NUMBER_CHARS:
        return None
    match = _PAGE_NUMBER_RE.fullmatch(line)
    return int(match.group(1)) if match else None


def _header_key(line: str) -> str | None:
    line = line.strip()
    if len(line) > _MAX_HEADER_CHARS or not any(c.isalpha() for c in line):
        return None
    return _DIGITS_RE.sub("#", _SPACES_RE.sub(" ", line.casefold()))
