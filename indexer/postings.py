"""Postings read in bulk, kept per index generation: which documents hold a term, how often.

Whoosh's matchers hand out one posting per Python call (`id()`, `weight()`, `next()`), and
a search through them costs tens of microseconds a posting (benchmarks/README.md). This
module reads a term's postings a block at a time into tuples of global document numbers
and weights, once per searcher (one index generation), so that match sets are set
operations and BM25F scores one arithmetic expression a posting (`indexer.ranking`).

Whoosh facts this relies on (tests/test_ranking.py pins each against Whoosh's own
matchers):
- `SegmentReader.postings()` is the codec's matcher (`SegmentReader._terms.matcher()`),
  wrapped in a `FilterMatcher` when the segment has deleted documents
  (`deleted_docs_set`); the codec's matcher is used directly, deletions applied here;
- the whoosh3 codec's `W3LeafMatcher` loads a block's ids, weights and values into `_ids`,
  `_weights`, `_values` on the first `id()`, `weight()`, `value()`; `_next_block()` moves to
  the next block and `_lastblock` says there is none. Any other matcher (inlined postings
  are a `ListMatcher`) is read one posting at a time through the public interface;
- a positions (or characters) posting value is `pack_uint(count)` + a protocol-2 pickle of
  deltas (ints, or (position, start, length) tuples), stop opcode included or not
  (`whoosh.formats.Positions.decode_positions`);
- BM25F (Whoosh's default weighting) scores a posting
  `idf * (w * (K1 + 1)) / (w + K1 * ((1 - B) + B * fl / avgfl))` with `fl` the field
  length decoded from its byte, `idf` and `avgfl` from the whole index; a field that is not
  scorable (keywords) scores the posting's weight;
- that byte holds at most `byte_to_length(255)` (106,374): a longer document would score as
  if it were that long, far too high, so for a field with a column of true lengths
  (`<field>_length`, `indexer.schema.CONTENT_LENGTH`) a document whose byte is at the
  ceiling takes its true length. Below it the scores are Whoosh's own.
"""

from __future__ import annotations

import logging
import sys
from array import array
from bisect import bisect_left
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress
from operator import itemgetter
from pickle import loads
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Characters, Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from indexer.lru import INT_BYTES, LruCache, MemoryBudget

log = logging.getLogger(__name__)

DocSet = frozenset[int]
# What a PostingCache made without a budget of its own keeps (tests, tools): the index
# passes the process's budget (`FullTextIndex.open(budget=...)`), shared by its caches.
DEFAULT_BUDGET_MB = 64
# Decoded blocks of values kept at most (~25 kB each at 10,000 documents): the snippets
# and proximity of recent pages of hits. High enough that the memory budget decides: the
# blocks of common words come back in the next distinct searches.
MAX_CACHED_BLOCKS = 16384
_ENTRY_BYTES = 400  # a cached entry's key, tuple and dict slots, beside its arrays
_UINT_SIZE = 4  # whoosh.system._INT_SIZE: the count before a positions pickle
_LONGEST = byte_to_length(255)  # the longest field length Whoosh's byte can tell


@dataclass(frozen=True)
class TermPostings:
    """One term's postings over the whole index, deleted documents left out; compact
    arrays (8 bytes a posting), as Whoosh's blocks hold them."""

    ids: array[int]  # global document numbers, ascending
    weights: array[float]  # same order: the term's frequency (times field boost), float32
    # boost -> the postings' scores in the same order, computed on first use
    scored: dict[float, array[float]] = field(default_factory=dict, compare=False)

    def docs(self) -> DocSet:
        """The documents holding the term, as a set."""
        return frozenset(self.ids)

    def size(self) -> int:
        """Postings held, scores included."""
        return len(self.ids) * (1 + len(self.scored))

    def nbytes(self) -> int:
        """Bytes held, scores included: what the cache's budget counts."""
        ids, weights = self.ids, self.weights
        held = ids.itemsize * len(ids) + weights.itemsize * len(weights)
        return _ENTRY_BYTES + held + sum(s.itemsize * len(s) for s in self.scored.values())


_EMPTY = TermPostings(array("i"), array("f"))


