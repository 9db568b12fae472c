"""Collections: GET for everyone (what they may see), POST/PATCH/DELETE for curators.

A collection the caller may not see answers 404 like one that does not exist; inside a
visible collection, documents the caller may not see are left out (and not counted).
Curators, the council and admins see every collection and document. Each answer carries
the collection's `ETag` ("r<revision>"); send it in `If-Match` with a change to have it
refused (412) if someone changed the collection meanwhile.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi import Path as PathParam

from api import paging
from api.curation_schemas import (
    CollectionDetailOut,
    CollectionIn,
    CollectionOut,
    CollectionPatch,
    CollectionsOut,
    EntryIn,
    EntryOut,
    EntryPatch,
    OrderIn,
)
from api.deps import CallerDep, GateDep, actor_of, curation_scope, if_match, revision_etag
from api.paging import PageParam, SizeParam
from api.routes import API_PREFIX
from api.schemas import ErrorResponse
from kb.collections import Collection
from kb.curation import collections as coll
from kb.library import Library

router = APIRouter(prefix="/collections", tags=["collections"])

CollectionId = Annotated[str, PathParam(min_length=1, max_length=200, description="Collection id.",
                                        examples=["pole-ess-rennes"])]
DocId = Annotated[str, PathParam(min_length=1, max_length=100, description="Document id.",
                                 examples=["3f9a1c0b7e"])]

_DESCRIBED = {
    401: "No token, or an invalid or revoked one.",
    403: "The token's role may not change collections (curators and admins do).",
    404: "No such collection or document (or one the caller may not see).",
    409: "The name or id is already used.",
    412: "The collection changed since the revision sent in If-Match.",
    422: "An invalid body or visibility.",
}


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {c: {"model": ErrorResponse, "description": _DESCRIBED[c]} for c in codes}


WRITE_ERRORS = _errors(401, 403, 404, 412, 422)


@router.get("", response_model=CollectionsOut, summary="Collections",
            responses=_errors(401))
def list_collections(request: Request, response: Response, caller: CallerDep,
                     gate: GateDep, page: PageParam = 1, size: SizeParam = 100
                     ) -> CollectionsOut:
    """The collections the caller may see (the portal: public ones), by name, paged like
    every list (`page`, `size`; `X-Total-Count`, `Link`)."""
    scope = curation_scope(caller)
    with gate.use() as library:
        every = library.collections.listing(scope)
        chosen = every[(page - 1) * size: page * size]
        found = [_out(library, c, scope) for c in chosen]
    paging.add_headers(request, response, total=len(every), page=page, size=size)
    return CollectionsOut(collections=found, total=len(every), page=page, size=size)


@router.get("/{collection_id}", response_model=CollectionDetailOut,
            summary="A collection and its documents", responses=_errors(401, 404))
def get_collection(collection_id: CollectionId, caller: CallerDep, gate: GateDep,
                   response: Response) -> CollectionDetailOut:
    """Its name, description and documents in order, each with the curator's note."""
    scope = curation_scope(caller)
    with gate.use() as library:
        found = library.collections.get(collection_id, scope)
        detail = _detail(library, found, scope)
        # What the caller sees of it: a hidden document's coming and going moves nothing.
        response.headers["ETag"] = library.collections.view_etag(found, scope)
    return detail


@router.post("", response_model=CollectionDetailOut, status_code=201,
             summary="Create a collection", responses=_errors(401, 403, 409, 422))
def create_collection(body: CollectionIn, caller: CallerDep, gate: GateDep,
                      response: Response) -> CollectionDetailOut:
    """A new, empty collection (internal unless `visibility` says otherwise)."""
    actor = actor_of(caller)
    with gate.use() as library:
        created = coll.create_collection(
            library, actor, body.name, description=body.description,
            visibility=body.visibility, collection_id=body.id,
        )
        detail = _detail(library, created, None)
    # The versioned path, whichever path was called: the unversioned ones are deprecated.
    response.headers["Location"] = f"{API_PREFIX}/collections/{created.id}"
    response.headers["ETag"] = revision_etag(created.revision)
    return detail


@router.patch("/{collection_id}", response_model=CollectionDetailOut,
              summary="Rename, describe or change the visibility of a collection",
              responses=_errors(401, 403, 404, 409, 412, 422))
def update_collection(collection_id: CollectionId, body: CollectionPatch, request: Request,
                      caller: CallerDep, gate: GateDep, response: Response
                      ) -> CollectionDetailOut:
    """Fields left out stay as they are."""
    actor = actor_of(caller)
    with gate.use() as library:
        changed = coll.update_collection(
            library, actor, collection_id, name=body.name, description=body.description,
            visibility=body.visibility, expected=if_match(request),
        )
        return _written(library, changed, response)


