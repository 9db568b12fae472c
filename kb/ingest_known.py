"""Files an ingest needs not extract: the catalog already knows their path or content.

`triage` settles an unchanged file, a moved, renamed or copied one (its document kept, the
new path added) and one whose sidecar alone changed (re-tagged); it returns the content
hash of a file that must be extracted. `mark_missing` hides the documents whose files are
all gone from an ingested folder.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from kb import audit, failures
from kb.catalog import Catalog, DocumentRow
from kb.errors import InvalidSidecar
from kb.ingest_run import (
    INGEST_ORIGINS,
    Problem,
    Run,
    changed_fields,
    fail,
    failed_before,
    path_row,
    read_file_sidecar,
    sha256_of,
    sidecar_signature,
)
from kb.library import Library
from kb.scan import Candidate
from kb.sidecar import sidecar_path
from kb.tags import effective, tags_from_sidecar


def triage(library: Library, candidate: Candidate, run: Run) -> tuple[str, str | None] | None:
    """Settle a file that needs no extraction; else return (content hash, prior doc id)."""
    catalog = library.catalog
    row = catalog.path(candidate.path)
    sidecar = sidecar_signature(candidate.path)
    signature = failures.Signature(candidate.size, candidate.mtime_ns, sidecar)
    if run.memory is not None and failed_before(
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
        content_hash = sha256_of(candidate.path)
    except OSError as exc:
        run.failed.append(Problem(candidate.given, f"cannot read: {exc.strerror or exc}"))
        return None
    known = catalog.document_by_hash(content_hash)
    if known is None:
        if run.memory is not None and failed_before(
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
        catalog.put_path(path_row(candidate, known.id, sidecar))
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
    library: Library, candidate: Candidate, doc: DocumentRow, run: Run
) -> None:
    """Under --strict, an unchanged file fails if its tags would not pass: its sidecar read
    again, and the dropped values its last extraction recorded (an earlier lenient run
    kept the document without them). The document stays as it is."""
    if not run.strict:
        return
    try:
        values = read_file_sidecar(candidate)
    except InvalidSidecar as exc:
        run.failed.append(Problem(candidate.given, str(exc)))
        return
    _, warnings = tags_from_sidecar(
        values, library.vocabulary, str(sidecar_path(Path(candidate.given))))
    found = [str(w) for w in warnings]
    found += [w for w in doc.report.get("tag_warnings", ()) if w not in found]
    if found:
        run.failed.append(Problem(candidate.given, "; ".join(found)))


def _retag(
    library: Library, candidate: Candidate, doc_id: str, sidecar: str | None, run: Run
) -> None:
    """Re-read the sidecar of a file whose content is known; no extraction."""
    catalog = library.catalog
    try:
        values = read_file_sidecar(candidate)
    except InvalidSidecar as exc:
        doc = catalog.document(doc_id)
        fail(library, candidate, str(exc), doc.content_hash if doc else None, run)
        return
    tags, warnings = tags_from_sidecar(values, library.vocabulary,
                                       str(sidecar_path(Path(candidate.given))))
    if run.strict and warnings:  # as a new file would: refused, the document left as it was
        run.failed.append(Problem(candidate.given, "; ".join(str(w) for w in warnings)))
        return
    run.warnings.extend(Problem(w.source, str(w.message)) for w in warnings)
    with catalog.transaction():
        current = catalog.tags(doc_id)
        kept = [t for t in current if t.origin in ("derived", "properties", "auto")]
        catalog.replace_tags(doc_id, INGEST_ORIGINS, [*kept, *tags])
        catalog.put_path(path_row(candidate, doc_id, sidecar))
        failures.clear(catalog, candidate.path)
        catalog.touch(doc_id)
        before, after = changed_fields(effective(current), effective(catalog.tags(doc_id)))
        if before or after:
            audit.record(
                catalog, run.actor, "ingest.retag", "document", doc_id, document_id=doc_id,
                before={"tags": before},
                after={"tags": after, "sidecar": str(sidecar_path(Path(candidate.given)))},
            )


def mark_missing(library: Library, folder: str, seen: set[str], run: Run) -> None:
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
    library: Library, doc_id: str, run: Run, files: list[str] | None = None
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
