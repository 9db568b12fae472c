"""OAI-PMH 2.0 at `/oai` (GET or POST): what harvesters such as HAL, Isidore and BASE read.

Anonymous by design: the repository exposes what a visitor without a token sees (public
documents), validated ones only unless `KB_OAI_ALL_STATUSES` says otherwise. The protocol's
errors are XML answers with status 200, as OAI-PMH wants; the logic is in `kb.oai`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import Gate, GateDep
from kb.oai import Policy, Repository, answer
from kb.oai.records import HarvestCache
from kb.settings import Settings

router = APIRouter(tags=["oai-pmh"])

REPOSITORY_NAME = "Bibliothèque de l'observatoire régional de l'ESS en Bretagne"
MAX_FORM = 10_000
_XML: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An OAI-PMH 2.0 answer (protocol errors included, as `<error>`).",
        "content": {"text/xml": {"schema": {"type": "string"}, "example": (
            '<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives'
            '.org/OAI/2.0/">...<Identify><repositoryName>...</repositoryName></Identify>'
            "</OAI-PMH>")}},
    },
}


def new_cache() -> HarvestCache:
    """What `create_app` keeps in `app.state.oai_cache`: the records between requests."""
    return HarvestCache()


def repository(settings: Settings) -> Repository:
    return Repository(
        name=REPOSITORY_NAME,
        public_url=settings.public_url,
        admin_email=settings.oai_admin_email,
        page_size=settings.oai_page_size,
        policy=Policy(validated_only=settings.oai_validated_only),
    )


# Not in the OpenAPI document: an XML protocol of its own, described by its specification.
@router.get("/oai", summary="OAI-PMH 2.0 (harvesting)", response_class=Response,
            include_in_schema=False,
            responses=_XML, openapi_extra={"parameters": [
                {"name": "verb", "in": "query", "required": True, "example": "Identify",
                 "schema": {"type": "string", "enum": ["Identify", "ListMetadataFormats",
                            "ListSets", "GetRecord", "ListIdentifiers", "ListRecords"]}},
                {"name": "metadataPrefix", "in": "query", "example": "oai_dc",
                 "schema": {"type": "string"}},
                {"name": "from", "in": "query", "example": "2024-01-01",
                 "schema": {"type": "string"}},
                {"name": "until", "in": "query", "schema": {"type": "string"}},
                {"name": "set", "in": "query", "example": "kind:etude",
                 "schema": {"type": "string"}},
                {"name": "identifier", "in": "query", "schema": {"type": "string"}},
                {"name": "resumptionToken", "in": "query", "schema": {"type": "string"}},
            ]})
def oai_get(request: Request, gate: GateDep) -> Response:
    """The six verbs with `oai_dc` (Dublin Core); sets `collection:ID`, `kind:KEY`,
    `family:KEY`, `territory:france:bretagne:...`; deleted records kept for good."""
    return _answer(request, gate, request.query_params.multi_items())


@router.post("/oai", summary="OAI-PMH 2.0 (harvesting, form-encoded)", include_in_schema=False,
             response_class=Response, responses=_XML)
async def oai_post(request: Request, gate: GateDep) -> Response:
    """The same as GET, with the arguments in an `application/x-www-form-urlencoded` body."""
    body = (await request.body())[:MAX_FORM].decode("utf-8", errors="replace")
    arguments = parse_qsl(body, keep_blank_values=True)
    return await run_in_threadpool(_answer, request, gate, arguments)


def _answer(request: Request, gate: Gate, arguments: list[tuple[str, str]]) -> Response:
    state = request.app.state
    with gate.use() as library:
        body = answer(library, repository(state.settings), arguments, state.oai_cache)
    return Response(body, media_type="text/xml; charset=utf-8",
                    headers={"Cache-Control": "no-store"})
