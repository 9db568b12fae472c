"""Reading collections: what the command line, the API and the pages show of them, as plain
values.

`Collections` is the service `Library` composes for it (`Library.collections`); changing a
collection (who may, revisions, the audit trail) is curation's (`kb.curation.collections`),
which reads through the functions here. A viewer's `scope` is the visibilities they see
(None: everything, as curators and the command line do): a collection outside it is
NotFound like one that does not exist, and its documents outside it are left out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace

from indexer.messages import _
from kb import audit
from kb.catalog import Catalog
from kb.catalog import collections as store
from kb.catalog.collections import Collection, Entry
from kb.documents import Documents
from kb.errors import NotFound

Scope = frozenset[str] | None


def list_collections(catalog: Catalog, scope: Scope = None) -> list[Collection]:
    """Collections whose visibility is in `scope` (None: all), by name."""
    return [c for c in store.every(catalog) if scope is None or c.visibility in scope]


def get_collection(catalog: Catalog, ref: str, scope: Scope = None) -> Collection:
    """A collection by id (or, failing that, exact name) if in `scope`; NotFound otherwise,
    the same for a hidden collection as for one that does not exist."""
    found = store.by_id(catalog, ref) or store.by_name(catalog, ref.strip())
    if found is not None and (scope is None or found.visibility in scope):
        return found
    raise NotFound(_("no collection {ref!r}; `kb collection list` shows them", ref=ref[:80]))


def entries(catalog: Catalog, collection_id: str) -> list[Entry]:
    """A collection's entries in order, numbered from 1, whatever their documents."""
    return store.entries(catalog, collection_id)


def collections_of(catalog: Catalog, doc_id: str, scope: Scope = None) -> list[Collection]:
    """The collections (in `scope`) that hold a document."""
    return [c for c in store.holding(catalog, doc_id) if scope is None or c.visibility in scope]


class Collections:
    """The collections of one library's catalog, read for showing."""

    def __init__(self, catalog: Catalog, documents: Documents):
        self._catalog = catalog
        self._documents = documents

    def listing(self, scope: Scope = None) -> list[Collection]:
        """Those in `scope` (None: all), by name; their sizes count every entry (`as_seen`
        counts what a viewer sees)."""
        return list_collections(self._catalog, scope)

    def get(self, ref: str, scope: Scope = None) -> Collection:
        """By id or exact name; NotFound for an unknown one and for one outside `scope`."""
        return get_collection(self._catalog, ref, scope)

    def check_visible(self, refs: Iterable[str], scope: Scope) -> None:
        """NotFound for the first of `refs` that is unknown or outside `scope` (a search
        filtered by a hidden collection answers like one filtered by a missing one)."""
        for ref in refs:
            get_collection(self._catalog, ref, scope)

    def entries(self, collection_id: str) -> list[Entry]:
        """Every entry in order, numbered from 1, whatever its document's visibility."""
        return entries(self._catalog, collection_id)

    def memberships(self, doc_id: str, scope: Scope = None) -> list[tuple[Collection, Entry]]:
        """The collections in `scope` that hold a document, each with its entry there
        (position, curator's note)."""
        return [
            (found, next(e for e in entries(self._catalog, found.id) if e.document_id == doc_id))
            for found in collections_of(self._catalog, doc_id, scope)
        ]

    def visible_entries(self, collection_id: str, scope: Scope) -> list[Entry]:
        """The entries whose documents are in `scope`, numbered as the viewer sees them."""
        shown = [e for e in entries(self._catalog, collection_id) if self._visible(e.document_id,
                                                                                   scope)]
        return [Entry(e.document_id, i, e.note, e.added_at) for i, e in enumerate(shown, start=1)]

    def as_seen(self, found: Collection, scope: Scope) -> Collection:
        """The collection as a viewer limited to `scope` sees it: its size, revision and
        `updated_at` count only the changes they can see (None: every change, as stored).

        A change about a document outside `scope` (added, moved, annotated, taken out, or a
        reorder that leaves the visible order as it was) is left out, so that adding an
        internal document to a public collection changes nothing an anonymous visitor
        observes. The revision is then the number of visible changes since creation (the
        collection's `revision` counts every change); writers, who see everything, keep the
        stored one.
        """
        if scope is None:
            return found
        shown = self.visible_entries(found.id, scope)
        seen: dict[str, bool] = {}

        def visible(doc_id: str) -> bool:
            if doc_id not in seen:
                seen[doc_id] = self._visible(doc_id, scope)
            return seen[doc_id]

        revision, updated_at = 0, found.created_at
        for action, doc_id, was, now_is, at in audit.collection_history(self._catalog, found.id):
            if doc_id is not None:
                counted = visible(doc_id)
            elif action == "collection.reorder":
                before, after = ([d for d in (change or {}).get("order", []) if visible(d)]
                                 for change in (was, now_is))
                counted = before != after
            else:
                counted = True
            if counted:
                revision, updated_at = revision + 1, at
        return replace(found, size=len(shown), revision=max(revision, 1), updated_at=updated_at)

    def view_etag(self, found: Collection, scope: Scope) -> str:
        """The ETag of a collection as `scope` sees it: `"r<revision>"` for writers
        (If-Match compares it), and for the others a tag of what they see (their revision
        and a digest of the visible entries), which no hidden change moves."""
        if scope is None:
            return f'"r{found.revision}"'
        seen = self.as_seen(found, scope)
        shown = [(e.document_id, e.note) for e in self.visible_entries(found.id, scope)]
        digest = hashlib.sha256(json.dumps(
            [seen.name, seen.description, seen.visibility, shown], ensure_ascii=False
        ).encode()).hexdigest()[:16]
        return f'"v{seen.revision}-{digest}"'

    def _visible(self, doc_id: str, scope: Scope) -> bool:
        doc = self._documents.get(doc_id)
        return doc is not None and self._documents.visible_to(doc, scope)


__all__ = ["Collection", "Collections", "Entry", "Scope", "collections_of", "entries",
           "get_collection", "list_collections"]
