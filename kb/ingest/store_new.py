"""Catalog writes for a file just extracted: its document, sections, tags and evidence.

`prepare` computes what to write (tags from the title, properties, sidecar and text; the
extraction report) without writing; `write` writes it inside the store's transaction with
its audit entry: a new document, or new content for the document the file had (kept
elsewhere if another of its files still holds the old one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.extract.base import ExtractedDocument
from indexer.fingerprint import text_fingerprint
from indexer.messages import joined
from kb import audit, failures
from kb.autotag import automatic_tags, with_model_suggestions, worth_offering
from kb.catalog import now
from kb.errors import InvalidSidecar, InvalidTag
from kb.extraction import ExtractOutcome, catalogue, find_mentions, titled_mentions
from kb.ingest.facts import Problem
from kb.ingest.plan import Extract
from kb.ingest.report import Outcome
from kb.ingest.store_known import (
    INGEST_ORIGINS,
    Writing,
    changed_fields,
    path_row,
    read_file_sidecar,
)
from kb.learning import load as load_model
from kb.sidecar import sidecar_path
from kb.tags import (
    Tag,
    TagEvidence,
    TagWarning,
    derived_tags,
    described_tags,
    effective,
    tags_from_properties,
    tags_from_sidecar,
)

DEFAULTS = {"visibility": "public", "status": "draft"}


@dataclass(frozen=True)
class NewContent:
    """What storing an extracted file writes, computed before the transaction."""

    decision: Extract
    document: ExtractedDocument
    fingerprint: str | None
    tags: list[Tag]
    evidence: list[TagEvidence]
    suggestions: list[TagEvidence]
    warnings: list[TagWarning]
    report: dict[str, Any]


def prepare(w: Writing, root: Path, d: Extract, outcome: ExtractOutcome) -> NewContent | str:
    """What to write for the extracted file, or why it fails (its tags would not pass)."""
    if outcome.document is None:
        return outcome.error or "extraction failed"
    document = outcome.document
    try:
        tags, evidence, suggestions, warnings = _tags_for(w, root, d, outcome)
    except (InvalidTag, InvalidSidecar) as exc:
        return str(exc)
    report = _report(document, outcome, warnings)
    # The file's own values that were dropped, which --strict checks again while the file
    # is unchanged (its sidecar is read again instead).
    report["tag_warnings"] = [str(x) for x in warnings if x.source == d.file.given]
    # Computed by the extraction worker with the text it prepared for the index.
    fingerprint = (
        outcome.fingerprint
        if outcome.prepared is not None
        else text_fingerprint(s.text for s in document.sections)
    )
    return NewContent(d, document, fingerprint, tags, evidence, suggestions, warnings, report)


def write(w: Writing, new: NewContent) -> tuple[str, Outcome]:
    """Write the new content; its document id and what it counts as."""
    catalog, d, document = w.catalog, new.decision, new.document
    file, content_hash, size = d.file, d.content_hash, d.file.size
    previous = catalog.document(d.prior) if d.prior is not None else None
    if previous is not None:
        others = [
            p for p in catalog.paths_of(previous.id)
            if p.state == "present" and p.path != file.path
        ]  # fmt: skip
        if others:  # the old content still lives elsewhere: keep it there
            previous = None
    after = {"file": file.given, "content_hash": content_hash,
             "media_type": document.media_type, "size": size}  # fmt: skip
    if previous is not None:
        doc_id = previous.id
        tags_before = effective(catalog.tags(doc_id))
        catalog.update_content(doc_id, content_hash, document.media_type, size, new.report)
    else:
        doc_id = catalog.new_document_id(content_hash)
        catalog.add_document(doc_id, content_hash, document.media_type, size, new.report)
        tags_before = {}
    catalog.replace_sections(doc_id, document.sections)
    catalog.set_text_fingerprint(doc_id, new.fingerprint)
    catalog.replace_tags(doc_id, INGEST_ORIGINS, new.tags)
    catalog.replace_evidence(doc_id, new.evidence)
    catalog.put_path(path_row(file, doc_id, d.sidecar))
    failures.clear(catalog, file.path)
    # A new document has no curator's tags: what was just written is all it has.
    tags_after = effective(catalog.tags(doc_id) if previous is not None else new.tags)
    catalog.replace_suggestions(doc_id, worth_offering(new.suggestions, tags_after))
    old_tags, new_tags = changed_fields(tags_before, tags_after)
    if previous is not None:
        was = {"content_hash": previous.content_hash, "media_type": previous.media_type,
               "size": previous.size, "tags": old_tags}  # fmt: skip
        if previous.state != "active":  # its file is back, with new content
            was["state"], after["state"] = previous.state, "active"
        audit.record(catalog, w.actor, "ingest.update", "document", doc_id,
                     document_id=doc_id, before=was, after={**after, "tags": new_tags})
    else:
        audit.record(catalog, w.actor, "ingest.add", "document", doc_id,
                     document_id=doc_id, after={**after, "tags": new_tags})
    warnings = tuple(Problem(x.source, str(x.message)) for x in new.warnings)
    return doc_id, Outcome(counts=("updated" if previous is not None else "added",),
                           warnings=warnings)  # fmt: skip


def _tags_for(
    w: Writing, root: Path, d: Extract, outcome: ExtractOutcome
) -> tuple[list[Tag], list[TagEvidence], list[TagEvidence], list[TagWarning]]:
    vocab, given = w.vocabulary, d.file.given
    document = outcome.document
    assert document is not None
    tags = derived_tags(DEFAULTS)
    # The title, date and rules' tags, worked out by the extraction worker where it could.
    catalogued = outcome.catalogued or catalogue(vocab, document, given, outcome.mentions)
    title, date = catalogued.title, catalogued.date
    described, warnings, sources = described_tags(title, date, vocab, given)
    tags += described
    from_props, prop_warnings = tags_from_properties(document, vocab, given)
    tags += from_props
    warnings += prop_warnings
    from_sidecar, sidecar_warnings = tags_from_sidecar(
        read_file_sidecar(d.file), vocab, str(sidecar_path(Path(given)))
    )
    warnings = [*warnings, *sidecar_warnings]
    # The title a reader sees (a sidecar's over the document's), as `kb retag` reads it.
    shown = effective([*tags, *from_sidecar]).get("title", (title.value,))[0]
    automatic = catalogued.tagging
    if shown != title.value:  # a sidecar's title: its names count, not the document's
        found = outcome.mentions if outcome.mentions is not None else find_mentions(vocab, document)
        automatic = automatic_tags(vocab, shown, document.sections, document.media_type,
                                   titled_mentions(vocab, shown, found))  # fmt: skip
    automatic = with_model_suggestions(automatic, load_model(root), shown, document.sections)
    tags += [*automatic.tags, *from_sidecar]
    evidence = [*sources, *automatic.evidence]
    if w.strict and warnings:
        raise InvalidTag(joined([x.sourced for x in warnings]))
    return tags, evidence, automatic.suggestions, warnings


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
        "warnings": [*document.warnings, *(str(x) for x in warnings)],
        "seconds": {k: round(v, 4) for k, v in outcome.seconds.items()},
    }
