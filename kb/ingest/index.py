"""The index: documents just stored, written by the engine's one background writer.

The ingesting process hands each stored document, already analysed by its worker, to an
`IndexFeed` (`kb.index_feed`: a thread writing through the engine's `BatchWriter`,
committing every `batch` documents or `seconds`), and records in the catalog what each
commit made searchable. The catalog is always written first: a run killed before a commit
leaves documents the catalog knows the index lacks, which the next `Library.sync_index`
writes (`catch_up`, at the start and the end of every run).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kb.extraction import ExtractOutcome
from kb.index_feed import IndexFeed
from kb.library import Library


@contextmanager
def indexing(library: Library, *, batch: int, seconds: float) -> Iterator[Indexing]:
    """The run's index writer; call `finish()` for the last commit (leaving the block
    without it cancels what was not committed)."""
    with IndexFeed(library.index, batch=batch, seconds=seconds) as feed:
        yield Indexing(library, feed)


class Indexing:
    """Stored documents to the index feed, and what its commits made searchable to the
    catalog."""

    def __init__(self, library: Library, feed: IndexFeed):
        self._library = library
        self._feed = feed

    @property
    def busy_seconds(self) -> float:
        """Time the writer spent adding documents and committing."""
        return self._feed.busy_seconds

    def put(self, doc_id: str | None, outcome: ExtractOutcome) -> None:
        """Queue the stored document (its sections and analysed text as extracted)."""
        library = self._library
        row = library.catalog.document(doc_id) if doc_id is not None else None
        if row is not None and outcome.document is not None:
            doc = library.index_document(
                row, sections=outcome.document.sections, prepared=outcome.prepared
            )
            self._feed.put(doc)
        self._mark_indexed()

    def finish(self, *, merge: bool) -> None:
        """The last commit (merging the index's segments if `merge`)."""
        self._feed.finish(merge=merge)
        self._mark_indexed()

    def _mark_indexed(self) -> None:
        committed = self._feed.committed()
        if committed:
            with self._library.catalog.transaction():
                self._library.catalog.mark_indexed(committed)


def catch_up(library: Library, *, merge: bool = True) -> None:
    """Bring the index up to the catalog (what a killed run left, what this one did not
    index itself: documents hidden, tags changed)."""
    library.sync_index(merge=merge)
