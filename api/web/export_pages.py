"""Exports from the pages: what a search finds (`/exporter`) and a collection
(`/dossiers/{id}/exporter`), as RIS, BibTeX or CSL-JSON files for Zotero and the like.

The same exports as the API's (`kb.curation.exports`), with the visitor's rights: only the
documents they may see, each reference pointing at its page and its file on this site.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.deps import GateDep, curation_scope
from api.routes.exports import export_file
from api.web.common import PageRoute, visitor_of
from api.web.document_page import CITE_FORMATS, base_url
from api.web.search_page import SearchState
from indexer.messages import _
from kb.curation import exports
from kb.curation.citations import Reference
from kb.errors import NotFound

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _format(request: Request) -> str:
    fmt = request.query_params.get("format") or "ris"
    if fmt not in CITE_FORMATS:
        raise NotFound(_("no export format {format!r} (formats: {formats})", format=fmt[:20],
                         formats=", ".join(CITE_FORMATS)))
    return fmt


def _on_this_site(request: Request, refs: Sequence[Reference]) -> list[Reference]:
    base = base_url(request)
    return [replace(r, url=f"{base}/notice/{quote(r.id)}",
                    file_url=f"{base}/notice/{quote(r.id)}/fichier") for r in refs]


@router.get("/exporter")
def export_search(request: Request, gate: GateDep) -> Response:
    """Every document the search of the query string finds (at most `MAX_EXPORT`), in its
    order."""
    fmt = _format(request)
    state = SearchState.from_params(request.query_params)
    with gate.use() as library:
        visitor = visitor_of(request, library)
        scope = curation_scope(visitor.caller)
        # A hidden collection answers like a missing one.
        library.collections.check_visible(state.filters.get("collection", ()), scope)
        refs = exports.search_references(
            library, state.q, state.filters, scope=scope, public_url=base_url(request),
            sort=state.sort,
        )
    return export_file(exports.render(_on_this_site(request, refs), fmt), "recherche")


@router.get("/dossiers/{collection_id}/exporter")
def export_collection(collection_id: str, request: Request, gate: GateDep) -> Response:
    """A collection's documents in its order, with the notes its page shows."""
    fmt = _format(request)
    with gate.use() as library:
        visitor = visitor_of(request, library)
        found, refs = exports.collection_references(
            library, collection_id, scope=curation_scope(visitor.caller),
            public_url=base_url(request), with_notes=True,
        )
    return export_file(exports.render(_on_this_site(request, refs), fmt),
                       f"collection-{found.id}")
