"""Curation from a document's page: correct a tag, move it through the validation workflow.

The forms post to these routes, which call the curation functions the API calls
(`kb.curation.corrections`, `kb.curation.workflow`) with the revision the page showed: a
change made by someone else since is refused, and the page comes back with the current
values and a message saying so.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from api.deps import GateDep, actor_of, visible_document
from api.errors import status_of
from api.web.account_pages import local_path
from api.web.common import (
    ERROR_TEXT,
    NO_STORE,
    PageRoute,
    Visitor,
    error_page,
    french,
    page,
    visitor_of,
)
from api.web.document_page import notice_context
from api.web.session import check_csrf
from indexer.messages import _
from kb.curation import corrections, suggestions, workflow
from kb.errors import KbError, NotFound, PreconditionFailed
from kb.library import Library

router = APIRouter(route_class=PageRoute, include_in_schema=False)

Revision = Annotated[int, Form(ge=0, le=10**15)]
CsrfField = Annotated[str, Form(max_length=200)]
BackField = Annotated[str, Form(max_length=500)]


@router.post("/notice/{doc_id}/etiquettes")
def correct_tags(
    doc_id: str,
    request: Request,
    gate: GateDep,
    revision: Revision,
    field: Annotated[str, Form(max_length=40)],
    csrf: CsrfField = "",
    value: Annotated[list[str], Form(max_length=100)] = [],  # noqa: B006 (copied per request)
    retour: BackField = "",
) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
        check_csrf(visitor.session, csrf)
        try:
            # The library checks the role and the curation scope, as for the API.
            state = corrections.set_tags(library, doc_id, field, value,
                                         actor_of(visitor.caller), expected={revision})
        except KbError as exc:
            return _refused(library, request, visitor, doc_id, exc)
    return _done(retour, f"/notice/{quote(state.id)}?ok=etiquettes")


@router.post("/notice/{doc_id}/suggestions")
def decide_suggestion(
    doc_id: str,
    request: Request,
    gate: GateDep,
    revision: Revision,
    field: Annotated[str, Form(max_length=40)],
    value: Annotated[str, Form(max_length=500)],
    decision: Annotated[Literal["accepter", "ecarter"], Form()],
    csrf: CsrfField = "",
    retour: BackField = "",
) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
        check_csrf(visitor.session, csrf)
        actor = actor_of(visitor.caller)
        try:
            if decision == "accepter":
                state = suggestions.accept(library, doc_id, field, value, actor,
                                           expected={revision})
            else:
                state = suggestions.dismiss(library, doc_id, field, value, actor)
        except KbError as exc:
            return _refused(library, request, visitor, doc_id, exc)
    return _done(retour, f"/notice/{quote(state.id)}?ok=suggestion")


@router.post("/notice/{doc_id}/statut")
def change_status(
    doc_id: str,
    request: Request,
    gate: GateDep,
    revision: Revision,
    status: Annotated[str, Form(max_length=40)],
    csrf: CsrfField = "",
    comment: Annotated[str, Form(max_length=2000)] = "",
    retour: BackField = "",
) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
        check_csrf(visitor.session, csrf)
        try:
            view = workflow.change_status(library, doc_id, status, actor_of(visitor.caller),
                                          comment=comment, expected={revision})
        except KbError as exc:
            return _refused(library, request, visitor, doc_id, exc)
    return _done(retour, f"/notice/{quote(view.id)}?ok=statut")


def _done(back: str, default: str) -> Response:
    """After a change: back to the page the form came from (a path of this site)."""
    target = local_path(back) if back else default
    return RedirectResponse(target, status_code=303, headers=NO_STORE)


def _refused(library: Library, request: Request, visitor: Visitor, doc_id: str,
             error: KbError) -> Response:
    """The document's page again, with its current values and why the change was refused
    (the error page when the visitor may not see the document's page)."""
    try:
        visible_document(library, visitor.caller, doc_id)
    except NotFound:
        return error_page(request, error, visitor)
    status, _code, detail = status_of(error)
    title, advice = ERROR_TEXT.get(status, ERROR_TEXT[400])
    if isinstance(error, PreconditionFailed):
        title = _("Change refused: the document changed since you read it.")
        advice = _("Someone changed it meanwhile. The current values are shown below: check "
                   "them and make your change again if it is still needed.")
    elif error.message.text == workflow.rejection_needs_comment(doc_id).text:
        title = _("A rejection needs a reason.")
        advice = _("Write in the comment why the document is rejected, then reject it.")
    context = notice_context(library, request, visitor, doc_id, "")
    context["refused"] = {"title": french(title), "advice": french(advice),
                          "detail": french(detail)}
    return page(request, "document.html", context, visitor=visitor, status=status)
