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

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from indexer.extract.base import ExtractedDocument, Limits
from kb import failures
from kb.catalog import Catalog, DocumentRow, PathRow, now
from kb.curation import audit
from kb.curation.actors import Actor
from kb.errors import InvalidSidecar, InvalidTag
from kb.extraction import (
    ExtractJob,
    ExtractOutcome,
    find_mentions,
    run_extraction,
    use_vocabulary,
)
from kb.index_feed import IndexFeed
from kb.library import INDEX_BATCH, Library
from kb.scan import Candidate, scan
from kb.sidecar import read_sidecar, sidecar_path
from kb.tags import (
    Tag,
    TagEvidence,
    TagWarning,
    auto_tags,
    derived_tags,
    effective,
    tags_from_properties,
    tags_from_sidecar,
)
from kb.workers import Failed, run_in_pool

log = logging.getLogger(__name__)

# Searchers in other processes see an ingest's documents at its index commits: at least
# this often, or every INDEX_BATCH documents.
SYNC_SECONDS = 60.0
# Files queued per extraction worker: the next file is there as soon as one is done, even
# while the ingesting process is busy storing or indexing.
JOBS_PER_WORKER = 2

# Origins an ingest recomputes; a curator's tags are never touched by it.
INGEST_ORIGINS = ("derived", "properties", "auto", "sidecar")
DEFAULTS = {"visibility": "public", "status": "draft"}

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Problem:
    path: str  # as given
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


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


@dataclass
class _Run:
    """Mutable tallies of one ingest run, and who runs it (for the audit trail)."""

    actor: Actor
    memory: failures.Memory | None  # None: retry the files that failed before
    added: int = 0
    updated: int = 0
    moved: int = 0
    unchanged: int = 0
    missing: int = 0
    failed: list[Problem] = field(default_factory=list)
    failed_before: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    strict: bool = False  # unchanged files' tags are checked too
    timings: dict[str, float] = field(default_factory=dict)

    def time(self, key: str, seconds: float) -> None:
        self.timings[key] = self.timings.get(key, 0.0) + seconds


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
        run = _Run(actor=actor or Actor.local(), memory=memory, strict=options.strict)
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
            outcome = _triage(library, candidate, run)
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
                doc_id = _store(library, candidate, content_hash, prior, result, options, run)
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
            feed.finish(merge=True)
            _mark_indexed(library, feed)
            run.time("index wait", time.perf_counter() - t0)
            run.time("indexing", feed.busy_seconds)
        for folder in found.folders:
            _mark_missing(library, folder, seen, run)
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
    run: _Run,
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
            _triage(library, twin, run)  # attached to the document just stored
        else:
            _fail(library, twin, outcome.error or "extraction failed", content_hash, run)
    _mark_indexed(library, feed)


def _mark_indexed(library: Library, feed: IndexFeed) -> None:
    """Record in the catalog what the feed's commits made searchable."""
    committed = feed.committed()
    if committed:
        with library.catalog.transaction():
            library.catalog.mark_indexed(committed)


def _sync(library: Library, run: _Run, *, merge: bool = True) -> None:
    t0 = time.perf_counter()
    library.sync_index(merge=merge)
    run.time("indexing", time.perf_counter() - t0)


