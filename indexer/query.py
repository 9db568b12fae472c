"""Turn what a researcher types into a Whoosh query, leniently.

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
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, FieldType, Schema
from whoosh.matching import Matcher, NullMatcher, WrappingMatcher
from whoosh.qparser.common import QueryParserError
from whoosh.query.wrappers import WrappingQuery

from kb.text import fold

MAX_FUZZY_DISTANCE = 2
TIER_SCALE = 10.0  # see `tier_relevance`
MAX_NESTING = 20  # parentheses; the parser recurses
MIN_PREFIX_LENGTH = 3
# Prefix and fuzzy clauses each scan the term dictionary: a cap keeps a pasted paragraph of
# `word~` from scanning it hundreds of times.
MAX_EXPANDING_CLAUSES = 10
# Close words a fuzzy word searches at most (nearest, then most frequent first): each is a
# term per text field, and a short word within 2 edits can have dozens of neighbours.
MAX_FUZZY_EXPANSIONS = 16
# A typed prefix longer than its word's stem ("coopérat*" while "coopératives" is indexed as
# "cooper") also matches stems that are prefixes of it, down to this many letters removed.
PREFIX_STEM_SLACK = 3

_OR_WORDS = frozenset({"OR", "OU", "|", "||"})
_AND_WORDS = frozenset({"AND", "ET", "&", "&&"})
_NOT_WORDS = frozenset({"NOT"})
_OPEN_QUOTES = {'"': '"', "«": "»", "“": "”", "„": "“", "”": "”"}
_RUN_STOPS = frozenset("()") | frozenset(_OPEN_QUOTES)
_FIELD_RE = re.compile(r"([^\W\d][\w-]*):(.*)", re.DOTALL)
_NUMBER_RANGE_RE = re.compile(r"(-?\d+)\s*(?:\.\.|-|–|/)\s*(-?\d+)")
_NUMBER_COMPARE_RE = re.compile(r"(<=|>=|<|>)\s*(-?\d+)")


# (folded word, edit distance) -> the index's words within that distance, best first.
FuzzyExpander = Callable[[str, int], Sequence[str]]


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed search: the Whoosh query, the analysed positive terms, what was read leniently.

    `terms` are the index terms of the positive text clauses (stems of words and phrases,
    folded prefixes), in query order without repeats: for highlighting and "did you mean".
    """

    query: wq.Query
    terms: tuple[str, ...]
    warnings: tuple[str, ...]


def parse_query(
    text: str,
    *,
    schema: Schema,
    text_fields: Mapping[str, float],
    tag_fields: Mapping[str, str] | None = None,
    max_length: int = 1000,
    resolve_tag: Callable[[str, str], str | None] | None = None,
    expand_fuzzy: FuzzyExpander | None = None,
) -> ParsedQuery:
    """Parse `text` into a query over `text_fields` (index field -> boost).

    `tag_fields` maps the names a user may type before ":" to index fields (keyword, ID,
    numeric or text fields). A keyword value is folded to a vocabulary-style key
    ("Côtes d'Armor" -> "cotes-d-armor"), or given to `resolve_tag(name, value)` when passed,
    which returns the key or None for an unknown value (searched as typed, with a warning).
    `expand_fuzzy(word, distance)` gives the unstemmed, folded words of the index within
    `distance` edits of `word`, best first: `word~` then searches the stems of the first
    MAX_FUZZY_EXPANSIONS of them and of the word itself. Without it, `word~` is a fuzzy
    match on stems.

    Never raises on any `text`; ValueError when `text_fields`/`tag_fields` name fields
    that are not in `schema` (a programming error, not a user's).
    """
    for name in text_fields:
        if name not in schema:
            raise ValueError(f"text field {name!r} is not in the index schema")
    tags = {fold(k): v for k, v in (tag_fields or {}).items()}
    for name, target in tags.items():
        if target not in schema:
            raise ValueError(f"tag field {name!r} maps to {target!r}, not in the index schema")

    warnings = _Warnings()
    text = _clean(text, max_length, warnings)
    tokens = _signs_of_pasted_text(_lex(text, set(tags), warnings), warnings)
    tree = _Parser(tokens, warnings).parse()
    builder = _Builder(schema, dict(text_fields), tags, resolve_tag, warnings, expand_fuzzy)
    query = builder.build_top(tree, text)
    if not isinstance(query, wq.Term | wq.Every) and query is not wq.NullQuery:
        query = FullScoring(query)
    return ParsedQuery(query=query, terms=tuple(builder.terms), warnings=warnings.all())


