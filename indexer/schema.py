"""The Whoosh schema of the library's full-text index, and its version.

Bump SCHEMA_VERSION whenever a field, an analyzer or what goes into a field changes: an index
built by another version is refused with "run `kb reindex`", never silently wiped.
"""

from __future__ import annotations

from whoosh.analysis import Analyzer, RegexTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.analysis import (
    WORD_PATTERN,
    ElisionFilter,
    FoldFilter,
    FrenchStopFilter,
    french_analyzer,
)
from indexer.fields import FACETS, TAG_FIELDS, index_field
from indexer.prepare import PreparedTextField

# 2: `date_key` (sort by date) and `spelling` (surface words for "did you mean").
# 3: `content` takes text analysed ahead (indexer.prepare); `spelling` moved out of Whoosh
#    to `words.sqlite` (indexer.words).
#    An index of version 3 may lack `content_length` (added later without a version bump,
#    so that no library must be rebuilt): its documents score by Whoosh's one-byte lengths
#    until `kb reindex` (indexer.postings.PostingCache.norms).
SCHEMA_VERSION = 3

# The content's true length in indexed words, in a column: Whoosh keeps a field's length in
# one byte, which cannot tell a 100,000-word document from a 1,000,000-word one.
CONTENT_LENGTH = "content_length"

# Free-text fields the query searches, with their weight: a word in the title counts more.
TEXT_FIELD_BOOSTS = {"title": 4.0, "summary": 2.0, "authors": 1.5, "content": 1.0}

# Facet name (what users and the API call it) -> index field counted. Territory counts
# `territory_path`, which holds every ancestor: a département counts what is under it.
FACET_FIELDS = {name: index_field(name) for name in FACETS}


def surface_analyzer() -> Analyzer:
    """The French chain without stemming: folded whole words, for spelling suggestions.

    Built from the classes of `indexer.analysis` (pickled into the index, so they must stay
    where they are); "Économies sociales" gives "economies", "sociales".
    """
    return RegexTokenizer(WORD_PATTERN) | ElisionFilter() | FoldFilter() | FrenchStopFilter()


def build_schema() -> Schema:
    analyzer = french_analyzer()
    tag_fields = {name: KEYWORD(commas=True, scorable=False) for name in TAG_FIELDS}
    return Schema(
        id=ID(stored=True, unique=True),
        revision=STORED(),
        title=TEXT(analyzer=analyzer, stored=True, phrase=True),
        summary=TEXT(analyzer=analyzer, stored=True),
        authors=TEXT(analyzer=analyzer, stored=True),
        # chars=True: snippets come from stored positions, not from re-analysing the text.
        # Takes a `PreparedText` (analysed in the extraction workers) as well as a string.
        content=PreparedTextField(analyzer=analyzer, stored=True, chars=True),
        # Where each section starts in `content`: maps a snippet to its page or heading.
        sections=STORED(),
        tags=STORED(),
        # A territory and all its ancestors: a filter on a département finds its pays.
        territory_path=KEYWORD(commas=True, scorable=False),
        # signed (the default): with signed=False, Whoosh 2.7.5 year ranges match everything.
        year=NUMERIC(int, stored=True),
        date=STORED(),
        # YYYYMMDD (missing parts 0; 0 when undated) in a column: sorting by date reads it
        # per document without loading stored fields.
        date_key=NUMERIC(int, bits=32, signed=False, sortable=True),
        content_length=NUMERIC(int, bits=32, signed=False, sortable=True),  # CONTENT_LENGTH
        **tag_fields,
    )
