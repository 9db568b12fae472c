"""Least-recently-used caches (thread-safe), alone or sharing one memory budget in bytes.

A `LruCache` alone keeps at most `capacity` items. Caches given one `MemoryBudget` also
keep, together, at most its number of bytes (each entry counted by the cache's `sizeof`):
a `put` that passes it drops the least recently used entries of any of them, so what a
search process keeps for repeated searches (their answers) is bounded by one setting
(`kb serve --cache-mb`), whatever the size of the library.

Sizes are estimates of what the values hold (`deep_size`: `sys.getsizeof` of the
containers and of what they contain, or a caller's cheaper formula, such as
`kb.search.answer_bytes`): they err high rather than low.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import fields, is_dataclass
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

MB = 2**20
# What a Python int held in a set or list takes beside its slot (an int object: 28 bytes,
# more past 2**30), for the sets of document numbers.
INT_BYTES = 32
FLOAT_BYTES = 24  # a float object


class MemoryBudget:
    """Bytes that the caches sharing it may hold together; thread-safe.

    Entries are ordered by last use across all the caches: the least recent entry of any
    of them goes first. An entry larger than the whole budget is not kept at all.
    """

    def __init__(self, max_bytes: int):
        if max_bytes < 0:
            raise ValueError(f"a memory budget cannot be negative: {max_bytes}")
        self.max_bytes = max_bytes
        # One lock for every cache of the budget: an eviction reaches into any of them.
        self.lock = threading.RLock()
        self._order: OrderedDict[tuple[LruCache[Any, Any], Any], int] = OrderedDict()
        self._held = 0

    @classmethod
    def of_mb(cls, mb: float) -> MemoryBudget:
        return cls(int(mb * MB))

    @property
    def held(self) -> int:
        """Bytes held now by the caches sharing the budget (at most `max_bytes`)."""
        return self._held

    def __len__(self) -> int:
        return len(self._order)

    # --- for LruCache, under self.lock --------------------------------------------------

    def _touch(self, cache: LruCache[Any, Any], key: Any) -> None:
        self._order.move_to_end((cache, key))

    def _set(self, cache: LruCache[Any, Any], key: Any, size: int) -> None:
        slot = (cache, key)
        self._held += size - self._order.get(slot, 0)
        self._order[slot] = size
        self._order.move_to_end(slot)
        while self._held > self.max_bytes and self._order:
            (owner, old), old_size = self._order.popitem(last=False)
            self._held -= old_size
            owner._forget(old)

    def _remove(self, cache: LruCache[Any, Any], key: Any) -> None:
        self._held -= self._order.pop((cache, key), 0)


class LruCache(Generic[K, V]):
    """At most `capacity` items (None: no count limit), and, with a `budget`, no more
    bytes than the budget allows across its caches. A `get` or a `put` makes an item the
    most recent. `None` is not a storable value.

    `sizeof(value)` gives an entry's bytes (default: `deep_size`); `close()` empties the
    cache and makes later `put`s do nothing (a searcher's caches once a newer one is open,
    while a search may still be running on the old one).
    """

    def __init__(
        self,
        capacity: int | None = None,
        *,
        budget: MemoryBudget | None = None,
        sizeof: Callable[[V], int] | None = None,
    ):
        self.capacity = capacity
        self.budget = budget
        self._sizeof = sizeof or deep_size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = budget.lock if budget is not None else threading.RLock()
        self._closed = False

    @property
    def lock(self) -> threading.RLock:
        """The lock guarding this cache (and its budget's other caches)."""
        return self._lock

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
                if self.budget is not None:
                    self.budget._touch(self, key)
            return value

    def peek(self, key: K) -> V | None:
        """The value under `key`, without making it more recent."""
        return self._items.get(key)

    def put(self, key: K, value: V, size: int | None = None) -> None:
        """Keep `value` under `key` (`size`: its bytes, else `sizeof(value)`)."""
        if self.budget is not None and size is None:
            size = self._sizeof(value)
        with self._lock:
            if self._closed:
                return
            if self.budget is not None and size is not None and size > self.budget.max_bytes:
                self.discard(key)  # it alone would pass the budget
                return
            self._items[key] = value
            self._items.move_to_end(key)
            if self.budget is not None:
                self.budget._set(self, key, size or 0)
            while self.capacity is not None and len(self._items) > self.capacity:
                old, _ = self._items.popitem(last=False)
                if self.budget is not None:
                    self.budget._remove(self, old)

    def resize(self, key: K, value: V, size: int) -> bool:
        """Count `size` bytes for `key` if it still holds `value` (grown in place) and
        `size` fits in the budget; False, nothing changed, otherwise."""
        with self._lock:
            if self._items.get(key) is not value:
                return False
            if self.budget is not None:
                if size > self.budget.max_bytes:
                    return False
                self.budget._set(self, key, size)
            return True

    def discard(self, key: K) -> None:
        with self._lock:
            if self._items.pop(key, None) is not None and self.budget is not None:
                self.budget._remove(self, key)

    def clear(self) -> None:
        with self._lock:
            if self.budget is not None:
                for key in self._items:
                    self.budget._remove(self, key)
            self._items.clear()

    def close(self) -> None:
        """Empty the cache for good: later `put`s keep nothing."""
        with self._lock:
            self._closed = True
            self.clear()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def _forget(self, key: Any) -> None:
        """Drop `key` (the budget evicted it), under the budget's lock."""
        self._items.pop(key, None)


def docset_size(docs: frozenset[int] | set[int]) -> int:
    """Bytes of a set of document numbers, its ints included."""
    return sys.getsizeof(docs) + INT_BYTES * len(docs)


def scores_size(scores: dict[int, float]) -> int:
    """Bytes of a dict of document number -> score, its ints and floats included."""
    return sys.getsizeof(scores) + (INT_BYTES + FLOAT_BYTES) * len(scores)


def deep_size(value: Any, _seen: set[int] | None = None) -> int:
    """Bytes of `value` and of what it holds: containers, strings, numbers, dataclasses
    and their attributes' dicts (an estimate: objects reached twice are counted once)."""
    seen = set() if _seen is None else _seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, str | bytes | int | float | bool) or value is None:
        return size
    if isinstance(value, dict):
        return size + sum(deep_size(k, seen) + deep_size(v, seen) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return size + sum(deep_size(v, seen) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        held = getattr(value, "__dict__", None)  # none with slots
        size += sys.getsizeof(held) if held is not None else 0
        return size + sum(deep_size(getattr(value, f.name), seen) for f in fields(value))
    return size


__all__ = ["MB", "LruCache", "MemoryBudget", "deep_size", "docset_size"]
