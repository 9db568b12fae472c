"""The fields of the library's full-text index, and its version.

Bump SCHEMA_VERSION whenever a field, an analyzer or what goes into a field changes: an index
built by another version is refused with "run `kb upgrade`", never silently wiped.

`engine_schema()` is the engine's (tantivy) schema: each free-text field is indexed from our
own analysis (`indexer.prepare`: terms separated by spaces, split by tantivy's whitespace
tokenizer, positions kept for phrases), and what a hit shows is stored apart.
`QUERY_FIELD_KINDS` tells the query parser what each field holds.
"""

from __future__ import annotations

import tantivy

from indexer.fields import FACETS, TAG_FIELDS, TERRITORY_PATH, index_field
from indexer.query import NUMBER, TAG, TEXT

# 1-3: Whoosh indexes (`date_key`, then text analysed ahead and `words.sqlite`).
# 4: the engine is tantivy (a directory of tantivy's own; `kb upgrade` rebuilds it).
# 5: an acronym written with dots is one word ("S.C.I.C." -> scic, `indexer.analysis`).
SCHEMA_VERSION = 5

# Free-text fields the query searches, with their weight: a word in the title counts more.
TEXT_FIELD_BOOSTS = {"title": 4.0, "summary": 2.0, "authors": 1.5, "content": 1.0}

# Facet name (what users and the API call it) -> index field counted. Territory counts
# `territory_path`, which holds every ancestor: a département counts what is under it.
FACET_FIELDS = {name: index_field(name) for name in FACETS}


# What the query parser may search in each field (`indexer.query`): free text, a tag (a
# vocabulary key) or a number.
QUERY_FIELD_KINDS = {
    **dict.fromkeys(TEXT_FIELD_BOOSTS, TEXT),
    **dict.fromkeys((*TAG_FIELDS, TERRITORY_PATH, "id"), TAG),
    "year": NUMBER,
}


# Stored apart from the indexed fields: what a hit shows (JSON) and the text snippets
# come from (read only for the hits of a page that asks for snippets).
STORED_FIELDS = "stored"
STORED_TEXT = "text"
TITLE_KEY = "title_key"  # a title folded for sorting (`title_key()`)
DATE_KEY = "date_key"


def engine_schema() -> tantivy.Schema:
    """The tantivy schema: analysed text fields, raw tag fields (fast: facets count them),
    numbers, sort keys and the stored values."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    builder.add_unsigned_field("revision", stored=True, fast=True)
    for name in TEXT_FIELD_BOOSTS:
        builder.add_text_field(name, tokenizer_name="whitespace")
    for name in (*TAG_FIELDS, TERRITORY_PATH):
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_integer_field("year", stored=False, indexed=True, fast=True)
    builder.add_unsigned_field(DATE_KEY, fast=True)
    builder.add_text_field(TITLE_KEY, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_bytes_field(STORED_FIELDS, stored=True)
    builder.add_bytes_field(STORED_TEXT, stored=True)
    return builder.build()
