"""`kb ingest`: files and folders into the library, incrementally and safely.

The catalog is written first, one file per transaction; the index follows in batches,
written by a background thread (`kb.index_feed`) from text the extraction workers have
already analysed, so that extraction goes on while the index commits. A run killed at any
point leaves both readable, and the next run completes it (`Library.sync_index`): the
catalog knows which documents the index lags behind on.

Identity: a document is its content (sha256). A moved or renamed file keeps its document
(id, curators' tags); the same content at two paths is one document with both paths; a
changed file keeps its document id and gets the new text. A file that fails to re-extract
keeps its previous version.

Failures are remembered (`kb.failures`): a file that failed and has not changed since is
counted as "failed before" and not tried again, unless `retry_failed`; a changed one is.

Audit: every change a run makes to a document (added, new content, moved, re-tagged by its
sidecar, hidden because its files are gone) is an entry of the audit trail written in the
same transaction as the change, and the run itself is one entry ("ingest") with its roots
and counts. Unchanged files write nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexer.extract.base import Limits
from kb import audit, failures
from kb.actors import Actor
from kb.extraction import (
    ExtractJob,
    ExtractOutcome,
    run_extraction,
    use_vocabulary,
)
from kb.index_feed import IndexFeed
from kb.ingest_known import mark_missing, triage
from kb.ingest_run import Problem, Run, fail
from kb.ingest_store import store
from kb.library import INDEX_BATCH, Library
from kb.scan import Candidate, scan
from kb.workers import Failed, run_in_pool

log = logging.getLogger(__name__)

# Searchers in other processes see an ingest's documents at its index commits: at least
# this often, or every INDEX_BATCH documents. A run that extracts fewer than INDEX_BATCH
# files merges the index's small segments at its last commit; a larger one leaves its
# segments (about one per INDEX_BATCH documents) to `kb optimize`: at 10,000 documents
# that merge was 200 of the 576 seconds of a cold ingest, and searches over the 20
# segments left took 33 ms at p95 against 32 ms over 4 (benchmarks/README.md).
SYNC_SECONDS = 60.0
# Files queued per extraction worker: the next file is there as soon as one is done, even
# while the ingesting process is busy storing or indexing.
JOBS_PER_WORKER = 2


Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class IngestReport:
    added: int = 0
    updated: int = 0
    moved: int = 0  # known content at a new path, its former path gone (moved, renamed)
    unchanged: int = 0
    missing: int = 0  # documents whose every file is gone: hidden until `kb prune`
    failed: tuple[Problem, ...] = ()
    # Failed on an earlier run and unchanged since: not tried again, not a failure of this run.
    failed_before: tuple[Problem, ...] = ()
    skipped: tuple[Problem, ...] = ()  # not documents: pipes, links outside the folder
    # Known content at a second path while the first is still there: kept as a second path
    # of the same document, the reason naming the first ("duplicate of <path>").
    duplicates: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()  # unknown tag values and the like
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> dict[str, int]:
        return {
            "added": self.added,
            "updated": self.updated,
            "moved": self.moved,
            "duplicates": len(self.duplicates),
            "unchanged": self.unchanged,
            "missing": self.missing,
            "failed": len(self.failed),
            "failed_before": len(self.failed_before),
            "skipped": len(self.skipped),
        }




@dataclass(frozen=True)
class IngestOptions:
    repair: bool = True
    strict: bool = False
    workers: int = 2
    limits: Limits = field(default_factory=Limits)
    time_limit: float = 120.0
    retry_failed: bool = False  # try again the files that failed before, even unchanged


def ingest(
    library: Library,
    paths: Sequence[Path],
    options: IngestOptions | None = None,
    progress: Progress | None = None,
    *,
    actor: Actor | None = None,
) -> IngestReport:
    """Ingest files and folders (recursively); never stops on a bad file.

    `actor` is who the audit trail names for every change (None: the local user).
    A file that failed before and has not changed is in `failed_before`, not in `failed`,
    unless `options.retry_failed`.
    """
    options = options or IngestOptions()
    started = time.perf_counter()
    with library.write_lock():
        memory = None if options.retry_failed else failures.Memory(library.catalog)
        run = Run(actor=actor or Actor.local(), memory=memory, strict=options.strict)
        library.sync_index()  # finish what a killed run left behind
        run_id = library.catalog.start_run([str(p) for p in paths])
        found = scan(paths)
        run.skipped.extend(Problem(s.given, s.reason) for s in found.skipped)
        run.failed.extend(Problem(s.given, s.reason) for s in found.errors)
        total = len(found.candidates)
        done = 0
        jobs: list[tuple[Candidate, str, str | None]] = []
        waiting: dict[str, list[Candidate]] = {}  # same new content at several paths
        seen: set[str] = set()
        for candidate in found.candidates:
            seen.add(candidate.path)
            t0 = time.perf_counter()
            outcome = triage(library, candidate, run)
            run.time("hashing", time.perf_counter() - t0)
            if outcome is None:
                done += 1
                if progress:
                    progress(done, total, candidate.given)
                continue
            content_hash, prior = outcome
            if content_hash in waiting:
                waiting[content_hash].append(candidate)
                continue
            waiting[content_hash] = []
            jobs.append((candidate, content_hash, prior))
        by_path = {c.path: (c, h, p) for c, h, p in jobs}
        extract_jobs = [
            ExtractJob(
                c.path,
                c.given,
                repair=options.repair,
                limits=options.limits,
                time_limit=options.time_limit,
                prepare=True,
            )
            for c, _, _ in jobs
        ]
        feed = IndexFeed(library.index, batch=INDEX_BATCH, seconds=SYNC_SECONDS)
        with feed:
            results = run_in_pool(
                run_extraction,
                extract_jobs,
                workers=options.workers,
                time_limit=options.time_limit,
                depth=JOBS_PER_WORKER,
                setup=use_vocabulary,
                setup_args=(library.vocabulary,),
            )
            for job, result in results:
                candidate, content_hash, prior = by_path[job.path]
                if isinstance(result, Failed):
                    result = ExtractOutcome(None, error=result.reason)
                twins = waiting.get(content_hash, ())
                t0 = time.perf_counter()
                doc_id = store(library, candidate, content_hash, prior, result, options.strict, run)
                _after_store(library, feed, doc_id, content_hash, result, twins, run)
                run.time("catalog", time.perf_counter() - t0)
                for key, seconds in result.seconds.items():
                    run.time(key, seconds)
                done += 1 + len(twins)
                if progress:
                    progress(done, total, candidate.given)
            t0 = time.perf_counter()
            if progress:  # the last commit (and merge) can take a while on a large library
                progress(done, total, "(writing the index)")
            feed.finish(merge=len(jobs) < INDEX_BATCH)
            _mark_indexed(library, feed)
            run.time("index wait", time.perf_counter() - t0)
            run.time("indexing", feed.busy_seconds)
        for folder in found.folders:
            mark_missing(library, folder, seen, run)
            with library.catalog.transaction():
                failures.forget_gone(library.catalog, folder, seen)
        _sync(library, run)
        report = IngestReport(
            added=run.added,
            updated=run.updated,
            moved=run.moved,
            unchanged=run.unchanged,
            missing=run.missing,
            failed=tuple(run.failed),
            failed_before=tuple(run.failed_before),
            skipped=tuple(run.skipped),
            duplicates=tuple(run.duplicates),
            warnings=tuple(run.warnings),
            seconds=time.perf_counter() - started,
            timings=run.timings,
        )
        with library.catalog.transaction():
            library.catalog.finish_run(run_id, report.counts())
            audit.record(
                library.catalog, run.actor, "ingest", "library", str(run_id),
                after={"roots": [str(p) for p in paths], "counts": report.counts()},
            )
    return report


def _after_store(
    library: Library,
    feed: IndexFeed,
    doc_id: str | None,
    content_hash: str,
    outcome: ExtractOutcome,
    twins: Sequence[Candidate],
    run: Run,
) -> None:
    """Queue the stored document for the index; settle the other paths of its content."""
    row = library.catalog.document(doc_id) if doc_id is not None else None
    if row is not None and outcome.document is not None:
        doc = library.index_document(
            row, sections=outcome.document.sections, prepared=outcome.prepared
        )
        feed.put(doc)
    for twin in twins:
        if library.catalog.document_by_hash(content_hash) is not None:
            triage(library, twin, run)  # attached to the document just stored
        else:
            fail(library, twin, outcome.error or "extraction failed", content_hash, run)
    _mark_indexed(library, feed)


def _mark_indexed(library: Library, feed: IndexFeed) -> None:
    """Record in the catalog what the feed's commits made searchable."""
    committed = feed.committed()
    if committed:
        with library.catalog.transaction():
            library.catalog.mark_indexed(committed)


def _sync(library: Library, run: Run, *, merge: bool = True) -> None:
    t0 = time.perf_counter()
    library.sync_index(merge=merge)
    run.time("indexing", time.perf_counter() - t0)
































