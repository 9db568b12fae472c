"""Secrets never reach the access log: a token sent in the query string (which the API
ignores: tokens go in the Authorization header) is masked in the line uvicorn writes."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlencode

from kb.tokens import PREFIX

ACCESS_LOGGER = "uvicorn.access"
# Query parameters that hold secrets by their name, whatever their value.
SECRET_NAMES = frozenset({"token", "access_token", "api_key", "apikey", "key", "secret",
                          "password", "authorization", "bearer"})
MASK = "***"


def masked(path: str) -> str:
    """`path` (with its query string) with secret values replaced by ***: those of a
    parameter named like a secret, and any value that looks like a kb token."""
    base, sep, query = path.partition("?")
    if not sep:
        return path
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(_secret(name, value) for name, value in pairs):
        return path
    return base + "?" + urlencode(
        [(name, MASK if _secret(name, value) else value) for name, value in pairs], safe="*")


def _secret(name: str, value: str) -> bool:
    return name.lower() in SECRET_NAMES or PREFIX in value


class MaskSecrets(logging.Filter):
    """Masks the path of uvicorn's access records (args: client, method, path, version,
    status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], masked(args[2]), *args[3:])
        return True


def install() -> None:
    """Add the filter to uvicorn's access logger, once (each server process calls it)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, MaskSecrets) for f in logger.filters):
        logger.addFilter(MaskSecrets())
