"""What a search asks of the index and what it answers: plain values, no engine object.

`FullTextIndex.search` takes a `SearchRequest` and returns a `SearchPage` of `SearchHit`s;
the library, the command line and the API build and read these and nothing of tantivy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from indexer.expand import TagNames
from indexer.fields import TAG_FIELDS, index_field
from indexer.messages import Message
from indexer.snippets import Snippet

MAX_PAGE_SIZE = 1000
SORTS = ("relevance", "date", "title")
ORDERS = ("asc", "desc")
# Fields a query may name as `field:value`, and the index field behind each.
QUERY_TAG_FIELDS = {name: index_field(name) for name in TAG_FIELDS} | {
    "year": "year",
    "title": "title",
    "author": "authors",
    "authors": "authors",
}
TagResolver = Callable[[str, str], str | None]  # (field, typed value) -> key or None


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    # index field -> accepted values: values of one field are OR-ed, fields AND-ed.
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # None: every document (the local command line); else only these visibilities.
    visibilities: frozenset[str] | None = None
    # Groups of ids with the same text (twins), best first: of a group's documents that
    # match, the first alone is found (hits, total, facets); the others stand behind it.
    twins: tuple[tuple[str, ...], ...] = ()
    page: int = 1
    size: int = 10
    snippets: int = 3
    sort: str = "relevance"  # "date" (newest first) or "title"; an empty query lists by date
    # "asc" or "desc"; None: each sort's natural order (best, newest first; titles A to Z).
    order: str | None = None
    facets: bool = False  # count tag values over the matching documents
    suggest: bool = True  # "did you mean" when some words are not in the library
    # Maps `field:value` typed in the query to a vocabulary key (labels, synonyms).
    resolve_tag: TagResolver | None = field(default=None, compare=False)
    # Which tags a phrase of the query names ("CG 35" -> territory ille-et-vilaine): those
    # documents match too (see indexer.expand). None: words match text only.
    tag_names: TagNames | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SearchHit:
    id: str
    score: float
    title: str
    tags: Mapping[str, tuple[str, ...]]
    year: int | None
    snippets: tuple[Snippet, ...]


@dataclass(frozen=True)
class SearchPage:
    total: int
    page: int
    size: int
    hits: tuple[SearchHit, ...]
    warnings: tuple[Message, ...] = ()
    # facet name -> value -> documents; territory counts include what is below each value.
    facets: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    suggestion: str | None = None  # "did you mean" when the words are not in the library
