"""The Whoosh schema of the library's full-text index, and its version.

Bump SCHEMA_VERSION whenever a field, an analyzer or what goes into a field changes: an index
built by another version is refused with "run `kb reindex`", never silently wiped.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.analysis import french_analyzer

SCHEMA_VERSION = 1

# Controlled tag fields, indexed as exact keys (several values per document).
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

# Free-text fields the query searches, with their weight: a word in the title counts more.
TEXT_FIELD_BOOSTS = {"title": 4.0, "summary": 2.0, "authors": 1.5, "content": 1.0}


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
        content=TEXT(analyzer=analyzer, stored=True, chars=True),
        # Where each section starts in `content`: maps a snippet to its page or heading.
        sections=STORED(),
        tags=STORED(),
        # A territory and all its ancestors: a filter on a département finds its pays.
        territory_path=KEYWORD(commas=True, scorable=False),
        year=NUMERIC(int, stored=True, signed=False),
        date=STORED(),
        **tag_fields,
    )
