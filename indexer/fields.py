"""The tag fields, named once for every layer: index schema, vocabulary, API, corpus script.

A tag field holds vocabulary keys. `territory` is a tree; the index keeps beside it
`territory_path`, every territory of a document with all its ancestors, and a filter or a
facet on `territory` reads that field, so that a département finds and counts its pays.
"""

from __future__ import annotations

# Controlled tag fields, in the order the vocabulary file and the tables list them.
TAG_FIELDS = (
    "family",
    "territory",
    "mission",
    "kind",
    "instance",
    "status",
    "visibility",
    "source",
    "language",
)

# Tag fields that may hold several values for one document; the others hold at most one.
MULTI_VALUED_TAGS = ("family", "territory", "mission", "instance")

# What users filter and count by (search filters, facets), in the order answers list them.
FACETS = ("family", "territory", "mission", "kind", "year", "instance", "status")
# The tag fields among them (`year` is a filter and a facet, not a tag field).
FILTER_FIELDS = tuple(name for name in FACETS if name in TAG_FIELDS)

TERRITORY_PATH = "territory_path"


def index_field(tag: str) -> str:
    """The index field that a filter on tag field `tag` reads: territory -> territory_path."""
    return TERRITORY_PATH if tag == "territory" else tag


def tag_field(field: str) -> str:
    """The tag field behind index field `field`: territory_path -> territory."""
    return "territory" if field == TERRITORY_PATH else field
