"""The FastAPI application factory: `create_app(settings)`; `kb serve` runs it under uvicorn."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from fastapi.utils import generate_unique_id
from starlette.types import ASGIApp, Receive, Scope, Send

from api import access_log, replica, uploads, web
from api.deps import Gate
from api.errors import install_error_handlers
from api.middleware import MAX_BODY, BodyLimit, CacheHeaders
from api.openapi_doc import describe_contract
from api.routes import (
    API_PREFIX,
    collections,
    curation,
    documents,
    exports,
    failures,
    health,
    oai,
    search,
    submissions,
    vocabulary,
)
from api.security import SecurityHeaders
from api.throttle import LIMIT as SIGN_IN_LIMIT
from api.throttle import SignInLimiter
from kb.catchup import IndexCatchUp
from kb.curation.submissions import MAX_SUBMISSION_BYTES
from kb.errors import SchemaOutdated, StorageFull, storage_error
from kb.learning import ModelRefresh
from kb.library import Library
from kb.settings import Settings
from kb.vocabulary import Vocabulary

log = logging.getLogger(__name__)

CATCH_UP_AT_START = 5.0  # seconds the server waits for a first catch-up before serving
API_ROUTERS = (exports, search, submissions, documents, curation, collections, vocabulary,
               health, failures)

DESCRIPTION = """\
Search the reference library of the regional observatory of the social and solidarity
economy (ESS) in Brittany: studies, diagnostics, minutes and notes, mostly in French.

**Searching.** `GET /search?q=economie sociale` matches French words with or without
accents; filter by tags (`family`, `territory`, `mission`, `kind`, `instance`, `status`,
`year`; repeat a parameter for OR). Filter values and their French labels are listed by
`GET /vocabulary`. Hits carry snippets with page numbers; `GET /documents/{id}` gives a
document's metadata, `/documents/{id}/text` its text and `/documents/{id}/file` the file.

**Access.** Without a token only public documents are seen. Resource persons, curators, the
scientific council and administrators send `Authorization: Bearer <token>` (tokens come from
`kb token create`): network, curator and council tokens also see documents reserved to the
network; admin tokens see every document. A document the caller may not see answers 404,
exactly like one that does not exist.

