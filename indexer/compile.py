"""The parsed query (`indexer.query`) compiled into the engine's query.

What each clause means is kept; the scoring is the engine's BM25, arranged so that the
ranking rules of `indexer.query` hold:

- `AllWordsFirst` (plain words): each word is a clause worth `TIER` when it matches, plus
  its BM25 score, so a document holding more of the words always ranks above one holding
  fewer, and inside a tier BM25 decides (`tier_of` reads the tier back);
- proximity: when the plain words are simple words, a document holding them as typed, side
  by side, gets `ADJACENT_BONUS` (a pasted sentence finds the document it came from first),
  and one holding them within `NEAR_SLOP` words a BM25-weighted bonus; both stay below one
  tier, so all-words-first comes first;
- a vocabulary tag named by the query (`indexer.expand`) counts as one more word (`TIER`);
- conditions (`field:value`, `+word` as a requirement) filter without scoring, exclusions
  remove; prefixes and fuzzy words match the index terms they expand to;
- a tag field's term scores a constant (its BM25 over one-word fields would say nothing).

Scores are the engine's 32-bit floats: `TIER` leaves hundredths of BM25 apart up to a
query of a few hundred words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import tantivy

from indexer.fields import TAG_FIELDS, TERRITORY_PATH
from indexer.query import nodes as wq
from indexer.query.nodes import AllWordsFirst
from indexer.schema import TITLE_KEY

TIER = 10_000.0
ADJACENT_BONUS = 2_000.0
NEAR_SLOP = 8
NEAR_BOOST = 0.5
PROXIMITY_FIELD = "content"
_TAGS = frozenset((*TAG_FIELDS, TERRITORY_PATH, TITLE_KEY, "id"))
_REGEX_SPECIAL = re.compile(r"([\\.+*?()|\[\]{}^$#&\-~])")

Occur = tantivy.Occur
Query = tantivy.Query


class Compiler:
    """Compiles query trees for one engine schema."""

    def __init__(self, schema: tantivy.Schema):
        self.schema = schema

    def compile(self, q: wq.Node) -> tantivy.Query:
        return self._compile(q, scored=True)

    # --- clauses ------------------------------------------------------------------------

    def _compile(self, q: wq.Node, *, scored: bool) -> tantivy.Query:
        inner = self._clause(q, scored)
        boost = float(getattr(q, "boost", 1.0) or 1.0)
        if scored and boost != 1.0 and not isinstance(q, AllWordsFirst):
            return Query.boost_query(inner, boost)
        return inner

    def _clause(self, q: wq.Node, scored: bool) -> tantivy.Query:
        if isinstance(q, wq.Nothing):
            return Query.empty_query()
        if isinstance(q, wq.Every):
            return Query.all_query()
        if isinstance(q, AllWordsFirst):
            return self._tiers(q)
        if isinstance(q, wq.Term):
            return self._term(q.fieldname, q.text)
        if isinstance(q, wq.Phrase):
            # Whoosh's slop 1 is "side by side"; the engine counts the words in between.
            slop = max(0, int(q.slop) - 1)
            return Query.phrase_query(self.schema, q.fieldname, list(q.words), slop=slop)
        if isinstance(q, wq.Prefix):
            pattern = _REGEX_SPECIAL.sub(r"\\\1", q.text) + ".*"
            return Query.regex_query(self.schema, q.fieldname, pattern)
        if isinstance(q, wq.Fuzzy):
            return Query.fuzzy_term_query(self.schema, q.fieldname, q.text,
                                          distance=int(q.maxdist))  # fmt: skip
        if isinstance(q, wq.Range):
            return Query.range_query(
                self.schema, q.fieldname, tantivy.FieldType.Integer,
                q.start if q.start is not None else -(2**62),
                q.end if q.end is not None else 2**62,
                include_lower=not q.startexcl, include_upper=not q.endexcl,
            )  # fmt: skip
        if isinstance(q, wq.AndNot):
            return Query.boolean_query([(Occur.Must, self._compile(q.a, scored=scored)),
                                        (Occur.MustNot, self._compile(q.b, scored=False))])
        if isinstance(q, wq.Require):
            condition = Query.const_score_query(self._compile(q.b, scored=False), 0.0)
            return Query.boolean_query([(Occur.Must, self._compile(q.a, scored=scored)),
                                        (Occur.Must, condition)])
        if isinstance(q, wq.AndMaybe):
            return Query.boolean_query([(Occur.Must, self._compile(q.a, scored=scored)),
                                        (Occur.Should, self._soft(q.b))])
        if isinstance(q, wq.And):
            return Query.boolean_query(
                [(Occur.Must, self._compile(sub, scored=scored)) for sub in q.subqueries]
            )
        if isinstance(q, wq.Or):
            return Query.boolean_query([(Occur.Should, self._soft(sub)) for sub in q.subqueries])
        raise TypeError(f"no engine query for {type(q).__name__}")

    def _term(self, field: str, text: object) -> tantivy.Query:
        query = Query.term_query(self.schema, field, text)
        if field in _TAGS:
            return Query.const_score_query(query, 1.0)
        return query

    def _soft(self, q: wq.Node) -> tantivy.Query:
        """A clause of an OR: a tag named by the query counts as one word of a tier."""
        if _is_tag_clause(q):
            return Query.const_score_query(self._compile(q, scored=False), TIER)
        return self._compile(q, scored=True)

    def _tiers(self, q: AllWordsFirst) -> tantivy.Query:
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for sub in q.subqueries:
            if _is_tag_clause(sub):
                clauses.append((Occur.Should, self._soft(sub)))
                continue
            words = self._compile(sub, scored=True)
            clauses.append((Occur.Should, Query.const_score_query(words, TIER)))
            clauses.append((Occur.Should, words))
        clauses += self._proximity(q.subqueries)
        return Query.boolean_query(clauses)

    def _proximity(self, subs: Sequence[wq.Node]) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        words = [_content_word(sub) for sub in subs]
        if len(words) < 2 or any(w is None for w in words):
            return []
        terms: list[str | tuple[int, str]] = [w for w in words if w is not None]
        adjacent = Query.phrase_query(self.schema, PROXIMITY_FIELD, terms, slop=0)
        near = Query.phrase_query(self.schema, PROXIMITY_FIELD, terms, slop=NEAR_SLOP)
        return [
            (Occur.Should, Query.const_score_query(adjacent, ADJACENT_BONUS)),
            (Occur.Should, Query.boost_query(near, NEAR_BOOST)),
        ]


def _content_word(q: wq.Node) -> str | None:
    """The content term of a plain word's clause (an OR of one term per text field)."""
    subs = q.subqueries if isinstance(q, wq.Or) else [q]
    for sub in subs:
        if isinstance(sub, wq.Term) and sub.fieldname == PROXIMITY_FIELD:
            return str(sub.text)
    return None


def _is_tag_clause(q: wq.Node) -> bool:
    if isinstance(q, wq.Term):
        return q.fieldname in _TAGS
    if isinstance(q, wq.Or) and not isinstance(q, AllWordsFirst):
        return all(_is_tag_clause(sub) for sub in q.subqueries)
    return False


def tier_of(score: float) -> int:
    """How many of the query's words (and named tags) a document's score says it holds."""
    return int(score // TIER)


__all__ = ["ADJACENT_BONUS", "TIER", "Compiler", "tier_of"]
