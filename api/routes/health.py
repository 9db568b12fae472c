"""GET /health: whether the catalog and the index answer, for monitoring and the portal."""

from __future__ import annotations

import logging
import sqlite3

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.counts import count_documents
from api.deps import CallerDep, GateDep
from api.errors import OUTDATED
from api.schemas import ComponentOut, ErrorResponse, HealthOut, LastIngestOut
from kb.errors import KbError, SchemaOutdated
from kb.library import Library

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthOut,
    summary="Catalog and index state",
    responses={
        401: {"model": ErrorResponse, "description": "Invalid or revoked token."},
        503: {"model": HealthOut, "description": "Searches cannot be answered (see index)."},
    },
)
def health(caller: CallerDep, gate: GateDep) -> JSONResponse:
    """200 while searches can be answered (status ok), 503 otherwise (status degraded).

    `documents` counts what the caller may see (0 while the index cannot answer); the index
    is `catching_up` while an ingest has committed documents to the catalog that the index
    does not hold yet.
    """
    with gate.use() as library:
        catalog = _catalog_state(library)
        index = _index_state(library) if catalog.state == "ok" else ComponentOut(
            state="unavailable", detail="the catalog cannot be read")
        ok = catalog.state == "ok" and index.state in ("ok", "catching_up")
        # Counted by the index (what searches find), so only when it answers.
        documents = count_documents(library, caller) if ok else 0
        run = library.last_ingest() if catalog.state == "ok" else None
    last = None if run is None else LastIngestOut(
        started_at=run["started_at"], finished_at=run["finished_at"])
    payload = HealthOut(
        status="ok" if ok else "degraded",
        documents=documents,
        catalog=catalog,
        index=index,
        last_ingest=last,
    )
    return JSONResponse(
        payload.model_dump(mode="json"),
        status_code=200 if ok else 503,
        headers={"Cache-Control": "no-store"},
    )


def _catalog_state(library: Library) -> ComponentOut:
    try:
        library.documents.count()
    except sqlite3.Error as exc:
        log.warning("health: catalog of %s: %s", library.root, exc)
        return ComponentOut(state="unavailable", detail="the catalog cannot be read; see the "
                            "server log")
    return ComponentOut(state="ok")


def _index_state(library: Library) -> ComponentOut:
    try:
        library.open_searcher()
    except SchemaOutdated as exc:
        log.warning("health: %s", exc)
        return ComponentOut(state="outdated", detail=str(OUTDATED))
    except (KbError, OSError, ValueError) as exc:
        log.warning("health: index of %s: %s", library.root, exc)
        return ComponentOut(state="unavailable", detail="the index cannot be read; see the "
                            "server log")
    waiting = library.index_lag()
    if waiting:
        return ComponentOut(state="catching_up", detail=f"{waiting} changes not yet indexed")
    return ComponentOut(state="ok")