class PostingCache:
    """Bulk postings, BM25F factors and match sets for one searcher; thread-safe.

    Valid as long as its searcher: build a new one for each index generation, and
    `close()` the old one. What it keeps (terms' postings and scores, decoded blocks,
    per-document factors) is counted against `budget`, shared with the process's other
    caches (None: a budget of its own, DEFAULT_BUDGET_MB); what the budget drops is read
    again when asked, so answers never depend on it.
    """

    def __init__(self, searcher: Searcher, budget: MemoryBudget | None = None):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = self.reader.schema
        self._leaves = list(self.reader.leaf_readers())
        self.budget = budget if budget is not None else MemoryBudget.of_mb(DEFAULT_BUDGET_MB)
        self._terms: LruCache[tuple[str, bytes], TermPostings] = LruCache(
            budget=self.budget, sizeof=TermPostings.nbytes
        )
        # field -> per-document factors (one float a document: ~32 bytes each in a list)
        self._norms: LruCache[str, list[float]] = LruCache(budget=self.budget, sizeof=_list_size)
        # Decoded blocks of values (positions, characters) by (segment, term, offset): the
        # snippets of a page read a block per hit and term, and the best documents for a
        # word come back in the next searches with it.
        self._blocks: LruCache[Any, tuple[Any, Any]] = LruCache(
            MAX_CACHED_BLOCKS, budget=self.budget, sizeof=block_size
        )
        self._lock = self.budget.lock
        weighting = searcher.weighting
        # Only BM25F is computed here; another weighting model goes through Whoosh.
        self.bm25f = weighting if type(weighting) is BM25F else None

    def close(self) -> None:
        """Give back what this cache holds to the budget (its searcher is no longer the
        latest); a search still running on it reads what it needs again."""
        for cache in (self._terms, self._norms, self._blocks):
            cache.close()

    # --- terms ----------------------------------------------------------------------

    def to_bytes(self, field: str, text: str | bytes) -> bytes | None:
        """The indexed form of `text` in `field` (None: not a value of the field)."""
        if isinstance(text, bytes):
            return text
        try:
            return self.schema[field].to_bytes(text)
        except (KeyError, ValueError):  # an unknown field, a value the field cannot hold
            return None

    def postings(self, field: str, btext: bytes) -> TermPostings:
        """The term's postings (empty for an unknown term or field), cached."""
        key = (field, btext)
        found = self._terms.get(key)
        if found is not None:
            return found
        found = self._read(field, btext)
        with self._lock:
            held = self._terms.peek(key)
            if held is not None:  # read meanwhile by another thread: share that one
                return held
            self._terms.put(key, found)
        return found

    def docs(self, field: str, btext: bytes) -> DocSet:
        """Documents holding the term: a set made from the cached postings when asked
        (~0.3 ms for 10,000; kept, it would cost 60 bytes a posting)."""
        return self.postings(field, btext).docs()

    def _read(self, field: str, btext: bytes) -> TermPostings:
        if field not in self.schema:
            return _EMPTY
        ids = array("i")
        weights = array("f")
        for leaf, base in self._leaves:
            if (field, btext) not in leaf:
                continue
            matcher, deleted = _leaf_matcher(leaf, field, btext)
            if matcher is None:
                continue
            for block_ids, block_weights in _blocks(matcher):
                if deleted:
                    kept = [i for i, d in enumerate(block_ids) if d not in deleted]
                    block_ids = [block_ids[i] for i in kept]
                    block_weights = [block_weights[i] for i in kept]
                if base:
                    ids.extend(d + base for d in block_ids)
                else:
                    ids.extend(block_ids)
                weights.extend(block_weights)
        return TermPostings(ids, weights)

    # --- positions ---------------------------------------------------------------

    def positions(self, field: str, btext: bytes, docnums: Collection[int]) -> dict[int, list[int]]:
        """docnum -> positions of the term, for those of `docnums` that hold it.

        Reads the blocks that may hold one of `docnums` only (not cached: phrases are
        checked on candidates, which change with each query).
        """
        fmt = self.schema[field].format
        if not isinstance(fmt, Positions):
            raise ValueError(f"{field}: no positions indexed")
        decode = _decoder(fmt)
        return {d: decode(v) for d, v in self._values(field, btext, docnums)}

    def characters(
        self, field: str, btext: bytes, docnums: Collection[int]
    ) -> dict[int, list[tuple[int, int, int]]]:
        """docnum -> (position, start char, end char) of each occurrence of the term, for
        those of `docnums` that hold it (a field indexed with `chars=True`)."""
        fmt = self.schema[field].format
        if not isinstance(fmt, Characters):
            raise ValueError(f"{field}: no characters indexed")
        return {d: fmt.decode_characters(v) for d, v in self._values(field, btext, docnums)}

    def _values(
        self, field: str, btext: bytes, docnums: Collection[int]
    ) -> Iterator[tuple[int, bytes]]:
        """(docnum, posting value) of the term for each of `docnums` holding it."""
        if field not in self.schema:
            return
        # Sorted once, then sliced per segment by bisection: filtering all of `docnums`
        # for each segment cost segments x documents (2 s of a 6 s phrase search over
        # 131 segments and 77,000 candidates).
        ordered = sorted(docnums)
        for leaf, base in self._leaves:
            top = base + leaf.doc_count_all()
            start, end = bisect_left(ordered, base), bisect_left(ordered, top)
            if start == end or (field, btext) not in leaf:
                continue
            wanted = [d - base for d in ordered[start:end]]
            matcher, _deleted = _leaf_matcher(leaf, field, btext)
            if matcher is None:  # (deleted documents are not among `docnums`)
                continue
            local = set(wanted)
            blocks = _blocks(matcher, values=True, wanted=wanted, cache=self._blocks,
                             key=(id(leaf), field, btext))  # fmt: skip
            for block_ids, values in blocks:
                for i, d in enumerate(block_ids):
                    if d in local:
                        yield d + base, values[i]

    # --- scoring --------------------------------------------------------------------

    def norms(self, field: str) -> list[float]:
        """docnum -> K1 * ((1 - B) + B * fl / avgfl) of BM25F for `field`, per document
        (0.0 for a deleted document)."""
        norms = self._norms.get(field)
        if norms is not None:
            return norms
        assert self.bm25f is not None
        weighting = self.bm25f
        b = weighting._field_B.get(field, weighting.B)
        k1 = weighting.K1
        avgfl = self.searcher.avg_field_length(field) or 1
        norms = [0.0] * self.reader.doc_count_all()
        for leaf, base in self._leaves:
            length = leaf.doc_field_length
            true_lengths = _true_lengths(leaf, field)
            for local in leaf.all_doc_ids():
                fl = length(local, field, 1)
                if fl is None:  # whoosh3 returns None for a stored 0 byte, not the default
                    fl = 0
                elif fl >= _LONGEST and true_lengths is not None:
                    fl = max(fl, true_lengths[local])
                norms[base + local] = k1 * ((1 - b) + b * fl / avgfl)
        self._norms.put(field, norms)
        return norms

    def relative_lengths(self, field: str) -> list[float]:
        """docnum -> the field's length in average lengths (as BM25F sees it), per document."""
        key = f"{field}/relative"
        found = self._norms.get(key)
        if found is None:
            assert self.bm25f is not None
            b = self.bm25f._field_B.get(field, self.bm25f.B)
            k1 = self.bm25f.K1
            found = [max(0.0, (n / k1 - (1 - b)) / b) if b else 1.0 for n in self.norms(field)]
            self._norms.put(key, found)
        return found

    def term_scores(
        self, field: str, btext: bytes, boost: float, scope: DocSet | None
    ) -> dict[int, float]:
        """docnum -> the term's score (BM25F, times `boost`) in the documents holding it,
        among `scope` (None: all). As Whoosh's Term matcher scores them."""
        postings = self.postings(field, btext)
        ids = postings.ids
        if not ids:
            return {}
        scores = postings.scored.get(boost)
        if scores is None:
            scores = self._score_postings(field, btext, postings, boost)
        if scope is None:
            return dict(zip(ids, scores, strict=True))
        if len(scope) < len(ids) // 8:  # a few documents: look them up
            top = len(ids)
            out = {}
            for d in scope:
                i = bisect_left(ids, d)
                if i < top and ids[i] == d:
                    out[d] = scores[i]
            return out
        if len(scope) < len(ids) // 2:
            # (the same pairs as a loop over them would keep, at C speed)
            return dict(compress(zip(ids, scores, strict=True), map(scope.__contains__, ids)))
        out = dict(zip(ids, scores, strict=True))
        for d in out.keys() - scope:  # the set difference in C, few deletions
            del out[d]
        return out

    def _score_postings(
        self, field: str, btext: bytes, postings: TermPostings, boost: float
    ) -> array[float]:
        weights = postings.weights
        if not self.schema[field].scorable:  # Whoosh's WeightScorer: the weight
            scores = array("d", weights)
        else:
            assert self.bm25f is not None
            idf = self.searcher.idf(field, btext)
            k1_plus = self.bm25f.K1 + 1
            norms = self.norms(field)
            scores = array(
                "d",
                (idf * ((w * k1_plus) / (w + norms[d]))
                 for d, w in zip(postings.ids, weights, strict=True)),
            )  # fmt: skip
        if boost != 1.0:  # WrappingMatcher: the term's score times the boost
            scores = array("d", (x * boost for x in scores))
        with self._lock:
            # Kept with the postings only while they are cached (counted with them).
            if boost not in postings.scored and self._terms.peek((field, btext)) is postings:
                postings.scored[boost] = scores
                if not self._terms.resize((field, btext), postings, postings.nbytes()):
                    del postings.scored[boost]  # alone, they would pass the whole budget
        return scores


