"""Catalog writes for files whose content the catalog knows: unchanged (checked under
--strict), re-tagged by their sidecar, attached to a known document (moved, renamed,
copied, back), refused, or gone from a folder. Every function here runs inside the
store's transaction and returns what it did as an `Outcome`; every change is an entry of
the audit trail, written with it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kb import audit, failures
from kb.actors import Actor
from kb.catalog import Catalog, DocumentRow, PathRow, now
from kb.errors import InvalidSidecar
from kb.ingest.facts import Problem
from kb.ingest.plan import Attach, Refused, Unchanged
from kb.ingest.report import Outcome
from kb.scan import Candidate
from kb.sidecar import read_sidecar, sidecar_path
from kb.tags import effective, tags_from_sidecar
from kb.vocabulary import Vocabulary

# Origins an ingest recomputes; a curator's tags are never touched by it.
INGEST_ORIGINS = ("derived", "properties", "auto", "sidecar")


@dataclass(frozen=True)
class Writing:
    """What every write of a run needs: the catalog, the vocabulary, who runs it."""

    catalog: Catalog
    vocabulary: Vocabulary
    actor: Actor
    strict: bool  # unchanged files' tags are checked too; a dropped tag value fails a file


def record_failure(
    w: Writing, file: Candidate, reason: str, sidecar: str | None, content_hash: str | None
) -> Outcome:
    """A failure of this run, remembered with what the file looked like."""
    signature = failures.Signature(file.size, file.mtime_ns, sidecar, content_hash)
    failures.record(w.catalog, file.path, file.given, reason, signature)
    return Outcome(failed=(Problem(file.given, reason),))


def refused(w: Writing, decision: Refused) -> Outcome:
    """New content no extractor would take (the summary counts it from the plan)."""
    record_failure(w, decision.file, decision.reason, decision.sidecar, decision.content_hash)
    return Outcome()


def unchanged(w: Writing, decision: Unchanged) -> Outcome:
    if decision.forget_failure:  # back as it was read (a failed version undone)
        failures.clear(w.catalog, decision.file.path)
    return check_strictly(w, decision.file, decision.tag_warnings)


def check_strictly(w: Writing, file: Candidate, tag_warnings: tuple[str, ...]) -> Outcome:
    """Under --strict, an unchanged file fails if its tags would not pass: its sidecar read
    again, and the dropped values its last extraction recorded (an earlier lenient run
    kept the document without them). The document stays as it is."""
    if not w.strict:
        return Outcome()
    try:
        values = read_file_sidecar(file)
    except InvalidSidecar as exc:
        return Outcome(failed=(Problem(file.given, str(exc)),))
    _, warnings = tags_from_sidecar(values, w.vocabulary, str(sidecar_path(Path(file.given))))
    found = [str(warning) for warning in warnings]
    found += [text for text in tag_warnings if text not in found]
    if found:
        return Outcome(failed=(Problem(file.given, "; ".join(found)),))
    return Outcome()


def retag(w: Writing, file: Candidate, doc_id: str, sidecar: str | None) -> Outcome:
    """Re-read the sidecar of a file whose content is known; no extraction."""
    catalog = w.catalog
    try:
        values = read_file_sidecar(file)
    except InvalidSidecar as exc:
        doc = catalog.document(doc_id)
        return record_failure(w, file, str(exc), sidecar, doc.content_hash if doc else None)
    tags, warnings = tags_from_sidecar(values, w.vocabulary, str(sidecar_path(Path(file.given))))
    if w.strict and warnings:  # as a new file would: refused, the document left as it was
        return Outcome(failed=(Problem(file.given, "; ".join(str(x) for x in warnings)),))
    current = catalog.tags(doc_id)
    kept = [t for t in current if t.origin in ("derived", "properties", "auto")]
    catalog.replace_tags(doc_id, INGEST_ORIGINS, [*kept, *tags])
    catalog.put_path(path_row(file, doc_id, sidecar))
    failures.clear(catalog, file.path)
    catalog.touch(doc_id)
    before, after = changed_fields(effective(current), effective(catalog.tags(doc_id)))
    if before or after:
        audit.record(
            catalog, w.actor, "ingest.retag", "document", doc_id, document_id=doc_id,
            before={"tags": before},
            after={"tags": after, "sidecar": str(sidecar_path(Path(file.given)))},
        )
    return Outcome(warnings=tuple(Problem(x.source, str(x.message)) for x in warnings))


def attach(w: Writing, d: Attach) -> Outcome:
    """Known content at this path: the path is its document's, the document active."""
    attach_path(w, d)
    if d.hide is not None:
        hide(w, d.hide)
    return attached_tags(w, d)


