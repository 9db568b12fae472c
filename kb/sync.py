"""From catalog to index: what the index holds about a document, catching the index up with
the catalog (`sync_index`) and rebuilding it (`reindex`).

`IndexSync` is the service `Library` composes for it (`Library.syncing`; `sync_index`,
`index_document` and `reindex` stay on the library for its callers).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from indexer.extract.base import Section
from indexer.index import BatchWriter, FullTextIndex, IndexDocument
from indexer.prepare import PreparedText
from kb import audit
from kb.actors import Actor
from kb.catalog import Catalog, DocumentRow
from kb.reindex import document_for_index, rebuild
from kb.vocabulary import Vocabulary

INDEX_DIR = "index"
INDEX_BATCH = 1000  # documents per index commit: each commit costs, merging most
COMMIT_SECONDS = 30.0  # and at least this often, whatever the count

Progress = Callable[[int, int, str], None]  # (done, total, current item)


class IndexSync:
    """Writing one library's index from its catalog. `index` gives the library's index
    (opened on first use); `close_index` closes it before `reindex` swaps in a new one."""

    def __init__(
        self,
        root: Path,
        catalog: Catalog,
        vocabulary: Vocabulary,
        index: Callable[[], FullTextIndex],
        close_index: Callable[[], None],
    ):
        self.root = root
        self.catalog = catalog
        self.vocabulary = vocabulary
        self._index = index
        self._close_index = close_index

    @property
    def index(self) -> FullTextIndex:
        return self._index()

    def index_document(
        self,
        doc: DocumentRow,
        *,
        sections: Sequence[Section] | None = None,
        prepared: PreparedText | None = None,
    ) -> IndexDocument:
        """What the index holds about `doc`, from the catalog; `sections` (the catalog's by
        default) and their analysed text `prepared` when the caller has them at hand."""
        return document_for_index(self.catalog, self.vocabulary, doc, sections=sections,
                                  prepared=prepared)  # fmt: skip

    def sync_index(
        self, progress: Progress | None = None, *, merge: bool = True, lock_wait: float = 30.0
    ) -> int:
        """Bring the index up to the catalog; returns how many documents it wrote or removed.

        Safe to run at any time: it is how an ingest killed between its catalog commit and
        its index commit is completed on the next run. Commits every INDEX_BATCH
        documents. IndexBusy if another writer holds the index past `lock_wait` seconds.
        When a server follows the catalog (`index_follower` set), `follow_index` wakes it
        instead of calling this.
        """
        pending = self.catalog.out_of_index()
        done = 0

        def committed(written: list[tuple[str, int]]) -> None:
            nonlocal done
            with self.catalog.transaction():
                self.catalog.mark_indexed(written)
            done += len(written)
            if progress:
                progress(done, len(pending), "index")

        with BatchWriter(self.index, batch=INDEX_BATCH, seconds=COMMIT_SECONDS, lock_wait=lock_wait,
                         merge=merge, on_commit=committed) as writer:
            for doc in pending:
                if doc.state == "active":
                    writer.upsert(self.index_document(doc))
                else:
                    writer.delete(doc.id, doc.revision)
        return done

    def reindex(
        self,
        progress: Progress | None = None,
        *,
        actor: Actor | None = None,
        workers: int = 1,
    ) -> int:
        """Rebuild the whole index from the catalog, without re-extracting any file.

        The new index is built beside the old one and swapped in at the end, so searches
        keep answering from the old one meanwhile and a failure leaves it untouched. With
        `workers` > 1 the documents are read from the catalog and analysed in that many
        processes (`kb.reindex`), one writer here; the index is the same either way. The
        audit trail gets one "reindex" entry naming `actor` (None: the local user).
        """
        fresh_dir = self.root / (INDEX_DIR + ".new")
        shutil.rmtree(fresh_dir, ignore_errors=True)
        fresh = FullTextIndex.create(fresh_dir)
        docs = self.catalog.documents(state="active")
        try:
            rebuild(self.catalog, self.vocabulary, fresh, docs, batch=INDEX_BATCH,
                    seconds=COMMIT_SECONDS, progress=progress, workers=workers)  # fmt: skip
        finally:
            fresh.close()
        self._close_index()
        FullTextIndex.replace(self.root / INDEX_DIR, fresh_dir)
        with self.catalog.transaction():
            self.catalog.forget_indexed()
            self.catalog.mark_indexed((d.id, d.revision) for d in docs)
            audit.record(self.catalog, actor or Actor.local(), "reindex", "library", None,
                         after={"documents": len(docs)})
        return len(docs)

