"""Writing the index in a background thread while the extraction workers go on.

Ingest used to stop every 1,000 documents to write and commit the index in its own
process, and the extraction workers waited meanwhile (benchmarks/README.md: indexing was
547 of 665 s at 10,000 documents, with almost no overlap). Now the ingesting process
stores each file in the catalog and hands its `IndexDocument`, already analysed by a
worker, to an `IndexFeed`: a thread that adds it to an open writer and commits every
`batch` documents (the first commits sooner: `batch_sizes`) or `seconds`, or sooner when
the writer's memory for postings is nearly full. The main thread owns the catalog and
records what each commit made searchable (`catalog.mark_indexed`) from `committed()`.

Nothing is lost if the run dies: the catalog's revisions say what the index lacks, and the
next `Library.sync_index` writes it.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from types import TracebackType

from indexer.index import FullTextIndex, IndexDocument, IndexWriter

log = logging.getLogger(__name__)

_STOP = object()
_LOCK_WAIT = 30.0  # seconds a commit waits for the index lock (a reindex, say)
# The first commit of a run comes after this many documents, each next one after twice as
# many, up to the batch size: a run killed soon after its start has still made progress
# (the next run does not start again from the same point), for a few cheap extra commits.
FIRST_BATCH = 16


def batch_sizes(last: int, first: int = FIRST_BATCH) -> Iterator[int]:
    """first, 2*first, 4*first, ... then `last` for ever (never more than `last`)."""
    size = max(1, min(first, last))
    while size < last:
        yield size
        size *= 2
    while True:
        yield last


class IndexFeed:
    """A thread writing the documents it is given to `index`, committing as it goes.

    Use as a context manager; call `finish()` for the last commit. Leaving the block
    without `finish()` (an error, Ctrl-C) cancels what was not committed yet.
    """

    def __init__(
        self,
        index: FullTextIndex,
        *,
        batch: int,
        seconds: float,
        queue_size: int = 64,
        lock_wait: float = _LOCK_WAIT,
    ):
        self._index = index
        self._lock_wait = lock_wait
        self._batches = batch_sizes(batch)
        self._batch = next(self._batches)
        self._seconds = seconds
        # Bounded: if indexing falls behind, the ingest waits instead of holding every
        # analysed document in memory.
        self._queue: queue.Queue[object] = queue.Queue(maxsize=queue_size)
        self._committed: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self._cancelled = threading.Event()
        self._merge_at_end = True
        self._thread = threading.Thread(target=self._run, name="index-feed", daemon=True)
        self.busy_seconds = 0.0  # in the writer: adding documents and committing

    def __enter__(self) -> IndexFeed:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._thread.is_alive():
            self._abort()

    def put(self, doc: IndexDocument) -> None:
        """Queue `doc` for indexing; raises what stopped the thread, if it stopped."""
        self._raise_error()
        self._queue.put(doc)

    def committed(self) -> list[tuple[str, int]]:
        """(id, revision) of the documents committed since the last call."""
        with self._lock:
            done, self._committed = self._committed, []
        return done

    def finish(self, *, merge: bool = True) -> None:
        """Commit what is left (merging segments if `merge`) and stop the thread."""
        self._merge_at_end = merge
        self._queue.put(_STOP)
        self._thread.join()
        self._raise_error()

    # --- the thread ---------------------------------------------------------------------

    def _run(self) -> None:
        writer: IndexWriter | None = None
        opened = 0.0
        try:
            while True:
                left = opened + self._seconds - time.monotonic()
                wait = None if writer is None else max(0.0, left)
                try:
                    item = self._queue.get(timeout=wait)
                except queue.Empty:
                    item = None  # nothing came for `seconds`: commit what is there
                if item is _STOP:
                    if writer is not None and self._cancelled.is_set():
                        writer.cancel()
                    elif writer is not None:
                        self._commit(writer, merge=self._merge_at_end)
                    return
                if isinstance(item, IndexDocument):
                    t0 = time.perf_counter()
                    if writer is None:
                        writer, opened = self._index.open_writer(self._lock_wait), time.monotonic()
                    writer.upsert(item)
                    self.busy_seconds += time.perf_counter() - t0
                full = writer is not None and (
                    len(writer.written) >= self._batch or writer.nearly_full()
                )
                if writer is not None and (full or time.monotonic() - opened >= self._seconds):
                    self._commit(writer, merge=False)
                    writer = None
        except BaseException as exc:  # handed to the main thread by put() / finish()
            self._error = exc
            if writer is not None:
                writer.cancel()
            self._drain()

    def _commit(self, writer: IndexWriter, *, merge: bool) -> None:
        t0 = time.perf_counter()
        writer.commit(merge=merge)
        self.busy_seconds += time.perf_counter() - t0
        self._batch = next(self._batches)
        with self._lock:
            self._committed.extend(writer.written)
        log.debug("index commit: %d documents in %.1f s", len(writer.written),
                  time.perf_counter() - t0)

    def _drain(self) -> None:
        """After an error, take (and drop) what is queued until told to stop, so that
        `put` never blocks on a thread that no longer reads."""
        while self._queue.get() is not _STOP:
            pass

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def _abort(self) -> None:
        self._cancelled.set()
        # Empty the queue so the stop mark fits, then wait for the thread to cancel.
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(_STOP)
        self._thread.join()
