"""GET /failures: the files an ingest could not read, for the curators who act on them.

Curators and admins only (the same roles that curate): paths on the library's machine
and extractor messages are no business of the portal or of the network.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.deps import CallerDep, GateDep, actor_of
from api.schemas import ErrorResponse
from indexer.messages import _
from kb.actors import CURATORS

router = APIRouter(tags=["curation"])


class FailureOut(BaseModel):
    path: str = Field(description="The file as the ingest named it.")
    absolute_path: str = Field(description="The file's absolute path on the library's machine.")
    reason: str = Field(description="Why it could not be read, and what to do when known.")
    at: datetime = Field(description="The last attempt.")
    first_at: datetime = Field(description="The first attempt.")
    attempts: int = Field(description="How many times an ingest tried it (a changed file, "
                          "or `kb ingest --retry-failed`, is tried again).")


class FailuresOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "failures": [{
            "path": "archives/2007/cr-copil.doc",
            "absolute_path": "/srv/kb/archives/2007/cr-copil.doc",
            "reason": "unsupported format: detected type application/msword",
            "at": "2024-05-03T10:00:00Z", "first_at": "2024-05-02T09:14:03Z", "attempts": 2,
        }],
        "total": 1,
    }]})
    failures: list[FailureOut]
    total: int


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "No token, or an invalid or revoked one."},
    403: {"model": ErrorResponse, "description": "The token is not a curator's or an admin's."},
}


@router.get("/failures", response_model=FailuresOut, summary="Files that could not be read",
            responses=_ERRORS)
def list_failures(caller: CallerDep, gate: GateDep) -> FailuresOut:
    """Each file an ingest could not read, with the reason and how many times it was tried.
    An unchanged file is not tried again until `kb ingest --retry-failed`; a file read
    at last, or gone from its folder, leaves the list."""
    actor_of(caller).require(CURATORS, _("listing the files that could not be read"))
    with gate.use() as library:
        found = library.failures.listing()
    return FailuresOut(
        failures=[
            FailureOut(path=f.given, absolute_path=f.path, reason=f.reason, at=f.at,
                       first_at=f.first_at, attempts=f.attempts)
            for f in found
        ],
        total=len(found),
    )
