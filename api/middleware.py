"""Portal conventions applied to every response: caching headers and a request body limit.

Plain ASGI middleware (not `BaseHTTPMiddleware`), so that streamed file responses and range
requests pass through untouched.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import RequestTooLarge

PUBLIC_CACHE = "public, max-age=60"
# Authenticated answers may hold network or internal documents: never in a shared cache;
# the caller's own browser keeps them but revalidates (ETag -> 304) on every use.
PRIVATE_CACHE = "private, no-cache"
CACHEABLE = frozenset({200, 203, 206, 304})
MAX_BODY = 1024 * 1024  # bytes; read endpoints take none, the curation ones small JSON


class CacheHeaders:
    """`Cache-Control` on successful GETs (public for anonymous callers only), `Vary`.

    A route that sets its own `Cache-Control` (e.g. /health: `no-store`) keeps it. Every
    response varies on `Authorization`: the same URL shows more to a token holder.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        anonymous = "authorization" not in request_headers
        method = scope["method"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.add_vary_header("Authorization")
                if (
                    method in ("GET", "HEAD")
                    and message["status"] in CACHEABLE
                    and "cache-control" not in headers
                ):
                    headers["Cache-Control"] = PUBLIC_CACHE if anonymous else PRIVATE_CACHE
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """413 for a request body over `max_body` bytes, declared or streamed.

    A declared `Content-Length` over the limit is refused before the app runs; a chunked body
    that grows past it raises RequestTooLarge when the route reads it (the error handlers
    turn it into 413).
    """

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await _refuse(send, self.max_body)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise RequestTooLarge(_too_large(self.max_body))
            return message

        await self.app(scope, counting_receive, send)


def _too_large(limit: int) -> str:
    return f"request body larger than {limit} bytes"


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({"error": "request_too_large", "detail": _too_large(limit)}).encode()
    await send({
        "type": "http.response.start",
        "status": 413,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ],
    })
    await send({"type": "http.response.body", "body": body})
