"""Collections (`/dossiers`): the list, and a page for each with its documents in order and
the curators' notes, and "search within" (`/?collection=ID`)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.deps import GateDep, curation_scope
from api.web.common import PageRoute, label, page, visitor_of
from kb.curation import collections as coll
from kb.tags import effective

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/dossiers")
def collections_page(request: Request, gate: GateDep) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
        found = coll.list_collections(library.catalog, curation_scope(visitor.caller))
    return page(request, "collections.html", {"collections": found}, visitor=visitor)


@router.get("/dossiers/{collection_id}")
def collection_page(collection_id: str, request: Request, gate: GateDep) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
        scope = curation_scope(visitor.caller)
        found = coll.get_collection(library.catalog, collection_id, scope)
        entries = []
        for entry in coll.visible_entries(library, found.id, scope):
            tags = effective(library.catalog.tags(entry.document_id))
            kind = (tags.get("kind") or (None,))[0]
            entries.append({
                "url": f"/notice/{quote(entry.document_id)}",
                "title": (tags.get("title") or ("(sans titre)",))[0],
                "year": (tags.get("year") or (None,))[0],
                "kind": label(library, "kind", kind) if kind else None,
                "note": entry.note,
            })
    return page(request, "collection.html", {
        "collection": found, "entries": entries,
        "search_url": f"/?collection={quote(found.id)}",
    }, visitor=visitor)
