"""`kb ingest`: files and folders into the library, incrementally and safely.

A pipeline of steps, each a module, each file crossing each step once:

1. `scan`: the files under the paths given, each with what the catalog knows of its path
   and content (its content read only when the catalog cannot vouch for it);
2. `plan`: what to do with each file, a pure function of what the scan saw: unchanged,
   re-tagged, moved, copied, failed before, refused, or new content to extract;
3. `extract`: the new files, read by worker processes (time limits, crash isolation);
4. `store`: the catalog written first, settled files in batches of one transaction each,
   an extracted file with the other files of its content in one;
5. `index`: the stored documents, written by one background writer that commits in
   batches; the catalog records what each commit made searchable.

The summary (`IngestReport`) is counted from the plan's decisions and the store's results.
A run killed at any point leaves the catalog and the index readable, and the next run
completes it (`Library.sync_index`): the catalog knows which documents the index lags
behind on.

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

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from kb.actors import Actor
from kb.ingest import extract, index, plan, scan
from kb.ingest.facts import Problem
from kb.ingest.report import IngestOptions, IngestReport, Outcome, Tally
from kb.ingest.store import Store
from kb.library import INDEX_BATCH, Library

__all__ = ["INDEX_BATCH", "SYNC_SECONDS", "IngestOptions", "IngestReport", "Problem", "ingest"]

# Searchers in other processes see an ingest's documents at its index commits: at least
# this often, or every INDEX_BATCH documents. A run that extracts fewer than INDEX_BATCH
# files merges the index's small segments at its last commit; a larger one leaves its
# segments (about one per INDEX_BATCH documents) to `kb optimize`: at 10,000 documents
# that merge was 200 of the 576 seconds of a cold ingest, and searches over the 20
# segments left took 33 ms at p95 against 32 ms over 4 (benchmarks/README.md).
SYNC_SECONDS = 60.0

Progress = Callable[[int, int, str], None]


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
    tally = Tally()
    timings: dict[str, float] = {}  # seconds by stage, summed over files
    with library.write_lock():
        index.catch_up(library)  # finish what a killed run left behind
        roots = [str(p) for p in paths]
        run_id = library.catalog.start_run(roots)
        found = scan.find(paths)
        tally.skipped.extend(Problem(s.given, s.reason) for s in found.skipped)
        tally.failed.extend(Problem(s.given, s.reason) for s in found.errors)
        counter = _Counter(len(found.candidates), progress)
        store = Store(library, actor or Actor.local(), strict=options.strict)

        # Scan and plan, the settled files stored as they are decided.
        t0 = time.perf_counter()
        new: list[plan.Extract] = []
        twins: dict[str, list[plan.Twin]] = {}  # same new content at several paths
        remembered = {} if options.retry_failed else scan.remembered(library.catalog)
        seen = scan.look(found, library.catalog, remembered)
        for decision in plan.plan(seen, max_file_bytes=options.limits.max_file_bytes):
            if isinstance(decision, plan.Extract):
                new.append(decision)
            elif isinstance(decision, plan.Twin):
                twins.setdefault(decision.content_hash, []).append(decision)
            else:
                counter.add(tally, store.settle(decision))
        counter.add(tally, store.flush())
        _time(timings, "hashing", time.perf_counter() - t0)

        # Extract, store and index the new files.
        with index.indexing(library, batch=INDEX_BATCH, seconds=SYNC_SECONDS) as indexing:
            for decision, outcome in extract.extract(new, options, library.vocabulary):
                t0 = time.perf_counter()
                stored = store.store(decision, outcome, twins.get(decision.content_hash, ()))
                indexing.put(stored.document_id, outcome)
                _time(timings, "catalog", time.perf_counter() - t0)
                for key, seconds in outcome.seconds.items():
                    _time(timings, key, seconds)
                counter.add(tally, stored.outcomes, given=decision.file.given)
            t0 = time.perf_counter()
            counter.tell("(writing the index)")  # the last commit (and merge) can take a while
            indexing.finish(merge=len(new) < INDEX_BATCH)
            _time(timings, "index wait", time.perf_counter() - t0)
            _time(timings, "indexing", indexing.busy_seconds)

        for _, gone in store.gone(found.folders, {c.path for c in found.candidates}):
            tally.add(None, gone)
        t0 = time.perf_counter()
        index.catch_up(library)
        _time(timings, "indexing", time.perf_counter() - t0)
        report = tally.report(time.perf_counter() - started, timings)
        store.close_run(run_id, roots, report.counts())
    return report


def _time(timings: dict[str, float], key: str, seconds: float) -> None:
    timings[key] = timings.get(key, 0.0) + seconds


class _Counter:
    """Progress by file: each file counted once it is stored."""

    def __init__(self, total: int, progress: Progress | None):
        self.total, self.done, self._progress = total, 0, progress

    def add(
        self,
        tally: Tally,
        stored: Sequence[tuple[plan.Decision | None, Outcome]],
        *,
        given: str | None = None,
    ) -> None:
        """Count the files stored; `given`: the one file to name for them all."""
        for decision, outcome in stored:
            tally.add(decision, outcome)
            if given is None and decision is not None:
                self.done += 1
                self.tell(decision.file.given)
        if given is not None:
            self.done += len(stored)
            self.tell(given)

    def tell(self, item: str) -> None:
        if self._progress:
            self._progress(self.done, self.total, item)
