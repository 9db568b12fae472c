"""GET /search: French full-text search with tag filters, facets and snippets."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from api import paging
from api.auth import Caller
from api.conditional import json_with_etag
from api.deps import CallerDep, GateDep, curation_scope
from api.filters import MAX_VALUE, MAX_VALUES, FiltersDep
from api.language import language_of
from api.paging import PageParam, SizeParam
from api.schemas import ErrorResponse, HitOut, SearchOut, SnippetOut
from indexer.fields import FILTER_FIELDS
from indexer.messages import Field, Message, _
from indexer.query import MAX_QUERY_LENGTH
from kb.errors import InvalidTag
from kb.library import ResultHit, SearchResults
from kb.messages import render
from kb.vocabulary import Vocabulary

router = APIRouter(tags=["search"])


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
    tag_filters: FiltersDep,
    q: Annotated[str, Query(
        description='French words with or without accents; "a phrase"; a OU b; -word to '
        "exclude; prefix*; word~ (typos); field:value (e.g. year:2005..2010). Empty: every "
        "document the filters keep (with sort=date, newest first). A pasted paragraph is "
        f"searched: beyond {MAX_QUERY_LENGTH} characters, its first {MAX_QUERY_LENGTH} are, "
        "with a warning.",
        openapi_examples={"words": {"value": "economie sociale"},
                          "phrase": {"value": '"pôle ESS"'}},
    )] = "",
    # `= []` is safe here (B006): FastAPI gives each request a fresh copy of a default.
    collection: Annotated[list[str], Query(
        description="Only documents in this collection (id, as in GET /collections). Repeat "
        "for OR.", max_length=MAX_VALUES,
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
    if any(len(value) > MAX_VALUE for value in collection):
        raise InvalidTag(_("{field}: value longer than {max_value} characters",
                               field=Field("collection"), max_value=MAX_VALUE))
    filters = {**tag_filters, "collection": tuple(collection)}
    with gate.use() as library:
        # A collection the caller may not see answers 404.
        library.collections.check_visible(collection, curation_scope(caller))
        results = library.search(
            q,
            {k: v for k, v in filters.items() if v},
            visibilities=caller.visibilities,
            page=page,
            size=size,
            sort=sort,
            order=order,
            facets=facets,
        )
        hits = [hit_out(h) for h in results.hits if still_visible(caller, h)]
    payload = SearchOut(
        query=q,
        total=results.total,
        page=results.page,
        size=results.size,
        last_page=results.last_page,
        hits=hits,
        facets={f: dict(v) for f, v in results.facets.items()},
        suggestion=results.suggestion,
        warnings=[render(w, language_of(request))
                  for w in (*results.warnings, *past_end(results))],
    )
    response = json_with_etag(request, payload)
    response.headers["Vary"] = "Accept-Language"  # the warnings are in the caller's language
    paging.add_headers(request, response, total=results.total, page=page, size=size)
    return response


def past_end(results: SearchResults) -> list[Message]:
    """The warning of a page past the last one (an empty page, not an error)."""
    if not results.past_end:
        return []
    return [_("page {page} is past the last page ({last})", page=results.page,
              last=results.last_page)]


def describe_filter_values(openapi: dict[str, Any], vocabulary: Vocabulary) -> None:
    """List each tag filter's vocabulary keys in the OpenAPI schema (as an `enum`), so that
    the portal's developers see the valid values on /docs. Validation stays with the
    vocabulary, which also takes French labels and synonyms, ignoring case and accents."""
    for path, operations in openapi.get("paths", {}).items():
        if not path.endswith(("/search", "/search/export")):
            continue
        for parameter in operations.get("get", {}).get("parameters", ()):
            if parameter.get("in") == "query" and parameter.get("name") in FILTER_FIELDS:
                items = parameter.get("schema", {}).get("items")
                if isinstance(items, dict):
                    items["enum"] = [t.key for t in vocabulary.terms(parameter["name"])]


def still_visible(caller: Caller, hit: ResultHit) -> bool:
    """The catalog's word on a hit (read with its page): the index may lag a visibility
    change by one commit."""
    if caller.visibilities is None:
        return True
    return hit.state == "active" and caller.may_see(hit.visibility)


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
