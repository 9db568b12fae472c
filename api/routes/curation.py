"""Tag corrections, the validation workflow, re-tagging and the audit trail.

Writes need a token: curators (and admins) correct tags and submit documents for
validation; the council (and admins) validate or reject; admins read the audit trail.
Each answer carries the document's `ETag` ("r<revision>"); send it back in `If-Match` with
a change, and the change is refused with 412 if someone changed the document meanwhile.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam

from api import paging
from api.curation_schemas import (
    AuditEntryOut,
    AuditOut,
    CorrectionOut,
    CorrectionsIn,
    CorrectionsOut,
    RetagOut,
    StatusIn,
    StatusOut,
    StatusStepOut,
    SuggestionIn,
    SuggestionOut,
    SuggestionsOut,
    TagOriginOut,
    TagsOut,
    Value,
    ValuesIn,
)
from api.deps import CallerDep, GateDep, actor_of, if_match, revision_etag
from api.errors import status_of
from api.language import language_of
from api.schemas import ErrorResponse
from indexer.messages import _
from kb import audit
from kb.actors import AUDITORS, CURATORS, VALIDATORS
from kb.curation import corrections, suggestions, workflow
from kb.curation.corrections import TagState
from kb.curation.workflow import StatusView
from kb.messages import render
from kb.tags import TagEvidence

router = APIRouter(tags=["curation"])

DocId = Annotated[str, PathParam(min_length=1, max_length=100, description="Document id.",
                                 examples=["3f9a1c0b7e"])]
Field = Annotated[str, PathParam(min_length=1, max_length=40,
                                 description="Tag field: family, territory, mission, kind, "
                                 "instance, visibility, source, language, title, authors, "
                                 "date, year, summary, publisher.",
                                 examples=["family"])]


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    described = {
        401: "No token, or an invalid or revoked one.",
        403: "The token's role may not make this change.",
        404: "No such document (or one outside the caller's reach).",
        409: "A step the validation workflow does not allow.",
        412: "The document changed since the revision sent in If-Match.",
        422: "An unknown field or value (the closest terms are named), or a bad body.",
    }
    return {c: {"model": ErrorResponse, "description": described[c]} for c in codes}


WRITE_ERRORS = _errors(401, 403, 404, 412, 422)


@router.get("/documents/{doc_id}/tags", response_model=TagsOut, summary="A document's tags, "
            "for curation", responses=_errors(401, 403, 404))
def get_tags(doc_id: DocId, caller: CallerDep, gate: GateDep, response: Response) -> TagsOut:
    """Every tag with its origin, the effective values and the curators' corrections, with
    the revision to send back in `If-Match`. Curators, the council and admins see every
    document here, published or not."""
    actor = actor_of(caller)
    actor.require(CURATORS | VALIDATORS, _("reading tags for curation"))
    with gate.use() as library:
        state = corrections.show_tags(library, doc_id, actor)
    return _tags_out(state, response)


@router.put("/documents/{doc_id}/tags/{field}", response_model=TagsOut,
            summary="Set a tag field", responses=WRITE_ERRORS)
def set_tags(doc_id: DocId, field: Field, body: ValuesIn, request: Request, caller: CallerDep,
             gate: GateDep, response: Response) -> TagsOut:
    """Make `values` the document's values for `field`, over what its files and automatic
    tagging say (a curator's correction; it survives re-ingestion). `status` changes
    through POST /documents/{id}/status."""
    actor = actor_of(caller)
    with gate.use() as library:
        state = corrections.set_tags(library, doc_id, field, body.values, actor,
                                     expected=if_match(request))
    return _tags_out(state, response)


@router.post("/documents/{doc_id}/tags/{field}", response_model=TagsOut,
             summary="Add values to a tag field", responses=WRITE_ERRORS)
def add_tags(doc_id: DocId, field: Field, body: ValuesIn, request: Request, caller: CallerDep,
             gate: GateDep, response: Response) -> TagsOut:
    """Add `values` to a multi-valued field (family, territory, mission, instance, authors),
    keeping the values the document has."""
    actor = actor_of(caller)
    with gate.use() as library:
        state = corrections.add_tags(library, doc_id, field, body.values, actor,
                                     expected=if_match(request))
    return _tags_out(state, response)


@router.delete("/documents/{doc_id}/tags/{field}", response_model=TagsOut,
               summary="Remove values from a tag field", responses=WRITE_ERRORS)
def remove_tags(
    doc_id: DocId, field: Field, request: Request, caller: CallerDep, gate: GateDep,
    response: Response,
    value: Annotated[list[Value], Query(min_length=1, max_length=50,
                                      description="A value to remove (repeatable).")],
) -> TagsOut:
    """Remove values whatever their origin (a wrong automatic family, say); the other
    values stay, as a correction. Refused (422) if it would leave the field empty while
    the files give it values: set the right value instead."""
    actor = actor_of(caller)
    with gate.use() as library:
        state = corrections.remove_tags(library, doc_id, field, value, actor,
                                        expected=if_match(request))
    return _tags_out(state, response)


@router.delete("/documents/{doc_id}/corrections/{field}", response_model=TagsOut,
               summary="Undo a tag correction", responses=WRITE_ERRORS)
def clear_tags(doc_id: DocId, field: Field, request: Request, caller: CallerDep, gate: GateDep,
               response: Response) -> TagsOut:
    """Drop the curators' values for `field`: the files' and automatic tags apply again."""
    actor = actor_of(caller)
    with gate.use() as library:
        state = corrections.clear_tags(library, doc_id, field, actor,
                                       expected=if_match(request))
    return _tags_out(state, response)


@router.get("/documents/{doc_id}/suggestions", response_model=SuggestionsOut,
            summary="A document's suggested tags", responses=_errors(401, 403, 404))
def get_suggestions(doc_id: DocId, caller: CallerDep, gate: GateDep) -> SuggestionsOut:
    """What the document names but not enough to tag it (once in passing, say), each with
    its evidence, for a curator to accept or dismiss. Curators and admins."""
    actor = actor_of(caller)
    with gate.use() as library:
        found_id, offered = suggestions.suggestions_of(library, doc_id, actor)
    return SuggestionsOut(suggestions=[_suggestion_out(found_id, s) for s in offered])


@router.get("/suggestions", response_model=SuggestionsOut,
            summary="Suggested tags across the library", responses=_errors(401, 403))
def list_suggestions(
    caller: CallerDep, gate: GateDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many.")] = 200,
) -> SuggestionsOut:
    """Open suggestions of every document, most recently changed documents first."""
    actor = actor_of(caller)
    with gate.use() as library:
        listed = suggestions.open_suggestions(library, actor, limit)
    return SuggestionsOut(suggestions=[_suggestion_out(i, s) for i, s in listed])


@router.post("/documents/{doc_id}/suggestions/accept", response_model=TagsOut,
             summary="Accept a suggested tag", responses=WRITE_ERRORS)
def accept_suggestion(doc_id: DocId, body: SuggestionIn, request: Request, caller: CallerDep,
                      gate: GateDep, response: Response) -> TagsOut:
    """The value joins the field's values as a curator's tag (404: no such open
    suggestion). The decision is in the audit trail."""
    actor = actor_of(caller)
    with gate.use() as library:
        state = suggestions.accept(library, doc_id, body.field, body.value, actor,
                                   expected=if_match(request))
    return _tags_out(state, response)


@router.post("/documents/{doc_id}/suggestions/dismiss", response_model=TagsOut,
             summary="Dismiss a suggested tag", responses=_errors(401, 403, 404, 422))
def dismiss_suggestion(doc_id: DocId, body: SuggestionIn, caller: CallerDep, gate: GateDep,
                       response: Response) -> TagsOut:
    """Never offer the value again for this document; its tags do not change. The decision
    is in the audit trail."""
    actor = actor_of(caller)
    with gate.use() as library:
        state = suggestions.dismiss(library, doc_id, body.field, body.value, actor)
    return _tags_out(state, response)


@router.post("/tag-corrections", response_model=CorrectionsOut,
             summary="Correct the tags of many documents", responses=_errors(401, 403, 422))
def correct_many(body: CorrectionsIn, caller: CallerDep, gate: GateDep, request: Request
                 ) -> CorrectionsOut:
    """One request, many documents: each change is made as the one-document endpoints make
    it, in its own transaction with its own audit entry. A refused change (unknown
    document or value, stale `revision`) is reported in its result and the others are
    made. Curators and admins."""
    actor = actor_of(caller)
    changes = [corrections.Correction(c.document_id, c.field, c.operation, tuple(c.values),
                                      c.revision) for c in body.changes]
    with gate.use() as library:
        results = corrections.correct_many(library, changes, actor)
    out = []
    for result in results:
        if result.state is not None:
            out.append(CorrectionOut(
                document_id=result.document_id, ok=True, revision=result.state.revision,
                tags={f: list(v) for f, v in result.state.effective.items()}, error=None,
                detail=None))
        else:
            assert result.error is not None
            _, code, detail = status_of(result.error)
            out.append(CorrectionOut(document_id=result.document_id, ok=False, revision=None,
                                     tags=None, error=code,
                                     detail=render(detail, language_of(request))))
    changed = sum(1 for r in out if r.ok)
    return CorrectionsOut(changed=changed, refused=len(out) - changed, results=out)


@router.get("/documents/{doc_id}/status", response_model=StatusOut,
            summary="Where a document stands in the validation workflow",
            responses=_errors(401, 403, 404))
def get_status(doc_id: DocId, caller: CallerDep, gate: GateDep, response: Response
               ) -> StatusOut:
    """Its status, the steps allowed from there and the history with comments."""
    actor = actor_of(caller)
    actor.require(CURATORS | VALIDATORS, _("reading the validation workflow"))
    with gate.use() as library:
        view = workflow.show_status(library, doc_id, actor)
    return _status_out(view, response)


@router.post("/documents/{doc_id}/status", response_model=StatusOut,
             summary="Submit, validate or reject a document",
             responses=_errors(401, 403, 404, 409, 412, 422))
def change_status(doc_id: DocId, body: StatusIn, request: Request, caller: CallerDep,
                  gate: GateDep, response: Response) -> StatusOut:
    """draft → submitted (curators) → validated or rejected (the council; a rejection needs
    a comment); submitted or rejected → draft and rejected → submitted (curators);
    validated → draft (the council). Any other step is refused with 409."""
    actor = actor_of(caller)
    with gate.use() as library:
        view = workflow.change_status(library, doc_id, body.status, actor,
                                      comment=body.comment, expected=if_match(request))
    return _status_out(view, response)


@router.post("/retag", response_model=RetagOut, summary="Re-apply automatic tagging",
             responses={**_errors(401, 403),
                        503: {"model": ErrorResponse, "description": "An ingest is running."}})
def retag(caller: CallerDep, gate: GateDep) -> RetagOut:
    """Re-run automatic tagging (vocabulary synonyms in the text) over the whole library,
    with the vocabulary file as it is now. Curators' corrections and sidecars stay."""
    actor = actor_of(caller)
    actor.require(CURATORS, _("re-tagging the library"))
    with gate.use() as library:
        report = corrections.retag(library, actor)
    return RetagOut(documents=report.documents, changed=report.changed)


@router.get("/audit", response_model=AuditOut, summary="Who changed what (admins)",
            responses=_errors(401, 403, 422))
def get_audit(
    request: Request,
    response: Response,
    caller: CallerDep,
    gate: GateDep,
    document: Annotated[str | None, Query(max_length=100, description="A document id.")] = None,
    collection: Annotated[str | None, Query(max_length=100, description="A collection id."
                                            )] = None,
    actor_name: Annotated[str | None, Query(alias="actor", max_length=100,
                                            description="A token name or login.")] = None,
    action: Annotated[str | None, Query(max_length=60, description="An action (tag.set) or "
                                        "family of actions (tag, status).")] = None,
    page: Annotated[int, Query(ge=1, le=100_000, description="1 for the first page.",
                               examples=[1])] = 1,
    size: Annotated[int, Query(ge=1, le=audit.MAX_LIMIT, description="Entries per page.",
                               examples=[100])] = 100,
    limit: Annotated[int | None, Query(ge=1, le=audit.MAX_LIMIT, deprecated=True,
                                       description="Use size.")] = None,
    offset: Annotated[int | None, Query(ge=0, le=10_000_000, deprecated=True,
                                        description="Use page.")] = None,
) -> AuditOut:
    """Every change made through the API or the command line, newest first: who (token
    name or local user), when, what, and the values before and after. Paged like every
    list (`page`, `size`; `X-Total-Count`, `Link`)."""
    actor_of(caller).require(AUDITORS, _("reading the audit trail"))
    size = limit if limit is not None else size
    start = offset if offset is not None else (page - 1) * size
    filters = {"document": document, "collection": collection, "actor": actor_name,
               "action": action}
    with gate.use() as library:
        found = library.audit.entries(**filters, limit=size, offset=start)
        total = library.audit.count(**filters)
    paging.add_headers(request, response, total=total, page=start // size + 1, size=size)
    return AuditOut(entries=[AuditEntryOut(**e.__dict__) for e in found], total=total,
                    page=start // size + 1, size=size, limit=size, offset=start)


def _suggestion_out(doc_id: str, found: TagEvidence) -> SuggestionOut:
    return SuggestionOut(document_id=doc_id, field=found.field, value=found.value,
                         reason=found.reason, mentions=found.mentions, words=list(found.words),
                         pages=list(found.pages))


def _tags_out(state: TagState, response: Response) -> TagsOut:
    response.headers["ETag"] = revision_etag(state.revision)
    return TagsOut(
        id=state.id,
        revision=state.revision,
        state=state.state,
        tags={f: list(v) for f, v in state.effective.items()},
        corrections={f: list(v) for f, v in state.corrections.items()},
        tag_origins=[TagOriginOut(field=t.field, value=t.value, origin=t.origin)
                     for t in state.tags],
    )


def _status_out(view: StatusView, response: Response) -> StatusOut:
    response.headers["ETag"] = revision_etag(view.revision)
    return StatusOut(
        id=view.id,
        revision=view.revision,
        status=view.status,
        allowed=list(view.allowed),
        history=[StatusStepOut(at=s.at, actor=s.actor, role=s.role, before=s.before,
                               after=s.after, comment=s.comment) for s in view.history],
    )
