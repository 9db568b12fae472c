"""`kb serve --replica-of DEST`: serve the copies a writer publishes (`kb publish`), read-only.

The app opens the current copy of the publication folder, and a `kb.publish.Follower`
moves it to each new one: the new copy is opened and its searcher warmed outside the
gate's lock, then swapped in under it (`Gate.swap`), so a request runs wholly on the old
copy or wholly on the new one and none fails across a switch. No index catch-up runs (a
published copy is complete), and any method that would write is answered 405 with the
API's error shape: writes go to the writer's own server.
"""

from __future__ import annotations

import logging
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from api.deps import Gate
from api.errors import error_response
from indexer.messages import _
from kb.errors import SchemaOutdated
from kb.library import Library
from kb.publish import Follower, require_current
from kb.settings import DEFAULT_CACHE_MB
from kb.vocabulary import Vocabulary

log = logging.getLogger(__name__)

READS = frozenset({"GET", "HEAD", "OPTIONS"})


def open_current(
    dest: Path, terms: Vocabulary, cache_mb: float = DEFAULT_CACHE_MB
) -> tuple[Library, Path]:
    """The current published copy of `dest`, opened, its searcher ready."""
    copy = require_current(dest)
    library = Library.open(copy, terms, create=False, cache_mb=cache_mb)
    try:
        library.open_searcher()
    except SchemaOutdated as exc:  # served as it is: /health says why
        log.warning("%s", exc)
    return library, copy


def follow(dest: Path, terms: Vocabulary, gate: Gate, serving: Path,
           interval: float, cache_mb: float = DEFAULT_CACHE_MB) -> Follower:  # fmt: skip
    """A started Follower that swaps each new copy of `dest` into `gate`."""

    def switch(copy: Path) -> None:
        library = Library.open(copy, terms, create=False, cache_mb=cache_mb)
        try:
            library.open_searcher()  # the first request on it must not pay for this
        except BaseException:
            library.close()
            raise
        gate.swap(library)

    follower = Follower(dest, serving, switch, interval=interval)
    follower.start()
    return follower


class ReadOnly:
    """405 for every request that could write (any method but GET, HEAD and OPTIONS)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in READS:
            response = error_response(
                405, "read_only_replica", _("this server is a read-only replica of the "
                                            "library; send changes to the library's own server"),
                {"Allow": "GET, HEAD, OPTIONS"},
            )  # fmt: skip
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


__all__ = ["READS", "ReadOnly", "follow", "open_current"]
