"""GET /documents/{id}, its text and its original file.

A document the caller may not see answers exactly like one that does not exist (404, same
message), on every route here; the check comes before anything else is read.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse

from api.conditional import json_with_etag, none_match, not_modified
from api.deps import CallerDep, GateDep, curation_scope, visible_document
from api.routes.search import hit_out, still_visible
from api.schemas import (
    DocumentOut,
    ErrorResponse,
    ExtractionOut,
    MembershipOut,
    SectionOut,
    SimilarOut,
    TagEvidenceOut,
    TagOut,
    TextOut,
)
from api.security import file_headers
from indexer.messages import _
from kb.documents import current_file, file_names
from kb.errors import FileMissing, KbError, NotFound
from kb.library import DocumentView, Library
from kb.tags import ORIGINS, TagEvidence

router = APIRouter(prefix="/documents", tags=["documents"])

DocId = Annotated[str, PathParam(description="Document id, as in search hits.",
                                 examples=["3f9a1c0b7e"])]
_RANGE = re.compile(r"bytes=\s*(\d*-\d*)(\s*,\s*\d*-\d*)*\s*", re.ASCII)

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Invalid or revoked token."},
    404: {"model": ErrorResponse,
          "description": "No such document, or one the caller may not see."},
    422: {"model": ErrorResponse, "description": "An invalid parameter."},
}


@router.get(
    "/{doc_id}",
    response_model=DocumentOut,
    summary="A document's metadata and tags",
    responses={**ERRORS, 304: {"description": "Not modified (If-None-Match matched the ETag)."}},
)
def get_document(doc_id: DocId, request: Request, caller: CallerDep, gate: GateDep) -> Response:
    """Title, dates, file names, pages, effective tags and every tag with its origin, and
    the collections holding it that the caller may see.

    Carries an `ETag`; send it back in `If-None-Match` to get a 304 while it is unchanged.
    """
    with gate.use() as library:
        doc = visible_document(library, caller, doc_id)
        # The same scope as GET /collections: a hidden collection is not even named here.
        payload = document_out(library, library.show(doc.id), curation_scope(caller))
    return json_with_etag(request, payload)


@router.get(
    "/{doc_id}/text",
    response_model=TextOut,
    summary="A document's repaired text",
    responses={**ERRORS, 304: {"description": "Not modified (If-None-Match matched the ETag)."}},
)
def get_text(
    doc_id: DocId,
    request: Request,
    caller: CallerDep,
    gate: GateDep,
    page: Annotated[int | None, Query(ge=1, le=100_000,
                                      description="Only the sections of this page.")] = None,
) -> Response:
    """The text as extracted and repaired, section by section with page numbers."""
    with gate.use() as library:
        doc = visible_document(library, caller, doc_id)
        sections = library.documents.sections(doc.id)
        title = (library.documents.effective_tags(doc.id).get("title") or ("",))[0]
    pages = len({s.page for s in sections if s.page is not None})
    if page is not None:
        sections = [s for s in sections if s.page == page]
        if not sections:
            raise NotFound(_("document {id!r} has no text on page {page} ({pages} pages)",
                             id=doc.id, page=page, pages=pages))
    payload = TextOut(
        id=doc.id,
        title=title,
        pages=pages,
        sections=[SectionOut(page=s.page, heading=s.heading, text=s.text) for s in sections],
    )
    return json_with_etag(request, payload)


@router.get(
    "/{doc_id}/file",
    summary="The original file",
    response_class=FileResponse,
    responses={
        200: {"description": "The file, with its media type (application/pdf, ...) and name.",
              "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
        206: {"description": "Part of the file (Range request).",
              "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
        304: {"description": "Not modified (If-None-Match matched the ETag)."},
        400: {"model": ErrorResponse, "description": "A malformed Range header."},
        416: {"description": "The Range is outside the file."},
        **ERRORS,
    },
)
def get_file(doc_id: DocId, request: Request, caller: CallerDep, gate: GateDep) -> Response:
    """The file as it was ingested: its media type, a `Content-Disposition` file name
    (inline for a PDF, a download for anything else; `Content-Security-Policy: sandbox`), an
    `ETag` (the content's SHA-256) and byte ranges (`Range: bytes=0-1023` -> 206), so that a
    PDF viewer can show the first pages of a large PDF before the rest arrives. HEAD gives
    the headers alone.
    """
    with gate.use() as library:
        doc = visible_document(library, caller, doc_id)
        paths = library.documents.present_files(doc.id)
    etag = f'"{doc.content_hash}"'
    if none_match(request, etag):
        return not_modified(etag)
    # Looked for outside the lock: it reads the disk, and may hash a touched file.
    found = current_file(doc, paths)
    if found is None:
        raise FileMissing(
            _("the file of document {id!r} is no longer where it was ingested (moved, deleted "
              "or changed since); the next `kb ingest` will find it", id=doc.id)
        )
    ranges = request.headers.get("range")
    if ranges is not None and not _RANGE.fullmatch(ranges):
        raise KbError(_("malformed Range header {ranges!r}; e.g. 'bytes=0-1023'",
                        ranges=ranges[:80]))
    # Never active content from our origin: see api.security (PDF inline, the rest
    # downloaded, sandboxed either way).
    return FileResponse(
        found.path,
        media_type=doc.media_type,
        stat_result=found.stat,
        headers={"ETag": etag, **file_headers(doc.media_type, found.path.name)},
    )


# HEAD (headers alone, for viewers that ask the size first), kept out of the schema: one
# operation per path and method there, and it answers like GET.
router.add_api_route("/{doc_id}/file", get_file, methods=["HEAD"], include_in_schema=False)


@router.get(
    "/{doc_id}/similar",
    response_model=SimilarOut,
    summary="Documents like this one",
    responses=ERRORS,
)
def get_similar(
    doc_id: DocId,
    caller: CallerDep,
    gate: GateDep,
    size: Annotated[int, Query(ge=1, le=100, description="How many documents.")] = 10,
) -> SimilarOut:
    """The documents sharing the most distinctive words of this one, best first, among those
    the caller may see (itself excluded)."""
    with gate.use() as library:
        doc = visible_document(library, caller, doc_id)
        results = library.similar(doc.id, visibilities=caller.visibilities, size=size)
        hits = [hit_out(h) for h in results.hits if still_visible(caller, h)]
    return SimilarOut(like=doc.id, total=results.total, hits=hits)


def document_out(

    library: Library, view: DocumentView, scope: frozenset[str] | None
) -> DocumentOut:
    doc, chosen = view.document, view.effective
    vocabulary = library.vocabulary
    winner: dict[str, int] = {}
    for tag in view.tags:
        winner[tag.field] = max(winner.get(tag.field, -1), ORIGINS.index(tag.origin))
    evidence = {(e.field, e.value): e for e in library.documents.evidence(doc.id)}
    tag_origins = [
        TagOut(
            field=t.field,
            value=t.value,
            label=_label(library, t.field, t.value),
            origin=t.origin,
            effective=ORIGINS.index(t.origin) == winner[t.field]
            and t.value in chosen.get(t.field, ()),
            evidence=_evidence_out(evidence.get((t.field, t.value)), t.origin),
        )
        for t in view.tags
    ]
    year = (chosen.get("year") or (None,))[0]
    report = doc.report or {}
    files = file_names(view.paths)
    return DocumentOut(
        id=doc.id,
        title=(chosen.get("title") or ("",))[0],
        authors=list(chosen.get("authors", ())),
        summary=(chosen.get("summary") or (None,))[0],
        year=int(year) if year and year.isdigit() else None,
        date=(chosen.get("date") or (None,))[0],
        media_type=doc.media_type,
        size=doc.size,
        files=files,
        pages=view.pages,
        sections=view.sections,
        characters=view.characters,
        tags={f: list(chosen[f]) for f in vocabulary.fields if f in chosen},
        tag_origins=tag_origins,
        added_at=doc.added_at,
        updated_at=doc.updated_at,
        extraction=ExtractionOut(
            extracted_at=report.get("extracted_at"),
            encoding=report.get("encoding"),
            repairs={str(k): int(v) for k, v in (report.get("repairs") or {}).items()},
        ),
        collections=_memberships(library, doc.id, scope),
    )


def _evidence_out(found: TagEvidence | None, origin: str) -> TagEvidenceOut | None:
    # An automatic tag's evidence; where a title or a date was read (derived, properties).
    if found is None or origin not in ("auto", "derived", "properties"):
        return None
    return TagEvidenceOut(
        reason=found.reason, mentions=found.mentions, words=list(found.words),
        pages=list(found.pages),
    )  # fmt: skip


def _memberships(
    library: Library, doc_id: str, scope: frozenset[str] | None
) -> list[MembershipOut]:
    return [MembershipOut(id=found.id, name=found.name, note=entry.note)
            for found, entry in library.collections.memberships(doc_id, scope)]


def _label(library: Library, field: str, value: str) -> str | None:
    if field not in library.vocabulary.fields:
        return None
    term = library.vocabulary.get(field, value)
    return term.label if term is not None else None
