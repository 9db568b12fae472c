"""Vocabulary names typed in a query also find the documents tagged with them.

A researcher who types "CG 35", "brétilien" or "URSCOP" means Ille-et-Vilaine or the
cooperatives: documents are tagged with those terms from such names (or by a curator), but
the words need not be in their text. Each run of plain words that names a vocabulary term
(its key, label or a synonym, resolved by the caller) adds the term's tag as one more soft
clause: a tagged document scores as if it held one more of the query's words.

Only plain words count, as the query parser finds them (`ParsedQuery.runs`): excluded words
(`-word`, `NOT word`, `-"phrase"`, `-( ... )`), `field:value`, `prefix*` and `word~` are
syntax, and a name never spans an operator, a quote or a parenthesis. In a query with
conditions (`+word`, `field:value`, an exclusion) the tag widens the optional words only: a
document must still meet the conditions; in a strict `a AND b` it only ranks first. A tag
held by more than half the documents the caller may see tells nothing (every document is in
"Bretagne") and is ignored, like a stop word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from indexer.query import Run
from indexer.query import nodes as wq
from indexer.query.nodes import AllWordsFirst
from indexer.schema import TEXT_FIELD_BOOSTS

# A phrase typed in the query -> the (index field, key) pairs it names.
TagNames = Callable[[str], Sequence[tuple[str, str]]]

MAX_NAME_WORDS = 6  # "Conférence permanente des coordinations associatives" is 5
COMMON_SHARE = 0.5


@dataclass(frozen=True)
class Name:
    """A run of the query's words that names vocabulary terms."""

    start: int  # span in the query text
    end: int
    tags: tuple[tuple[str, str], ...]  # (index field, key)


def find_names(runs: Sequence[Run], names: TagNames) -> list[Name]:
    """The vocabulary names among the runs of plain words (`ParsedQuery.runs`), longest
    first, left to right."""
    found: list[Name] = []
    for segment in runs:
        i = 0
        while i < len(segment):
            for n in range(min(MAX_NAME_WORDS, len(segment) - i), 0, -1):
                words = segment[i : i + n]
                tags = tuple(names(" ".join(w for _, w in words)))
                if tags:
                    last_offset, last = words[-1]
                    found.append(Name(words[0][0], last_offset + len(last), tags))
                    i += n
                    break
            else:
                i += 1
    return found


# (index field, key) -> how many documents the caller may see hold that tag
TagHolders = Callable[[str, str], int]


def expand(
    query: wq.Node,
    runs: Sequence[Run],
    names: TagNames | None,
    holders_of: TagHolders,
    seen: Callable[[], int],
) -> wq.Node:
    """`query` with the tags named in its runs of plain words (`ParsedQuery.runs`) as
    extra soft clauses (or boosts only); `seen()`: how many documents the caller may see,
    asked only when the query names a tag (counting them costs at 100,000 documents)."""
    if names is None or isinstance(query, wq.Nothing | wq.Every):
        return query
    clauses = []
    tags = dict.fromkeys(t for name in find_names(runs, names) for t in name.tags)
    for field, key in tags:
        holders = holders_of(field, key)
        if 0 < holders <= COMMON_SHARE * seen():
            clauses.append(wq.Term(field, key))  # a keyword posting scores 1.0
    if not clauses:
        return query
    widened = _widen(query, wq.Or(tuple(clauses)))
    if widened is None:  # a strict AND: the tags only rank its documents first
        widened = wq.AndMaybe(query, wq.Or(tuple(clauses)))
    return widened


def _widen(query: wq.Node, tags: wq.Node) -> wq.Node | None:
    """`query` whose optional words also match `tags`, conditions and exclusions kept;
    None when the query has no optional words to widen (everything in it is required)."""
    if isinstance(query, wq.AndNot | wq.Require):
        inner = _widen(query.a, tags)
        return None if inner is None else query.__class__(inner, query.b)
    if _only_soft(query):
        return wq.Or((query, tags))
    return None


def _only_soft(query: wq.Node) -> bool:
    """Whether the query is made of optional words only (any of them may match)."""
    if isinstance(query, AllWordsFirst | wq.Or):
        return all(_only_soft(q) for q in query.subqueries)
    # Words of the text fields; a Term on a tag field is a condition, never optional.
    words = isinstance(query, wq.Term | wq.Phrase | wq.Prefix | wq.Fuzzy)
    return words and query.field() in TEXT_FIELD_BOOSTS


__all__ = ["Name", "TagHolders", "TagNames", "expand", "find_names"]
