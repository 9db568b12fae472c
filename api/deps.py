"""What routes share: the opened library behind one lock, the caller, visible documents.

Why one lock: routes are plain `def`s, so FastAPI runs them in its threadpool, several at a
time, and the catalog is one sqlite3 connection, which two threads may not use at once
(interleaved statements). A connection per request would also work, but would re-run the
catalog's schema check on every request. What is slow without the library (sending a file,
serialising JSON) happens outside the lock, and the engine's own search releases the GIL
inside it, so the other requests' Python goes on meanwhile.

The dependencies that never wait on the library are `async`: FastAPI runs a plain `def`
dependency in its threadpool, and each such trip costs more CPU than the work it carries
(`benchmarks/README.md`, "The API's own work").
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.auth import ANONYMOUS, Caller, caller_from_header
from api.errors import Unauthorized
from api.throttle import address_of
from indexer.messages import _
from kb.actors import API, CURATORS, VALIDATORS, Actor
from kb.documents import DocumentRow
from kb.errors import NotFound
from kb.library import Library

MAX_ID_SHOWN = 80


class Gate:
    """The app's one `Library`, used by one request at a time."""

    def __init__(self, library: Library):
        self._library = library
        self._lock = threading.Lock()

    @contextmanager
    def use(self) -> Iterator[Library]:
        with self._lock:
            yield self._library

    def swap(self, library: Library) -> None:
        """Serve `library` from the next request on (a replica's new published copy); the
        one it replaces is closed once the request using it, if any, is over."""
        with self._lock:
            old, self._library = self._library, library
        old.close()

    def close(self) -> None:
        with self._lock:
            self._library.close()


async def get_gate(request: Request) -> Gate:
    return request.app.state.gate  # type: ignore[no-any-return]


# Declared for the OpenAPI page (its "Authorize" button); the header is read by `get_caller`
# itself so that a malformed one is a 401, not an anonymous request.
bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A token from `kb token create --role R --name N`. Without one, only public "
    "documents are seen.",
)


async def get_caller(
    request: Request,
    gate: Annotated[Gate, Depends(get_gate)],
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
) -> Caller:
    """The caller of this request; Unauthorized (401) for a refused Authorization header,
    TooManyAttempts (429) once its address had too many refused (`api.throttle`)."""
    header = request.headers.get("authorization")
    if header is None:
        return ANONYMOUS  # the portal's case: nothing to look up, no trip to the threadpool
    # The token's lookup waits on the library's lock: never on the event loop.
    return await run_in_threadpool(_token_holder, request, gate, header)


def _token_holder(request: Request, gate: Gate, header: str) -> Caller:
    limiter = request.app.state.sign_in_limiter
    address = address_of(request.client)
    limiter.check(address)
    try:
        with gate.use() as library:
            return caller_from_header(library.access, header)
    except Unauthorized:
        limiter.failed(address)
        raise


GateDep = Annotated[Gate, Depends(get_gate)]
CallerDep = Annotated[Caller, Depends(get_caller)]


def visible_document(library: Library, caller: Caller, doc_id: str) -> DocumentRow:
    """The active document with exactly this id if the caller may see it; else NotFound.

    A hidden document, a document whose files are gone (state "missing") and an unknown id
    raise the same error with the same message, so no answer tells them apart. Id prefixes
    are not resolved here (unlike the CLI): "ambiguous prefix" would reveal hidden ids.
    """
    doc = library.documents.get(doc_id)
    if doc is not None and doc.state == "active":
        visibility = library.documents.effective_tags(doc.id).get("visibility", ())
        if caller.may_see(visibility):
            return doc
    shown = doc_id if len(doc_id) <= MAX_ID_SHOWN else doc_id[:MAX_ID_SHOWN] + "…"
    raise NotFound(_("no document with id {shown!r}", shown=shown))


# --- curation: who writes, and which revision they read ------------------------------------


def actor_of(caller: Caller) -> Actor:
    """The actor behind a write; Unauthorized (401) for an anonymous caller."""
    if caller.role is None or caller.token_name is None:
        raise Unauthorized(
            _("changing the library needs a token (Authorization: Bearer <token>); ask the "
              "observatory for one")
        )
    return Actor(name=caller.token_name, role=caller.role, via=API)


def curation_scope(caller: Caller) -> frozenset[str] | None:
    """What a caller sees in curation: curators and the council every document (they review
    what is not published yet), anyone else what their token sees everywhere."""
    if caller.role in CURATORS | VALIDATORS:
        return None
    return caller.visibilities


def revision_etag(revision: int) -> str:
    """The ETag of a document's or collection's curation state: its catalog revision."""
    return f'"r{revision}"'


_REVISION_TAG = re.compile(r'"r(\d{1,18})"')


def if_match(request: Request) -> frozenset[int] | None:
    """The revisions an `If-Match` header accepts; None when absent or `*` (no check).

    Weak tags never match (If-Match compares strongly), nor do tags that are not ours: the
    write is then refused with 412, as for a stale revision.
    """
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return None
    return frozenset(
        int(m[1]) for tag in header.split(",") if (m := _REVISION_TAG.fullmatch(tag.strip()))
    )
