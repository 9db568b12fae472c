"""Collections (`/dossiers`): the list, and a page for each with its documents in order and
the curators' notes, and "search within" (`/?collection=ID`)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from api.deps import GateDep, actor_of, curation_scope
from api.web.account_pages import local_path
from api.web.common import NO_STORE, PageRoute, label, page, visitor_of
from api.web.document_page import export_links
from api.web.session import check_csrf
from indexer.messages import _
from kb.curation import collections as coll
from kb.errors import KbError, NotFound

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/dossiers")
def collections_page(request: Request, gate: GateDep) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
        scope = curation_scope(visitor.caller)
        # Counted as the visitor sees them: never the documents hidden from them.
        found = [library.collections.as_seen(c, scope) for c in library.collections.listing(scope)]
        visibilities = [(t.key, t.label) for t in library.vocabulary.terms("visibility")]
    return page(request, "collections.html", {"collections": found,
                                              "visibilities": visibilities}, visitor=visitor)


@router.get("/dossiers/{collection_id}")
def collection_page(collection_id: str, request: Request, gate: GateDep) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
        scope = curation_scope(visitor.caller)
        found = library.collections.get(collection_id, scope)
        entries = []
        for entry in library.collections.visible_entries(found.id, scope):
            tags = library.documents.effective_tags(entry.document_id)
            kind = (tags.get("kind") or (None,))[0]
            entries.append({
                "id": entry.document_id,
                "position": entry.position,
                "url": f"/notice/{quote(entry.document_id)}",
                "title": (tags.get("title") or ("(sans titre)",))[0],
                "year": (tags.get("year") or (None,))[0],
                "kind": label(library, "kind", kind) if kind else None,
                "note": entry.note,
            })
    return page(request, "collection.html", {
        "collection": found, "entries": entries,
        "search_url": f"/?collection={quote(found.id)}",
        "exports": export_links(f"/dossiers/{quote(found.id)}/exporter"),
    }, visitor=visitor)


# --- curators build and order collections ---------------------------------------------------

CsrfField = Annotated[str, Form(max_length=200)]
MOVES = {"monter": -1, "descendre": 1}


@router.post("/dossiers")
def create(
    request: Request,
    gate: GateDep,
    name: Annotated[str, Form(max_length=300)],
    csrf: CsrfField = "",
    description: Annotated[str, Form(max_length=5000)] = "",
    visibility: Annotated[str, Form(max_length=40)] = "public",
) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
        check_csrf(visitor.session, csrf)
        made = coll.create_collection(library, actor_of(visitor.caller), name,
                                      description=description, visibility=visibility)
    return RedirectResponse(f"/dossiers/{quote(made.id)}", status_code=303, headers=NO_STORE)


@router.post("/dossiers/ajouter")
def add(
    request: Request,
    gate: GateDep,
    collection: Annotated[str, Form(max_length=200)],
    document: Annotated[str, Form(max_length=100)],
    csrf: CsrfField = "",
    note: Annotated[str, Form(max_length=5000)] = "",
    retour: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Add a document (from its page or a search result) at the end of a collection."""
    with gate.use() as library:
        visitor = visitor_of(request, library)
        check_csrf(visitor.session, csrf)
        found = coll.add_documents(library, actor_of(visitor.caller), collection, [document],
                                   note=note)
    target = local_path(retour) if retour else f"/dossiers/{quote(found.id)}"
    return RedirectResponse(target, status_code=303, headers=NO_STORE)


@router.post("/dossiers/{collection_id}/entree")
def change_entry(
    collection_id: str,
    request: Request,
    gate: GateDep,
    document: Annotated[str, Form(max_length=100)],
    action: Annotated[str, Form(max_length=20)],
    revision: Annotated[int, Form(ge=0, le=10**15)],
    csrf: CsrfField = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Move an entry up or down, change its note or take it out, at the revision the page
    showed (a collection changed since is refused, as on the API)."""
    with gate.use() as library:
        visitor = visitor_of(request, library)
        check_csrf(visitor.session, csrf)
        actor = actor_of(visitor.caller)
        found = library.collections.get(collection_id, curation_scope(visitor.caller))
        if action == "retirer":
            coll.remove_document(library, actor, found.id, document, expected={revision})
        elif action in MOVES:
            place = next((e.position for e in library.collections.entries(found.id)
                          if e.document_id == document), None)
            if place is None:
                raise NotFound(_("document {document!r} is not in this collection",
                                 document=document[:80]))
            coll.update_entry(library, actor, found.id, document,
                              position=max(1, place + MOVES[action]), expected={revision})
        elif action == "note":
            coll.update_entry(library, actor, found.id, document, note=note,
                              expected={revision})
        else:
            raise KbError(_("unknown action {action!r} (monter, descendre, note, retirer)",
                            action=action[:20]))
    return RedirectResponse(f"/dossiers/{quote(found.id)}#d-{quote(document)}",
                            status_code=303, headers=NO_STORE)
