"""Scores of an automatic catalogue against a hand-made one (docs/cataloguing.md).

Pure functions over plain values, so that a tiny hand-made case in the unit suite checks the
arithmetic the eval's figures rest on.

- a title is right when it equals the curator's after `normalise_title` on both sides;
- a year is right when it equals the curator's, and "no year" is right only where the
  curator wrote none;
- per tag field, precision is the share of automatic tags the curator also set, recall the
  share of the curator's tags the program found; a field with nothing to count is None, not
  a perfect score.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# Typographic marks a title may be typed with or without: each maps to its plain form.
_PLAIN = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2026": "...",
})  # fmt: skip
_SPACES = re.compile(r"\s+")
# Spaces French typography puts inside quotes and before : ; ! ? (often missing in files).
_INNER = re.compile(r'\s*([:;!?"])\s*')


def normalise_title(title: str | None) -> str:
    """The form two titles are compared in: Unicode NFC, lower case, typographic quotes,
    apostrophes, dashes and spaces made plain, the spaces around : ; ! ? and quotes dropped,
    runs of white space made one space, and a final full stop dropped. Accents are kept:
    "Etude" for "Étude" is a wrong title."""
    if not title:
        return ""
    text = unicodedata.normalize("NFC", title).translate(_PLAIN).casefold()
    text = _INNER.sub(r"\1", _SPACES.sub(" ", text)).strip()
    return text.removesuffix(".").strip()


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives of one tag field."""

    right: int = 0
    wrong: int = 0
    missed: int = 0

    @property
    def precision(self) -> float | None:
        found = self.right + self.wrong
        return self.right / found if found else None

    @property
    def recall(self) -> float | None:
        expected = self.right + self.missed
        return self.right / expected if expected else None


@dataclass(frozen=True)
class Found:
    """What the program catalogued for one document."""

    title: str | None
    year: int | None
    tags: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Expected:
    """What the curator catalogued for one document."""

    title: str
    year: int | None
    tags: Mapping[str, frozenset[str]] = field(default_factory=dict)


def title_right(expected: Expected, found: Found) -> bool:
    return normalise_title(expected.title) == normalise_title(found.title)


def year_right(expected: Expected, found: Found) -> bool:
    return expected.year == found.year


Ancestors = Mapping[str, Mapping[str, frozenset[str]]]  # field -> key -> keys above it


def tag_counts(
    pairs: Iterable[tuple[Expected, Found]],
    fields: Sequence[str],
    ancestors: Ancestors | None = None,
) -> dict[str, Counts]:
    """Per field, the counts over all documents (micro-averaged).

    The curator sets the most precise places and the tree adds those above them
    (docs/cataloguing.md): an automatic tag of a place above one the curator set is implied
    by the catalogue, neither right nor wrong; a curator's place is found only as itself."""
    totals = {name: [0, 0, 0] for name in fields}
    above = ancestors or {}
    for expected, found in pairs:
        for name in fields:
            want = expected.tags.get(name, frozenset())
            got = found.tags.get(name, frozenset())
            tree = above.get(name, {})
            implied = frozenset().union(*(tree.get(v, frozenset()) for v in want)) - want
            totals[name][0] += len(want & got)
            totals[name][1] += len(got - want - implied)
            totals[name][2] += len(want - got)
    return {name: Counts(*values) for name, values in totals.items()}


def accuracy(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None