@router.delete("/{collection_id}", status_code=204, summary="Delete a collection",
               responses=_errors(401, 403, 404, 412))
def delete_collection(collection_id: CollectionId, request: Request, caller: CallerDep,
                      gate: GateDep) -> Response:
    """The collection and its entries go; the documents stay in the library."""
    actor = actor_of(caller)
    with gate.use() as library:
        coll.delete_collection(library, actor, collection_id, expected=if_match(request))
    return Response(status_code=204)


@router.post("/{collection_id}/documents", response_model=CollectionDetailOut,
             summary="Add a document to a collection", responses=WRITE_ERRORS)
def add_document(collection_id: CollectionId, body: EntryIn, request: Request,
                 caller: CallerDep, gate: GateDep, response: Response) -> CollectionDetailOut:
    """At the end, or at `position` (1: first), with a note. A document already in the
    collection keeps its place and note."""
    actor = actor_of(caller)
    with gate.use() as library:
        changed = coll.add_documents(library, actor, collection_id, [body.document_id],
                                     note=body.note, position=body.position,
                                     expected=if_match(request))
        return _written(library, changed, response)


@router.patch("/{collection_id}/documents/{doc_id}", response_model=CollectionDetailOut,
              summary="Move a document or change its note", responses=WRITE_ERRORS)
def update_entry(collection_id: CollectionId, doc_id: DocId, body: EntryPatch,
                 request: Request, caller: CallerDep, gate: GateDep, response: Response
                 ) -> CollectionDetailOut:
    """`position` moves it (1: first; past the end: last); `note` replaces its note."""
    actor = actor_of(caller)
    with gate.use() as library:
        changed = coll.update_entry(library, actor, collection_id, doc_id, note=body.note,
                                    position=body.position, expected=if_match(request))
        return _written(library, changed, response)


@router.delete("/{collection_id}/documents/{doc_id}", response_model=CollectionDetailOut,
               summary="Take a document out of a collection", responses=WRITE_ERRORS)
def remove_document(collection_id: CollectionId, doc_id: DocId, request: Request,
                    caller: CallerDep, gate: GateDep, response: Response
                    ) -> CollectionDetailOut:
    actor = actor_of(caller)
    with gate.use() as library:
        changed = coll.remove_document(library, actor, collection_id, doc_id,
                                       expected=if_match(request))
        return _written(library, changed, response)


@router.put("/{collection_id}/order", response_model=CollectionDetailOut,
            summary="Reorder a collection", responses={**WRITE_ERRORS, 409: {
                "model": ErrorResponse, "description": "The list does not name each document "
                "of the collection exactly once (it changed, or the list is wrong)."}})
def reorder(collection_id: CollectionId, body: OrderIn, request: Request, caller: CallerDep,
            gate: GateDep, response: Response) -> CollectionDetailOut:
    """Every document of the collection, each once, in the new order."""
    actor = actor_of(caller)
    with gate.use() as library:
        changed = coll.reorder(library, actor, collection_id, body.documents,
                               expected=if_match(request))
        return _written(library, changed, response)


def _written(library: Library, changed: Collection, response: Response
             ) -> CollectionDetailOut:
    response.headers["ETag"] = revision_etag(changed.revision)
    return _detail(library, changed, None)


def _out(library: Library, found: Collection, scope: frozenset[str] | None
         ) -> CollectionOut:
    seen = library.collections.as_seen(found, scope)
    return CollectionOut(
        id=seen.id, name=seen.name, description=seen.description,
        visibility=seen.visibility, revision=seen.revision, documents=seen.size,
        created_at=seen.created_at, updated_at=seen.updated_at,
    )


def _detail(library: Library, found: Collection, scope: frozenset[str] | None
            ) -> CollectionDetailOut:
    listed = library.collections.visible_entries(found.id, scope)
    entries = []
    for entry in listed:
        tags = library.documents.effective_tags(entry.document_id)
        year = (tags.get("year") or (None,))[0]
        entries.append(EntryOut(
            position=entry.position, document_id=entry.document_id,
            title=(tags.get("title") or ("",))[0],
            year=int(year) if year and year.isdigit() else None,
            kind=(tags.get("kind") or (None,))[0], note=entry.note, added_at=entry.added_at,
        ))
    seen = library.collections.as_seen(found, scope)
    return CollectionDetailOut(
        id=seen.id, name=seen.name, description=seen.description,
        visibility=seen.visibility, revision=seen.revision, documents=len(entries),
        created_at=seen.created_at, updated_at=seen.updated_at, entries=entries,
    )
