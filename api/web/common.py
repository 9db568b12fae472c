"""What every page shares: templates, the visitor, French error pages, labels, highlights.

Pages call the library functions the API routes call, under the same `Gate` (one request at
a time on the library) and the same visibility rule: a document the visitor may not see
answers the same 404 page as one that does not exist.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from api.auth import Caller
from api.errors import TooManyAttempts, status_of
from api.problems import problems
from api.web.session import CsrfRefused, Session, caller_of, read_session
from indexer.messages import Message, _, joined
from kb.actors import AUDITORS, CURATORS, SUBMITTERS, VALIDATORS
from kb.errors import FileMissing, KbError
from kb.library import Library
from kb.messages import FRENCH_LABELS, render

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
# Pages may hold documents reserved to the network: never in a shared cache.
NO_STORE = {"Cache-Control": "private, no-cache", "Vary": "Cookie"}

FIELD_LABELS = FRENCH_LABELS  # the labels messages use too (`kb.messages.field_label`)
ORIGIN_LABELS = {
    "derived": "déduite du document (titre, date, nom du fichier) ou valeur par défaut",
    "properties": "propriétés du fichier",
    "auto": "repérage automatique dans le texte",
    "sidecar": "fiche de description (.meta.toml)",
    "curator": "correction d'un curateur",
    "submission": "formulaire de dépôt",
}
ROLE_LABELS = {
    "network": "réseau des personnes ressources",
    "curator": "curateur",
    "council": "conseil scientifique",
    "admin": "administrateur",
}

# A page's error: a title and what to do, written in English and shown in French.
FILE_MISSING = (_("File unavailable"), _(
    "The file is no longer available: it was moved, deleted or changed since it was added "
    "to the library. The document's record and its text can still be read."))
FORM_EXPIRED = (_("Form expired"), _(
    "This form has expired or did not come from this site: reload the page and send it "
    "again."))
ERROR_TEXT: Mapping[int, tuple[Message, Message]] = {
    400: (_("Bad request"), _("Check what you entered, then try again.")),
    401: (_("Sign-in needed"), _("Sign in with your token to go on.")),
    403: (_("Action refused"), _("Your role does not allow this action, or the form has "
                                 "expired: reload the page and try again.")),
    404: (_("Page not found"), _("This document or page does not exist, or you may not see "
                                 "it. Sign in if you have a token, or go back to the search.")),
    409: (_("Change not possible"), _("This step is not possible from the document's current "
                                      "state. Reload the page to see its state.")),
    412: (_("Changed meanwhile"), _("Someone changed this document since you read it. Reload "
                                    "the page and make your change again.")),
    413: (_("File too large"), _("Send a smaller file.")),
    415: (_("Format not supported"), _("Send a PDF, a Word or OpenDocument document, a web "
                                      "page or a text.")),
    422: (_("Incorrect value"), _("A value you entered is not recognised: correct it and try "
                                 "again.")),
    429: (_("Too many attempts"), _("Too many refused tokens from your address. Wait a few "
                                    "minutes before trying again, or ask the observatory for "
                                    "a new token.")),
    503: (_("Library busy"), _("An update is under way: try again in a moment.")),
}


def french(message: str | Message) -> str:
    """What a page shows of a message: its French."""
    return render(message, "fr")


@dataclass(frozen=True)
class Visitor:
    """Who is looking at a page: their caller (as the API sees a token) and session."""

    caller: Caller
    session: Session | None

    @property
    def signed_in(self) -> bool:
        return self.caller.role is not None

    @property
    def role(self) -> str | None:
        return self.caller.role

    @property
    def name(self) -> str | None:
        return self.caller.token_name

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.caller.role or "", "visiteur")

    @property
    def curates(self) -> bool:
        return self.caller.role in CURATORS | VALIDATORS

    @property
    def corrects_tags(self) -> bool:
        return self.caller.role in CURATORS

    @property
    def validates(self) -> bool:
        return self.caller.role in VALIDATORS

    @property
    def audits(self) -> bool:
        return self.caller.role in AUDITORS

    @property
    def submits(self) -> bool:
        return self.caller.role in SUBMITTERS

    @property
    def csrf(self) -> str:
        return self.session.csrf if self.session else ""


def visitor_of(request: Request, library: Library) -> Visitor:
    session = read_session(request, library.access)
    return Visitor(caller_of(library.access, session), session)


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    visitor: Visitor | None,
    status: int = 200,
) -> Response:
    """A rendered page, never stored by shared caches."""
    context = {"visitor": visitor, "field_labels": FIELD_LABELS, **context}
    return templates.TemplateResponse(request, template, context, status_code=status,
                                      headers=NO_STORE)


def error_page(request: Request, error: Exception, visitor: Visitor | None = None) -> Response:
    detail: Message | None
    if isinstance(error, RequestValidationError):
        status, detail = 422, joined(problems(error.errors()))
    elif isinstance(error, KbError):
        status, _code, detail = status_of(error)
    else:  # pragma: no cover - only KbError and validation errors reach here
        raise error
    if isinstance(error, FileMissing):
        # Not the "may not see it" page: the visitor may see the document, its file is gone.
        title, advice = FILE_MISSING
        detail = None
    elif isinstance(error, CsrfRefused):
        title, advice = FORM_EXPIRED
    else:
        title, advice = ERROR_TEXT.get(status, ERROR_TEXT[400])
    if status == 404:
        detail = None  # the same page for a hidden document and a missing one
    if isinstance(error, TooManyAttempts):
        minutes = max(1, round(error.retry_after / 60))
        advice = _("Too many refused tokens from your address: try again in {minutes} "
                   "minutes, or ask the observatory for a new token.", minutes=minutes
                   ) if minutes > 1 else _("Too many refused tokens from your address: try "
                                           "again in a minute, or ask the observatory for a "
                                           "new token.")
        detail = None
    response = page(request, "error.html", {
        "title": french(title), "advice": french(advice),
        "detail": french(detail) if detail is not None else ""}, visitor=visitor, status=status)
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


class PageRoute(APIRoute):
    """A route whose domain and parameter errors become French HTML pages, not JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except (KbError, RequestValidationError) as exc:
                return error_page(request, exc, await run_in_threadpool(_visitor, request))

        return page_handler


def _visitor(request: Request) -> Visitor | None:
    """Who sees an error page (so that its header still says who is signed in)."""
    gate = getattr(request.app.state, "gate", None)
    if gate is None:
        return None
    try:
        with gate.use() as library:
            return visitor_of(request, library)
    except KbError:
        return None


def label(library: Library, field: str, key: str) -> str:
    """The vocabulary's French label of a key (the key itself if it has none)."""
    if field in library.vocabulary.fields:
        term = library.vocabulary.get(field, key)
        if term is not None:
            return term.label
    return key


def highlight(text: str, marks: Iterable[tuple[int, int]]) -> Markup:
    """`text` escaped, with each (start, end) range in <mark>."""
    out: list[str] = []
    at = 0
    for start, end in sorted(marks):
        if start < at or end <= start:
            continue
        out.append(str(escape(text[at:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def query_string(pairs: Iterable[tuple[str, str]]) -> str:
    encoded = urlencode(list(pairs))
    return "?" + encoded if encoded else ""


def heading_anchor(heading: str) -> str:
    """The anchor of a section under `heading` on a document's page (formats without pages)."""
    return "t-" + hashlib.sha1(heading.encode("utf-8")).hexdigest()[:10]