def _triage(library: Library, candidate: Candidate, run: _Run) -> tuple[str, str | None] | None:
    """Settle a file that needs no extraction; else return (content hash, prior doc id)."""
    catalog = library.catalog
    row = catalog.path(candidate.path)
    sidecar = _sidecar_signature(candidate.path)
    signature = failures.Signature(candidate.size, candidate.mtime_ns, sidecar)
    if run.memory is not None and _failed_before(
        run.memory.unchanged(candidate.path, signature), candidate, run
    ):
        return None
    if (
        row is not None
        and row.state == "present"
        and (row.size, row.mtime_ns)
        == (
            candidate.size,
            candidate.mtime_ns,
        )
    ):
        doc = catalog.document(row.document_id)
        if doc is not None and doc.state == "active":
            if row.sidecar == sidecar:
                run.unchanged += 1
                _check_strictly(library, candidate, doc, run)
                if run.memory is not None:  # back as it was read (a failed version undone)
                    run.memory.forget(candidate.path)
            else:
                _retag(library, candidate, doc.id, sidecar, run)
                run.updated += 1
            return None
    try:
        content_hash = _sha256(candidate.path)
    except OSError as exc:
        run.failed.append(Problem(candidate.given, f"cannot read: {exc.strerror or exc}"))
        return None
    known = catalog.document_by_hash(content_hash)
    if known is None:
        if run.memory is not None and _failed_before(
            run.memory.same_content(candidate.path, replace(signature, content_hash=content_hash)),
            candidate,
            run,
        ):
            return None
        return content_hash, (row.document_id if row is not None else None)
    # Known content: a moved, renamed, copied or merely touched file.
    new_path = row is None or row.document_id != known.id
    original = _still_there(catalog, known, candidate.path) if new_path else None
    with catalog.transaction():
        catalog.put_path(_path_row(candidate, known.id, sidecar))
        failures.clear(catalog, candidate.path)
        if known.state != "active":
            catalog.set_state(known.id, "active")
        if new_path or known.state != "active":
            after = {"file": candidate.given, "state": "active"}
            if original is not None:
                after["duplicate_of"] = original
            audit.record(
                catalog, run.actor, "ingest.move" if original is None else "ingest.duplicate",
                "document", known.id, document_id=known.id,
                before=None if known.state == "active" else {"state": known.state},
                after=after,
            )
        if row is not None and row.document_id != known.id:
            _drop_if_orphan(library, row.document_id, run)
    if original is not None:
        run.duplicates.append(Problem(candidate.given, f"duplicate of {original}"))
    if row is not None and row.document_id == known.id and row.sidecar == sidecar:
        run.unchanged += 1
        _check_strictly(library, candidate, known, run)
    else:
        _retag(library, candidate, known.id, sidecar, run)
        run.moved += 1 if new_path and original is None else 0
        run.updated += 1 if not new_path else 0
    return None


def _still_there(catalog: Catalog, known: DocumentRow, path: str) -> str | None:
    """Another file of an active document that still exists (as it was given), if any: the
    same content found at `path` is then a copy, not a move."""
    if known.state != "active":
        return None
    for other in catalog.paths_of(known.id):
        if other.state == "present" and other.path != path and os.path.isfile(other.path):
            return other.given
    return None


def _check_strictly(
    library: Library, candidate: Candidate, doc: DocumentRow, run: _Run
) -> None:
    """Under --strict, an unchanged file fails if its tags would not pass: its sidecar read
    again, and the dropped values its last extraction recorded (an earlier lenient run
    kept the document without them). The document stays as it is."""
    if not run.strict:
        return
    try:
        values = _read_sidecar(candidate)
    except InvalidSidecar as exc:
        run.failed.append(Problem(candidate.given, str(exc)))
        return
    _, warnings = tags_from_sidecar(
        values, library.vocabulary, str(sidecar_path(Path(candidate.given))))
    found = [str(w) for w in warnings]
    found += [w for w in doc.report.get("tag_warnings", ()) if w not in found]
    if found:
        run.failed.append(Problem(candidate.given, "; ".join(found)))


