"""ETags and conditional requests (`If-None-Match` -> 304) for documents and files."""

from __future__ import annotations

import hashlib

from fastapi import Request, Response
from pydantic import BaseModel


def etag_for(data: bytes) -> str:
    """A strong ETag for a response body: it changes whenever any byte of the body does."""
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def none_match(request: Request, etag: str) -> bool:
    """True when the request's `If-None-Match` names `etag` (weak comparison, or `*`)."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


def not_modified(etag: str) -> Response:
    return Response(status_code=304, headers={"ETag": etag})


def json_with_etag(request: Request, payload: BaseModel) -> Response:
    """`payload` as JSON with its ETag, or an empty 304 if the client already has it."""
    body = payload.model_dump_json().encode("utf-8")
    etag = etag_for(body)
    if none_match(request, etag):
        return not_modified(etag)
    return Response(body, media_type="application/json", headers={"ETag": etag})
