"""Submitting (`/depot`, `/mes-depots`) and reviewing submissions (`/depots`).

A member of the network sends a file with a title, kind, authors and tags; it enters the
library as `submitted` and `internal` (kb.curation.submissions, as through the API). The
submitter follows where their submissions stand; curators and the council read each one
(the file, its extracted text), validate or reject it and publish it, with the forms of
the curation routes.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api.deps import GateDep, actor_of
from api.security import file_headers
from api.uploads import read_upload_form
from api.web.common import NO_STORE, PageRoute, Visitor, french, label, page, visitor_of
from api.web.document_page import STEP_LABELS
from api.web.session import check_csrf
from api.web.vocabulary_tree import term_tree
from indexer.messages import _
from kb.actors import CURATORS, SUBMITTERS, VALIDATORS
from kb.curation import submissions, workflow
from kb.curation.submissions import INITIAL_VISIBILITY, Submission
from kb.curation.workflow import SUBMITTED
from kb.errors import Forbidden, KbError
from kb.library import Library

router = APIRouter(route_class=PageRoute, include_in_schema=False)

UPLOAD_PATH = "/depot"
FORM_TAGS = submissions.TAG_CHOICES  # as `kb submit` takes them
VISIBILITY_LABELS = {"public": "Public", "network": "Réseau", "internal": "Interne"}


def _require(visitor: Visitor, roles: frozenset[str], doing: str) -> Response | None:
    """A redirect to the sign-in page for an anonymous visitor; Forbidden for a role that
    may not; None when the visitor may go on."""
    if not visitor.signed_in:
        return RedirectResponse(f"/connexion?suivant={doing}", status_code=303,
                                headers=NO_STORE)
    actor_of(visitor.caller).require(roles, _("this page"))
    return None


def _form_context(library: Library) -> dict[str, Any]:
    vocabulary = library.vocabulary
    return {
        "kinds": [(t.key, t.label) for t in vocabulary.terms("kind")],
        # Nested as the vocabulary's tree: each pays under its own département.
        "tag_fields": [(f, term_tree(vocabulary, f)) for f in FORM_TAGS],
    }


@router.get(UPLOAD_PATH)
def submit_page(request: Request, gate: GateDep) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
        redirect = _require(visitor, SUBMITTERS, UPLOAD_PATH)
        if redirect:
            return redirect
        context = _form_context(library)
    return page(request, "submit.html", {**context, "error": None, "given": {}},
                visitor=visitor)


@router.post(UPLOAD_PATH)
async def submit_file(request: Request, gate: GateDep) -> Response:
    """The form's file and fields, read under the API's own limits (`api.uploads`)."""
    limit: int = request.app.state.max_upload
    upload, fields = await read_upload_form(request, limit)
    try:
        await upload.seek(0)
        csrf = (fields.pop("csrf", None) or [""])[0]
        authors = [a.strip() for a in re.split(r"[;\n]", (fields.pop("authors", None)
                                                            or [""])[0]) if a.strip()]
        metadata = {k: v for k, v in fields.items() if any(x.strip() for x in v)}
        if authors:
            metadata["authors"] = authors

        def work() -> Response:
            with gate.use() as library:
                visitor = visitor_of(request, library)
                check_csrf(visitor.session, csrf)
                actor = actor_of(visitor.caller)
                try:
                    found = submissions.submit(library, actor, upload.file,
                                               upload.filename or "document", metadata,
                                               max_bytes=limit)
                except KbError as exc:
                    if isinstance(exc, Forbidden):
                        raise
                    return page(request, "submit.html", {
                        **_form_context(library), "error": french(exc.message), "given": fields,
                    }, visitor=visitor, status=422)
            return RedirectResponse(f"/mes-depots?ok={found.id}", status_code=303,
                                    headers=NO_STORE)

        return await run_in_threadpool(work)
    finally:
        await upload.close()


@router.get("/mes-depots")
def my_submissions(request: Request, gate: GateDep) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
        redirect = _require(visitor, SUBMITTERS, "/mes-depots")
        if redirect:
            return redirect
        found = submissions.list_submissions(library, actor_of(visitor.caller), mine=True)
        rows = [_row(library, s, visitor.curates) for s in found]
    sent = request.query_params.get("ok")
    return page(request, "submissions.html", {
        "title": "Mes dépôts", "rows": rows, "mine": True,
        "sent": sent if sent and sent.isdigit() else None,
    }, visitor=visitor)


@router.get("/depots")
def all_submissions(request: Request, gate: GateDep) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
        redirect = _require(visitor, CURATORS | VALIDATORS, "/depots")
        if redirect:
            return redirect
        found = submissions.list_submissions(library, actor_of(visitor.caller))
        rows = [_row(library, s, visitor.curates) for s in found]
    return page(request, "submissions.html", {"title": "Dépôts à examiner", "rows": rows,
                                              "mine": False, "sent": None}, visitor=visitor)


@router.get("/depots/{submission_id}")
def review_page(submission_id: int, request: Request, gate: GateDep) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
        redirect = _require(visitor, SUBMITTERS, f"/depots/{submission_id}")
        if redirect:
            return redirect
        actor = actor_of(visitor.caller)
        found = submissions.get_submission(library, actor, submission_id)
        context: dict[str, Any] = {"row": _row(library, found, visitor.curates),
                                   "submission": found, "sections": [], "steps": [],
                                   "revision": None}
        if found.document_id and library.documents.get(found.document_id) is not None:
            doc = library.documents.get(found.document_id)
            assert doc is not None
            context["sections"] = library.documents.sections(doc.id)
            context["revision"] = doc.revision
            if visitor.curates:
                status = workflow.status_of(library.documents.tags(doc.id))
                context["steps"] = [
                    {"to": to, "label": STEP_LABELS.get(to, to)}
                    for (frm, to), (roles, _d) in workflow.TRANSITIONS.items()
                    if frm == status and visitor.role in roles
                ]
        context["visibilities"] = [(t.key, t.label) for t in library.vocabulary.terms(
            "visibility")]
        context["may_publish"] = visitor.role in CURATORS
    return page(request, "review.html", context, visitor=visitor)


@router.get("/depots/{submission_id}/fichier")
def submission_file(submission_id: int, request: Request, gate: GateDep) -> Response:
    from starlette.responses import FileResponse

    with gate.use() as library:
        visitor = visitor_of(request, library)
        found = submissions.get_submission(library, actor_of(visitor.caller), submission_id)
        path = submissions.stored_file(library, found)
    return FileResponse(path, media_type=found.media_type,
                        headers={"Cache-Control": "private, no-cache",
                                 **file_headers(found.media_type, found.file_name)})


def _row(library: Library, found: Submission, reviewer: bool) -> dict[str, Any]:
    """One submission for a page; a copy of a document the submitter may not see shows
    its submitter what a new submission shows (kb.curation.submissions), the curators
    what it is."""
    status = visibility = None
    if found.duplicate_of and not reviewer:
        status, visibility = SUBMITTED, INITIAL_VISIBILITY
    elif found.document_id:
        tags = library.documents.effective_tags(found.document_id)
        status = (tags.get("status") or ("draft",))[0]
        visibility = (tags.get("visibility") or (None,))[0]
    title = (found.metadata.get("title") or (found.file_name,))[0]
    kind = (found.metadata.get("kind") or (None,))[0]
    return {
        "id": found.id,
        "title": title,
        "kind": label(library, "kind", kind) if kind else None,
        "file": found.file_name,
        "submitter": found.submitter,
        "at": found.submitted_at.replace("T", " ")[:16],
        "state": found.state,
        "error": found.error,
        "status": label(library, "status", status) if status else None,
        "visibility": VISIBILITY_LABELS.get(visibility or "", visibility),
        "visibility_key": visibility,
        "document_id": found.document_id,
        "duplicate_of": found.duplicate_of if reviewer else None,
    }