def block_size(block: tuple[Any, Any]) -> int:
    """Bytes of a decoded block of values: its ids (an array, or a tuple of ints) and its
    values (a tuple of byte strings), counted at C speed. (`deep_size` gives about the same
    figure walking each object in Python: a third of a distinct search's time went there.)"""
    ids, values = block
    size = sys.getsizeof(ids) + sys.getsizeof(values) + sum(map(sys.getsizeof, values))
    if not isinstance(ids, array):
        size += INT_BYTES * len(ids)
    return size


def _leaf_matcher(leaf: Any, field: str, btext: bytes) -> tuple[Any, Collection[int]]:
    """(the codec's matcher of the term in one segment, the segment's deleted documents);
    (None, ()) if the segment does not hold the term.

    `SegmentReader.postings()` wraps the codec's matcher in a `FilterMatcher` when documents
    are deleted, which decodes the first block at once (even when the caller will skip it):
    the codec's matcher is taken directly when the reader has one, the deletions applied here.
    """
    terms = getattr(leaf, "_terms", None)
    if terms is not None and hasattr(leaf, "deleted_docs_set"):
        try:
            matcher = terms.matcher(field, btext, leaf.schema[field].format)
        except (KeyError, TermNotFound):
            return None, ()
        return matcher, leaf.deleted_docs_set
    try:
        matcher = leaf.postings(field, btext)
    except TermNotFound:
        return None, ()
    if isinstance(matcher, FilterMatcher):
        return matcher.child, leaf.deleted_docs_set
    return matcher, ()


