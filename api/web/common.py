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
from api.web.session import CsrfRefused, Session, caller_of, read_session
from indexer import fields
from kb.curation.actors import AUDITORS, CURATORS, SUBMITTERS, VALIDATORS
from kb.errors import FileMissing, KbError
from kb.library import Library

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
# Pages may hold documents reserved to the network: never in a shared cache.
NO_STORE = {"Cache-Control": "private, no-cache", "Vary": "Cookie"}

# The tag fields' French labels (`indexer.fields.TABLE`), and the collection's.
FIELD_LABELS = {**{f.name: f.label for f in fields.TABLE}, "collection": "Collection"}
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

FILE_MISSING = ("Fichier indisponible", "Le fichier n'est plus disponible : il a été déplacé, "
                "supprimé ou modifié depuis son ajout à la bibliothèque. La notice du document "
                "et son texte restent consultables.")
ERROR_TEXT: Mapping[int, tuple[str, str]] = {
    400: ("Requête incorrecte", "Vérifiez ce que vous avez saisi, puis réessayez."),
    401: ("Connexion nécessaire", "Connectez-vous avec votre jeton pour continuer."),
    403: ("Action refusée", "Votre rôle ne permet pas cette action, ou le formulaire a expiré : "
          "rechargez la page et réessayez."),
    404: ("Page introuvable", "Ce document ou cette page n'existe pas, ou vous n'avez pas le "
          "droit de le voir. Connectez-vous si vous avez un jeton, ou revenez à la recherche."),
    409: ("Modification impossible", "Cette étape n'est pas possible depuis l'état actuel du "
          "document. Rechargez la page pour voir son état."),
    412: ("Modifié entre-temps", "Quelqu'un a modifié ce document depuis votre lecture. "
          "Rechargez la page et refaites votre modification."),
    413: ("Fichier trop volumineux", "Envoyez un fichier plus petit."),
    415: ("Format non pris en charge", "Envoyez un PDF, un document Word ou OpenDocument, "
          "une page web ou un texte."),
    422: ("Valeur incorrecte", "Une valeur saisie n'est pas reconnue : corrigez-la et "
          "réessayez."),
    429: ("Trop de tentatives", "Trop de jetons refusés depuis votre adresse. Patientez "
          "quelques minutes avant de réessayer, ou demandez un nouveau jeton à "
          "l'observatoire."),
    503: ("Bibliothèque occupée", "Une mise à jour est en cours : réessayez dans un instant."),
}


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
    session = read_session(request, library.catalog)
    return Visitor(caller_of(library.catalog, session), session)


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
    if isinstance(error, RequestValidationError):
        status, detail = 422, "; ".join(str(e.get("msg", "")) for e in error.errors())
    elif isinstance(error, KbError):
        status, _code, detail = status_of(error)
    else:  # pragma: no cover - only KbError and validation errors reach here
        raise error
    if isinstance(error, FileMissing):
        # Not the "may not see it" page: the visitor may see the document, its file is gone.
        title, advice = FILE_MISSING
        detail = ""
    elif isinstance(error, CsrfRefused):
        title, advice = ("Formulaire expiré", "Ce formulaire a expiré ou ne vient pas de ce "
                         "site : rechargez la page et envoyez-le à nouveau.")
    else:
        title, advice = ERROR_TEXT.get(status, ERROR_TEXT[400])
    if status == 404:
        detail = ""  # the same page for a hidden document and a missing one
    if isinstance(error, TooManyAttempts):
        minutes = max(1, round(error.retry_after / 60))
        advice = (f"Trop de jetons refusés depuis votre adresse : réessayez dans {minutes} "
                  f"minute{'s' if minutes > 1 else ''}, ou demandez un nouveau jeton à "
                  "l'observatoire.")
        detail = ""
    response = page(request, "error.html", {"title": title, "advice": advice,
                                            "detail": detail}, visitor=visitor, status=status)
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
