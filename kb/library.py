"""A library: one directory holding the catalog and the full-text index derived from it."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from indexer.index import DEFAULT_CACHE_MB, FullTextIndex
from indexer.lru import MemoryBudget
from indexer.messages import _
from indexer.writing import MergeReport, optimize
from kb.access import Access
from kb.actors import Actor
from kb.audit import AuditTrail
from kb.catalog import Catalog, DocumentRow
from kb.collections import Collections
from kb.documents import Documents, DocumentView
from kb.errors import (
    IndexBusy,
    NotFound,
    ReadOnlyLibrary,
    SchemaOutdated,
    StorageError,
    writable,
)
from kb.failures import Failures
from kb.prune import prune
from kb.readonly import open_index_read_only
from kb.search import ResultHit, Searches, SearchResults
from kb.sync import COMMIT_SECONDS, INDEX_BATCH, INDEX_DIR, IndexSync, Progress
from kb.tags import Tag, effective
from kb.vocabulary import Vocabulary

__all__ = [
    "COMMIT_SECONDS", "INDEX_BATCH", "INDEX_DIR", "DocumentView", "Library", "Progress",
    "ResultHit", "SearchResults",
]

log = logging.getLogger(__name__)

CATALOG_FILE = "catalog.sqlite"
LOCK_FILE = "write.lock"


class Library:
    """Opened with `Library.open(path, vocabulary)`; close it (or use `with`).

    Composed of its services: `documents` (reading a document, `kb.documents`),
    `collections` (reading collections, `kb.collections`), `audit` (reading the audit trail,
    `kb.audit`), `access` (tokens and web sessions, `kb.access`), `failures` (the files that
    could not be read, `kb.failures`), `searches` (`kb.search`) and `syncing` (writing the
    index from the catalog, `kb.sync`). The command line, the API and the pages call these,
    never the catalog. The everyday methods of searches and syncing are the library's own
    (`search`, `similar`, `sync_index`, ...). Here: opening, the index, the write lock,
    statistics.

    `cache_mb`: the memory its caches for searches keep at most, together (the index's
    postings, tag tables and sort keys, and the answers of recent searches).

    `read_only` (asked for, or found: a folder kb may not write): nothing is written into
    the library, not even at opening; `write_lock()` and catalog transactions raise
    ReadOnlyLibrary.
    """

    def __init__(
        self,
        root: Path,
        catalog: Catalog,
        vocabulary: Vocabulary,
        *,
        cache_mb: float = DEFAULT_CACHE_MB,
    ):
        self.root = root
        self.catalog = catalog
        self.vocabulary = vocabulary
        self.documents = Documents(catalog)
        self.collections = Collections(catalog, self.documents)
        self.audit = AuditTrail(catalog)
        self.access = Access(catalog)
        self.failures = Failures(catalog)
        self.budget = MemoryBudget.of_mb(cache_mb)
        self.read_only = catalog.read_only
        self._index: FullTextIndex | None = None
        self._shadow: Path | None = None
        # Set by a server whose background thread writes the index (`kb.catchup`): writes
        # wake it instead of writing the index themselves.
        self.index_follower: Callable[[], None] | None = None
        self.searches = Searches(catalog, vocabulary, self.documents, lambda: self.index,
                                 self.budget)
        self.syncing = IndexSync(root, catalog, vocabulary, lambda: self.index,
                                 self._close_index)
        # The services' everyday methods, on the library for its callers.
        self.search = self.searches.search
        self.similar = self.searches.similar
        self.twins_seen_by = self.searches.twins_seen_by
        self.resolve_filters = self.searches.resolve_filters
        self.index_document = self.syncing.index_document
        self.sync_index = self.syncing.sync_index
        self.reindex = self.syncing.reindex

    @classmethod
    def open(
        cls,
        root: Path,
        vocabulary: Path | Vocabulary,
        *,
        create: bool = True,
        cache_mb: float = DEFAULT_CACHE_MB,
        read_only: bool = False,
    ) -> Library:
        """The library at `root`; NotFound if there is none and not `create`. Opened
        read-only when `read_only` (commands that only read) or when kb may not write the
        folder (a read-only medium or share)."""
        root = Path(root)
        if not (root / CATALOG_FILE).exists():
            if not create:
                raise NotFound(
                    _("{root}: no library here; run `kb ingest FOLDER` to create one (or pass "
                      "--library / set KB_LIBRARY)", root=root)
                )
            root.mkdir(parents=True, exist_ok=True)
        vocab = vocabulary if isinstance(vocabulary, Vocabulary) else Vocabulary.load(vocabulary)
        read_only = read_only or not writable(root)
        catalog = Catalog.open(root / CATALOG_FILE, read_only=read_only)
        return cls(root, catalog, vocab, cache_mb=cache_mb)

    def close(self) -> None:
        try:
            self._close_index()
            self.catalog.close()
        finally:
            if self._shadow is not None:
                shutil.rmtree(self._shadow, ignore_errors=True)

    def _close_index(self) -> None:
        """Close the index if open (`reindex` swaps a new one in; the next use opens it)."""
        if self._index is not None:
            self._index.close()
            self._index = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def index(self) -> FullTextIndex:
        """The full-text index; SchemaOutdated with "run `kb reindex`" if it is stale."""
        if self._index is None:
            if self.read_only:
                self._index = self._open_index_read_only()
            else:
                self._index = FullTextIndex.open(self.root / INDEX_DIR)
        return self._index

    def open_searcher(self) -> None:
        """Open the index and its searcher now (creating an empty index in a new library),
        so that the first search does not pay for it; SchemaOutdated when the index must be
        rebuilt. What a server does before it answers, and what /health tries."""
        self.index.searcher()

    def index_segments(self) -> list[tuple[int, int]]:
        """(documents, deleted documents) of each segment of the index's latest commit."""
        return self.index.segments()

    def _open_index_read_only(self) -> FullTextIndex:
        """The index, opened without writing into the library (`kb.readonly`)."""
        index, self._shadow = open_index_read_only(self.root / INDEX_DIR)
        return index

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writing command (ingest, reindex, prune) at a time; released even on kill -9.
        ReadOnlyLibrary for a library opened read-only."""
        if self.read_only:
            raise self.catalog.refusal or ReadOnlyLibrary.at(self.root)
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK_FILE, "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise IndexBusy(
                    _("{root}: another kb command is writing to this library (ingest, watch, "
                      "reindex, optimize or prune); try again when it ends", root=self.root)
                ) from exc
            handle.write(str(os.getpid()))
            handle.flush()
            yield

    # --- reading ----------------------------------------------------------------------

    def resolve_id(self, doc_id: str) -> DocumentRow:
        """A document by id or unambiguous id prefix; NotFound otherwise."""
        return self.documents.resolve(doc_id)

    def show(self, doc_id: str) -> DocumentView:
        return self.documents.show(doc_id)

    def last_ingest(self) -> dict[str, Any] | None:
        """The last ingest run's summary (None before the first)."""
        return self.catalog.last_run()

    def refuse_writes(self, reason: StorageError) -> None:
        """Serve read-only and answer every write with `reason` (a full disk at start)."""
        self.catalog.refusal = reason

    def index_lag(self) -> int:
        """How many changes of the catalog the index does not hold yet (0: up to date).

        A reader finding some answers from what is indexed (and says so); the next write,
        ingest or `kb serve` catches the index up.
        """
        return self.catalog.out_of_index_count()

    def optimize(self, progress: Progress | None = None) -> MergeReport:
        """Merge the index into one segment while searches go on (`indexer.writing.optimize`);
        the caller holds `write_lock()`. Waits up to 30 s for an index lock held elsewhere."""
        return optimize(self.index, lock_wait=30.0, progress=progress)

    def prune(self, *, actor: Actor | None = None) -> list[str]:
        """Delete the documents whose files are all gone (`kb.prune.prune`); their ids."""
        return prune(self.catalog, self.index, actor=actor)

    def stats(self) -> dict[str, Any]:
        c = self.catalog
        try:
            indexed: int | str = self.index.doc_count()
        except SchemaOutdated as exc:
            indexed = str(exc)
        totals = c.totals()
        return {
            "library": str(self.root),
            "documents": totals["documents"],
            "missing": totals["missing"],
            "indexed": indexed,
            "out_of_index": self.index_lag(),
            "paths": totals["paths"],
            "pages": totals["pages"],
            "failures": self.failures.count(),
            "media_types": dict(c.media_type_counts()),
            "tags": _tag_summary(c.active_tags()),
            "last_ingest": c.last_run(),
        }

def _tag_summary(tags_by_document: Mapping[str, list[Tag]]) -> dict[str, dict[str, int]]:
    """Documents per effective tag value, most frequent first."""
    counts: dict[str, dict[str, int]] = {}
    for tags in tags_by_document.values():
        for name, values in effective(tags).items():
            if name in ("title", "summary", "date", "authors", "publisher"):
                continue
            for value in values:
                counts.setdefault(name, {})
                counts[name][value] = counts[name].get(value, 0) + 1
    return {
        name: dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))
        for name, values in sorted(counts.items())
    }
