"""Every error the API answers, in one place: domain errors to HTTP statuses, one JSON shape.

Routes raise `KbError`s (never `HTTPException` for a domain error); the handlers registered by
`install_error_handlers` turn them, FastAPI's parameter validation errors and Starlette's own
HTTP errors (unknown route, wrong method) into `{"error": code, "detail": message}`.
With `Accept-Language: fr` the detail is in French (the catalogue, `kb.messages`), the
code unchanged.

Storage failures (`kb.errors.storage_error`: an OSError or sqlite3 error of a full disk, a
read-only library, a refused permission) are answered like the domain errors they mean: a
write to a read-only library is a 503 `read_only_library` (without Retry-After: waiting
does not help; reads keep working), a full disk a 507 `storage_full`; nothing was written.
"""

from __future__ import annotations

import logging
import sqlite3
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from api.language import language_of
from api.problems import problems
from indexer.messages import Message, _, joined
from kb.errors import (
    AccessDenied,
    Conflict,
    DiskFailed,
    ExtractionFailed,
    Forbidden,
    IndexBusy,
    InvalidQuery,
    InvalidSidecar,
    InvalidTag,
    InvalidTransition,
    InvalidVocabulary,
    KbError,
    NotFound,
    PreconditionFailed,
    ReadOnlyLibrary,
    SchemaOutdated,
    StorageError,
    StorageFull,
    TooLarge,
    UnsupportedFormat,
    storage_error,
)
from kb.messages import render

log = logging.getLogger(__name__)


class Unauthorized(KbError):
    """The request carries a token that is malformed, unknown or revoked."""


class TooManyAttempts(KbError):
    """Too many refused tokens from one address (`api.throttle`); `retry_after` seconds
    until the next try."""

    def __init__(self, message: str | Message, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class RequestTooLarge(KbError):
    """The request body is larger than the API accepts."""


OUTDATED = _("the index was built by another version of kb; an administrator must run "
             "`kb reindex`")
BUSY = _("the library is busy (an ingest or reindex holds the index); try again in a moment")
READ_ONLY = _("the library is read-only (served from a read-only medium or share): it can be "
              "searched and read, not changed; nothing was written")
FULL = _("the server's disk is full: nothing was written; try again once an administrator "
         "has freed some space")
STORAGE = _("the server could not write to its disk: nothing was written; see the server log")
# Server-side conditions answer with a fixed sentence: their messages name server paths.
PUBLIC_DETAIL: dict[type[KbError], Message] = {
    SchemaOutdated: OUTDATED, IndexBusy: BUSY, ReadOnlyLibrary: READ_ONLY, StorageFull: FULL,
    AccessDenied: STORAGE, DiskFailed: STORAGE, StorageError: STORAGE,
}

# The error class nearest in a raised error's MRO decides: a new KbError subclass gets its
# parent's status until it is added here.
STATUS: dict[type[KbError], tuple[int, str]] = {
    NotFound: (404, "not_found"),
    Unauthorized: (401, "unauthorized"),
    TooManyAttempts: (429, "too_many_attempts"),
    RequestTooLarge: (413, "request_too_large"),
    TooLarge: (413, "file_too_large"),
    Forbidden: (403, "forbidden"),
    PreconditionFailed: (412, "precondition_failed"),
    InvalidTransition: (409, "invalid_transition"),
    Conflict: (409, "conflict"),
    InvalidQuery: (400, "invalid_query"),
    InvalidTag: (422, "invalid_tag"),
    InvalidSidecar: (422, "invalid_sidecar"),
    InvalidVocabulary: (422, "invalid_vocabulary"),
    ExtractionFailed: (422, "extraction_failed"),
    UnsupportedFormat: (415, "unsupported_format"),
    IndexBusy: (503, "index_busy"),
    SchemaOutdated: (503, "index_outdated"),
    ReadOnlyLibrary: (503, "read_only_library"),
    StorageFull: (507, "storage_full"),
    StorageError: (500, "storage_error"),
    KbError: (400, "bad_request"),
}
MAX_DETAIL = 500  # a detail may quote user input: keep responses small


def status_of(error: KbError) -> tuple[int, str, Message]:
    """(HTTP status, error code, detail shown to the caller) for a domain error."""
    for cls in type(error).__mro__:
        if cls in STATUS:
            status, code = STATUS[cls]
            return status, code, PUBLIC_DETAIL.get(cls, error.message)
    raise AssertionError("KbError is in every KbError's MRO")  # pragma: no cover


def error_response(status: int, code: str, detail: str | Message,
                   headers: dict[str, str] | None = None, *, request: Request | None = None
                   ) -> JSONResponse:
    """The error body, its detail in the language `request` prefers (English without one)."""
    headers = dict(headers or {})
    language = language_of(request)
    if request is not None:
        headers["Vary"] = "Accept-Language"
        if language != "en":
            headers["Content-Language"] = language
    text = render(detail, language)
    if len(text) > MAX_DETAIL:
        text = text[: MAX_DETAIL - 1] + "…"
    return JSONResponse({"error": code, "detail": text}, status_code=status,
                        headers=headers or None)


async def _kb_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, KbError)
    status, code, detail = status_of(exc)
    if status >= 500:
        log.warning("%s %s: %s", request.method, request.url.path, exc)
    headers = {"WWW-Authenticate": 'Bearer realm="kb"'} if status == 401 else None
    if status == 503 and not isinstance(exc, ReadOnlyLibrary):
        headers = {"Retry-After": "5"}
    if isinstance(exc, TooManyAttempts):
        headers = {"Retry-After": str(exc.retry_after)}
    return error_response(status, code, detail, headers, request=request)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    found = problems(exc.errors())
    detail = joined(found) if found else INVALID
    return error_response(422, "invalid_parameter", detail, request=request)


# Starlette's own errors: a fixed sentence for those a caller meets (not its English phrase).
HTTP_DETAIL = {404: _("nothing at this address"), 405: _("method not allowed at this address")}
INVALID = _("invalid request")


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    try:
        phrase = HTTPStatus(exc.status_code).phrase
    except ValueError:
        phrase = "error"
    code = phrase.lower().replace(" ", "_").replace("-", "_")
    detail: str | Message = exc.detail if isinstance(exc.detail, str) else phrase
    detail = HTTP_DETAIL.get(exc.status_code, detail)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed(request, headers.get("Allow", "")))
    return error_response(exc.status_code, code, detail, headers or None, request=request)


def _allowed(request: Request, given: str) -> list[str]:
    """Every method the API answers at this path. Starlette's 405 names only those of the
    first route that matched (FastAPI makes one route per method), so the methods of every
    path of the OpenAPI document that matches are added to them."""
    methods = {m.strip() for m in given.split(",") if m.strip()}
    for template, operations in request.app.openapi().get("paths", {}).items():
        if compile_path(template)[0].match(request.scope["path"]):
            methods |= {m.upper() for m in operations}
    return sorted(methods)


async def _storage_error(request: Request, exc: Exception) -> JSONResponse:
    """An OSError or sqlite3 error that `storage_error` recognises, answered as the domain
    error it means; any other goes on to `_unexpected` (a 500 and its traceback logged)."""
    settings = getattr(request.app.state, "settings", None)
    error = storage_error(exc, getattr(settings, "library", None))
    if error is None:
        raise exc
    return await _kb_error(request, error)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error",
                          _("unexpected server error; see the server log"), request=request)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(KbError, _kb_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OSError, _storage_error)
    app.add_exception_handler(sqlite3.Error, _storage_error)
    app.add_exception_handler(Exception, _unexpected)
