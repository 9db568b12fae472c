"""POST /documents: the resource-person network sends a document; GET /submissions.

The upload is a multipart form (one `file`, metadata fields beside it), read here with
Starlette's parser under explicit limits: the file up to `app.state.max_upload` bytes
(413 past it, even when the body is streamed without a Content-Length), at most 50 small
fields. The document enters the library as `submitted` and `internal`; the submitter sees
their own submissions, curators and the council all of them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from api import paging
from api.curation_schemas import SubmissionOut, SubmissionsOut
from api.deps import CallerDep, GateDep, actor_of
from api.paging import PageParam, SizeParam
from api.routes import API_PREFIX
from api.schemas import ErrorResponse
from api.security import file_headers
from api.uploads import read_upload_form
from indexer.messages import _
from kb.actors import SUBMITTERS
from kb.curation import submissions
from kb.curation.submissions import METADATA_FIELDS, Submission, size_text
from kb.errors import TooLarge
from kb.vocabulary import MULTI_VALUED

router = APIRouter(tags=["submissions"])

UPLOAD_PATH = "/documents"

_UPLOAD_SCHEMA = {
    "required": True,
    "content": {"multipart/form-data": {"schema": {
        "type": "object",
        "required": ["file", "title", "kind"],
        "properties": {
            "file": {"type": "string", "format": "binary",
                     "description": "PDF, DOCX, ODT, HTML, text or Markdown."},
            **{
                name: ({"type": "array", "items": {"type": "string"}}
                       if name in MULTI_VALUED else {"type": "string"})
                for name in METADATA_FIELDS
            },
        },
    }}},
}


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    described = {
        400: "Not a multipart form, or no file in it.",
        401: "No token, or an invalid or revoked one.",
        403: "The token's role may not do this.",
        404: "No such submission (or someone else's).",
        409: "This file is already in the library.",
        413: "The file is larger than the library accepts.",
        415: "A type of file the library cannot read.",
        422: "Missing or invalid metadata (title and kind are required).",
        503: "An ingest is running; try again in a moment.",
    }
    return {c: {"model": ErrorResponse, "description": described[c]} for c in codes}


@router.post(
    UPLOAD_PATH,
    response_model=SubmissionOut,
    status_code=201,
    summary="Submit a document",
    openapi_extra={"requestBody": _UPLOAD_SCHEMA},
    responses={**_errors(400, 401, 403, 409, 413, 415, 422, 503), 201: {
        "description": "The submission (its `id` is a submission's, not a document's).",
        # Said explicitly, so that clients (and schemathesis's stateful runs) follow the
        # answer to the submission, and to its document once there is one.
        "links": {
            "GetSubmission": {
                "operationRef": "#/paths/~1api~1v1~1submissions~1{submission_id}/get",
                "parameters": {"submission_id": "$response.body#/id"},
            },
        },
    }},
)
async def submit_document(request: Request, caller: CallerDep, gate: GateDep,
                          response: Response) -> SubmissionOut:
    """Send a document with its metadata (`title` and `kind` required; `authors`,
    `family`, `territory`, `mission`, `instance` repeatable; `date`, `year`, `summary`,
    `language`, `source`). It is ingested with status `submitted` and visibility `internal`
    until a curator publishes it. A file that cannot be read is kept for the curators:
    the answer is still 201, with `state` "failed" and the reason in `error`."""
    actor = actor_of(caller)
    actor.require(SUBMITTERS, _("submitting a document"))
    limit: int = request.app.state.max_upload
    upload, metadata = await read_upload_form(request, limit)
    try:
        if upload.size is not None and upload.size > limit:
            raise TooLarge(_("file larger than {value}", value=size_text(limit)))
        await upload.seek(0)
        # The library work is synchronous and holds the gate: run it off the event loop.
        def work() -> Submission:
            with gate.use() as library:
                return submissions.submit(library, actor, upload.file,
                                          upload.filename or "document", metadata,
                                          max_bytes=limit)

        found = await run_in_threadpool(work)
    finally:
        await upload.close()
    response.headers["Location"] = f"{API_PREFIX}/submissions/{found.id}"
    return _out(found)


@router.get("/submissions", response_model=SubmissionsOut, summary="Submissions",
            responses=_errors(401, 403))
def list_submissions(
    request: Request, response: Response, caller: CallerDep, gate: GateDep,
    mine: Annotated[bool, Query(description="Only the caller's own (always so for the "
                                "network).")] = False,
    page: PageParam = 1,
    size: SizeParam = 100,
) -> SubmissionsOut:
    """Newest first: the caller's own, or every submission for curators and the council;
    paged like every list (`page`, `size`; `X-Total-Count`, `Link`)."""
    actor = actor_of(caller)
    with gate.use() as library:
        found = submissions.list_submissions(library, actor, mine=mine)
    paging.add_headers(request, response, total=len(found), page=page, size=size)
    return SubmissionsOut(submissions=[_out(s) for s in found[(page - 1) * size: page * size]],
                          total=len(found), page=page, size=size)


@router.get("/submissions/{submission_id}", response_model=SubmissionOut,
            summary="One submission", responses=_errors(401, 403, 404))
def get_submission(submission_id: Annotated[int, PathParam(ge=1, le=2**62, examples=[1])],
                   caller: CallerDep, gate: GateDep) -> SubmissionOut:
    actor = actor_of(caller)
    with gate.use() as library:
        return _out(submissions.get_submission(library, actor, submission_id))


@router.get("/submissions/{submission_id}/file", summary="The submitted file",
            response_class=FileResponse,
            responses={200: {"description": "The file as it was sent.",
                             "content": {"*/*": {"schema": {"type": "string",
                                                            "format": "binary"}}}},
                       **_errors(401, 403, 404)})
def get_submission_file(submission_id: Annotated[int, PathParam(ge=1, le=2**62, examples=[1])],
                        caller: CallerDep, gate: GateDep) -> FileResponse:
    """For the submitter, curators and the council: how they read a document that is not
    published yet, or one that could not be extracted."""
    actor = actor_of(caller)
    with gate.use() as library:
        found = submissions.get_submission(library, actor, submission_id)
        path = submissions.stored_file(library, found)
    return FileResponse(path, media_type=found.media_type,
                        headers=file_headers(found.media_type, found.file_name))


def _out(found: Submission) -> SubmissionOut:
    return SubmissionOut(
        id=found.id, submitter=found.submitter, file_name=found.file_name, size=found.size,
        media_type=found.media_type, document_id=found.document_id, state=found.state,
        error=found.error, metadata={k: list(v) for k, v in found.metadata.items()},
        submitted_at=found.submitted_at,
    )