class _Warnings:
    def __init__(self) -> None:
        self._items: dict[str, None] = {}

    def add(self, message: str) -> None:
        self._items[message] = None

    def all(self) -> tuple[str, ...]:
        return tuple(self._items)


def _clean(text: str, max_length: int, warnings: _Warnings) -> str:
    if not isinstance(text, str):
        raise TypeError(f"query text must be a str, not {type(text).__name__}")
    if len(text) > max_length:
        warnings.add(f"query truncated to its first {max_length} characters (of {len(text)})")
        text = text[:max_length]
    cleaned = []
    dropped = False
    for char in text:
        if char.isspace():
            cleaned.append(" ")
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs"):  # NUL, escapes, lone surrogates (unencodable terms)
            dropped = True
            cleaned.append(" ")
        elif category != "Cf":  # soft hyphens, zero-width joiners: invisible, dropped
            cleaned.append(char)
    if dropped:
        warnings.add("control or invalid characters in the query were ignored")
    return "".join(cleaned)


# --- Lexer -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    kind: str  # "word", "phrase", "open", "close", "or", "and", "not", "sign"
    text: str = ""
    field: str | None = None  # user-facing field name (folded) for field:value
    raw: str = ""  # as typed, for warnings


def _lex(text: str, fields: set[str], warnings: _Warnings) -> list[_Tok]:
    tokens: list[_Tok] = []
    i, n = 0, len(text)
    pending_field: str | None = None  # "field:" directly followed by a quote or "("
    while i < n:
        char = text[i]
        if char.isspace():
            if pending_field is not None:
                warnings.add(f'"{_show(pending_field)}:" has no value: ignored')
                pending_field = None
            i += 1
            continue
        if char == "(":
            tokens.append(_Tok("open", field=pending_field))
            pending_field = None
            i += 1
            continue
        if char == ")":
            tokens.append(_Tok("close"))
            i += 1
            continue
        if char in _OPEN_QUOTES:
            closer = _OPEN_QUOTES[char]
            end = _find_closing_quote(text, i + 1, closer)
            if end < 0:
                warnings.add(f"quote {char} is not closed: read as a phrase up to the end")
                end = n
            phrase = text[i + 1 : end]
            tokens.append(_Tok("phrase", phrase, pending_field, raw=text[i : end + 1]))
            pending_field = None
            i = end + 1
            continue
        if char in "+-" and (i + 1 >= n or text[i + 1].isspace()):
            warnings.add(f'lone "{char}" ignored')
            i += 1
            continue
        if char in "+-" and (i == 0 or text[i - 1].isspace() or text[i - 1] == "("):
            tokens.append(_Tok("sign", char))
            i += 1
            continue
        # A bare run: up to whitespace, a parenthesis or a quote.
        j = i
        while j < n and not text[j].isspace() and text[j] not in _RUN_STOPS:
            j += 1
        run = text[i:j]
        i = j
        if run in _OR_WORDS:
            tokens.append(_Tok("or", raw=run))
            continue
        if run in _AND_WORDS:
            tokens.append(_Tok("and", raw=run))
            continue
        if run in _NOT_WORDS:
            tokens.append(_Tok("not", raw=run))
            continue
        match = _FIELD_RE.fullmatch(run)
        if match:
            name, value = fold(match.group(1)), match.group(2)
            if name in fields:
                if value:
                    tokens.append(_Tok("word", value, name, raw=run))
                elif i < n and (text[i] == "(" or text[i] in _OPEN_QUOTES):
                    pending_field = name
                else:
                    warnings.add(f'"{_show(run)}" has no value: ignored')
                continue
            if value and not value.startswith("/"):
                known = ", ".join(sorted(fields)) or "none"
                warnings.add(
                    f'unknown field "{_show(match.group(1))}" in "{_show(run)}": searched as words '
                    f"(fields: {known})"
                )
                # Two words, not a phrase: "foo:mutuelles" finds mutuelles.
                tokens.append(_Tok("word", match.group(1), raw=match.group(1)))
                tokens.append(_Tok("word", value, raw=value))
                continue
        tokens.append(_Tok("word", run, raw=run))
    if pending_field is not None:
        warnings.add(f'"{_show(pending_field)}:" has no value: ignored')
    return tokens


