"""Which documents hold each tag value, and drill-down facet counts over them.

A `TagTable` belongs to one searcher (one index generation): it reads the postings of a
keyword or numeric field once, on first use, and keeps value -> set of document numbers.
Filters, visibility and facet counts are then set operations, with no query to run:

- a filter on a field is the union of its values' sets (values OR-ed), filters on different
  fields are intersected (AND-ed);
- the counts of a facet are taken over the documents that match the query and every
  filter *except the facet's own* (standard drill-down: picking "Finistère" does not hide
  the other territories' counts).

Deleted documents are not in any set: Whoosh's postings skip them.

Facet counts take each value's documents as a bitmap (a Python int, bit d for document d,
built once per generation): a count is one AND and a popcount in C over a few kilobytes,
where intersecting sets looked up every document of every value (~5 ms a search at 10k).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections import deque
from collections.abc import Collection, Iterable, Mapping
from itertools import repeat

from whoosh.fields import NUMERIC
from whoosh.reading import IndexReader, TermNotFound

from indexer.errors import InvalidQuery
from indexer.lru import LruCache, MemoryBudget, deep_size, docset_size

log = logging.getLogger(__name__)

DocSet = frozenset[int]
MAX_ASKED_VALUES = 4096  # (field, value) sets kept per reader outside the loaded tables
DEFAULT_BUDGET_MB = 64  # a table made without a budget of its own (tests, tools)
# Fields with free text or positions: a filter needs a keyword, ID or numeric field.
_NOT_TAGS = frozenset({"title", "summary", "authors", "content", "spelling", "sections"})


class TagTable:
    """value -> documents, per field, for one reader; built lazily, thread-safe.

    The tables and sets it keeps are counted against `budget` (shared with the process's
    other caches; None: one of its own) and read again if the budget dropped them; the set
    of every document is kept outside it (about 60 bytes a document).
    """

    def __init__(self, reader: IndexReader, budget: MemoryBudget | None = None):
        self._reader = reader
        budget = budget if budget is not None else MemoryBudget.of_mb(DEFAULT_BUDGET_MB)
        self._fields: LruCache[str, dict[str, DocSet]] = LruCache(budget=budget,
                                                                   sizeof=_table_size)
        self._lock = threading.Lock()  # one table loaded at a time
        self._all: DocSet | None = None
        # (field, value) -> documents, for fields whose table is not loaded: visibility is
        # asked on every search, and reading its postings again cost ~15 ms at 10k.
        self._asked: LruCache[tuple[str, str], DocSet] = LruCache(
            MAX_ASKED_VALUES, budget=budget, sizeof=docset_size
        )
        # field -> value -> its documents as a bitmap (facet counts), within the budget.
        self._bits: LruCache[str, dict[str, int]] = LruCache(budget=budget, sizeof=deep_size)

    def close(self) -> None:
        """Give back what it holds to the budget (a newer index generation is open)."""
        self._fields.close()
        self._asked.close()
        self._bits.close()

    @property
    def doc_count(self) -> int:
        """Documents in the index, deleted ones left out."""
        return self._reader.doc_count()

    @property
    def all_docs(self) -> DocSet:
        """Every (non-deleted) document number."""
        if self._all is None:
            self._all = frozenset(self._reader.all_doc_ids())
        return self._all

    def values(self, field: str) -> Mapping[str, DocSet]:
        """Every value of `field` with the (non-deleted) documents holding it.

        Numeric values come back as decimal strings ("2008").
        """
        table = self._fields.get(field)
        if table is None:
            with self._lock:
                table = self._fields.peek(field)
                if table is None:
                    table = self._load(field)
                    self._fields.put(field, table)
        return table

    @property
    def size(self) -> int:
        """Document numbers run from 0 to size - 1 (deleted ones included)."""
        return int(self._reader.doc_count_all())

    def bitmaps(self, field: str) -> Mapping[str, int]:
        """`values(field)` as bitmaps (`bitmap`), in the same order; built once."""
        found = self._bits.get(field)
        if found is None:
            size = self.size
            found = {value: bitmap(docs, size) for value, docs in self.values(field).items()}
            self._bits.put(field, found)
        return found

    def _load(self, field: str) -> dict[str, DocSet]:
        reader = self._reader
        fieldobj = reader.schema[field]
        table: dict[str, DocSet] = {}
        for btext in fieldobj.sortable_terms(reader, field):
            docs = frozenset(reader.postings(field, btext).all_ids())
            if docs:
                value = fieldobj.from_bytes(btext)
                table[str(value)] = docs
        log.debug("tag table %s: %d values", field, len(table))
        return table

    def docs(self, field: str, values: Iterable[str]) -> DocSet:
        """Documents holding any of `values` in `field` (an unknown value holds none).

        From the field's table once it is loaded (facets load it); otherwise from the
        postings of these values only: a filter on `id` (a collection's documents) must
        not load one entry per document of the library.
        """
        fieldobj = self._reader.schema[field]
        if isinstance(fieldobj, NUMERIC):
            values = [_number(field, v) for v in values]
        table = self._fields.get(field)
        parts: list[DocSet] = []
        for value in values:
            if table is not None:
                parts.append(table.get(value, frozenset()))
                continue
            key = (field, value)
            docs = self._asked.get(key)
            if docs is None:
                btext = fieldobj.to_bytes(int(value) if isinstance(fieldobj, NUMERIC) else value)
                docs = frozenset()
                with contextlib.suppress(TermNotFound):  # a value no document has
                    docs = frozenset(self._reader.postings(field, btext).all_ids())
                self._asked.put(key, docs)
            parts.append(docs)
        if len(parts) == 1:
            return parts[0]
        return frozenset().union(*parts)

    def restrict(
        self,
        filters: Mapping[str, Collection[str]],
        visibilities: Collection[str] | None,
    ) -> tuple[dict[str, DocSet], DocSet | None]:
        """(documents allowed by each filter, documents the caller may see or None for all)."""
        schema = self._reader.schema
        for name in filters:
            if name not in schema or name in _NOT_TAGS:
                raise InvalidQuery(f"{name}: not a field to filter on")
        by_field = {name: self.docs(name, values) for name, values in filters.items() if values}
        visible = None if visibilities is None else self.docs("visibility", visibilities)
        return by_field, visible


def _table_size(table: dict[str, DocSet]) -> int:
    """Bytes of a field's table: its dict, values and sets of document numbers."""
    return sys.getsizeof(table) + sum(
        sys.getsizeof(value) + docset_size(docs) for value, docs in table.items()
    )


def _number(field: str, value: str) -> str:
    try:
        return str(int(value))
    except ValueError as exc:
        raise InvalidQuery(f"{field}: {value!r} is not a number") from exc


_AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def bitmap(docs: Iterable[int], size: int) -> int:
    """`docs` (document numbers below `size`) as an int whose bit d is set for document d.

    A byte per document set in one pass, then read as a binary number (C speed both)."""
    if size <= 0:
        return 0
    flags = bytearray(size)
    deque(map(flags.__setitem__, docs, repeat(1)), maxlen=0)
    return int(flags.translate(_AS_DIGITS)[::-1], 2)


def intersect(base: DocSet | None, others: Iterable[DocSet]) -> DocSet | None:
    """The intersection of `base` (None: every document) with each of `others`."""
    result = base
    for docs in sorted(others, key=len):  # smallest first: the rest shrinks fastest
        result = docs if result is None else result & docs
    return result


def facet_counts(
    table: TagTable,
    matching: DocSet,
    filters: Mapping[str, DocSet],
    facets: Mapping[str, str],
    selected: Mapping[str, Collection[str]],
) -> dict[str, dict[str, int]]:
    """Counts per facet value over `matching`, each facet ignoring its own field's filter.

    `matching`: documents that match the query and may be seen; `filters`: index field ->
    documents allowed by its filter; `facets`: facet name -> index field. Values with no
    document are left out, except the selected ones (shown with 0, so that a filter the
    query emptied is still visible). Years newest first; other values by count, then key.
    """
    out: dict[str, dict[str, int]] = {}
    size = table.size
    matched = bitmap(matching, size)
    allowed = {f: bitmap(docs, size) for f, docs in filters.items()}
    for name, field in facets.items():
        pool = matched
        for f, bits in allowed.items():
            if f != field:
                pool &= bits
        counts: dict[str, int] = {}
        if pool:
            for value, bits in table.bitmaps(field).items():
                n = (bits & pool).bit_count()
                if n:
                    counts[value] = n
        for value in selected.get(field, ()):
            counts.setdefault(value, 0)
        if field == "year":
            ordered = sorted(counts.items(), key=lambda kv: -int(kv[0]))
        else:
            ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        out[name] = dict(ordered)
    return out


__all__ = ["DocSet", "TagTable", "bitmap", "facet_counts", "intersect"]
