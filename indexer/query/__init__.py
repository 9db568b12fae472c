"""Turn what a researcher types into a query tree (`indexer.query.nodes`), leniently.

Syntax (accents and case never matter in words):
- plain words: documents with *all* the words rank first, then documents with fewer of them
  (see `AllWordsFirst`); words that are stop words are ignored;
- "quoted phrase" (also « guillemets » and “curly quotes”); a word that the analyzer splits
  ("Ille-et-Vilaine", "Côtes-d'Armor") is searched as a phrase too;
- `-word`, `-"phrase"`, `-(group)`, `NOT word`: exclude; `+word`: require;
- `a OR b`, `a OU b`, `a | b`: either; `a AND b`, `a ET b`, `a & b`: both, strictly;
  operators are recognised in capitals only ("ou", "et" are stop words);
- precedence: `-`/`+` > AND > OR > juxtaposition, so `économie sociale OU solidaire` is
  économie (sociale OU solidaire); parentheses group;
- `field:value`, `field:"several words"`, `field:(a OR b)` for the fields of `tag_fields`;
  numeric fields take `year:2008`, `year:2005..2010`, `year:2005-2010`, `year:>=2005`;
  a field clause is a condition (required) next to plain words;
- `prefix*` (at least 3 letters); `word~` fuzzy, edit distance 1, `word~2` distance 2.
  With `expand_fuzzy` (the index's own words within that distance of what was typed), a
  fuzzy word searches the stems of its close words: "cooperatve~" -> "cooperative",
  "cooperatives" -> stem "cooper". Without it, the distance applies to stems, which a typo
  that changes the stem defeats ("cooperatve" stems to "cooperatv", 2 edits from "cooper").

Malformed input never raises: it is read leniently and each liberty taken is reported in
`ParsedQuery.warnings`. The empty query matches every document (an empty search lists the
library); a query whose words are all stop words ("le la les") matches nothing, with a
warning: showing the whole library would pretend those words matched.

The package: `lexer` (characters into tokens), `parser` (tokens into a tree, and the
runs of plain words in it), `build` (the tree into query nodes), `nodes` (the query tree),
`tiers` (how plain words rank). Callers use what this module exports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from indexer.messages import Message
from indexer.query import nodes as wq
from indexer.query.build import (
    MAX_FUZZY_EXPANSIONS,
    NUMBER,
    TAG,
    TEXT,
    Builder,
    FieldKinds,
    FuzzyExpander,
    tag_key,
)
from indexer.query.lexer import (
    Cleaned,
    Warnings,
    clean,
    lex,
    signs_of_pasted_text,
    truncation_warning,
)
from indexer.query.nodes import AllWordsFirst
from indexer.query.parser import Node, Parser, Run, plain_runs
from indexer.query.tiers import TIER_SCALE, tier_relevance
from indexer.text import fold

# Characters of a query that are searched: a pasted paragraph or two fits. Longer, the first
# MAX_QUERY_LENGTH are searched, with a warning; the CLI, the API and the pages all pass it on.
MAX_QUERY_LENGTH = 5000


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed search: the query tree, the analysed positive terms, what was read
    leniently, and the runs of plain words (`plain_runs`: what names of the vocabulary
    and spelling suggestions are looked for in).

    `terms` are the index terms of the positive text clauses (stems of words and phrases,
    folded prefixes), in query order without repeats: for highlighting and "did you mean".
    """

    query: wq.Node
    terms: tuple[str, ...]
    warnings: tuple[Message, ...]
    runs: tuple[Run, ...] = ()


def parse_query(
    text: str,
    *,
    kinds: FieldKinds,
    text_fields: Mapping[str, float],
    tag_fields: Mapping[str, str] | None = None,
    max_length: int = MAX_QUERY_LENGTH,
    resolve_tag: Callable[[str, str], str | None] | None = None,
    expand_fuzzy: FuzzyExpander | None = None,
) -> ParsedQuery:
    """Parse `text` into a query over `text_fields` (index field -> boost).

    `kinds` says what each index field is (TEXT, TAG or NUMBER); `tag_fields` maps the
    names a user may type before ":" to index fields. A tag value is folded to a
    vocabulary-style key ("Côtes d'Armor" -> "cotes-d-armor"), or given to
    `resolve_tag(name, value)` when passed, which returns the key or None for an unknown
    value (searched as typed, with a warning).
    `expand_fuzzy(word, distance)` gives the unstemmed, folded words of the index within
    `distance` edits of `word`, best first: `word~` then searches the stems of the first
    MAX_FUZZY_EXPANSIONS of them and of the word itself. Without it, `word~` is a fuzzy
    match on stems.

    Never raises on any `text`; ValueError when `text_fields`/`tag_fields` name fields
    that are not in `kinds` (a programming error, not a user's).
    """
    for name in text_fields:
        if kinds.get(name) != TEXT:
            raise ValueError(f"text field {name!r} is not a text field of the index")
    tags = {fold(k): v for k, v in (tag_fields or {}).items()}
    for name, target in tags.items():
        if target not in kinds:
            raise ValueError(f"tag field {name!r} maps to {target!r}, not in the index schema")

    warnings = Warnings()
    tree, cleaned = _read(text, set(tags), max_length, warnings)
    builder = Builder(dict(kinds), dict(text_fields), tags, resolve_tag, warnings, expand_fuzzy)
    query = builder.build_top(tree, cleaned.text)
    return ParsedQuery(
        query=query,
        terms=tuple(builder.terms),
        warnings=warnings.all(),
        runs=plain_runs(tree, cleaned),
    )


def plain_segments(
    text: str, fields: Mapping[str, str] | None = None, max_length: int = MAX_QUERY_LENGTH
) -> tuple[Run, ...]:
    """The runs of plain words of `text` (`plain_runs`) without building a query;
    `fields`: the field names a user may type, as for `parse_query`'s `tag_fields`."""
    names = {fold(k) for k in fields or {}}
    return plain_runs(*_read(text, names, max_length, Warnings()))


def _read(text: str, fields: set[str], max_length: int, warnings: Warnings) -> tuple[Node, Cleaned]:
    cleaned = clean(text, max_length, warnings)
    tokens = signs_of_pasted_text(lex(cleaned.text, fields, warnings), warnings)
    return Parser(tokens, warnings).parse(), cleaned


__all__ = [
    "MAX_FUZZY_EXPANSIONS",
    "MAX_QUERY_LENGTH",
    "NUMBER",
    "TAG",
    "TEXT",
    "FieldKinds",
    "TIER_SCALE",
    "AllWordsFirst",
    "FuzzyExpander",
    "ParsedQuery",
    "Run",
    "parse_query",
    "plain_segments",
    "tag_key",
    "tier_relevance",
    "truncation_warning",
]