def _store(
    library: Library,
    candidate: Candidate,
    content_hash: str,
    prior: str | None,
    outcome: ExtractOutcome,
    options: IngestOptions,
    run: _Run,
) -> str | None:
    """Write one extracted file to the catalog and return its document id, or record why
    it failed and return None."""
    catalog = library.catalog
    if outcome.document is None:
        _fail(library, candidate, outcome.error or "extraction failed", content_hash, run)
        return None
    document = outcome.document
    sidecar = _sidecar_signature(candidate.path)
    try:
        tags, evidence, warnings = _tags_for(library, candidate, outcome, options.strict)
    except (InvalidTag, InvalidSidecar) as exc:
        _fail(library, candidate, str(exc), content_hash, run)
        return None
    run.warnings.extend(Problem(candidate.given, str(w)) for w in warnings)
    report = _report(document, outcome, warnings)
    # The file's own values that were dropped, which --strict checks again while the file
    # is unchanged (its sidecar is read again instead).
    report["tag_warnings"] = [str(w) for w in warnings if w.source == candidate.given]
    size = candidate.size
    with catalog.transaction():
        previous = catalog.document(prior) if prior is not None else None
        if previous is not None:
            others = [
                p
                for p in catalog.paths_of(previous.id)
                if p.state == "present" and p.path != candidate.path
            ]
            if others:  # the old content still lives elsewhere: keep it there
                previous = None
        after = {"file": candidate.given, "content_hash": content_hash,
                 "media_type": document.media_type, "size": size}
        if previous is not None:
            doc_id = previous.id
            tags_before = effective(catalog.tags(doc_id))
            catalog.update_content(doc_id, content_hash, document.media_type, size, report)
            run.updated += 1
        else:
            doc_id = catalog.new_document_id(content_hash)
            catalog.add_document(doc_id, content_hash, document.media_type, size, report)
            tags_before = {}
            run.added += 1
        catalog.replace_sections(doc_id, document.sections)
        catalog.replace_tags(doc_id, INGEST_ORIGINS, tags)
        catalog.replace_evidence(doc_id, evidence)
        catalog.put_path(_path_row(candidate, doc_id, sidecar))
        failures.clear(catalog, candidate.path)
        # A new document has no curator's tags: what was just written is all it has.
        tags_after = effective(catalog.tags(doc_id) if previous is not None else tags)
        old_tags, new_tags = _changed(tags_before, tags_after)
        if previous is not None:
            was = {"content_hash": previous.content_hash, "media_type": previous.media_type,
                   "size": previous.size, "tags": old_tags}
            if previous.state != "active":  # its file is back, with new content
                was["state"], after["state"] = previous.state, "active"
            audit.record(catalog, run.actor, "ingest.update", "document", doc_id,
                         document_id=doc_id, before=was, after={**after, "tags": new_tags})
        else:
            audit.record(catalog, run.actor, "ingest.add", "document", doc_id,
                         document_id=doc_id, after={**after, "tags": new_tags})
    return doc_id


def _retag(
    library: Library, candidate: Candidate, doc_id: str, sidecar: str | None, run: _Run
) -> None:
    """Re-read the sidecar of a file whose content is known; no extraction."""
    catalog = library.catalog
    try:
        values = _read_sidecar(candidate)
    except InvalidSidecar as exc:
        doc = catalog.document(doc_id)
        _fail(library, candidate, str(exc), doc.content_hash if doc else None, run)
        return
    tags, warnings = tags_from_sidecar(values, library.vocabulary, candidate.given)
    if run.strict and warnings:  # as a new file would: refused, the document left as it was
        run.failed.append(Problem(candidate.given, "; ".join(str(w) for w in warnings)))
        return
    run.warnings.extend(Problem(candidate.given, str(w)) for w in warnings)
    with catalog.transaction():
        current = catalog.tags(doc_id)
        kept = [t for t in current if t.origin in ("derived", "properties", "auto")]
        catalog.replace_tags(doc_id, INGEST_ORIGINS, [*kept, *tags])
        catalog.put_path(_path_row(candidate, doc_id, sidecar))
        failures.clear(catalog, candidate.path)
        catalog.touch(doc_id)
        before, after = _changed(effective(current), effective(catalog.tags(doc_id)))
        if before or after:
            audit.record(
                catalog, run.actor, "ingest.retag", "document", doc_id, document_id=doc_id,
                before={"tags": before},
                after={"tags": after, "sidecar": str(sidecar_path(Path(candidate.given)))},
            )


def _fail(
    library: Library, candidate: Candidate, reason: str, content_hash: str | None, run: _Run
) -> None:
    """A failure of this run, remembered with what the file looked like."""
    run.failed.append(Problem(candidate.given, reason))
    signature = failures.Signature(
        candidate.size, candidate.mtime_ns, _sidecar_signature(candidate.path), content_hash
    )
    with library.catalog.transaction():
        failures.record(library.catalog, candidate.path, candidate.given, reason, signature)


def _failed_before(found: failures.Failure | None, candidate: Candidate, run: _Run) -> bool:
    if found is None:
        return False
    run.failed_before.append(Problem(candidate.given, found.reason))
    return True


