"""Writing the index: what it holds about a document, a writer, and batches of commits.

Whoosh facts this relies on: one writer at a time (a second one gets a lock error at
once); a writer killed mid-commit leaves the index readable at its last commit, with the
lock free (tests/test_crash.py kills ingests at such moments).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from whoosh.reading import SegmentReader

from indexer.extract.base import Section
from indexer.fields import TAG_FIELDS
from indexer.prepare import PreparedText, join_sections, prepare_text, surface_words
from indexer.schema import CONTENT_LENGTH
from indexer.words import WordChanges, WordStore, visibility_key

if TYPE_CHECKING:
    from indexer.index import FullTextIndex

log = logging.getLogger(__name__)

# Whoosh's posting pool (its estimate of the postings' Python objects, close to what they
# really take). Past it the pool spills sorted runs to disk and merges them back at commit:
# pickling every posting twice, +120% on the commit (1,000 documents, limit 32 MB). A long
# writer should commit before that (`IndexWriter.nearly_full`).
WRITER_POOL_MB = 192
_NEARLY_FULL = 0.85
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

    def __init__(self, raw: Any, words: WordStore):
        self._raw = raw
        self._words = words
        self._word_changes: dict[str, tuple[str, frozenset[str]] | None] = {}

    def upsert(self, doc: IndexDocument) -> None:
        content, starts = join_sections(doc.sections)
        prepared = doc.prepared
        if prepared is None or prepared.text != content:
            prepared = prepare_text(content)
        tag_values = {name: ",".join(doc.tags.get(name, ())) for name in TAG_FIELDS}
        self._raw.update_document(
            id=doc.id,
            revision=doc.revision,
            title=doc.title,
            summary=doc.summary,
            authors="; ".join(doc.authors),
            content=prepared,
            _stored_content=content,
            sections=starts,
            tags=json.dumps({k: list(v) for k, v in doc.tags.items() if v}, ensure_ascii=False),
            territory_path=",".join(doc.territory_path),
            year=doc.year,
            date=doc.date,
            date_key=date_key(doc.date, doc.year),
            **_content_length(self._raw.schema, prepared),
            **{k: v for k, v in tag_values.items() if v},
        )
        words = prepared.words | surface_words(doc.title, doc.summary)
        visibility = visibility_key(doc.tags.get("visibility", ()))
        self._word_changes[doc.id] = (visibility, words)

    def delete(self, doc_id: str) -> None:
        self._raw.delete_by_term("id", doc_id)
        self._word_changes[doc_id] = None

    def commit(self, merge: bool = True, mergetype: Callable[[Any, list[Any]], list[Any]]
               | None = None) -> None:  # fmt: skip
        """Commit; `merge` False leaves the segments alone, `mergetype` is a Whoosh merge
        policy (given the raw writer and the segments, it returns those to keep)."""
        # The words first: if the Whoosh commit then fails, these documents are written
        # again by the next sync, and rewriting a document's words changes nothing.
        changes: WordChanges = self._word_changes
        self._words.apply(changes)
        self._raw.commit(merge=merge, mergetype=mergetype)

    def nearly_full(self) -> bool:
        """Whether the postings held for the next commit are close to the pool's limit:
        committing now is cheaper than letting the pool spill to disk."""
        pool = self._raw.pool
        return bool(pool.currentsize > _NEARLY_FULL * pool.limit)

    def cancel(self) -> None:
        """Drop everything written since the writer opened, and free the index lock."""
        self._raw.cancel()


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
        index: FullTextIndex,
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
        writer.commit(merge=merge)
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
    index: FullTextIndex,
    *,
    lock_wait: float = 0.0,
    progress: Callable[[int, int, str], None] | None = None,
) -> MergeReport:
    """Merge every segment of `index` into one, deleted documents left out.

    Searches go on meanwhile: a searcher keeps the files of its generation open (Whoosh
    deletes them from the directory only) until it moves to the new one, which
    `FullTextIndex` does at the first search after the commit. Holds the index's lock
    (IndexBusy if another writer keeps it past `lock_wait` seconds). Nothing is written
    when the index is already one segment without deleted documents. `progress` gets
    (documents merged, documents, "merge") after each segment read; the new segment is
    then written, which takes about as long again.

    The same documents match, but scores move a little (0.2% on tests/test_optimize.py's
    index): Whoosh sums a merged segment's field lengths from each document's length as
    stored, in one byte (lossy), so the average length BM25F divides by changes. Every
    merge does this, those of an ingest's commits too.
    """
    t0 = time.perf_counter()
    before = index.segments()
    if len(before) <= 1 and not any(deleted for _, deleted in before):
        return MergeReport(len(before), len(before), sum(n for n, _ in before), 0.0)
    writer = index.open_writer(lock_wait)
    merged = []

    def merge_all(raw: Any, segments: list[Any]) -> list[Any]:
        """Whoosh's OPTIMIZE policy, telling `progress` after each segment."""
        total = sum(seg.doc_count() for seg in segments)
        done = 0
        for seg in segments:
            reader = SegmentReader(raw.storage, raw.schema, seg)
            try:
                raw.add_reader(reader)
            finally:
                reader.close()
            done += seg.doc_count()
            merged.append(seg)
            if progress:
                progress(done, total, "merge")
        return []

    try:
        writer.commit(mergetype=merge_all)
    except BaseException:
        writer.cancel()
        raise
    after = index.segments()
    return MergeReport(len(merged), len(after), sum(n for n, _ in after),
                       time.perf_counter() - t0)  # fmt: skip


def batch_sizes(last: int, first: int = FIRST_BATCH) -> Iterator[int]:
    """first, 2*first, 4*first, ... then `last` for ever (never more than `last`)."""
    size = max(1, min(first, last))
    while size < last:
        yield size
        size *= 2
    while True:
        yield last


def _content_length(schema: Any, prepared: PreparedText) -> dict[str, int]:
    """The `content_length` field (the content's true number of indexed words), for an
    index whose schema has it (one built before it scores by Whoosh's lengths alone)."""
    if CONTENT_LENGTH not in schema:
        return {}
    return {CONTENT_LENGTH: sum(posting[1] for posting in prepared.postings)}


def date_key(date: str | None, year: int | None) -> int:
    """YYYYMMDD from an ISO date ("2008-06-15", "2008-06", "2008"), missing parts 0;
    the year alone when the date is unreadable; 0 when there is neither."""
    match = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", date or "")
    if match:
        y, m, d = (int(g) if g else 0 for g in match.groups())
        if 0 <= m <= 12 and 0 <= d <= 31:
            return y * 10000 + m * 100 + d
    return year * 10000 if year and 0 < year < 10000 else 0