def attach_path(w: Writing, d: Attach) -> None:
    """The path (again) its document's, the document active; the audit trail says how."""
    catalog, file = w.catalog, d.file
    catalog.put_path(path_row(file, d.document_id, d.sidecar))
    failures.clear(catalog, file.path)
    if d.reactivate is not None:
        catalog.set_state(d.document_id, "active")
    if d.new_path or d.reactivate is not None:
        after = {"file": file.given, "state": "active"}
        if d.original is not None:
            after["duplicate_of"] = d.original
        audit.record(
            catalog, w.actor, "ingest.move" if d.original is None else "ingest.duplicate",
            "document", d.document_id, document_id=d.document_id,
            before=None if d.reactivate is None else {"state": d.reactivate},
            after=after,
        )


def attached_tags(w: Writing, d: Attach) -> Outcome:
    """The tags of a file just attached: its sidecar read again, or checked (--strict)."""
    if d.retag:
        return retag(w, d.file, d.document_id, d.sidecar)
    return check_strictly(w, d.file, d.tag_warnings)


def hide(w: Writing, doc_id: str, files: list[str] | None = None) -> None:
    """An active document none of whose files is present any more: missing until
    `kb prune` (`files`: those just found gone, for the audit trail)."""
    w.catalog.set_state(doc_id, "missing")
    audit.record(
        w.catalog, w.actor, "ingest.missing", "document", doc_id, document_id=doc_id,
        before={"state": "active", **({"files": files} if files else {})},
        after={"state": "missing"},
    )


def hide_if_orphan(w: Writing, doc_id: str, files: list[str] | None = None) -> tuple[bool, int]:
    """Hide `doc_id` if none of its files is present; (orphan, documents hidden now)."""
    if w.catalog.present_path_count(doc_id) != 0:
        return False, 0
    doc = w.catalog.document(doc_id)
    if doc is None or doc.state != "active":
        return True, 0
    hide(w, doc_id, files)
    return True, 1


def mark_missing(w: Writing, folder: str, seen: set[str]) -> Outcome:
    """Files of an ingested folder that are gone: their paths missing, orphans hidden, and
    their remembered failures forgotten."""
    catalog = w.catalog
    gone = [p for p in catalog.paths_under(folder) if p.path not in seen and p.state == "present"]
    files: dict[str, list[str]] = {}
    for row in gone:
        files.setdefault(row.document_id, []).append(row.given)
    for row in gone:
        catalog.set_path_state(row.path, "missing")
    hidden = 0
    for doc_id, given in files.items():
        orphan, now_hidden = hide_if_orphan(w, doc_id, given)
        hidden += now_hidden
        if not orphan:  # still found elsewhere: the document stays, only these files are gone
            audit.record(catalog, w.actor, "ingest.file_gone", "document", doc_id,
                         document_id=doc_id, before={"files": given})
    return Outcome(counts=("missing",) * hidden)


def still_there(catalog: Catalog, known: DocumentRow, path: str) -> str | None:
    """Another file of an active document that still exists (as it was given), if any: the
    same content found at `path` is then a copy, not a move."""
    if known.state != "active":
        return None
    for other in catalog.paths_of(known.id):
        if other.state == "present" and other.path != path and os.path.isfile(other.path):
            return other.given
    return None


def read_file_sidecar(file: Candidate) -> dict[str, tuple[str, ...]]:
    path = sidecar_path(Path(file.path))
    if not path.is_file():
        return {}
    return read_sidecar(path)


def changed_fields(
    before: dict[str, tuple[str, ...]], after: dict[str, tuple[str, ...]]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The effective tag fields that differ, as (before, after); a field absent on one side
    is absent from that dict."""
    fields = [f for f in {**before, **after} if before.get(f) != after.get(f)]
    return (
        {f: list(before[f]) for f in fields if f in before},
        {f: list(after[f]) for f in fields if f in after},
    )


def path_row(file: Candidate, doc_id: str, sidecar: str | None) -> PathRow:
    return PathRow(
        path=file.path,
        given=file.given,
        root=file.root,
        document_id=doc_id,
        size=file.size,
        mtime_ns=file.mtime_ns,
        sidecar=sidecar,
        state="present",
        seen_at=now(),
    )