def _tags_for(
    library: Library, candidate: Candidate, outcome: ExtractOutcome, strict: bool
) -> tuple[list[Tag], list[TagEvidence], list[TagWarning]]:
    vocab = library.vocabulary
    document = outcome.document
    assert document is not None
    first_heading = next((s.heading for s in document.sections if s.heading), None)
    tags = derived_tags(Path(candidate.given).name, first_heading, DEFAULTS)
    from_props, warnings = tags_from_properties(document, vocab, candidate.given)
    tags += from_props
    # Found by the extraction worker when it had the vocabulary; here otherwise.
    found = outcome.mentions
    automatic, evidence = auto_tags(
        found if found is not None else find_mentions(vocab, document), vocab
    )
    tags += automatic
    from_sidecar, sidecar_warnings = tags_from_sidecar(
        _read_sidecar(candidate), vocab, str(sidecar_path(Path(candidate.given)))
    )
    tags += from_sidecar
    warnings = [*warnings, *sidecar_warnings]
    if strict and warnings:
        raise InvalidTag("; ".join(str(w) for w in warnings))
    return tags, evidence, warnings


def _read_sidecar(candidate: Candidate) -> dict[str, tuple[str, ...]]:
    path = sidecar_path(Path(candidate.path))
    if not path.is_file():
        return {}
    return read_sidecar(path)


def _report(
    document: ExtractedDocument, outcome: ExtractOutcome, warnings: Iterable[TagWarning]
) -> dict[str, Any]:
    pages = [s.page for s in document.sections if s.page is not None]
    return {
        "extracted_at": now(),
        "media_type": document.media_type,
        "encoding": document.encoding,
        "pages": len(set(pages)),
        "sections": len(document.sections),
        "characters": sum(len(s.text) for s in document.sections),
        "repairs": dict(outcome.repairs),
        "warnings": [*document.warnings, *(str(w) for w in warnings)],
        "seconds": {k: round(v, 4) for k, v in outcome.seconds.items()},
    }


def _mark_missing(library: Library, folder: str, seen: set[str], run: _Run) -> None:
    """Files of an ingested folder that are gone: their paths missing, orphans hidden."""
    catalog = library.catalog
    gone = [p for p in catalog.paths_under(folder) if p.path not in seen and p.state == "present"]
    if not gone:
        return
    files: dict[str, list[str]] = {}
    for row in gone:
        files.setdefault(row.document_id, []).append(row.given)
    with catalog.transaction():
        for row in gone:
            catalog.set_path_state(row.path, "missing")
        for doc_id, given in files.items():
            if not _drop_if_orphan(library, doc_id, run, files=given):
                # Still found elsewhere: the document stays, only these files are gone.
                audit.record(catalog, run.actor, "ingest.file_gone", "document", doc_id,
                             document_id=doc_id, before={"files": given})


def _drop_if_orphan(
    library: Library, doc_id: str, run: _Run, files: list[str] | None = None
) -> bool:
    """Hide a document none of whose files is present any more; True if it was hidden now
    or already missing (`files`: those just found gone, for the audit trail)."""
    catalog = library.catalog
    if catalog.present_path_count(doc_id) != 0:
        return False
    doc: DocumentRow | None = catalog.document(doc_id)
    if doc is not None and doc.state == "active":
        catalog.set_state(doc_id, "missing")
        audit.record(
            catalog, run.actor, "ingest.missing", "document", doc_id, document_id=doc_id,
            before={"state": "active", **({"files": files} if files else {})},
            after={"state": "missing"},
        )
        run.missing += 1
    return True


def _changed(
    before: dict[str, tuple[str, ...]], after: dict[str, tuple[str, ...]]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The effective tag fields that differ, as (before, after); a field absent on one side
    is absent from that dict."""
    fields = [f for f in {**before, **after} if before.get(f) != after.get(f)]
    return (
        {f: list(before[f]) for f in fields if f in before},
        {f: list(after[f]) for f in fields if f in after},
    )


def _path_row(candidate: Candidate, doc_id: str, sidecar: str | None) -> PathRow:
    return PathRow(
        path=candidate.path,
        given=candidate.given,
        root=candidate.root,
        document_id=doc_id,
        size=candidate.size,
        mtime_ns=candidate.mtime_ns,
        sidecar=sidecar,
        state="present",
        seen_at=now(),
    )


def _sidecar_signature(path: str) -> str | None:
    try:
        info = os.stat(sidecar_path(Path(path)))
    except OSError:
        return None
    return f"{info.st_size}:{info.st_mtime_ns}"


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb", buffering=0) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