PASTED_TEXT_WORDS = 6  # words from which an operator-free query is read as pasted text
_OPERATOR_KINDS = frozenset({"phrase", "or", "and", "not"})


def _signs_of_pasted_text(tokens: list[_Tok], warnings: _Warnings) -> list[_Tok]:
    """A sentence pasted from a document ("liez-le avec ln -sf /usr/share...", "les SCOP
    -notamment en Bretagne- ont...") holds dashes that are text, not exclusions: read as
    `-word`, a pasted sentence would exclude the very document it was taken from. A query
    of PASTED_TEXT_WORDS words or more with no other operator (no quotes, OR/AND/NOT,
    field:value; parentheses are common in text, "dpkg-source(1)") is read as text: a sign
    before a word becomes part of it, with a warning that says how to exclude (`NOT word`)
    in such a query. A sign before a parenthesis stays an operator."""
    signs = [i for i, tok in enumerate(tokens) if tok.kind == "sign"]
    if not signs:
        return tokens
    words = [tok for tok in tokens if tok.kind == "word"]
    if len(words) < PASTED_TEXT_WORDS or any(
        tok.kind in _OPERATOR_KINDS or tok.field is not None for tok in tokens
    ):
        return tokens
    read: list[_Tok] = []
    for i, tok in enumerate(tokens):
        if tok.kind != "sign":
            read.append(tok)
        elif i + 1 < len(tokens) and tokens[i + 1].kind == "word":
            warnings.add(
                f'"{tok.text}{_show(tokens[i + 1].raw)}" in a pasted text searched as a '
                f"word (to exclude it, write NOT {_show(tokens[i + 1].raw)})"
            )
    return read


def _find_closing_quote(text: str, start: int, closer: str) -> int:
    end = text.find(closer, start)
    if end < 0 and closer != '"':
        end = text.find('"', start)  # « ... " typed with mixed quotes
    return end


# --- Parser ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Leaf:
    kind: str  # "word", "phrase"
    text: str
    field: str | None
    raw: str


@dataclass(frozen=True)
class _Node:
    kind: str  # "seq" (juxtaposition), "and", "or", "not", "req"
    items: tuple[Any, ...] = field(default_factory=tuple)


class _Parser:
    """Recursive descent over the tokens; skips what cannot be read, with a warning."""

    def __init__(self, tokens: Sequence[_Tok], warnings: _Warnings):
        self.tokens = tokens
        self.i = 0
        self.warnings = warnings
        self.depth = 0
        self.skipped_closes = 0

    def parse(self) -> _Node:
        node = self._seq(None, top=True)
        return node

    def _peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _seq(self, fieldname: str | None, top: bool = False) -> _Node:
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
                    self.warnings.add('unmatched ")" ignored')
                    self.i += 1
                    continue
                break
            if tok.kind in ("or", "and"):
                self.warnings.add(f'operator "{tok.raw}" without a term before it: ignored')
                self.i += 1
                continue
            item = self._or(fieldname)
            if item is not None:
                items.append(item)
        return _Node("seq", tuple(items))

    def _or(self, fieldname: str | None) -> Any:
        items = [self._and(fieldname)]
        while (tok := self._peek()) is not None and tok.kind == "or":
            self.i += 1
            if not self._starts_operand():
                self.warnings.add(f'operator "{tok.raw}" without a term after it: ignored')
                break
            items.append(self._and(fieldname))
        items = [item for item in items if item is not None]
        if not items:
            return None
        return items[0] if len(items) == 1 else _Node("or", tuple(items))

    def _and(self, fieldname: str | None) -> Any:
        items = [self._unary(fieldname)]
        while (tok := self._peek()) is not None and tok.kind == "and":
            self.i += 1
            if not self._starts_operand():
                self.warnings.add(f'operator "{tok.raw}" without a term after it: ignored')
                break
            items.append(self._unary(fieldname))
        items = [item for item in items if item is not None]
        if not items:
            return None
        return items[0] if len(items) == 1 else _Node("and", tuple(items))

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
                self.warnings.add(f'"{label}" without a term after it: ignored')
                return None
            operand = self._unary(fieldname)
            if operand is None:
                return None
            if tok.kind == "sign" and tok.text == "+":
                return _Node("req", (operand,))
            if isinstance(operand, _Node) and operand.kind == "not":
                return operand.items[0]  # "--word", "NOT -word": a double negation
            return _Node("not", (operand,))
        if tok.kind == "open":
            self.i += 1
            if self.depth >= MAX_NESTING:
                # Recursion has a limit: deeper parentheses are read as if absent.
                self.warnings.add(f"parentheses nested deeper than {MAX_NESTING} levels ignored")
                self.skipped_closes += 1
                return None  # what follows is read by the enclosing sequence
            self.depth += 1
            inner = self._seq(tok.field or fieldname)
            self.depth -= 1
            if (close := self._peek()) is not None and close.kind == "close":
                self.i += 1
            else:
                self.warnings.add('"(" is not closed: closed at the end')
            if not inner.items:
                self.warnings.add('empty parentheses "()" ignored')
                return None
            return inner
        if tok.kind in ("word", "phrase"):
            self.i += 1
            return _Leaf(tok.kind, tok.text, tok.field or fieldname, tok.raw)
        # An operator where a term was expected: skipped (the callers warned or will).
        self.i += 1
        self.warnings.add(f'operator "{tok.raw}" without a term before it: ignored')
        return None


