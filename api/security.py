"""Security headers on every answer, and how files from the library are served.

Every answer (pages, JSON, errors, static files) carries a strict Content-Security-Policy
(the pages need no JavaScript: no script, no inline style, nothing from another origin, no
framing), `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` and a
`Referrer-Policy`. A route that needs another policy sets its own `Content-Security-Policy`
header, which is kept: the API's /docs and /redoc (their scripts) and the library's files
(`sandbox`).

Files: a document or a submission is whatever someone put in the library, an HTML page with
a script included. Served from the site's own origin, that script would run with the
visitor's session. So a file is never served as active content: it goes as a download
(`Content-Disposition: attachment`), with `nosniff` and `Content-Security-Policy: sandbox`
(scripts off, a unique origin) in case a browser shows it anyway. The one exception is PDF,
shown inline so that researchers can read it in the browser: PDF viewers do not run a PDF
in the page's origin, and the sandbox policy comes with it all the same. (Safari may refuse
to show some PDFs under `sandbox`; the download link still works there.)
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
FILE_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; " \
              "frame-ancestors 'none'"
REFERRER_POLICY = "same-origin"
INLINE_TYPES = frozenset({"application/pdf"})  # shown in the browser; the rest downloaded

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": REFERRER_POLICY,
}


class SecurityHeaders:
    """The headers above on every HTTP answer; a route's own CSP is kept.

    Plain ASGI, like `api.middleware`, so that streamed files pass through untouched.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = PAGE_POLICY
            await send(message)

        await self.app(scope, receive, send_with_headers)


def disposition(media_type: str | None, file_name: str) -> str:
    """`Content-Disposition` for a file of the library: inline for PDF, attachment for
    anything else, the name as RFC 6266 `filename*` (UTF-8) with an ASCII fallback that
    cannot break out of its quotes."""
    kind = "inline" if (media_type or "").split(";")[0].strip() in INLINE_TYPES else "attachment"
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;%' else "_"
                       for c in file_name) or "document"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def file_headers(media_type: str | None, file_name: str) -> dict[str, str]:
    """The headers every response carrying a library file gets."""
    return {"Content-Disposition": disposition(media_type, file_name),
            "Content-Security-Policy": FILE_POLICY}
