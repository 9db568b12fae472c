"""Suggested tags: what a document names but does not settle, for curators to decide.

Automatic tagging (`kb.autotag`) offers a term when the document names it by a name that
is not weak, less than the vocabulary's rule asks for a tag: once in passing, say. A
suggestion is never used by filters, facets or exports; only curators see it, with its
evidence. A curator accepts it (the value joins the field's values as a curator's tag) or
dismisses it (it is never offered again for that document). Each decision is in the
audit trail ("tag.suggestion.accept", "tag.suggestion.dismiss"): what the curators decided,
for the rules and a classifier to learn from.
"""

from __future__ import annotations

from indexer.messages import Field, _
from kb.actors import CURATORS, Actor
from kb.audit import record
from kb.curation.corrections import CURATOR, TagState, record_correction, state_of
from kb.curation.writes import Expected, document_change, find_document
from kb.errors import NotFound
from kb.library import Library
from kb.tags import Tag, TagEvidence, effective
from kb.vocabulary import MULTI_VALUED

DEFAULT_LIMIT = 200


def suggestions_of(
    library: Library, doc_id: str, actor: Actor, *, prefix: bool = False
) -> tuple[str, list[TagEvidence]]:
    """(the document's id, its open suggestions) for a curator; NotFound otherwise."""
    actor.require(CURATORS, _("reading suggested tags"))
    doc = find_document(library, doc_id, actor, prefix=prefix)
    return doc.id, library.catalog.suggestions(doc.id)


def open_suggestions(
    library: Library, actor: Actor, limit: int = DEFAULT_LIMIT
) -> list[tuple[str, TagEvidence]]:
    """(document id, suggestion) across the library, most recently changed documents first."""
    actor.require(CURATORS, _("reading suggested tags"))
    return library.catalog.open_suggestions(limit)


def accept(
    library: Library,
    doc_id: str,
    field: str,
    value: str,
    actor: Actor,
    *,
    expected: Expected = None,
    prefix: bool = False,
) -> TagState:
    """Add the suggested value to the document's values for its field, as a curator's
    tag (a single-valued field takes it instead of its value)."""
    actor.require(CURATORS, _("accepting a suggested tag"))
    with document_change(library, doc_id, actor, expected=expected, prefix=prefix) as edit:
        doc_id = edit.document.id
        _open_suggestion(library, doc_id, field, value)
        current = effective(library.catalog.tags(doc_id)).get(field, ())
        values = [*current, value] if field in MULTI_VALUED else [value]
        record_correction(
            library, edit.document, actor, "tag.suggestion.accept",
            [Tag(field, v, CURATOR) for v in dict.fromkeys(values)], fields={field},
        )  # fmt: skip
        library.catalog.decide_suggestion(doc_id, field, value, accepted=True)
        edit.changed = True
    return state_of(library, edit.document.id)


def dismiss(
    library: Library,
    doc_id: str,
    field: str,
    value: str,
    actor: Actor,
    *,
    prefix: bool = False,
) -> TagState:
    """Never offer the value again for this document; its tags do not change."""
    actor.require(CURATORS, _("dismissing a suggested tag"))
    with document_change(library, doc_id, actor, prefix=prefix) as edit:
        doc_id = edit.document.id
        found = _open_suggestion(library, doc_id, field, value)
        library.catalog.decide_suggestion(doc_id, field, value, accepted=False)
        record(
            library.catalog, actor, "tag.suggestion.dismiss", "document", doc_id,
            document_id=doc_id, before={"suggested": {field: [value]}, "reason": found.reason},
        )  # fmt: skip
    return state_of(library, edit.document.id)


def _open_suggestion(library: Library, doc_id: str, field: str, value: str) -> TagEvidence:
    for found in library.catalog.suggestions(doc_id):
        if (found.field, found.value) == (field, value):
            return found
    raise NotFound(_("document {id}: no open suggestion {field} {value!r}", id=doc_id,
                     field=Field(field), value=value[:80]))
