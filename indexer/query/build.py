"""The parse tree into a query tree (`indexer.query.nodes`): analysed words, phrases,
prefixes, fuzzy words, tag and number clauses, combined as the syntax says
(`indexer.query`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from indexer.analysis import analyze, surface_words
from indexer.messages import _
from indexer.query import nodes as wq
from indexer.query.lexer import Warnings, has_letters, show
from indexer.query.parser import Leaf, Node
from indexer.text import fold

# What kind of field a query may name: free text, a tag (a vocabulary key) or a number.
TEXT, TAG, NUMBER = "text", "tag", "number"
FieldKinds = dict[str, str]
_LARGEST = 2**63 - 1

MAX_FUZZY_DISTANCE = 2
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
_NUMBER_RANGE_RE = re.compile(r"(-?\d+)\s*(?:\.\.|-|–|/)\s*(-?\d+)")
_NUMBER_COMPARE_RE = re.compile(r"(<=|>=|<|>)\s*(-?\d+)")

# (folded word, edit distance) -> the index's words within that distance, best first.
FuzzyExpander = Callable[[str, int], Sequence[str]]


class Builder:
    def __init__(
        self,
        kinds: FieldKinds,
        text_fields: dict[str, float],
        tag_fields: dict[str, str],
        resolve_tag: Callable[[str, str], str | None] | None,
        warnings: Warnings,
        expand_fuzzy: FuzzyExpander | None = None,
    ):
        self.kinds = kinds
        self.expand_fuzzy = expand_fuzzy
        self._close_words: dict[tuple[str, int], list[str]] = {}
        self.text_fields = text_fields
        self.tag_fields = tag_fields
        self.resolve_tag = resolve_tag
        self.warnings = warnings
        self.terms: dict[str, None] = {}
        self.expanding = 0
        self.stopped: list[str] = []  # words that gave no term

    def build_top(self, tree: Node, text: str) -> wq.Node:
        query = self._build(tree, positive=True)
        if query is not None:
            return query
        if self.stopped and any(has_letters(word) for word in self.stopped):
            shown = show(" ".join(self.stopped[:8]))
            self.warnings.add(
                _('nothing to search: every word is a stop word ("{shown}"); no document matches',
                  shown=shown)
            )
            return wq.NOTHING
        if text.strip():
            self.warnings.add(_("nothing searchable in the query: listing every document"))
        return wq.Every()

    # Nodes

    def _build(self, node: Any, positive: bool) -> wq.Node | None:
        if isinstance(node, Leaf):
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

    def _conjunction(self, node: Node, positive: bool) -> wq.Node | None:
        """A sequence (soft: all words first, then some) or an AND (strict)."""
        soft: list[wq.Node] = []
        required: list[wq.Node] = []
        excluded: list[wq.Node] = []
        for item in node.items:
            if isinstance(item, Node) and item.kind == "not":
                q = self._build(item.items[0], positive=False)
                if q is not None:
                    excluded.append(q)
                continue
            is_req = isinstance(item, Node) and item.kind == "req"
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
        base: wq.Node | None = None
        if soft:
            base = wq.AllWordsFirst(tuple(soft)) if len(soft) > 1 else soft[0]
        required = _unique(required)
        if required:
            condition = required[0] if len(required) == 1 else wq.And(tuple(required))
            # Conditions filter without scoring, so that they keep the tiers of the words.
            base = condition if base is None else wq.Require(base, condition)
        out = _or(_unique(excluded))
        if out is not None:
            base = wq.AndNot(base if base is not None else wq.Every(), out)
        return base

    # Leaves

    def _leaf(self, leaf: Leaf, positive: bool) -> wq.Node | None:
        if leaf.field is None:
            fields = list(self.text_fields.items())
            return self._text(leaf, fields, positive)
        target = self.tag_fields[leaf.field]
        kind = self.kinds.get(target)
        if kind == TEXT:
            return self._text(leaf, [(target, self.text_fields.get(target, 1.0))], positive)
        if kind == NUMBER:
            return self._number(leaf, target)
        return self._tag(leaf, target)

    def _text(
        self, leaf: Leaf, fields: list[tuple[str, float]], positive: bool
    ) -> wq.Node | None:
        text = leaf.text
        if leaf.kind == "word":
            fuzzy = re.fullmatch(r"(.+?)~(\d*)", text)
            if fuzzy and has_letters(fuzzy.group(1)):
                return self._fuzzy(leaf, fuzzy.group(1), fuzzy.group(2), fields, positive)
            if text.endswith("*") and has_letters(text):
                return self._prefix(leaf, text.rstrip("*"), fields, positive)
        subs = []
        for name, boost in fields:
            words = analyze(text)
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

    def _words_query(self, name: str, words: list[str], boost: float) -> wq.Node:
        if len(words) == 1:
            return wq.Term(name, words[0], boost=boost)
        return wq.Phrase(name, tuple(words), boost=boost)

    def _prefix(
        self, leaf: Leaf, text: str, fields: list[tuple[str, float]], positive: bool
    ) -> wq.Node | None:
        subs = []
        may_expand = self._may_expand(leaf)
        for name, boost in fields:
            surface = surface_words(text)
            if not surface:
                continue
            stems = analyze(text)
            prefix = surface[-1]
            if len(prefix) < MIN_PREFIX_LENGTH or not may_expand:
                if len(prefix) < MIN_PREFIX_LENGTH:
                    self.warnings.add(
                        _('prefix "{value}" is shorter than {min_prefix_length} letters: '
                          "searched as a word",
                          value=show(leaf.raw), min_prefix_length=MIN_PREFIX_LENGTH)
                    )
                subs.append(self._words_query(name, stems, boost))
                continue
            alternatives: list[wq.Node] = [wq.Prefix(name, prefix, boost=boost)]
            stem_terms = {stems[-1]} if stems else set()
            low = max(4, len(prefix) - PREFIX_STEM_SLACK)
            stem_terms.update(prefix[:k] for k in range(low, len(prefix)))
            alternatives += [wq.Term(name, t, boost=boost) for t in sorted(stem_terms)]
            last: wq.Node = wq.Or(tuple(alternatives))
            if len(stems) > 1:  # "ille-et-vil*": the words before the prefix must be there
                last = wq.And((*(wq.Term(name, w, boost=boost) for w in stems[:-1]), last))
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
        leaf: Leaf,
        text: str,
        distance: str,
        fields: list[tuple[str, float]],
        positive: bool,
    ) -> wq.Node | None:
        """`word~`: with `expand_fuzzy`, the stems of the index's words close to each typed
        word; without it, a fuzzy match on each stem. Per field."""
        wanted = int(distance) if distance else 1
        wanted = min(wanted, 99)
        may_expand = self._may_expand(leaf)
        subs = []
        for name, boost in fields:
            stems = analyze(text)
            if not stems:
                continue
            if positive:
                self._add_terms(stems)
            if not may_expand:
                subs.append(self._words_query(name, stems, boost))
                continue
            if self.expand_fuzzy is not None:
                found = (self._spelled(leaf, name, surface, wanted, boost)
                         for surface in surface_words(text))  # fmt: skip
                clauses = [clause for clause in found if clause is not None]
            else:
                clauses = [self._fuzzy_stem(leaf, name, stem, wanted, boost) for stem in stems]
            if clauses:
                subs.append(clauses[0] if len(clauses) == 1 else wq.And(tuple(clauses)))
        if not subs:
            self.stopped.append(text)
            self._warn_stopped(leaf)
            return None
        return _or(subs)

    def _spelled(
        self, leaf: Leaf, name: str, surface: str, wanted: int, boost: float
    ) -> wq.Node | None:
        """The stems of `surface` and of the index's words close to it, in field `name`."""
        words = [surface, *self._close(surface, self._distance(leaf, surface, wanted))]
        variants = dict.fromkeys(t for w in words for t in analyze(w))
        return _or([wq.Term(name, t, boost=boost) for t in variants])

    def _fuzzy_stem(self, leaf: Leaf, name: str, stem: str, wanted: int, boost: float) -> wq.Node:
        allowed = self._distance(leaf, stem, wanted)
        if allowed == 0:
            return wq.Term(name, stem, boost=boost)
        return wq.Fuzzy(name, stem, maxdist=allowed, boost=boost)

    def _close(self, word: str, distance: int) -> list[str]:
        """The index's words within `distance` edits of `word` (bounded), asked once."""
        if distance == 0 or self.expand_fuzzy is None:
            return []
        key = (word, distance)
        if key not in self._close_words:
            found = self.expand_fuzzy(word, distance)
            self._close_words[key] = list(found[:MAX_FUZZY_EXPANSIONS])
        return self._close_words[key]

    def _distance(self, leaf: Leaf, word: str, wanted: int) -> int:
        """The edit distance used for `word`: short words within 2 edits of half the
        dictionary get less than asked, with a warning."""
        allowed = min(wanted, MAX_FUZZY_DISTANCE, 0 if len(word) < 3 else
                      1 if len(word) < 6 else 2)  # fmt: skip
        if allowed < wanted:
            self.warnings.add(
                _('"{value}": edit distance {wanted} lowered to {allowed} for "{value2}" (too '
                  "short or above {max_fuzzy_distance})",
                  value=show(leaf.raw), wanted=wanted, allowed=allowed, value2=show(word),
                  max_fuzzy_distance=MAX_FUZZY_DISTANCE)
            )
        return allowed

    def _may_expand(self, leaf: Leaf) -> bool:
        self.expanding += 1
        if self.expanding > MAX_EXPANDING_CLAUSES:
            self.warnings.add(
                _('more than {max_expanding_clauses} prefix or fuzzy words: "{value}" searched '
                  "as a plain word",
                  max_expanding_clauses=MAX_EXPANDING_CLAUSES, value=show(leaf.raw))
            )
            return False
        return True

    def _tag(self, leaf: Leaf, target: str) -> wq.Node | None:
        value = leaf.text.strip()
        is_prefix = leaf.kind == "word" and value.endswith("*")
        if leaf.kind == "word":
            value = value.rstrip("*")
            value = re.sub(r"~\d*$", "", value)
        key = tag_key(value)
        if not key:
            self.warnings.add(_('"{value}" has no usable value: ignored', value=show(leaf.raw)))
            return None
        if is_prefix:
            return wq.Prefix(target, key)
        if self.resolve_tag is not None:
            resolved = self.resolve_tag(leaf.field or target, value)
            if resolved is None:
                self.warnings.add(
                    _('unknown {field} "{value}": searched as "{value2}"',
                      field=leaf.field, value=show(value), value2=show(key))
                )
            else:
                key = resolved
        return wq.Term(target, key)

    def _number(self, leaf: Leaf, target: str) -> wq.Node | None:
        value = leaf.text.strip()
        if m := _NUMBER_RANGE_RE.fullmatch(value):
            low, high = sorted((int(m.group(1)), int(m.group(2))))
            if max(abs(low), abs(high)) <= _LARGEST:
                return wq.Range(target, low, high)
        elif m := _NUMBER_COMPARE_RE.fullmatch(value):
            op, number = m.group(1), int(m.group(2))
            if abs(number) <= _LARGEST:
                if op.startswith(">"):
                    return wq.Range(target, number, None, startexcl=op == ">")
                return wq.Range(target, None, number, endexcl=op == "<")
        elif re.fullmatch(r"-?\d+", value) and abs(int(value)) <= _LARGEST:
            return wq.Term(target, int(value))
        self.warnings.add(
            _('"{value}": "{value2}" is not a number or a range like 2005..2010: ignored',
              value=show(leaf.raw), value2=show(value))
        )
        return None

    # Helpers

    def _add_terms(self, words: Iterable[str]) -> None:
        for word in words:
            self.terms[word] = None

    def _warn_stopped(self, leaf: Leaf) -> None:
        if has_letters(leaf.text):
            self.warnings.add(_('"{value}" is a stop word (or gives no term): ignored',
                                value=show(leaf.raw)))


def tag_key(value: str) -> str:
    """Vocabulary-style key of a typed tag value: "Côtes d'Armor" -> "cotes-d-armor"."""
    return re.sub(r"[^0-9a-z]+", "-", fold(value)).strip("-")


def _is_condition(node: Any) -> bool:
    """Field clauses ("year:2008", "family:(a OR b)") filter; they are not ranked words."""
    if isinstance(node, Leaf):
        return node.field is not None
    return all(_is_condition(item) for item in node.items)


def _unique(queries: list[wq.Node]) -> list[wq.Node]:
    seen: list[wq.Node] = []
    for q in queries:
        if q not in seen:
            seen.append(q)
    return seen


def _or(queries: list[wq.Node]) -> wq.Node | None:
    queries = _unique(queries)
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.Or(tuple(queries))
