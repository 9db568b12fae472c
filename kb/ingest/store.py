"""The store: the plan's decisions and the extracted files, into the catalog.

Files the plan settled (unchanged, re-tagged, attached to a known document, failed) are
written in batches of up to `BATCH`, one transaction each. An extracted file is one
transaction with the other files of the run that have its content (its twins), which take
its fate: attached to the document just stored, or failed for the same reason. The files
gone from an ingested folder are one transaction a folder, the run's own record one more.

Every change is an entry of the audit trail, written in the same transaction as the
change. A run killed at any point leaves whole transactions only; the next run does again
what was not committed. Each call returns, per file, the decision with what storing it did
(`Outcome`), from which the summary is counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kb import audit, failures
from kb.actors import Actor
from kb.extraction import ExtractOutcome
from kb.ingest.plan import (
    Attach,
    Decision,
    Extract,
    FailedBefore,
    Refused,
    Retag,
    Twin,
    Unchanged,
    Unreadable,
)
from kb.ingest.report import Outcome
from kb.ingest.store_known import (
    Writing,
    attach,
    attach_path,
    attached_tags,
    hide_if_orphan,
    mark_missing,
    record_failure,
    refused,
    retag,
    still_there,
    unchanged,
)
from kb.ingest.store_new import NewContent, prepare, write
from kb.library import Library

BATCH = 500  # settled files per transaction

Stored = list[tuple[Decision | None, Outcome]]


@dataclass(frozen=True)
class StoredFile:
    """An extracted file stored: its document (None: it failed) and each file's outcome."""

    document_id: str | None
    outcomes: Stored


class Store:
    """The catalog writes of one run, by `actor`; `strict`: refuse dropped tag values."""

    def __init__(self, library: Library, actor: Actor, *, strict: bool, batch: int = BATCH):
        self._library = library
        self._w = Writing(library.catalog, library.vocabulary, actor, strict)
        self._batch = batch
        self._pending: list[Decision] = []

    def settle(self, decision: Decision) -> Stored:
        """Queue a settled decision; what the batch it completed stored, if it did."""
        self._pending.append(decision)
        return self.flush() if len(self._pending) >= self._batch else []

    def flush(self) -> Stored:
        """Write the queued decisions, one transaction."""
        batch, self._pending = self._pending, []
        if not batch:
            return []
        catalog = self._w.catalog
        # Touched or re-copied files that failed before: their new size and mtime, through
        # the failure memory (which writes in its own transaction).
        restamps = [d for d in batch if isinstance(d, FailedBefore) and d.restamp]
        if restamps:
            memory = failures.Memory(catalog)
            for d in restamps:
                signature = failures.Signature(d.file.size, d.file.mtime_ns, d.sidecar,
                                               d.content_hash)  # fmt: skip
                memory.same_content(d.file.path, signature)
        with catalog.transaction():
            return [(d, self._settled(d)) for d in batch]

    def _settled(self, d: Decision) -> Outcome:
        if isinstance(d, Unchanged):
            return unchanged(self._w, d)
        if isinstance(d, Retag):
            return retag(self._w, d.file, d.document_id, d.sidecar)
        if isinstance(d, Attach):
            return attach(self._w, d)
        if isinstance(d, Refused):
            return refused(self._w, d)
        if isinstance(d, FailedBefore | Unreadable):
            return Outcome()
        raise TypeError(f"{d.file.given}: {type(d).__name__} is not settled by the plan")

    def store(self, d: Extract, outcome: ExtractOutcome, twins: Sequence[Twin]) -> StoredFile:
        """An extracted file and its twins, one transaction."""
        new = prepare(self._w, self._library.root, d, outcome)
        with self._w.catalog.transaction():
            if isinstance(new, NewContent):
                doc_id, stored = write(self._w, new)
                done: Stored = [(d, stored)]
                done += [self._twin(t, doc_id) for t in twins]
                return StoredFile(doc_id, done)
            failed: Stored = [(d, record_failure(self._w, d.file, new, d.sidecar, d.content_hash))]
            reason = outcome.error or "extraction failed"
            failed += [
                (t, record_failure(self._w, t.file, reason, t.sidecar, t.content_hash))
                for t in twins
            ]
            return StoredFile(None, failed)

    def _twin(self, t: Twin, doc_id: str) -> tuple[Attach, Outcome]:
        """A file with the content just stored: attached to its document as a known file
        is, decided from what the catalog now says; the decision counts for it."""
        w, catalog = self._w, self._w.catalog
        known = catalog.document(doc_id)
        assert known is not None
        new_path = t.path_document != doc_id
        original = still_there(catalog, known, t.file.path) if new_path else None
        d = Attach(t.file, t.sidecar, doc_id, new_path, original,
                   retag=new_path or not t.same_sidecar,
                   tag_warnings=tuple(known.report.get("tag_warnings", ())))  # fmt: skip
        attach_path(w, d)
        hidden = 0
        if new_path and t.path_document is not None:
            hidden = hide_if_orphan(w, t.path_document)[1]
        done = attached_tags(w, d)
        return d, Outcome(("missing",) * hidden, done.failed, done.warnings)

    def gone(self, folders: Iterable[str], seen: set[str]) -> Stored:
        """The files of the ingested folders that are no longer there; their documents
        hidden when they have no file left; their remembered failures forgotten."""
        catalog = self._w.catalog
        done: Stored = []
        for folder in folders:
            with catalog.transaction():
                done.append((None, mark_missing(self._w, folder, seen)))
                failures.forget_gone(catalog, folder, seen)
        return done

    def close_run(self, run_id: int, paths: Sequence[str], counts: dict[str, int]) -> None:
        """The run's record, and its entry of the audit trail."""
        catalog = self._w.catalog
        with catalog.transaction():
            catalog.finish_run(run_id, counts)
            audit.record(catalog, self._w.actor, "ingest", "library", str(run_id),
                         after={"roots": list(paths), "counts": counts})  # fmt: skip

