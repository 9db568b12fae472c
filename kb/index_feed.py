"""Writing the index in a background thread while the extraction workers go on.

Ingest used to stop every 1,000 documents to write and commit the index in its own
process, and the extraction workers waited meanwhile (benchmarks/README.md: indexing was
547 of 665 s at 10,000 documents, with almost no overlap). Now the ingesting process
stores each file in the catalog and hands its `IndexDocument`, already analysed by a
worker, to an `IndexFeed`: a thread that writes it through a `BatchWriter`, which commits
every `batch` documents (the first commits sooner: `batch_sizes`) or `seconds`, or sooner
when the writer's memory for postings is nearly full. The main thread owns the catalog and
records what each commit made searchable (`catalog.mark_indexed`) from `committed()`.

Nothing is lost if the run dies: the catalog's revisions say what the index lacks, and the
next `Library.sync_index` writes it.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from types import TracebackType

from indexer.index import BatchWriter, FullTextIndex, IndexDocument
from indexer.writing import FIRST_BATCH, batch_sizes

__all__ = ["FIRST_BATCH", "IndexFeed", "batch_sizes"]

log = logging.getLogger(__name__)

_STOP = object()
_LOCK_WAIT = 30.0  # seconds a commit waits for the index lock (a reindex, say)


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
        self._writer = BatchWriter(
            index, batch=batch, seconds=seconds, lock_wait=lock_wait, on_commit=self._done
        )
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
        writer = self._writer
        item: object = None
        try:
            while True:
                try:
                    item = self._queue.get(timeout=writer.seconds_left())
                except queue.Empty:
                    item = None  # nothing came for `seconds`: commit what is there
                t0 = time.perf_counter()
                if item is _STOP:
                    if self._cancelled.is_set():
                        writer.cancel()
                    else:
                        writer.finish(merge=self._merge_at_end)
                    self.busy_seconds += time.perf_counter() - t0
                    return
                if isinstance(item, IndexDocument):
                    writer.upsert(item)
                else:
                    writer.commit_if_due()
                self.busy_seconds += time.perf_counter() - t0
        except BaseException as exc:  # handed to the main thread by put() / finish()
            self._error = exc
            try:
                writer.cancel()
            except Exception:  # a full disk may refuse the cancel too: the first error tells
                log.debug("cancelling the index writer failed too", exc_info=True)
            if item is not _STOP:  # the stop mark, taken already, will not come again
                self._drain()

    def _done(self, written: list[tuple[str, int]]) -> None:
        with self._lock:
            self._committed.extend(written)

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
