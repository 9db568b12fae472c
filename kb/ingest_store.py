"""A file just extracted, into the catalog: its document, sections, tags and evidence.

One transaction per file, with its audit entry: a new document, or new content for the
document the file had (kept elsewhere if another of its files still holds the old one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from indexer.extract.base import ExtractedDocument
from indexer.fingerprint import text_fingerprint
from indexer.messages import joined
from kb import audit, failures
from kb.autotag import automatic_tags, worth_offering
from kb.catalog import now
from kb.errors import InvalidSidecar, InvalidTag
from kb.extraction import ExtractOutcome, find_mentions
from kb.ingest_run import (
    INGEST_ORIGINS,
    Problem,
    Run,
    changed_fields,
    fail,
    path_row,
    read_file_sidecar,
    sidecar_signature,
)
from kb.learning import load as load_model
from kb.library import Library
from kb.scan import Candidate
from kb.sidecar import sidecar_path
from kb.stated_dates import choose_date
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
from kb.titles import choose_title

DEFAULTS = {"visibility": "public", "status": "draft"}


def store(
    library: Library,
    candidate: Candidate,
    content_hash: str,
    prior: str | None,
    outcome: ExtractOutcome,
    strict: bool,
    run: Run,
) -> str | None:
    """Write one extracted file to the catalog and return its document id, or record why
    it failed and return None."""
    catalog = library.catalog
    if outcome.document is None:
        fail(library, candidate, outcome.error or "extraction failed", content_hash, run)
        return None
    document = outcome.document
    sidecar = sidecar_signature(candidate.path)
    try:
        tags, evidence, suggestions, warnings = _tags_for(library, candidate, outcome, strict)
    except (InvalidTag, InvalidSidecar) as exc:
        fail(library, candidate, str(exc), content_hash, run)
        return None
    run.warnings.extend(Problem(w.source, str(w.message)) for w in warnings)
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
        # Computed by the extraction worker with the text it prepared for the index.
        fingerprint = (
            outcome.fingerprint
            if outcome.prepared is not None
            else text_fingerprint(s.text for s in document.sections)
        )
        catalog.set_text_fingerprint(doc_id, fingerprint)
        catalog.replace_tags(doc_id, INGEST_ORIGINS, tags)
        catalog.replace_evidence(doc_id, evidence)
        catalog.put_path(path_row(candidate, doc_id, sidecar))
        failures.clear(catalog, candidate.path)
        # A new document has no curator's tags: what was just written is all it has.
        tags_after = effective(catalog.tags(doc_id) if previous is not None else tags)
        catalog.replace_suggestions(doc_id, worth_offering(suggestions, tags_after))
        old_tags, new_tags = changed_fields(tags_before, tags_after)
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


def _tags_for(
    library: Library, candidate: Candidate, outcome: ExtractOutcome, strict: bool
) -> tuple[list[Tag], list[TagEvidence], list[TagEvidence], list[TagWarning]]:
    vocab = library.vocabulary
    document = outcome.document
    assert document is not None
    tags = derived_tags(DEFAULTS)
    title = choose_title(document, Path(candidate.given).name)
    date = choose_date(document, title.value, dt.datetime.now(dt.UTC))
    described, warnings, sources = described_tags(title, date, vocab, candidate.given)
    tags += described
    from_props, prop_warnings = tags_from_properties(document, vocab, candidate.given)
    tags += from_props
    warnings += prop_warnings
    from_sidecar, sidecar_warnings = tags_from_sidecar(
        read_file_sidecar(candidate), vocab, str(sidecar_path(Path(candidate.given)))
    )
    warnings = [*warnings, *sidecar_warnings]
    # The title a reader sees (a sidecar's over the document's), as `kb retag` reads it.
    shown = effective([*tags, *from_sidecar]).get("title", (title.value,))[0]
    # The text's names, found by the extraction worker when it had the vocabulary.
    found = outcome.mentions if outcome.mentions is not None else find_mentions(vocab, document)
    in_text = [m for m in found if m.place != "title"]
    mentions = [*vocab.find_mentions(shown, []), *in_text]
    automatic = automatic_tags(vocab, shown, document.sections, document.media_type, mentions,
                               load_model(library.root))  # fmt: skip
    tags += [*automatic.tags, *from_sidecar]
    evidence = [*sources, *automatic.evidence]
    if strict and warnings:
        raise InvalidTag(joined([w.sourced for w in warnings]))
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
        "warnings": [*document.warnings, *(str(w) for w in warnings)],
        "seconds": {k: round(v, 4) for k, v in outcome.seconds.items()},
    }
