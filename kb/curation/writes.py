"""Safe writes: one transaction per change, the caller's revision checked, the index after.

Optimistic concurrency: a curator reads a document (or a collection) at some revision and
sends that revision back with the change (`If-Match` on the API, `--expect-revision` on the
command line). The check and the change happen in one `BEGIN IMMEDIATE` transaction, so of
two curators who read the same revision, the second to write is refused
(PreconditionFailed) instead of silently overwriting the first; nothing is lost, and the
refused one reads again and redoes their change.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from indexer.messages import Message, _
from kb.actors import Actor
from kb.catalog import DocumentRow
from kb.errors import IndexBusy, NotFound, PreconditionFailed, SchemaOutdated
from kb.library import Library

log = logging.getLogger(__name__)

# Revisions the caller accepts: None means "whatever the current one is".
Expected = Collection[int] | None


@dataclass
class DocumentEdit:
    """What a change sees inside its transaction; set `changed` when it wrote something."""

    document: DocumentRow
    changed: bool = False


def find_document(library: Library, doc_id: str, actor: Actor, *, prefix: bool) -> DocumentRow:
    """The document `actor` may curate, by exact id (API) or id prefix too (command line).

    NotFound, with the same message, for an unknown id and for a document outside the
    actor's scope, so that no answer tells them apart.
    """
    doc = library.resolve_id(doc_id) if prefix else library.catalog.document(doc_id)
    if doc is not None and library.documents.visible_to(doc, actor.scope):
        return doc
    raise NotFound(_("no document with id {doc_id!r}", doc_id=doc_id[:80]))


def check_revision(what: Message, current: int, expected: Expected) -> None:
    """PreconditionFailed unless `current` is one of the `expected` revisions."""
    if expected is None or current in expected:
        return
    sent = ", ".join(str(r) for r in sorted(expected)) or "none"
    raise PreconditionFailed(
        _("{what} changed since you read it: it is at revision {current}, you sent {sent}; read "
          "it again and redo your change", what=what, current=current, sent=sent)
    )


@contextmanager
def document_change(
    library: Library,
    doc_id: str,
    actor: Actor,
    *,
    expected: Expected = None,
    prefix: bool = False,
) -> Iterator[DocumentEdit]:
    """A change to one document: checked, atomic, then followed by the index.

    Inside the block, `edit.document` is the document as the transaction sees it (its
    revision already checked against `expected`); the block writes tags and audit entries
    and sets `edit.changed`. On success a changed document gets a new revision and the
    index is brought up to date; on an error nothing is written.
    """
    doc = find_document(library, doc_id, actor, prefix=prefix)
    catalog = library.catalog
    with catalog.transaction():
        current = catalog.document(doc.id)
        if current is None:  # deleted (kb prune) since we looked it up
            raise NotFound(_("no document with id {doc_id!r}", doc_id=doc_id[:80]))
        check_revision(_("document {id}", id=current.id), current.revision, expected)
        edit = DocumentEdit(current)
        yield edit
        if edit.changed:
            catalog.touch(current.id)
    if edit.changed:
        follow_index(library)


def follow_index(library: Library) -> bool:
    """Bring the index up to the catalog; False (logged) if it cannot be done now.

    The catalog change is already committed and is the truth: an index that is busy (an
    ingest holds it) or outdated (needs `kb reindex`) catches up on its next sync, which
    every write, every ingest and the API's start run. In a server, the index writer is a
    background thread (`kb.catchup`): it is woken and the write answers at once.
    """
    if library.index_follower is not None:
        library.index_follower()
        return True
    try:
        library.sync_index()
    except (IndexBusy, SchemaOutdated) as exc:
        log.warning("index not updated yet: %s", exc)
        return False
    return True