**Conventions.** Every route is under `/api/v1`; the unversioned paths are deprecated
aliases. Lists page with `page` and `size`, give a `total`, `X-Total-Count` and `Link`
headers (next, prev, first, last). Errors are `{"error": code, "detail": message}`, the
detail in French with `Accept-Language: fr`. Searches, documents and files carry an `ETag`
(send `If-None-Match` for a 304); files accept `Range`. Anonymous answers may be cached
for a minute (`Cache-Control: public`); answers to token holders are private.
Harvesters use OAI-PMH 2.0 at `/oai`.
"""


def create_app(settings: Settings, *, max_upload: int = MAX_SUBMISSION_BYTES,
               sign_in_limit: int = SIGN_IN_LIMIT) -> FastAPI:
    """The API over the library at `settings.library` (which must exist: `kb ingest` first).

    The library is opened when the app starts (its lifespan) and closed when it stops;
    documents that another process commits are seen without a restart. The index catches
    up with the catalog in a background thread, at start and while serving (a crash between
    a catalog write and its index update is repaired there). `max_upload`: the largest file
    POST /documents accepts, in bytes. `sign_in_limit`: refused tokens an address may send
    within `api.throttle.WINDOW` before it is answered 429 (per process).
    """

    terms = Vocabulary.load(settings.vocabulary)  # InvalidVocabulary before serving

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        access_log.install()  # after uvicorn configured its loggers, in each process
        if settings.replica_of is not None:  # a read-only replica of published copies
            library, copy = replica.open_current(settings.replica_of, terms, settings.cache_mb)
            app.state.gate = Gate(library)
            follower = replica.follow(settings.replica_of, terms, app.state.gate, copy,
                                      settings.replica_poll, settings.cache_mb)  # fmt: skip
            log.info("serving the copies published in %s (now %s)", settings.replica_of,
                     copy.name)  # fmt: skip
            try:
                yield
            finally:
                follower.stop()
                app.state.gate.close()
            return
        library = _open(settings, terms)
        try:
            library.open_searcher()
        except SchemaOutdated as exc:  # serve what we can; /health and /search say why
            log.warning("%s", exc)
        app.state.gate = Gate(library)
        # The index follows the catalog in the background (the server's one index writer:
        # writes wake it and answer at once); a small lag is repaired before the first
        # request. Not on a read-only library: it is served as it is, and every write
        # answers `read_only_library`.
        catch_up = model_refresh = None
        if library.read_only:
            log.warning("serving the library at %s read-only", settings.library)
        else:
            catch_up = IndexCatchUp(Path(settings.library), terms)
            library.index_follower = catch_up.wake
            catch_up.start()
            catch_up.checked.wait(CATCH_UP_AT_START)
            # The tag model learns the curators' new decisions in the background.
            model_refresh = ModelRefresh(Path(settings.library), terms)
            model_refresh.start()
            log.info("serving the library at %s", settings.library)
        try:
            yield
        finally:
            if catch_up is not None:
                catch_up.stop()
            if model_refresh is not None:
                model_refresh.stop()
            app.state.gate.close()

    app = FastAPI(
        title="Bibliothèque de l'observatoire de l'ESS en Bretagne",
        summary="Full-text search over the observatory's studies and notes, with tags.",
        description=DESCRIPTION,
        version=_version(),
        lifespan=lifespan,
        docs_url=None,  # served from local files by api.web, like the pages
        redoc_url=None,
    )
    app.state.max_upload = max_upload
    app.state.settings = settings
    app.state.oai_cache = oai.new_cache()
    app.state.sign_in_limiter = SignInLimiter(limit=sign_in_limit)
    install_error_handlers(app)
    include_api(app)
    app.include_router(oai.router)  # harvesters' own protocol, at its usual unversioned path
    web.install(app, settings.replica_of or settings.library)
    app.openapi = lambda: _openapi(app, terms)  # type: ignore[method-assign]
    # Added innermost first: CORS outermost, so that even a 413 can be read by the portal.
    app.add_middleware(CacheHeaders)
    app.add_middleware(UploadBodyLimit, max_upload=max_upload)
    if settings.replica_of is not None:
        app.add_middleware(replica.ReadOnly)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "If-None-Match", "If-Range", "Range", "If-Match",
                           "Content-Type"],
            expose_headers=["ETag", "Content-Disposition", "Content-Range", "Accept-Ranges",
                            "Location", "X-Total-Count",
                            "Content-Length"],
            max_age=600,
        )
    app.add_middleware(SecurityHeaders)  # outermost: every answer gets them, a 413 or 405 too
    return app


def _open(settings: Settings, terms: Vocabulary) -> Library:
    """The library to serve; read-only when kb may not write there, and when its disk is
    full (reading needs no space): then writes answer `storage_full` until a restart
    once space is freed."""
    try:
        return Library.open(settings.library, terms, create=False, cache_mb=settings.cache_mb)
    except (OSError, sqlite3.Error) as exc:
        full = storage_error(exc, settings.library)
        if not isinstance(full, StorageFull):
            raise
        log.warning("%s; serving it read-only until restarted", full)
        library = Library.open(settings.library, terms, create=False, read_only=True,
                               cache_mb=settings.cache_mb)
        library.refuse_writes(full)
        return library


def include_api(app: FastAPI) -> None:
    """Every API router under API_PREFIX, and again at its former unversioned path, marked
    deprecated in the OpenAPI document (with its own operation ids)."""
    for module in API_ROUTERS:
        app.include_router(module.router, prefix=API_PREFIX)
    for module in API_ROUTERS:
        app.include_router(module.router, deprecated=True,
                           generate_unique_id_function=_legacy_id)


def _legacy_id(route: APIRoute) -> str:
    return "unversioned_" + generate_unique_id(route)


def app_from_environment() -> FastAPI:
    """`create_app` with the `KB_*` settings of the environment: the factory that each of
    uvicorn's worker processes imports (`kb serve --processes N` sets the variables)."""
    return create_app(Settings.from_env())


class UploadBodyLimit:
    """`BodyLimit` with room for a file on POST /documents (submissions), 1 MB elsewhere."""

    def __init__(self, app: ASGIApp, max_upload: int):
        self.small = BodyLimit(app, MAX_BODY)
        # The form's other fields and the multipart framing come on top of the file.
        self.large = BodyLimit(app, max_upload + uploads.MAX_FIELDS * (
            uploads.MAX_FIELD_BYTES + 512))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        upload = (scope["type"] == "http" and scope["method"] == "POST"
                  and scope["path"] in (submissions.UPLOAD_PATH,
                                        API_PREFIX + submissions.UPLOAD_PATH,
                                        web.UPLOAD_PATH))
        await (self.large if upload else self.small)(scope, receive, send)


def _openapi(app: FastAPI, terms: Vocabulary) -> dict[str, Any]:
    """FastAPI's schema, with the token made optional (`{}` in an operation's `security` says
    that anonymous calls are allowed too) and the tag filters' values listed."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
        )
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if operation.get("security") and {} not in operation["security"]:
                    operation["security"].append({})
                _document_422(operation)
        for unused in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(unused, None)
        search.describe_filter_values(schema, terms)
        describe_contract(schema, terms)
        app.openapi_schema = schema
    return app.openapi_schema


INVALID = {
    "description": "A parameter or the body is invalid: each problem named, with the value "
                   "received (in French with Accept-Language: fr).",
    "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorResponse"},
        "example": {"error": "invalid_parameter",
                    "detail": "size: Input should be less than or equal to 100 (got '500')"},
    }},
}


def _document_422(operation: dict[str, Any]) -> None:
    """The 422 as `api.errors` really answers it (FastAPI documents its own default shape)."""
    responses = operation.get("responses", {})
    if "422" in responses:
        described = responses["422"].get("description", "")
        responses["422"] = {**INVALID, "description": described if described and described
                            != "Validation Error" else INVALID["description"]}


def _version() -> str:
    try:
        return metadata.version("kb-ess")
    except metadata.PackageNotFoundError:  # running from a source tree without install
        return "0"