# --- Builder ---------------------------------------------------------------------------------


class _Nothing(Exception):
    """A clause that analyses to no term at all (stop words, punctuation)."""


class _Builder:
    def __init__(
        self,
        schema: Schema,
        text_fields: dict[str, float],
        tag_fields: dict[str, str],
        resolve_tag: Callable[[str, str], str | None] | None,
        warnings: _Warnings,
        expand_fuzzy: FuzzyExpander | None = None,
    ):
        self.schema = schema
        self.expand_fuzzy = expand_fuzzy
        self._close_words: dict[tuple[str, int], list[str]] = {}
        self.text_fields = text_fields
        self.tag_fields = tag_fields
        self.resolve_tag = resolve_tag
        self.warnings = warnings
        self.terms: dict[str, None] = {}
        self.expanding = 0
        self.stopped: list[str] = []  # words that gave no term

    def build_top(self, tree: _Node, text: str) -> wq.Query:
        query = self._build(tree, positive=True)
        if query is not None:
            return query
        if self.stopped and any(_has_letters(word) for word in self.stopped):
            shown = _show(" ".join(self.stopped[:8]))
            self.warnings.add(
                f'nothing to search: every word is a stop word ("{shown}"); no document matches'
            )
            return wq.NullQuery
        if text.strip():
            self.warnings.add("nothing searchable in the query: listing every document")
        return wq.Every()

    # Nodes

    def _build(self, node: Any, positive: bool) -> wq.Query | None:
        if isinstance(node, _Leaf):
            return self._leaf(node, positive)
        if node.kind == "or":
            subs = [q for item in node.items if (q := self._build(item, positive)) is not None]
            return _or(subs)
        if node.kind in ("not", "req"):
            # Reached only outside a sequence or AND (e.g. "a OR -b"): kept as typed.
            inner = self._build(node.items[0], positive and node.kind == "req")
            if inner is None:
                return None
            return wq.AndNot(wq.Every(), inner) if node.kind == "not" else inner
        return self._conjunction(node, positive)

    def _conjunction(self, node: _Node, positive: bool) -> wq.Query | None:
        """A sequence (soft: all words first, then some) or an AND (strict)."""
        soft: list[wq.Query] = []
        required: list[wq.Query] = []
        excluded: list[wq.Query] = []
        for item in node.items:
            if isinstance(item, _Node) and item.kind == "not":
                q = self._build(item.items[0], positive=False)
                if q is not None:
                    excluded.append(q)
                continue
            is_req = isinstance(item, _Node) and item.kind == "req"
            target = item.items[0] if is_req else item
            q = self._build(target, positive)
            if q is None:
                continue
            # Excluding "(a b)" excludes documents with both words, not with either.
            if node.kind == "and" or _is_condition(target) or not positive:
                required.append(q)
            else:
                soft.append(q)
                if is_req:  # "+santé économie": santé required, and ranked with the others
                    required.append(q)
        soft = _unique(soft)
        base: wq.Query | None = None
        if soft:
            base = AllWordsFirst(soft) if len(soft) > 1 else soft[0]
        required = _unique(required)
        if required:
            condition = required[0] if len(required) == 1 else wq.And(required)
            # Conditions filter without scoring, so that they keep the tiers of the words.
            base = condition if base is None else wq.Require(base, condition)
        if excluded:
            base = wq.AndNot(base if base is not None else wq.Every(), _or(_unique(excluded)))
        return base

    # Leaves

    def _leaf(self, leaf: _Leaf, positive: bool) -> wq.Query | None:
        if leaf.field is None:
            fields = list(self.text_fields.items())
            return self._text(leaf, fields, positive)
        target = self.tag_fields[leaf.field]
        fieldtype = self.schema[target]
        if isinstance(fieldtype, TEXT):
            return self._text(leaf, [(target, self.text_fields.get(target, 1.0))], positive)
        if isinstance(fieldtype, NUMERIC) and fieldtype.__class__ is NUMERIC:
            return self._number(leaf, target, fieldtype)
        if isinstance(fieldtype, KEYWORD | ID):
            return self._tag(leaf, target)
        try:  # dates, booleans...: the field's own parsing, which may refuse the value
            return fieldtype.parse_query(target, leaf.text.strip())
        except (ValueError, QueryParserError) as exc:
            self.warnings.add(f'"{_show(leaf.raw)}": {exc}: ignored')
            return None

    def _text(
        self, leaf: _Leaf, fields: list[tuple[str, float]], positive: bool
    ) -> wq.Query | None:
        text = leaf.text
        if leaf.kind == "word":
            fuzzy = re.fullmatch(r"(.+?)~(\d*)", text)
            if fuzzy and _has_letters(fuzzy.group(1)):
                return self._fuzzy(leaf, fuzzy.group(1), fuzzy.group(2), fields, positive)
            if text.endswith("*") and _has_letters(text):
                return self._prefix(leaf, text.rstrip("*"), fields, positive)
        subs = []
        for name, boost in fields:
            words = _analyze(self.schema[name], text)
            if not words:
                continue
            if positive:
                self._add_terms(words)
            subs.append(self._words_query(name, words, boost))
        if not subs:
            self.stopped.append(text)
            if not positive or leaf.field is not None:
                self._warn_stopped(leaf)  # else only worth a word if nothing else is left
            return None
        return _or(subs)

    def _words_query(self, name: str, words: list[str], boost: float) -> wq.Query:
        if len(words) == 1:
            return wq.Term(name, words[0], boost=boost)
        if self.schema[name].format.supports("positions"):
            return wq.Phrase(name, words, boost=boost)
        return wq.And([wq.Term(name, w, boost=boost) for w in words])

    def _prefix(
        self, leaf: _Leaf, text: str, fields: list[tuple[str, float]], positive: bool
    ) -> wq.Query | None:
        subs = []
        may_expand = self._may_expand(leaf)
        for name, boost in fields:
            fieldtype = self.schema[name]
            surface = _analyze(fieldtype, text, no_morph=True)
            if not surface:
                continue
            stems = _analyze(fieldtype, text)
            prefix = surface[-1]
            if len(prefix) < MIN_PREFIX_LENGTH or not may_expand:
                if len(prefix) < MIN_PREFIX_LENGTH:
                    self.warnings.add(
                        f'prefix "{_show(leaf.raw)}" is shorter than {MIN_PREFIX_LENGTH} letters: '
                        "searched as a word"
                    )
                subs.append(self._words_query(name, stems, boost))
                continue
            alternatives: list[wq.Query] = [wq.Prefix(name, prefix, boost=boost)]
            stem_terms = {stems[-1]} if stems else set()
            low = max(4, len(prefix) - PREFIX_STEM_SLACK)
            stem_terms.update(prefix[:k] for k in range(low, len(prefix)))
            alternatives += [wq.Term(name, t, boost=boost) for t in sorted(stem_terms)]
            last: wq.Query = wq.Or(alternatives)
            if len(stems) > 1:  # "ille-et-vil*": the words before the prefix must be there
                last = wq.And([*(wq.Term(name, w, boost=boost) for w in stems[:-1]), last])
            if positive:
                self._add_terms([*stems[:-1], prefix])
            subs.append(last)
        if not subs:
            self.stopped.append(text)
            self._warn_stopped(leaf)
            return None
        return _or(subs)

    def _fuzzy(
        self,
        leaf: _Leaf,
        text: str,
        distance: str,
        fields: list[tuple[str, float]],
        positive: bool,
    ) -> wq.Query | None:
        wanted = int(distance) if distance else 1
        wanted = min(wanted, 99)
        may_expand = self._may_expand(leaf)
        if self.expand_fuzzy is not None:
            return self._fuzzy_by_spelling(leaf, text, wanted, may_expand, fields, positive)
        subs = []
        for name, boost in fields:
            words = _analyze(self.schema[name], text)
            if not words:
                continue
            if positive:
                self._add_terms(words)
            if not may_expand:
                subs.append(self._words_query(name, words, boost))
                continue
            clauses = []
            for word in words:
                allowed = self._distance(leaf, word, wanted)
                if allowed == 0:
                    clauses.append(wq.Term(name, word, boost=boost))
                else:
                    clauses.append(
                        wq.FuzzyTerm(
                            name, word, boost=boost, maxdist=allowed, prefixlength=1,
                            constantscore=False,
                        )
                    )  # fmt: skip
            subs.append(clauses[0] if len(clauses) == 1 else wq.And(clauses))
        if not subs:
            self.stopped.append(text)
            self._warn_stopped(leaf)
            return None
        return _or(subs)

    def _fuzzy_by_spelling(
        self,
        leaf: _Leaf,
        text: str,
        wanted: int,
        may_expand: bool,
        fields: list[tuple[str, float]],
        positive: bool,
    ) -> wq.Query | None:
        """`word~` as the stems of the index's words close to each typed word, per field."""
        subs = []
        for name, boost in fields:
            fieldtype = self.schema[name]
            stems = _analyze(fieldtype, text)
            if not stems:
                continue
            if positive:
                self._add_terms(stems)
            if not may_expand:
                subs.append(self._words_query(name, stems, boost))
                continue
            clauses = []
            for surface in _analyze(fieldtype, text, no_morph=True):
                words = [surface, *self._close(surface, self._distance(leaf, surface, wanted))]
                variants = dict.fromkeys(t for w in words for t in _analyze(fieldtype, w))
                alternatives = [wq.Term(name, t, boost=boost) for t in variants]
                if alternatives:
                    clauses.append(_or(alternatives))
            if clauses:
                subs.append(clauses[0] if len(clauses) == 1 else wq.And(clauses))
        if not subs:
            self.stopped.append(text)
            self._warn_stopped(leaf)
            return None
        return _or(subs)

    def _close(self, word: str, distance: int) -> list[str]:
        """The index's words within `distance` edits of `word` (bounded), asked once."""
        if distance == 0 or self.expand_fuzzy is None:
            return []
        key = (word, distance)
        if key not in self._close_words:
            found = self.expand_fuzzy(word, distance)
            self._close_words[key] = list(found[:MAX_FUZZY_EXPANSIONS])
        return self._close_words[key]

    def _distance(self, leaf: _Leaf, word: str, wanted: int) -> int:
        """The edit distance used for `word`: short words within 2 edits of half the
        dictionary get less than asked, with a warning."""
        allowed = min(wanted, MAX_FUZZY_DISTANCE, 0 if len(word) < 3 else
                      1 if len(word) < 6 else 2)  # fmt: skip
        if allowed < wanted:
            self.warnings.add(
                f'"{_show(leaf.raw)}": edit distance {wanted} lowered to {allowed} '
                f'for "{_show(word)}" (too short or above {MAX_FUZZY_DISTANCE})'
            )
        return allowed

    def _may_expand(self, leaf: _Leaf) -> bool:
        self.expanding += 1
        if self.expanding > MAX_EXPANDING_CLAUSES:
            self.warnings.add(
                f"more than {MAX_EXPANDING_CLAUSES} prefix or fuzzy words: "
                f'"{_show(leaf.raw)}" searched as a plain word'
            )
            return False
        return True

    def _tag(self, leaf: _Leaf, target: str) -> wq.Query | None:
        value = leaf.text.strip()
        is_prefix = leaf.kind == "word" and value.endswith("*")
        if leaf.kind == "word":
            value = value.rstrip("*")
            value = re.sub(r"~\d*$", "", value)
        key = tag_key(value)
        if not key:
            self.warnings.add(f'"{_show(leaf.raw)}" has no usable value: ignored')
            return None
        if is_prefix:
            return wq.Prefix(target, key)
        if self.resolve_tag is not None:
            resolved = self.resolve_tag(leaf.field or target, value)
            if resolved is None:
                self.warnings.add(
                    f'unknown {leaf.field} "{_show(value)}": searched as "{_show(key)}"'
                )
            else:
                key = resolved
        return wq.Term(target, key)

    def _number(self, leaf: _Leaf, target: str, fieldtype: NUMERIC) -> wq.Query | None:
        value = leaf.text.strip()
        try:
            if m := _NUMBER_RANGE_RE.fullmatch(value):
                low, high = sorted((int(m.group(1)), int(m.group(2))))
                fieldtype.to_bytes(low), fieldtype.to_bytes(high)  # range check
                return wq.NumericRange(target, low, high)
            if m := _NUMBER_COMPARE_RE.fullmatch(value):
                op, number = m.group(1), int(m.group(2))
                fieldtype.to_bytes(number)
                if op.startswith(">"):
                    return wq.NumericRange(target, number, None, startexcl=op == ">")
                return wq.NumericRange(target, None, number, endexcl=op == "<")
            if re.fullmatch(r"-?\d+", value):
                return wq.Term(target, fieldtype.to_bytes(int(value)))
        except (ValueError, OverflowError):
            pass
        self.warnings.add(
            f'"{_show(leaf.raw)}": "{_show(value)}" is not a number '
            "or a range like 2005..2010: ignored"
        )
        return None

    # Helpers

    def _add_terms(self, words: Iterable[str]) -> None:
        for word in words:
            self.terms[word] = None

    def _warn_stopped(self, leaf: _Leaf) -> None:
        if _has_letters(leaf.text):
            self.warnings.add(f'"{_show(leaf.raw)}" is a stop word (or gives no term): ignored')


