"""Signing in with an API token (`/connexion`) and out (`/deconnexion`).

The token is typed in a form posted to the server, which keeps only its hash, in the
catalog's session (`api.web.session`): it never appears in a URL, a cookie or a page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from api.deps import GateDep
from api.throttle import address_of
from api.web.common import NO_STORE, PageRoute, french, page, visitor_of
from api.web.session import (
    check_csrf,
    clear_session,
    new_session,
    sign_in_session,
    sign_out_session,
    write_session,
)
from indexer.messages import _
from kb.tokens import MAX_SECRET, hash_secret

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def local_path(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never another site)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target[:500]
    return "/"


@router.get("/connexion")
def sign_in_page(request: Request, gate: GateDep) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
    session = visitor.session or new_session()
    response = page(request, "sign_in.html", {
        "csrf": session.csrf, "next": local_path(request.query_params.get("suivant")),
        "error": None}, visitor=visitor)
    if visitor.session is None:
        write_session(request, response, session)
    return response


@router.post("/connexion")
def sign_in(
    request: Request,
    gate: GateDep,
    token: Annotated[str, Form(max_length=MAX_SECRET + 50)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
    suivant: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    limiter = request.app.state.sign_in_limiter
    address = address_of(request.client)
    with gate.use() as library:
        visitor = visitor_of(request, library)
        check_csrf(visitor.session, csrf)
        limiter.check(address)
        found = library.access.verify(token.strip())
        if found is not None:
            session = sign_in_session(library.access, hash_secret(token.strip()))
            # The session it replaces, if any, ends with it.
            sign_out_session(library.access, visitor.session)
    if found is None:
        limiter.failed(address)
        return page(request, "sign_in.html", {
            "csrf": csrf, "next": local_path(suivant),
            "error": french(_("This token is not recognised or was revoked. Check it (it "
                              "starts with 'kb_') or ask the observatory for a new one.")),
        }, visitor=visitor, status=401)
    response = RedirectResponse(local_path(suivant), status_code=303, headers=NO_STORE)
    write_session(request, response, session)
    return response


@router.post("/deconnexion")
def sign_out(
    request: Request,
    gate: GateDep,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Ends the session in the catalog: a copy of the cookie opens nothing any more."""
    with gate.use() as library:
        session = visitor_of(request, library).session
        check_csrf(session, csrf)
        sign_out_session(library.access, session)
    response = RedirectResponse("/", status_code=303, headers=NO_STORE)
    clear_session(response)
    return response
