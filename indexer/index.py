"""The full-text index: the one narrow interface over the engine (tantivy).

Everything else in the project talks to `FullTextIndex` with plain values
(`IndexDocument`, `SearchRequest`, `SearchPage`); no engine object leaves `indexer/`: this
module opens, copies and swaps the index, and hands writing to `indexer.writing` and
searching to `indexer.searching`.

Engine facts this relies on (tests/indexer/test_engine.py pins them):
- one writer at a time, across processes: a second writer is refused at once (IndexBusy
  after our own wait);
- a commit replaces `meta.json` atomically; segment files are never changed once written,
  and a commit or merge deletes only the files no commit needs. A searcher keeps the files
  of the commit it opened mapped (a file deleted under it stays readable on Linux), so a
  search in one process never breaks on another's commit; `version()` tells when to open a
  new searcher;
- a writer killed before its commit leaves the index at its last commit (tests/e2e/test_crash.py).

How a search runs: `indexer.searching` (the query parsed, widened, compiled and run on
one view of the index, `indexer.view`), its hits built from the stored documents of the
page (`indexer.hits`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import tantivy

from indexer.errors import IndexBusy, SchemaOutdated
from indexer.messages import _
from indexer.requests import QUERY_TAG_FIELDS, SearchHit, SearchPage, SearchRequest
from indexer.schema import SCHEMA_VERSION, engine_schema
from indexer.searching import Searching
from indexer.snippets import Snippet
from indexer.view import View
from indexer.words import FILE_NAME as WORDS_FILE
from indexer.words import WordStore
from indexer.writing import (
    WRITER_HEAP_MB,
    BatchWriter,
    IndexDocument,
    IndexWriter,
    date_key,
    title_key,
)

log = logging.getLogger(__name__)

VERSION_FILE = "kb-index.json"
META_FILE = "meta.json"
# Kept for the settings and the command line (`kb serve --cache-mb`): the engine maps its
# files and keeps no cache of ours beyond a few small tables per commit.
DEFAULT_CACHE_MB = 64
_LOCK_RETRY_SECONDS = 0.05


class FullTextIndex:
    """The engine's index in one directory, with a stored schema version and the words
    store (`indexer.words`) beside it. Safe to share between threads."""

    def __init__(self, directory: Path, ix: tantivy.Index):
        self.directory = directory
        self._ix = ix
        self._schema = engine_schema()
        self._searching = Searching(self._schema)
        self._words = WordStore(directory / WORDS_FILE)
        self._view_: View | None = None
        self._opened_inode: int | None = None  # the directory `_ix` was opened on
        self._lock = threading.Lock()

    # --- opening ----------------------------------------------------------------------

    @classmethod
    def open(cls, directory: Path, *, create: bool = True) -> FullTextIndex:
        """Open the index; create it if absent and `create`; SchemaOutdated if built by
        another schema version (never wiped: `kb upgrade` rebuilds it)."""
        swapped = directory.with_name(directory.name + ".old")
        if not directory.exists() and (swapped / META_FILE).exists():
            # `replace` killed between its two renames: the previous index, complete, back
            # in place (the catalog's record of what is indexed still describes it).
            swapped.rename(directory)
        found = _read_version(directory / VERSION_FILE)
        if found is None and not (directory / META_FILE).exists():
            if not create:
                raise SchemaOutdated(_("{directory}: no index here; run `kb reindex`",
                                       directory=directory))
            return cls.create(directory)
        if found != SCHEMA_VERSION or not (directory / META_FILE).exists():
            raise SchemaOutdated(
                _("{directory}: index built by schema version {found}, this kb uses "
                  "{schema_version}; run `kb upgrade` to rebuild it from the catalog",
                  directory=directory, found=found, schema_version=SCHEMA_VERSION)
            )
        return cls(directory, tantivy.Index(engine_schema(), path=str(directory), reuse=True))

    @classmethod
    def create(cls, directory: Path) -> FullTextIndex:
        directory.mkdir(parents=True, exist_ok=True)
        ix = tantivy.Index(engine_schema(), path=str(directory), reuse=False)
        (directory / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
        return cls(directory, ix)

    @staticmethod
    def replace(old: Path, new: Path) -> None:
        """Swap a freshly built index directory into place of the old one. Killed between
        its two renames, it leaves no `old` but `old.old`: `open` puts that one back."""
        trash = old.with_name(old.name + ".old")
        shutil.rmtree(trash, ignore_errors=True)
        if old.exists():
            old.rename(trash)
        new.rename(old)
        shutil.rmtree(trash, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            if self._view_ is not None:
                self._view_.close()
                self._view_ = None
        self._words.close()

    def copy_commit(self, dest: Path, *, attempts: int = 50) -> int:
        """Copy the latest commit to the empty directory `dest`, while writers may run;
        returns its opstamp.

        A commit is `meta.json` (the segments it holds, each with its deletions) and the
        files of those segments, never changed once written; a later commit only adds
        files and deletes those no commit needs. So the files named by one `meta.json`,
        copied after it was read, are that commit exactly, unless a merge deleted one of
        them meanwhile: then start again from the newer commit. The words store (written
        before each commit, replayed harmlessly) is copied after, through SQLite's backup
        API.
        """
        dest.mkdir(parents=True, exist_ok=True)
        for _attempt in range(attempts):
            try:
                raw = (self.directory / META_FILE).read_bytes()
                meta = json.loads(raw)
            except (OSError, ValueError):  # replaced as we read it
                continue
            ids = {seg["segment_id"].replace("-", "") for seg in meta.get("segments", [])}
            names = [n for n in os.listdir(self.directory) if n.split(".", 1)[0] in ids]
            try:
                for name in names:
                    shutil.copyfile(self.directory / name, dest / name)
            except FileNotFoundError:
                for name in os.listdir(dest):
                    (dest / name).unlink()
                continue
            (dest / META_FILE).write_bytes(raw)
            shutil.copyfile(self.directory / VERSION_FILE, dest / VERSION_FILE)
            break
        else:
            raise IndexBusy(_("{directory}: the index changed too fast to be copied; try again",
                              directory=self.directory))
        self._words.copy_to(dest / WORDS_FILE)
        return int(meta.get("opstamp", 0))

    # --- writing ----------------------------------------------------------------------

    @contextmanager
    def writer(self, timeout: float = 0.0, *, merge: bool = True) -> Iterator[IndexWriter]:
        """One writer: commits on success, cancels and re-raises on error. (`merge` is
        the engine's business: it merges in the background.)"""
        wrapped = self.open_writer(timeout)
        try:
            yield wrapped
        except BaseException:
            wrapped.cancel()
            raise
        wrapped.commit()

    def open_writer(self, timeout: float = 0.0) -> IndexWriter:
        """A writer the caller must `commit` or `cancel` (prefer `writer()`); IndexBusy if
        another writer (in any process) holds the index past `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                raw = self._ix.writer(heap_size=WRITER_HEAP_MB * 1024 * 1024, num_threads=1)
                break
            except ValueError as exc:
                if "lock" not in str(exc).lower():
                    raise
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        _("{directory}: the index is being written by another process (an "
                          "ingest or reindex is running); try again when it ends",
                          directory=self.directory)
                    ) from exc
            time.sleep(_LOCK_RETRY_SECONDS)
        # A writer killed between a commit's files and meta.json left them, named after
        # the opstamp this writer's commit may reuse (FileAlreadyExists): the engine
        # deletes what no commit uses (tests/indexer/test_engine.py).
        raw.garbage_collect_files()
        return IndexWriter(raw, self._words, lambda: len(self.segments()))

    # --- reading ----------------------------------------------------------------------

    def generation(self) -> int:
        """The latest commit's opstamp: changes whenever any process commits."""
        try:
            return int(json.loads((self.directory / META_FILE).read_bytes()).get("opstamp", 0))
        except (OSError, ValueError):
            return -1

    def version(self) -> tuple[int, ...]:
        """What the index holds now: changes whenever any process commits (a commit
        writes a new `meta.json`) and when a reindex swaps a new directory in."""
        try:
            meta = (self.directory / META_FILE).stat()
            return self.directory.stat().st_ino, meta.st_ino, meta.st_mtime_ns, meta.st_size
        except OSError:  # between the two renames of a swap
            return (-1,)

    def _view(self) -> View:
        """The searcher on the latest commit, reused while the index does not change."""
        with self._lock:
            version = self.version()
            view = self._view_
            if view is None or version != view.version:
                if view is not None:
                    view.close()
                self._view_ = view = self._open_view(version)
            return view

    def _open_view(self, version: tuple[int, ...]) -> View:
        for attempt in range(20):
            try:
                if version[0] != self._opened_inode:  # a reindex swapped a new one in
                    self._ix = tantivy.Index(self._schema, path=str(self.directory), reuse=True)
                    self._opened_inode = version[0]
                self._ix.reload()
                searcher = self._ix.searcher()
                break
            except ValueError:  # a merge deleted a file of the commit we read: read again
                if attempt == 19:
                    raise
                time.sleep(0.01)
                version = self.version()
        words = WordStore(self.directory / WORDS_FILE)
        return View(searcher, version, words)

    def searcher(self) -> object:
        """Open (or reuse) the searcher on the latest commit: a warm-up for servers."""
        return self._view().searcher

    def segments(self) -> list[tuple[int, int]]:
        """(documents, deleted documents) of each segment of the latest commit."""
        try:
            meta = json.loads((self.directory / META_FILE).read_bytes())
        except (OSError, ValueError):
            return []
        out = []
        for seg in meta.get("segments", []):
            deleted = (seg.get("deletes") or {}).get("num_deleted_docs", 0)
            out.append((int(seg["max_doc"]) - int(deleted), int(deleted)))
        return out

    def doc_count(self) -> int:
        return int(self._view().searcher.num_docs)

    def revisions(self) -> dict[str, int]:
        """id -> revision of every indexed document (to reconcile with the catalog)."""
        searcher = self._view().searcher
        total = int(searcher.num_docs)
        if not total:
            return {}
        found = searcher.aggregate(tantivy.Query.all_query(), {
            "ids": {"terms": {"field": "id", "size": total + 1},
                    "aggs": {"revision": {"max": {"field": "revision"}}}},
        })  # fmt: skip
        return {b["key"]: int(b["revision"]["value"]) for b in found["ids"]["buckets"]}

    def search(self, request: SearchRequest) -> SearchPage:
        """Run a request: hits of one page, total, facets, suggestion, all within
        `request.visibilities`. InvalidQuery for an unknown sort or filter field."""
        return self._searching.search(self._view(), request)

    def similar(
        self,
        doc_id: str,
        *,
        visibilities: frozenset[str] | None = None,
        size: int = 10,
        snippets: int = 0,
        twins: tuple[tuple[str, ...], ...] = (),
    ) -> SearchPage:
        """Documents like `doc_id` (its most distinctive words), itself and its twins left
        out, one document of each other group of `twins` (as `SearchRequest.twins`).

        NotFound if the document is not indexed or not among `visibilities` (the same
        message: a hidden document's existence is not revealed).
        """
        return self._searching.similar(self._view(), doc_id, visibilities=visibilities,
                                       size=size, snippets=snippets, twins=twins)  # fmt: skip


def _read_version(version_file: Path) -> int | None:
    try:
        return int(json.loads(version_file.read_text())["schema_version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


__all__ = [
    "BatchWriter",
    "FullTextIndex",
    "IndexDocument",
    "IndexWriter",
    "QUERY_TAG_FIELDS",
    "SearchHit",
    "SearchPage",
    "SearchRequest",
    "Snippet",
    "date_key",
    "title_key",
]