def tag_key(value: str) -> str:
    """Vocabulary-style key of a typed tag value: "Côtes d'Armor" -> "cotes-d-armor"."""
    return re.sub(r"[^0-9a-z]+", "-", fold(value)).strip("-")


def _analyze(fieldtype: FieldType, text: str, no_morph: bool = False) -> list[str]:
    return [t.text for t in fieldtype.analyzer(text, mode="query", no_morph=no_morph)]


def _is_condition(node: Any) -> bool:
    """Field clauses ("year:2008", "family:(a OR b)") filter; they are not ranked words."""
    if isinstance(node, _Leaf):
        return node.field is not None
    return all(_is_condition(item) for item in node.items)


def _show(text: str, limit: int = 40) -> str:
    """User input quoted in a warning, cut short: a warning is one line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _has_letters(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _unique(queries: list[wq.Query]) -> list[wq.Query]:
    seen: list[wq.Query] = []
    for q in queries:
        if q not in seen:
            seen.append(q)
    return seen


def _or(queries: list[wq.Query]) -> wq.Query | None:
    queries = _unique(queries)
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.Or(queries)


# --- All words first -------------------------------------------------------------------------


class AllWordsFirst(wq.Or):
    """Matches documents with any subquery; ranks them by how many subqueries they match.

    Score = number of matching subqueries + `tier_relevance(s)`, where s is the usual
    (BM25F) sum of their scores: a document with all the words always ranks above one with
    fewer, and inside a tier the usual relevance decides. Whoosh's own coordination
    (`Or(scale=0.9)`, `OrGroup.factory(0.9)`) only adds a small bonus per matching term,
    which a frequent rare word outweighs (tests/test_query.py pins that).
    """

    JOINT = " ANY "

    def matcher(self, searcher: Any, context: Any = None) -> Matcher:
        if not self.subqueries:
            return NullMatcher()
        if context is not None:
            context = context.set(needs_current=True)
        return _TierMatcher([q.matcher(searcher, context) for q in self.subqueries])


class _TierMatcher(Matcher):
    """Union of the subqueries' matchers, scored by `AllWordsFirst`'s rule."""

    def __init__(self, matchers: list[Matcher]):
        self._all = matchers
        self._active = [m for m in matchers if m.is_active()]
        self._id = min((m.id() for m in self._active), default=None)

    def _refresh(self) -> None:
        self._active = [m for m in self._active if m.is_active()]
        self._id = min((m.id() for m in self._active), default=None)

    def is_active(self) -> bool:
        return bool(self._active)

    def id(self) -> int:
        return self._id  # type: ignore[return-value]

    def reset(self) -> None:
        for m in self._all:
            m.reset()
        self._active = [m for m in self._all if m.is_active()]
        self._refresh()

    def children(self) -> list[Matcher]:
        return list(self._active)

    def copy(self) -> _TierMatcher:
        return _TierMatcher([m.copy() for m in self._active])

    def depth(self) -> int:
        return 1 + max((m.depth() for m in self._active), default=0)

    def replace(self, minquality: float = 0) -> Matcher:
        # Children score in other units: never let them prune against our minimum.
        if not self._active:
            return NullMatcher()
        replaced = [m.replace(0) for m in self._active]
        if all(a is b for a, b in zip(replaced, self._active, strict=True)):
            return self
        return _TierMatcher([m for m in replaced if m.is_active()])

    def supports(self, astype: str) -> bool:
        return all(m.supports(astype) for m in self._active)

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        # Parents' replace() asks for it: an upper bound of our score.
        return float(len(self._active) + 1)

    def block_quality(self) -> float:
        return self.max_quality()

    def next(self) -> bool:
        current = self._id
        for m in self._active:
            if m.id() == current:
                m.next()
        self._refresh()
        return False

    def skip_to(self, id: int) -> bool:
        for m in self._active:
            if m.is_active() and m.id() < id:
                m.skip_to(id)
        self._refresh()
        return False

    def weight(self) -> float:
        return sum(m.weight() for m in self._active if m.id() == self._id)

    def score(self) -> float:
        current = self._id
        count = 0
        total = 0.0
        for m in self._active:
            if m.id() == current:
                count += 1
                total += m.score()
        return count + tier_relevance(total)


def tier_relevance(total: float) -> float:
    """A BM25 sum as the part of a tier score below 1: s / (s + TIER_SCALE), increasing.

    TIER_SCALE is about the sum of a document holding several of the words well: sums from
    a fraction of it to several times it stay apart by hundredths, not thousandths (with
    s / (1 + s), a long document's 30 and 31 were 0.968 and 0.969).
    """
    return total / (total + TIER_SCALE)


class FullScoring(WrappingQuery):
    """Scores every match of its child: no pruning against the running top-N minimum.

    Whoosh's collectors call `matcher.replace(minscore)` every few documents, and several
    matchers prune wrongly with it: a compound query with a boost (it compares unboosted
    bounds with boosted scores), `FuzzyTerm(constantscore=False)` inside an `Or`. The top
    hits of `search(q, limit=10)` then differ from those of `limit=None`
    (tests/test_query.py pins it). Our searches count every hit anyway, so pruning would
    save little. Keep it at the top of the query: pass restrictions with
    `search(..., filter=...)` rather than And-ing them around it.
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FullScoring) and self.child == other.child

    def __hash__(self) -> int:
        return hash(("FullScoring", self.child))

    def __str__(self) -> str:
        return str(self.child)

    def normalize(self) -> wq.Query:
        return self._rewrap(self.child.normalize())

    def matcher(self, searcher: Any, context: Any = None) -> Matcher:
        return _FullScoringMatcher(self.child.matcher(searcher, context))


class _FullScoringMatcher(WrappingMatcher):
    def _replacement(self, newchild: Matcher) -> Matcher:
        return _FullScoringMatcher(newchild)

    def replace(self, minquality: float = 0) -> Matcher:
        replaced = self.child.replace(0)  # still drops finished branches
        return self if replaced is self.child else _FullScoringMatcher(replaced)

    def supports_block_quality(self) -> bool:
        return False


__all__ = [
    "MAX_FUZZY_EXPANSIONS",
    "AllWordsFirst",
    "FullScoring",
    "FuzzyExpander",
    "ParsedQuery",
    "parse_query",
    "tag_key",
]
