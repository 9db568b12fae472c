"""Writing the index: what it holds about a document, a writer, and batches of commits.

Engine facts this relies on (tests/indexer/test_engine.py pins them):
- one writer at a time: tantivy locks the directory, a second writer (in any process) is
  refused at once (we wait up to a timeout, then raise IndexBusy);
- a commit is atomic: readers see the previous commit or this one; a writer killed before
  its commit leaves the index at its last commit (tests/e2e/test_crash.py);
- segments are merged in the background after commits, by the engine's merge policy.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import tantivy

from indexer.extract.base import Section
from indexer.fields import TAG_FIELDS, TERRITORY_PATH
from indexer.prepare import PreparedText, analysed_terms, join_sections, prepare_text, surface_words
from indexer.schema import DATE_KEY, STORED_FIELDS, STORED_TEXT, TITLE_KEY
from indexer.text import fold
from indexer.words import WordChanges, WordStore, visibility_key

log = logging.getLogger(__name__)


class WritableIndex(Protocol):
    """What writing needs of an index (`indexer.index.FullTextIndex`), named here so that
    writing does not import the module that imports it."""

    def open_writer(self, timeout: float = 0.0) -> IndexWriter: ...

    def segments(self) -> list[tuple[int, int]]: ...

# Memory the engine's writer buffers before it writes a segment by itself (it also
# commits then: a long writer should commit before, `IndexWriter.nearly_full`).
WRITER_HEAP_MB = 192
# Texts added since the last commit before a writer is "nearly full": about what fits in
# the writer's heap at ~10 KB of postings per document.
_NEARLY_FULL_BYTES = 120 * 1024 * 1024
# From this many segments on, a commit waits for the merges it started: the engine's log
# merge policy merges segments of a similar size by eights, so their number stays small.
MERGE_AT_SEGMENTS = 8
# The first commit of a long run comes after this many documents, each next one after
# twice as many, up to the batch size: a run killed soon after its start has still made
# progress (the next run does not start again from the same point), for a few cheap commits.
FIRST_BATCH = 16


@dataclass(frozen=True)
class IndexDocument:
    """What the index holds about one document."""

    id: str
    revision: int
    title: str
    sections: tuple[Section, ...]
    tags: Mapping[str, tuple[str, ...]]  # effective controlled tags: field -> keys
    territory_path: tuple[str, ...] = ()  # territories and all their ancestors
    authors: tuple[str, ...] = ()
    summary: str = ""
    year: int | None = None
    date: str | None = None
    # The sections' text analysed ahead (in an extraction worker); None: analysed here.
    prepared: PreparedText | None = field(default=None, compare=False, repr=False)


class IndexWriter:
    """Adds, replaces and deletes documents inside one `FullTextIndex.writer()` block.

    Holds the index lock until `commit` or `cancel`; see `BatchWriter` for long runs.
    """

    def __init__(self, raw: tantivy.IndexWriter, words: WordStore,
                 segments: Callable[[], int] = lambda: 0):  # fmt: skip
        self._raw = raw
        self._segments = segments
        self._words = words
        self._word_changes: dict[str, tuple[str, frozenset[str]] | None] = {}
        self._pending_bytes = 0

    def upsert(self, doc: IndexDocument) -> None:
        content, starts = join_sections(doc.sections)
        prepared = doc.prepared
        if prepared is None or prepared.text != content:
            prepared = prepare_text(content)
        self._raw.delete_documents_by_term("id", doc.id)
        self._raw.add_document(_engine_document(doc, content, starts, prepared))
        self._pending_bytes += len(prepared.terms) + len(content)
        words = prepared.words | surface_words(doc.title, doc.summary)
        visibility = visibility_key(doc.tags.get("visibility", ()))
        self._word_changes[doc.id] = (visibility, words)

    def delete(self, doc_id: str) -> None:
        self._raw.delete_documents_by_term("id", doc_id)
        self._word_changes[doc_id] = None

    def commit(self) -> None:
        """Make everything written since the writer opened durable and visible."""
        # The words first: if the index commit then fails, these documents are written
        # again by the next sync, and rewriting a document's words changes nothing.
        changes: WordChanges = self._word_changes
        self._words.apply(changes)
        self._raw.commit()
        if self._segments() >= MERGE_AT_SEGMENTS:
            # The engine merges in its writer's threads, which end with the writer: a
            # short-lived writer (a curator's write, a batch) must wait for the merges its
            # commit started, or segments pile up (one per commit).
            self._raw.wait_merging_threads()
        self._release()

    def nearly_full(self) -> bool:
        """Whether the text held for the next commit is close to the writer's memory:
        committing now is cheaper than letting it write segments of its own."""
        return self._pending_bytes > _NEARLY_FULL_BYTES

    def finish_merges(self) -> None:
        """Commit, wait for the engine's merges to end and delete the files left unused;
        the writer is closed after."""
        self._words.apply(self._word_changes)
        self._raw.commit()
        self._raw.wait_merging_threads()  # consumes the writer
        self._release()

    def cancel(self) -> None:
        """Drop everything written since the last commit, and free the index lock."""
        try:
            self._raw.rollback()
        finally:
            self._release()

    def _release(self) -> None:
        """Drop the engine's writer: the engine frees its lock when its writer is dropped,
        not when it commits, and a caller may keep this object around (`with ... as w`)."""
        self.__dict__.pop("_raw", None)


def _engine_document(
    doc: IndexDocument, content: str, starts: list[tuple[int, int | None, str]],
    prepared: PreparedText,
) -> tantivy.Document:  # fmt: skip
    out = tantivy.Document()
    out.add_text("id", doc.id)
    out.add_unsigned("revision", doc.revision)
    out.add_text("title", analysed_terms(doc.title))
    out.add_text("summary", analysed_terms(doc.summary))
    out.add_text("authors", analysed_terms("; ".join(doc.authors)))
    out.add_text("content", prepared.terms)
    for name in TAG_FIELDS:
        for value in doc.tags.get(name, ()):
            out.add_text(name, value)
    for value in doc.territory_path:
        out.add_text(TERRITORY_PATH, value)
    if doc.year is not None:
        out.add_integer("year", doc.year)
    out.add_unsigned(DATE_KEY, date_key(doc.date, doc.year))
    out.add_text(TITLE_KEY, title_key(doc.title))
    shown = {
        "id": doc.id,
        "revision": doc.revision,
        "title": doc.title,
        "summary": doc.summary,
        "authors": "; ".join(doc.authors),
        "tags": {k: list(v) for k, v in doc.tags.items() if v},
        "year": doc.year,
        "date": doc.date,
        "sections": starts,
        "length": prepared.length,
    }
    out.add_bytes(STORED_FIELDS, json.dumps(shown, ensure_ascii=False).encode("utf-8"))
    out.add_bytes(STORED_TEXT, content.encode("utf-8"))
    return out


def title_key(title: str) -> str:
    """A title as sorted: accents and case folded, so that "Étude" sorts among the e."""
    return " ".join(fold(title).split())


class BatchWriter:
    """Writes documents to `index` in batches, each batch one commit.

    A writer opens at the first document (waiting `lock_wait` seconds for the index lock,
    then IndexBusy) and commits after `batch` documents (the first commits sooner:
    `batch_sizes`, so that a run killed early has made progress), after `seconds` open, or
    sooner when its posting pool is nearly full (committing then is cheaper than letting the
    pool spill to disk). `on_commit` gets the (id, revision) of the documents each commit made
    durable. Only the last commit, `finish()`, merges segments (if `merge`).

    A context manager: leaving the block normally finishes, an error cancels what was not
    committed yet.
    """

    def __init__(
        self,
        index: WritableIndex,
        *,
        batch: int,
        seconds: float,
        lock_wait: float = 0.0,
        merge: bool = False,
        on_commit: Callable[[list[tuple[str, int]]], None] | None = None,
    ):
        self._index = index
        self._sizes = batch_sizes(batch)
        self._size = next(self._sizes)
        self._seconds = seconds
        self._lock_wait = lock_wait
        self._merge = merge
        self._on_commit = on_commit
        self._writer: IndexWriter | None = None
        self._opened = 0.0
        self._pending: list[tuple[str, int]] = []

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None:
            self.finish()
        else:
            self.cancel()

    def upsert(self, doc: IndexDocument) -> None:
        self._open().upsert(doc)
        self._pending.append((doc.id, doc.revision))
        self.commit_if_due()

    def delete(self, doc_id: str, revision: int) -> None:
        """Remove `doc_id`; `revision` is what `on_commit` reports as indexed."""
        self._open().delete(doc_id)
        self._pending.append((doc_id, revision))
        self.commit_if_due()

    def seconds_left(self) -> float | None:
        """Seconds until the open writer is due to commit (None: no writer is open)."""
        if self._writer is None:
            return None
        return max(0.0, self._opened + self._seconds - time.monotonic())

    def commit_if_due(self) -> None:
        """Commit (without merging) if the batch is full, the pool nearly so, or time is up."""
        writer = self._writer
        if writer is not None and (
            len(self._pending) >= self._size or writer.nearly_full() or self.seconds_left() == 0
        ):
            self._commit(merge=False)

    def finish(self, *, merge: bool | None = None) -> None:
        """Commit what is left, merging segments if `merge` (None: as constructed)."""
        if self._writer is not None:
            self._commit(merge=self._merge if merge is None else merge)

    def cancel(self) -> None:
        """Drop what was not committed yet, and free the index lock."""
        writer, self._writer, self._pending = self._writer, None, []
        if writer is not None:
            writer.cancel()

    def _open(self) -> IndexWriter:
        if self._writer is None:
            self._writer = self._index.open_writer(self._lock_wait)
            self._opened = time.monotonic()
        return self._writer

    def _commit(self, *, merge: bool) -> None:
        # Forgotten first: a commit that fails is not cancelled again.
        writer, self._writer = self._writer, None
        done, self._pending = self._pending, []
        assert writer is not None
        t0 = time.perf_counter()
        writer.commit()
        log.debug("index commit: %d documents in %.1f s", len(done), time.perf_counter() - t0)
        self._size = next(self._sizes)
        if self._on_commit is not None:
            self._on_commit(done)


@dataclass(frozen=True)
class MergeReport:
    """What `optimize` did: segments of the index before and after, its documents."""

    segments_before: int
    segments_after: int
    documents: int
    seconds: float


def optimize(
    index: WritableIndex,
    *,
    lock_wait: float = 0.0,
    progress: Callable[[int, int, str], None] | None = None,
) -> MergeReport:
    """Let the engine finish merging the index's segments, and drop the files no commit
    needs any more.

    The engine merges segments in the background after commits (a log merge policy:
    segments of similar size are merged, so their number stays logarithmic in the
    documents); this waits for those merges and collects the files they left. Searches
    go on meanwhile. Holds the index's lock (IndexBusy past `lock_wait` seconds).
    """
    t0 = time.perf_counter()
    before = index.segments()
    writer = index.open_writer(lock_wait)
    try:
        if progress:
            progress(0, 1, "merge")
        writer.finish_merges()
        if progress:
            progress(1, 1, "merge")
    except BaseException:
        writer.cancel()
        raise
    after = index.segments()
    return MergeReport(len(before), len(after), sum(n for n, _ in after),
                       time.perf_counter() - t0)  # fmt: skip


def batch_sizes(last: int, first: int = FIRST_BATCH) -> Iterator[int]:
    """first, 2*first, 4*first, ... then `last` for ever (never more than `last`)."""
    size = max(1, min(first, last))
    while size < last:
        yield size
        size *= 2
    while True:
        yield last


def date_key(date: str | None, year: int | None) -> int:
    """YYYYMMDD from an ISO date ("2008-06-15", "2008-06", "2008"), missing parts 0;
    the year alone when the date is unreadable; 0 when there is neither."""
    match = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", date or "")
    if match:
        y, m, d = (int(g) if g else 0 for g in match.groups())
        if 0 <= m <= 12 and 0 <= d <= 31:
            return y * 10000 + m * 100 + d
    return year * 10000 if year and 0 < year < 10000 else 0
