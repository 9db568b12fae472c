"""A controlled field's terms as the tree the vocabulary declares (each term under its
parent), for the forms' nested lists: the vocabulary file lists the four départements
before their pays, so its flat order puts a pays under the wrong département."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kb.vocabulary import Term, Vocabulary


@dataclass
class Node:
    """One term and the terms right under it, in the vocabulary's order."""

    key: str
    label: str
    children: list[Node] = field(default_factory=list)

    def walk(self) -> Iterable[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


def term_tree(vocabulary: Vocabulary, name: str,
              keep: Callable[[Term], bool] = lambda _term: True) -> list[Node]:
    """The roots of field `name`'s tree. A kept term whose parent is not kept hangs under
    its nearest kept ancestor (a root if none)."""
    nodes = {t.key: Node(t.key, t.label) for t in vocabulary.terms(name) if keep(t)}
    roots: list[Node] = []
    for key, node in nodes.items():
        parent = next((nodes[a] for a in vocabulary.ancestors(name, key) if a in nodes),
                      None)
        (parent.children if parent else roots).append(node)
    return roots
