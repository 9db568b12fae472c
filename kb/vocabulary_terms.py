"""The values of the controlled vocabulary: its fields, its terms, the rule that says how much
a text must name a term to tag a document with it, and the folded form names are compared in.

`kb.vocabulary` looks terms up; `kb.vocabulary_reading` reads them from the curators' file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.fields import TABLE, TAG_FIELDS
from indexer.text import fold

# The fields of `indexer.fields.TABLE`: the controlled ones first, then the free ones.
CONTROLLED_FIELDS = TAG_FIELDS
FREE_FIELDS = tuple(f.name for f in TABLE if not f.controlled)
FIELDS = CONTROLLED_FIELDS + FREE_FIELDS
MULTI_VALUED = frozenset(f.name for f in TABLE if f.multi_valued)
# The text regex is built by recursion, one level per character: keep synonyms phrase-sized.
MAX_SYNONYM = 200


@dataclass(frozen=True)
class Term:
    """One value of a controlled field."""

    field: str
    key: str  # stable, lower-case ASCII with hyphens: what the catalog and the index store
    label: str  # French label shown to users
    synonyms: tuple[str, ...] = ()  # what identifies the term in a text, or a user may type
    parent: str | None = None  # key of the parent term in the same field
    weak: tuple[str, ...] = ()  # the synonyms that are weak evidence (ambiguous names)
    # Overrides of the field's `EvidenceRule` for this term (None: the field's).
    min_mentions: int | None = None
    weak_min_mentions: int | None = None
    weak_density: int | None = None
    # For a kind: the names of the parts that make a document of this kind, as labels or
    # headings, and how many distinct such lines it takes (`kb.kinds`).
    markers: tuple[str, ...] = ()
    min_markers: int | None = None
    # For another field: words of the term's own documents (an association's: "assemblée
    # générale", "cotisation"), which make a weak name in a document's head count as in its
    # title where the text uses `min_signs` different ones (`kb.tags`).
    signs: tuple[str, ...] = ()
    min_signs: int | None = None


@dataclass(frozen=True)
class EvidenceRule:
    """How much a text must say to tag a document with a term automatically.

    A term is tagged when one of its names (not weak) stands in the title or on the first
    page, or when its names (not weak) are found `min_mentions` times, or when all its
    names, weak ones included, are found `weak_min_mentions` times (and `weak_density` a
    thousand words); a weak name in the title is enough too (`kb.tags.auto_tags`); or when
    its names (not weak) are found `beside_min_mentions` times and another term of the
    field is named too.
    """

    min_mentions: int = 2
    weak_min_mentions: int = 10
    # Fewer mentions that tag where the text names another term of the field too (not by a
    # weak name): the observatory's bodies named together are its governance, one "comité
    # de pilotage" alone is any project's. None: no such rule. A field's setting only.
    beside_min_mentions: int | None = None
    # Weak names alone tag only at this many a thousand words of the document, at least (28
    # "associations" in a 35,000-word software manual are not what it is about).
    weak_density: int = 2
    # A family named in the title is the document's subject: the other families it names are
    # compared with it (a SCIC's guide setting it beside a foundation), and tag only where
    # named as often as it. A field's setting only.
    title_subject: bool = False


def closest_names(value: str, names: Iterable[str], n: int = 3) -> list[str]:
    """The `n` names most similar to `value` (difflib on folded forms), best first."""
    by_folded: dict[str, str] = {}
    for name in names:
        by_folded.setdefault(normal(name), name)
    matches = difflib.get_close_matches(
        normal(value)[:MAX_SYNONYM], list(by_folded), n=n, cutoff=0.6
    )
    return [by_folded[m] for m in matches]


def suggest(value: str, names: Iterable[str]) -> str:
    """The closest names to `value`, as an error message says them (" (closest: a, b)"), or
    "" when none is close."""
    close = closest_names(value, names) if value else []
    return f" (closest: {', '.join(close)})" if close else ""


_WORDS = re.compile(r"[^\W\d_]+|\d+")


def normal(value: str) -> str:
    """The form names are compared in: folded words, letters and digits apart, one space."""
    return " ".join(_WORDS.findall(fold(value)))
