"""GET /search: French full-text search with tag filters, facets and snippets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from api import paging
from api.auth import Caller
from api.conditional import json_with_etag
from api.deps import CallerDep, GateDep, curation_scope
from api.paging import PageParam, SizeParam
from api.schemas import ErrorResponse, HitOut, SearchOut, SnippetOut
from kb.curation.collections import get_collection
from kb.errors import InvalidTag
from kb.library import Library, ResultHit
from kb.tags import effective
from kb.vocabulary import Vocabulary

router = APIRouter(tags=["search"])

MAX_QUERY = 500  # characters; longer is not a query a person typed
MAX_VALUES = 20  # values per filter
TAG_FILTERS = ("family", "territory", "mission", "kind", "instance", "status")

Values = list[str]


def _filter(field: str, example: str) -> object:
    return Query(
        description=f"Only documents with this {field} (vocabulary key, French label or "
        f"synonym, accents optional). Repeat for OR; different fields are AND-ed.",
        openapi_examples={"example": {"value": [example]}},
        max_length=MAX_VALUES,
    )


@router.get(
    "/search",
    response_model=SearchOut,
    summary="Search the library",
    responses={
        200: {"description": "One page of hits, with the total; `ETag` (send "
              "`If-None-Match` for a 304), `X-Total-Count` and `Link` (next, prev...).",
              "headers": {**paging.HEADERS, "ETag": {"description": "Of this answer.",
                                                     "schema": {"type": "string"}}}},
        304: {"description": "Not modified: the `If-None-Match` ETag is still current."},
        400: {"model": ErrorResponse, "description": "The query text cannot be read."},
        401: {"model": ErrorResponse, "description": "Invalid or revoked token."},
        404: {"model": ErrorResponse, "description": "No such collection (or a hidden one)."},
        422: {"model": ErrorResponse, "description": "A parameter or filter value is invalid."},
        503: {"model": ErrorResponse, "description": "The index must be rebuilt."},
    },
)
def search(
    request: Request,
    caller: CallerDep,
    gate: GateDep,
    q: Annotated[str, Query(
        max_length=MAX_QUERY,
        description='French words with or without accents; "a phrase"; a OU b; -word to '
        "exclude; prefix*; word~ (typos); field:value (e.g. year:2005..2010). Empty: every "
        "document the filters keep (with sort=date, newest first).",
        openapi_examples={"words": {"value": "economie sociale"},
                          "phrase": {"value": '"pôle ESS"'}},
    )] = "",
    # `= []` is safe here (B006): FastAPI gives each request a fresh copy of a default.
    family: Annotated[Values, _filter("family", "cooperatives")] = [],  # noqa: B006
    territory: Annotated[Values, _filter("territory", "ille-et-vilaine")] = [],  # noqa: B006
    mission: Annotated[Values, _filter("mission", "developpement")] = [],  # noqa: B006
    kind: Annotated[Values, _filter("kind", "etude")] = [],  # noqa: B006
    instance: Annotated[Values, _filter("instance", "conseil-scientifique")] = [],  # noqa: B006
    status: Annotated[Values, _filter("status", "validated")] = [],  # noqa: B006
    collection: Annotated[Values, Query(
        description="Only documents in this collection (id, as in GET /collections). Repeat "
        "for OR.", max_length=MAX_VALUES,
    )] = [],  # noqa: B006
    year: Annotated[list[Annotated[int, Query(ge=1900, le=2100)]], Query(
        description="Only documents of this year. Repeat for OR.", max_length=MAX_VALUES,
    )] = [],  # noqa: B006
    page: PageParam = 1,
    size: SizeParam = 10,
    sort: Annotated[Literal["relevance", "date", "title"], Query(
        description="relevance (best first), date (newest first) or title (A to Z).",
        examples=["relevance"])] = "relevance",
    order: Annotated[Literal["asc", "desc"] | None, Query(
        description="asc or desc to turn a sort round (default: best, newest first; "
        "titles A to Z).", examples=["desc"])] = None,
    facets: Annotated[bool, Query(
        description="Count tag values over all matches (turn off for speed).")] = True,
) -> Response:
    """Documents matching `q` and the filters, among those the caller may see.

    Hidden documents never show in hits, totals, facets or suggestions.
    """
    filters = {
        "family": family, "territory": territory, "mission": mission, "kind": kind,
        "instance": instance, "status": status, "year": [str(y) for y in year],
        "collection": collection,
    }
    for field, values in filters.items():
        for value in values:
            if len(value) > MAX_QUERY:
                raise InvalidTag(f"{field}: value longer than {MAX_QUERY} characters")
    with gate.use() as library:
        for name in collection:  # a collection the caller may not see answers 404
            get_collection(library.catalog, name, curation_scope(caller))
        results = library.search(
            q,
            {k: tuple(v) for k, v in filters.items() if v},
            visibilities=caller.visibilities,
            page=page,
            size=size,
            sort=sort,
            order=order,
            facets=facets,
        )
        shown = visible_hits(library, caller, results.hits)
    hits = [hit_out(h) for h in shown]  # outside the lock: no library needed
    payload = SearchOut(
        query=q,
        total=results.total,
        page=results.page,
        size=results.size,
        hits=hits,
        facets={f: dict(v) for f, v in results.facets.items()},
        suggestion=results.suggestion,
        warnings=list(results.warnings),
    )
    response = json_with_etag(request, payload)
    paging.add_headers(request, response, total=results.total, page=page, size=size)
    return response


def describe_filter_values(openapi: dict[str, Any], vocabulary: Vocabulary) -> None:
    """List each tag filter's vocabulary keys in the OpenAPI schema (as an `enum`), so that
    the portal's developers see the valid values on /docs. Validation stays with the
    vocabulary, which also takes French labels and synonyms, ignoring case and accents."""
    for path, operations in openapi.get("paths", {}).items():
        if not path.endswith("/search"):
            continue
        for parameter in operations.get("get", {}).get("parameters", ()):
            if parameter.get("in") == "query" and parameter.get("name") in TAG_FILTERS:
                items = parameter.get("schema", {}).get("items")
                if isinstance(items, dict):
                    items["enum"] = [t.key for t in vocabulary.terms(parameter["name"])]


def visible_hits(
    library: Library, caller: Caller, hits: Sequence[ResultHit]
) -> list[ResultHit]:
    """The hits the catalog still shows the caller (the index may lag a visibility change
    by one commit): one catalog query for the whole page."""
    if caller.visibilities is None:
        return list(hits)
    tags = library.catalog.active_field_tags([h.id for h in hits], "visibility")
    return [
        h for h in hits
        if h.id in tags and caller.may_see(effective(tags[h.id]).get("visibility", ()))
    ]  # fmt: skip


def still_visible(library: Library, caller: Caller, doc_id: str) -> bool:
    """The catalog's word on a hit: the index may lag a visibility change by one commit."""
    if caller.visibilities is None:
        return True
    doc = library.catalog.document(doc_id)
    if doc is None or doc.state != "active":
        return False
    return caller.may_see(effective(library.catalog.tags(doc_id)).get("visibility", ()))


def hit_out(hit: ResultHit) -> HitOut:
    return HitOut(
        id=hit.id,
        title=hit.title,
        score=hit.score,
        year=hit.year,
        file=PurePath(hit.path).name if hit.path else None,
        tags={f: list(v) for f, v in hit.tags.items()},
        snippets=[
            SnippetOut(
                text=s.text,
                highlights=[(a, b) for a, b in s.highlights],
                page=s.page,
                heading=s.heading,
            )
            for s in hit.snippets
        ],
    )
