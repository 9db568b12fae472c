"""A searcher on one commit of the index, and the small tables derived from it.

A `View` lives as long as its commit is the latest (`FullTextIndex` opens a new one when
any process commits): what it caches (counts, word frequencies) is true of that commit.
"""

from __future__ import annotations

from typing import Any

import tantivy

from indexer.facets import restricted
from indexer.lru import LruCache
from indexer.similar import FREQUENCIES_KEPT, Frequencies
from indexer.words import WordStore

COUNTS_KEPT = 4096


class View:
    """The engine's searcher on one commit, its words store, and what was counted on it."""

    def __init__(self, searcher: tantivy.Searcher, version: tuple[int, ...], words: WordStore):
        self.searcher = searcher
        self.version = version
        # Opened with the searcher: a reindex swaps the whole directory, words included.
        self.words = words
        self.counts: LruCache[tuple[Any, ...], int] = LruCache(COUNTS_KEPT)
        self.frequencies: Frequencies = LruCache(FREQUENCIES_KEPT)

    def count(self, query: tantivy.Query, visible: tantivy.Query | None) -> int:
        """Documents `query` matches within `visible` (None: all), kept per view (the
        engine refuses limit=0: one hit is asked for, and the count read)."""
        key = (repr(query), repr(visible))
        found = self.counts.get(key)
        if found is None:
            found = count_of(self.searcher.search(
                restricted(query, [visible] if visible else []), limit=1, count=True))
            self.counts.put(key, found)
        return found

    def close(self) -> None:
        self.words.close()


def count_of(result: tantivy.SearchResult) -> int:
    """The total a search counted (`count=True`)."""
    return int(getattr(result, "count", 0) or 0)


__all__ = ["View", "count_of"]
