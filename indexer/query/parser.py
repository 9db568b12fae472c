"""The tokens into a tree of nodes (`Node`) and leaves (`Leaf`), and the runs of plain
words that tree holds (`plain_runs`).

Precedence: `-`/`+`/NOT > AND > OR > juxtaposition; parentheses group. Recursive descent
that skips what cannot be read, with a warning, and never raises.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from indexer.messages import _
from indexer.query.lexer import Cleaned, Tok, Warnings

MAX_NESTING = 20  # parentheses; the parser recurses
_QUOTES_AND_PARENS = '«»“”„"()'

# A run of plain words: (offset in the query as typed, word as typed), in order.
Run = tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Leaf:
    kind: str  # "word", "phrase"
    text: str
    field: str | None
    raw: str
    start: int = 0  # span of the token in the cleaned text
    end: int = 0


@dataclass(frozen=True)
class Node:
    kind: str  # "seq" (juxtaposition), "and", "or", "not", "req"
    items: tuple[Any, ...] = field(default_factory=tuple)


class Parser:
    """Recursive descent over the tokens; skips what cannot be read, with a warning."""

    def __init__(self, tokens: Sequence[Tok], warnings: Warnings):
        self.tokens = tokens
        self.i = 0
        self.warnings = warnings
        self.depth = 0
        self.skipped_closes = 0

    def parse(self) -> Node:
        node = self._seq(None, top=True)
        return node

    def _peek(self) -> Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _seq(self, fieldname: str | None, top: bool = False) -> Node:
        items = []
        while True:
            tok = self._peek()
            if tok is None:
                break
            if tok.kind == "close":
                if self.skipped_closes:  # closes a parenthesis skipped for depth
                    self.skipped_closes -= 1
                    self.i += 1
                    continue
                if top:
                    self.warnings.add(_('unmatched ")" ignored'))
                    self.i += 1
                    continue
                break
            if tok.kind in ("or", "and"):
                self.warnings.add(_('operator "{raw}" without a term before it: ignored',
                                    raw=tok.raw))
                self.i += 1
                continue
            item = self._or(fieldname)
            if item is not None:
                items.append(item)
        return Node("seq", tuple(items))

    def _or(self, fieldname: str | None) -> Any:
        return self._chain("or", self._and, fieldname)

    def _and(self, fieldname: str | None) -> Any:
        return self._chain("and", self._unary, fieldname)

    def _chain(self, kind: str, operand: Callable[[str | None], Any], fieldname: str | None) -> Any:
        """Operands joined by the operator `kind` ("or", "and"), read by `operand`."""
        items = [operand(fieldname)]
        while (tok := self._peek()) is not None and tok.kind == kind:
            self.i += 1
            if not self._starts_operand():
                self.warnings.add(_('operator "{raw}" without a term after it: ignored',
                                    raw=tok.raw))
                break
            items.append(operand(fieldname))
        items = [item for item in items if item is not None]
        if not items:
            return None
        return items[0] if len(items) == 1 else Node(kind, tuple(items))

    def _starts_operand(self) -> bool:
        tok = self._peek()
        return tok is not None and tok.kind in ("word", "phrase", "open", "sign", "not")

    def _unary(self, fieldname: str | None) -> Any:
        tok = self._peek()
        if tok is None:
            return None
        if tok.kind in ("sign", "not"):
            self.i += 1
            if not self._starts_operand():
                label = tok.text or tok.raw
                self.warnings.add(_('"{label}" without a term after it: ignored', label=label))
                return None
            operand = self._unary(fieldname)
            if operand is None:
                return None
            if tok.kind == "sign" and tok.text == "+":
                return Node("req", (operand,))
            if isinstance(operand, Node) and operand.kind == "not":
                return operand.items[0]  # "--word", "NOT -word": a double negation
            return Node("not", (operand,))
        if tok.kind == "open":
            self.i += 1
            if self.depth >= MAX_NESTING:
                # Recursion has a limit: deeper parentheses are read as if absent.
                self.warnings.add(_("parentheses nested deeper than {max_nesting} levels ignored",
                                    max_nesting=MAX_NESTING))
                self.skipped_closes += 1
                return None  # what follows is read by the enclosing sequence
            self.depth += 1
            inner = self._seq(tok.field or fieldname)
            self.depth -= 1
            if (close := self._peek()) is not None and close.kind == "close":
                self.i += 1
            else:
                self.warnings.add(_('"(" is not closed: closed at the end'))
            if not inner.items:
                self.warnings.add(_('empty parentheses "()" ignored'))
                return None
            return inner
        if tok.kind in ("word", "phrase"):
            self.i += 1
            return Leaf(tok.kind, tok.text, tok.field or fieldname, tok.raw, tok.start, tok.end)
        # An operator where a term was expected: skipped (the callers warned or will).
        self.i += 1
        self.warnings.add(_('operator "{raw}" without a term before it: ignored', raw=tok.raw))
        return None


def plain_runs(tree: Node, cleaned: Cleaned) -> tuple[Run, ...]:
    """The runs of consecutive plain words of the parsed query, as typed, split wherever
    syntax stands between them: an operator (where it is typed: "CG 35 OR emploi" gives
    "CG 35" and "emploi"), a parenthesis, a quote (the words of a phrase are a run of
    their own), a field clause, `prefix*`, `word~`. Excluded words
    (`-word`, `NOT word`, `-"phrase"`, `-( ... )`) are in no run; `+word` continues its run.
    """
    runs: list[list[tuple[int, str]]] = [[]]

    def cut() -> None:
        if runs[-1]:
            runs.append([])

    def add(start: int, end: int) -> None:
        for offset, word in _pieces(cleaned, start, end):
            runs[-1].append((offset, word))

    def visit(node: Any, top: bool = False) -> None:
        if isinstance(node, Leaf):
            typed = cleaned.typed[slice(*cleaned.span(node.start, node.end))]
            if node.field is not None or _is_syntax(typed):
                cut()
            elif node.kind == "phrase":
                cut()
                add(node.start, node.end)
                cut()
            else:
                add(node.start, node.end)
            return
        if node.kind == "not":
            cut()
        elif node.kind == "req":
            visit(node.items[0])
        elif node.kind == "seq":
            if not top:
                cut()
            for item in node.items:
                visit(item)
            if not top:
                cut()
        else:  # "or", "and": a run stops at the operator, as typed ("CG 35 OR emploi")
            for i, item in enumerate(node.items):
                if i:
                    cut()
                visit(item)

    visit(tree, top=True)
    return tuple(tuple(run) for run in runs if run)


def _pieces(cleaned: Cleaned, start: int, end: int) -> list[tuple[int, str]]:
    """The words of the cleaned `text[start:end]` as typed (split at spaces, without
    quotes or parentheses around them), with their offsets in the typed text."""
    out = []
    text = cleaned.text
    i = start
    while i < end:
        while i < end and text[i].isspace():
            i += 1
        j = i
        while j < end and not text[j].isspace():
            j += 1
        if j > i:
            first, last = cleaned.span(i, j)
            piece = cleaned.typed[first:last]
            core = piece.strip(_QUOTES_AND_PARENS).lstrip("+")
            if core:
                out.append((first + piece.index(core), core))
        i = j
    return out


def _is_syntax(typed: str) -> bool:
    core = typed.strip(_QUOTES_AND_PARENS)
    return ":" in core or core.endswith("*") or "~" in core
