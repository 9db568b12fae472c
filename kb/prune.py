"""Pruning a library: deleting the documents whose files are all gone, with an audit trail."""

from __future__ import annotations

from typing import Any

from indexer.index import FullTextIndex
from kb import audit
from kb.actors import Actor
from kb.catalog import Catalog, DocumentRow, now
from kb.catalog import collections as collection_store
from kb.tags import effective


def prune(catalog: Catalog, index: FullTextIndex, *, actor: Actor | None = None) -> list[str]:
    """Delete the documents marked missing (and missing paths); returns their ids.

    The index is updated first: a crash in between leaves them missing in the catalog,
    which the next prune finishes. What the deletion removes (each document's tags and
    files, its entries in collections, which the foreign keys would drop silently) is
    written to the audit trail first, in the same transaction, naming `actor` (None:
    the local user): one "prune" entry, one "prune.delete" per document and one
    "collection.remove" per collection entry.
    """
    actor = actor or Actor.local()
    missing = catalog.documents(state="missing")
    if missing:
        with index.writer(timeout=30.0) as writer:
            for doc in missing:
                writer.delete(doc.id)
    with catalog.transaction():
        # Read again inside the transaction, so that what is recorded is what goes; only
        # documents already out of the index go.
        out = {d.id for d in missing}
        gone = [d for d in catalog.documents(state="missing") if d.id in out]
        paths = catalog.missing_paths()
        touched = _record_prune(catalog, actor, gone, paths)
        for doc in gone:
            catalog.delete_document(doc.id)
        catalog.delete_missing_paths()
        # The entries they had are gone: each collection changed (new revision, ETag).
        collection_store.changed(catalog, touched, now())
    return [d.id for d in gone]


def _record_prune(
    catalog: Catalog, actor: Actor, gone: list[DocumentRow], paths: list[tuple[str, str]]
) -> set[str]:
    """Audit entries for a prune, written before the rows go; the collections touched."""
    removed: list[dict[str, Any]] = []
    for doc in gone:
        entries = collection_store.memberships(catalog, doc.id)
        memberships = [
            {"collection": m.collection, "name": m.name, "position": m.position, "note": m.note}
            for m in entries
        ]
        tags = effective(catalog.tags(doc.id))
        audit.record(
            catalog, actor, "prune.delete", "document", doc.id, document_id=doc.id,
            before={
                "state": doc.state,
                "content_hash": doc.content_hash,
                "media_type": doc.media_type,
                "files": [given for given, owner in paths if owner == doc.id],
                "tags": {f: list(v) for f, v in tags.items()},
                "collections": memberships,
            },
            comment="every file of the document is gone",
        )
        for entry in entries:
            audit.record(
                catalog, actor, "collection.remove", "collection",
                entry.collection, document_id=doc.id,
                before={"position": entry.position, "note": entry.note},
                comment="pruned: every file of the document is gone",
            )
            removed.append({"collection": entry.collection, "document": doc.id})
    if gone or paths:
        audit.record(
            catalog, actor, "prune", "library", None,
            before={
                "documents": [d.id for d in gone],
                "files": [given for given, _ in paths],
                "collection_entries": removed,
            },
        )
    return {r["collection"] for r in removed}
