"""Exports for citation managers: a collection, or what a search finds.

RIS, BibTeX and CSL-JSON import into Zotero as they stand; CSV and JSON are for everything
else. Only documents the caller may see are exported; each reference links back to the
document's public page (`KB_PUBLIC_URL`). The curators' notes on a collection's entries
come only with `with_notes=true`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam

from api.deps import CallerDep, GateDep, curation_scope
from api.filters import MAX_VALUE, FiltersDep
from api.schemas import ErrorResponse
from indexer.messages import Field, _
from kb.curation import exports
from kb.curation.exports import Export
from kb.errors import InvalidTag

router = APIRouter(tags=["exports"])

Format = Literal["ris", "bibtex", "csl-json", "csv", "json"]
FormatParam = Annotated[Format, Query(
    description="ris, bibtex or csl-json (Zotero, Mendeley...), csv (spreadsheets) or json.")]

_FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The export, as a file to save (Content-Disposition: attachment).",
        "content": {f.media_type.split(";")[0]: {"schema": {"type": "string"}}
                    for f in exports.FORMATS.values()},
    },
}


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    described = {
        400: "The query text cannot be read.",
        401: "Invalid or revoked token.",
        404: "No such collection (or one the caller may not see).",
        422: "An invalid parameter or filter value.",
    }
    return {c: {"model": ErrorResponse, "description": described[c]} for c in codes}


@router.get("/collections/{collection_id}/export", summary="Export a collection",
            response_class=Response, responses={**_FILE, **_errors(401, 404, 422)})
def export_collection(
    collection_id: Annotated[str, PathParam(max_length=200, examples=["pole-ess-rennes"])],
    request: Request,
    caller: CallerDep,
    gate: GateDep,
    format: FormatParam = "ris",
    with_notes: Annotated[bool, Query(description="Include the curators' notes on the "
                                      "entries (RIS N1, BibTeX annote, CSL note).")] = False,
) -> Response:
    """The collection's documents in its order (only those the caller may see)."""
    scope = curation_scope(caller)
    with gate.use() as library:
        found, refs = exports.collection_references(
            library, collection_id, scope=scope, public_url=_public_url(request),
            with_notes=with_notes,
        )
    return export_file(exports.render(refs, format), f"collection-{found.id}")


@router.get("/search/export", summary="Export what a search finds",
            response_class=Response, responses={**_FILE, **_errors(400, 401, 404, 422)})
def export_search(
    request: Request,
    caller: CallerDep,
    gate: GateDep,
    tag_filters: FiltersDep,
    q: Annotated[str, Query(description="As for GET /search.",
                            examples=["economie sociale"])] = "",
    format: FormatParam = "ris",
    collection: Annotated[list[str], Query(max_length=20, description="Only documents in "
                                           "this collection (id).")] = [],  # noqa: B006
    sort: Literal["relevance", "date"] = "relevance",
    limit: Annotated[int, Query(ge=1, le=exports.MAX_EXPORT)] = exports.MAX_EXPORT,
) -> Response:
    """Every document the search finds (at most `limit`, best first), not only one page:
    the same parameters as GET /search."""
    if any(len(v) > MAX_VALUE for v in collection):
        raise InvalidTag(_("{field}: value longer than {max_value} characters",
                           field=Field("collection"), max_value=MAX_VALUE))
    filters = {**tag_filters, "collection": tuple(collection)}
    scope = curation_scope(caller)
    with gate.use() as library:
        # A hidden collection answers like a missing one.
        library.collections.check_visible(collection, scope)
        refs = exports.search_references(
            library, q, {k: v for k, v in filters.items() if v}, scope=scope,
            public_url=_public_url(request), sort=sort, limit=limit,
        )
    return export_file(exports.render(refs, format), "search")


def _public_url(request: Request) -> str:
    return request.app.state.settings.public_url  # type: ignore[no-any-return]


def export_file(result: Export, stem: str) -> Response:
    """The export as a file to save, with how many references it holds."""
    return Response(
        result.text.encode("utf-8"),
        media_type=result.format.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{result.file_name(stem)}"',
            "X-Total-Count": str(result.count),
        },
    )
