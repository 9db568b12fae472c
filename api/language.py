"""Which language an API answer's sentences are in: English unless the caller's most
preferred language (`Accept-Language`, highest q) is French. Error codes and field names
are the same in every language (clients test them)."""

from __future__ import annotations

from starlette.requests import HTTPConnection


def preferred(accept_language: str | None) -> str:
    """"fr" when French is the caller's most preferred language, else "en"."""
    best, best_q = "", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and q > best_q:
            best, best_q = tag.strip().lower(), q
    return "fr" if best == "fr" or best.startswith("fr-") else "en"


def language_of(request: HTTPConnection | None) -> str:
    return preferred(request.headers.get("accept-language") if request is not None else None)