def _true_lengths(leaf: Any, field: str) -> Any:
    """The segment's column of true lengths of `field` (None if the index has none)."""
    column = f"{field}_length"
    if column not in leaf.schema or not leaf.has_column(column):
        return None
    return leaf.column_reader(column)


def _blocks(
    matcher: Any,
    values: bool = False,
    wanted: Sequence[int] | None = None,
    cache: LruCache[Any, tuple[Any, Any]] | None = None,
    key: tuple[Any, ...] = (),
) -> Iterator[tuple[Any, Any]]:
    """(ids, weights) -- or (ids, values) -- of each block of a leaf matcher; with
    `wanted` (ascending local ids), only of blocks whose id range may hold one of them
    (the others are skipped on their header, their data not decoded). `cache` keeps
    decoded blocks of values under `key` + the block's offset."""
    if type(matcher) is W3LeafMatcher:
        k = 0  # next wanted id
        while matcher.is_active():
            if wanted is not None:
                high = matcher.block_max_id()
                if k >= len(wanted):
                    return
                if wanted[k] > high:  # nothing wanted in this block
                    if matcher._lastblock:
                        return
                    matcher._next_block()
                    continue
            if values and cache is not None:
                block_key = (*key, matcher._dataoffset)
                block = cache.get(block_key)
                if block is None:
                    matcher.id()  # loads the block's ids (and data)
                    matcher.value()
                    block = (matcher._ids, matcher._values)
                    cache.put(block_key, block)
                yield block
            elif values:
                matcher.id()
                matcher.value()
                yield matcher._ids, matcher._values
            else:
                matcher.id()  # loads the block's ids (and data)
                matcher.weight()
                yield matcher._ids, matcher._weights
            if wanted is not None:
                high = matcher.block_max_id()
                while k < len(wanted) and wanted[k] <= high:
                    k += 1
            if matcher._lastblock:
                break
            matcher._next_block()
        return
    ids, second = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        second.append(matcher.value() if values else matcher.weight())
        matcher.next()
    yield ids, second


_FIRST = itemgetter(0)


def _list_size(values: list[float]) -> int:
    """Bytes of a list of floats (the list and one float object an item)."""
    return 8 * len(values) + 24 * len(values) + 56


def _decoder(fmt: Positions) -> Any:
    """A fast `decode_positions` for `fmt`: one pickle load and a C-level running sum."""
    chars = isinstance(fmt, Characters)

    def decode(value: bytes) -> list[int]:
        if not value.endswith(b"."):
            value += b"."
        codes = loads(value[_UINT_SIZE:])
        return list(accumulate(map(_FIRST, codes) if chars else codes))

    return decode


__all__ = ["DEFAULT_BUDGET_MB", "PostingCache", "TermPostings"]
