"""The API's /docs (Swagger UI) and /redoc from local files: no CDN, so they work on an
intranet without internet access.

The scripts and styles come from the `fastapi-offline` package, which ships Swagger UI and
ReDoc's bundles; we use its files only, with FastAPI's own page builders (FastAPI docs,
"Self-hosting JavaScript and CSS for docs").

They are the only pages with scripts: each gets its own Content-Security-Policy, which
allows the bundles from this server, Swagger UI's inline start-up script by its hash (not
'unsafe-inline'), the inline styles both set on their elements, ReDoc's worker (a blob:)
and calls to this server only (the OpenAPI document, "Try it out").
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.responses import HTMLResponse

ASSETS = Path(fastapi_offline.__file__).parent / "static"
PREFIX = "/static/api-docs"

router = APIRouter(include_in_schema=False)


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def docs_policy(html: str) -> str:
    """The CSP of a docs page: its own inline scripts allowed by their SHA-256 only."""
    hashes = "".join(
        " 'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(html)
    )
    return ("default-src 'none'; script-src 'self'" + hashes + "; style-src 'self' "
            "'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            "worker-src 'self' blob:; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")


def _with_policy(response: HTMLResponse) -> HTMLResponse:
    response.headers["Content-Security-Policy"] = docs_policy(bytes(response.body).decode())
    return response


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    return _with_policy(get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=request.app.title + " · API",
        swagger_js_url=f"{PREFIX}/swagger-ui-bundle.js",
        swagger_css_url=f"{PREFIX}/swagger-ui.css",
        swagger_favicon_url=f"{PREFIX}/favicon.png",
    ))


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    return _with_policy(get_redoc_html(
        openapi_url=request.app.openapi_url,
        title=request.app.title + " · API",
        redoc_js_url=f"{PREFIX}/redoc.standalone.js",
        redoc_favicon_url=f"{PREFIX}/favicon.png",
        with_google_fonts=False,
    ))
