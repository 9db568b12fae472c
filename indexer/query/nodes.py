"""The parsed query as a tree of plain values, the engine's business left out.

`indexer.query.build` makes these from what a researcher typed; `indexer.compile` turns
them into the engine's query, `indexer.expand` widens them with tags, `indexer.snippets`
reads their terms. Values compare equal when they mean the same (`_unique` relies on it).

`Term`, `Phrase`, `Prefix` and `Fuzzy` hold index terms (analysed words) of one field;
`boost` multiplies a clause's score. `Phrase.slop` counts as the old engine did: 1 is "side
by side", 2 allows one word in between.
"""

from __future__ import annotations

from dataclasses import dataclass


class Node:
    """A clause of the query tree."""

    boost: float = 1.0

    def field(self) -> str | None:
        return None


@dataclass(frozen=True)
class Term(Node):
    fieldname: str
    text: str | int
    boost: float = 1.0

    def field(self) -> str:
        return self.fieldname


@dataclass(frozen=True)
class Phrase(Node):
    fieldname: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0

    def field(self) -> str:
        return self.fieldname


@dataclass(frozen=True)
class Prefix(Node):
    fieldname: str
    text: str
    boost: float = 1.0

    def field(self) -> str:
        return self.fieldname


@dataclass(frozen=True)
class Fuzzy(Node):
    fieldname: str
    text: str
    maxdist: int = 1
    boost: float = 1.0

    def field(self) -> str:
        return self.fieldname


@dataclass(frozen=True)
class Range(Node):
    """Numbers from `start` to `end` (None: unbounded), each end included unless excluded."""

    fieldname: str
    start: int | None
    end: int | None
    startexcl: bool = False
    endexcl: bool = False

    def field(self) -> str:
        return self.fieldname


@dataclass(frozen=True)
class Every(Node):
    """Every document (an empty query lists the library)."""


@dataclass(frozen=True)
class Nothing(Node):
    """No document (a query whose every word is a stop word)."""


@dataclass(frozen=True)
class And(Node):
    subqueries: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    subqueries: tuple[Node, ...]


@dataclass(frozen=True)
class AllWordsFirst(Or):
    """Matches documents with any subquery; ranked by how many of them a document holds
    (`indexer.compile`)."""


@dataclass(frozen=True)
class AndNot(Node):
    """`a` without the documents of `b`; scored as `a`."""

    a: Node
    b: Node


@dataclass(frozen=True)
class Require(Node):
    """`a` within the documents of `b`; scored as `a` (`b` is a condition)."""

    a: Node
    b: Node


@dataclass(frozen=True)
class AndMaybe(Node):
    """`a`, scored higher where `b` matches too."""

    a: Node
    b: Node


NOTHING = Nothing()


def subqueries(node: Node) -> tuple[Node, ...]:
    """The children of a node (none for a leaf)."""
    if isinstance(node, And | Or):
        return node.subqueries
    if isinstance(node, AndNot | Require | AndMaybe):
        return (node.a, node.b)
    return ()


__all__ = [
    "NOTHING",
    "AllWordsFirst",
    "And",
    "AndMaybe",
    "AndNot",
    "Every",
    "Fuzzy",
    "Node",
    "Nothing",
    "Or",
    "Phrase",
    "Prefix",
    "Range",
    "Require",
    "Term",
    "subqueries",
]
