"""Collections: ordered lists of documents with a curator's note per entry.

A working group's reading list, the file of a study. A document may be in several
collections. A collection has its own visibility (public, network, internal; internal by
default, so nothing shows on the portal before a curator says so), a stable id made from
its first name (renaming keeps it), and a revision bumped on every change, checked like a
document's (optimistic concurrency). Collections live in the catalog only: the index does
not hold them, and a search filtered by collection asks the catalog for its documents.

Reading them is `kb.collections`'s (`Library.collections`); here, changing them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from indexer.messages import Message, _
from indexer.text import fold
from kb import audit
from kb.actors import CURATORS, Actor
from kb.catalog import Catalog, now
from kb.catalog import collections as store
from kb.choices import allowed_keys, unknown_value
from kb.collections import Collection, Entry, entries, get_collection
from kb.collections import collections_of as collections_of
from kb.curation.writes import Expected, check_revision, find_document
from kb.errors import Conflict, InvalidTag, KbError, NotFound
from kb.library import Library

DEFAULT_VISIBILITY = "internal"
MAX_NAME = 200
MAX_DESCRIPTION = 5000
MAX_NOTE = 5000
MAX_ID = 64
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass
class _Edit:
    collection: Collection
    changed: bool = False


# --- writing -------------------------------------------------------------------------------


def create_collection(
    library: Library,
    actor: Actor,
    name: str,
    *,
    description: str = "",
    visibility: str = DEFAULT_VISIBILITY,
    collection_id: str | None = None,
) -> Collection:
    """A new, empty collection; its id is `collection_id` or made from the name.

    Conflict if the name or the id is taken; InvalidTag for a visibility outside the
    vocabulary; KbError for an empty or over-long name or a malformed id.
    """
    actor.require(CURATORS, _("creating a collection"))
    name = _name(name)
    description = _text(_("description"), description, MAX_DESCRIPTION)
    visibility = _visibility(library, visibility)
    catalog = library.catalog
    with catalog.transaction():
        if collection_id is not None:
            new_id = _check_id(collection_id)
        else:
            new_id = _free_id(catalog, _slug(name))
        stamp = now()
        if not store.insert(catalog, new_id, name, description, visibility, stamp):
            raise Conflict(_taken(catalog, new_id, name))
        created = get_collection(catalog, new_id)
        audit.record(catalog, actor, "collection.create", "collection", new_id,
                     after=_summary(created))
    return created


def update_collection(
    library: Library,
    actor: Actor,
    ref: str,
    *,
    name: str | None = None,
    description: str | None = None,
    visibility: str | None = None,
    expected: Expected = None,
) -> Collection:
    """Rename, describe or change the visibility of a collection (None: unchanged)."""
    actor.require(CURATORS, _("changing a collection"))
    changes: dict[str, str] = {}
    if name is not None:
        changes["name"] = _name(name)
    if description is not None:
        changes["description"] = _text(_("description"), description, MAX_DESCRIPTION)
    if visibility is not None:
        changes["visibility"] = _visibility(library, visibility)
    with _collection_change(library, actor, ref, expected) as edit:
        before = edit.collection
        changes = {k: v for k, v in changes.items() if getattr(before, k) != v}
        if changes:
            if not store.update(library.catalog, before.id, changes):
                raise Conflict(_("a collection is already named {name!r}",
                                 name=changes.get("name")))
            action = "collection.rename" if set(changes) == {"name"} else "collection.update"
            audit.record(
                library.catalog, actor, action, "collection", before.id,
                before={k: getattr(before, k) for k in changes}, after=changes,
            )
            edit.changed = True
    return get_collection(library.catalog, edit.collection.id)


def delete_collection(
    library: Library, actor: Actor, ref: str, *, expected: Expected = None
) -> Collection:
    """Delete a collection and its entries (never the documents); returns what it was."""
    actor.require(CURATORS, _("deleting a collection"))
    with _collection_change(library, actor, ref, expected) as edit:
        gone = edit.collection
        listed = [e.document_id for e in entries(library.catalog, gone.id)]
        store.delete(library.catalog, gone.id)
        audit.record(library.catalog, actor, "collection.delete", "collection", gone.id,
                     before={**_summary(gone), "documents": listed})
    return gone


def add_documents(
    library: Library,
    actor: Actor,
    ref: str,
    doc_ids: Sequence[str],
    *,
    note: str = "",
    position: int | None = None,
    expected: Expected = None,
    prefix: bool = False,
) -> Collection:
    """Add documents (at the end, or from `position` on, 1-based) with a note each.

    A document already in the collection keeps its place and note. NotFound for a document
    the actor may not curate.
    """
    actor.require(CURATORS, _("changing a collection"))
    note = _text(_("note"), note, MAX_NOTE)
    if not doc_ids:
        raise KbError(_("give at least one document to add"))
    docs = [find_document(library, d, actor, prefix=prefix).id for d in doc_ids]
    with _collection_change(library, actor, ref, expected) as edit:
        catalog = library.catalog
        order = [e.document_id for e in entries(catalog, edit.collection.id)]
        new = [d for d in dict.fromkeys(docs) if d not in order]
        if new:
            at = len(order) if position is None else _index(position, len(order) + 1)
            order[at:at] = new
            store.add_entries(catalog, edit.collection.id, new, note, now())
            store.renumber(catalog, edit.collection.id, order)
            for doc_id in new:
                audit.record(
                    catalog, actor, "collection.add", "collection", edit.collection.id,
                    document_id=doc_id,
                    after={"position": order.index(doc_id) + 1, "note": note},
                )
            edit.changed = True
    return get_collection(library.catalog, edit.collection.id)


def remove_document(
    library: Library, actor: Actor, ref: str, doc_id: str, *, expected: Expected = None,
    prefix: bool = False,
) -> Collection:
    """Take a document out of a collection; NotFound if it is not in it."""
    actor.require(CURATORS, _("changing a collection"))
    with _collection_change(library, actor, ref, expected) as edit:
        entry = _entry(library, edit.collection, doc_id, prefix)
        catalog = library.catalog
        store.remove_entry(catalog, edit.collection.id, entry.document_id)
        store.renumber(catalog, edit.collection.id,
                  [e.document_id for e in entries(catalog, edit.collection.id)])
        audit.record(
            catalog, actor, "collection.remove", "collection", edit.collection.id,
            document_id=entry.document_id,
            before={"position": entry.position, "note": entry.note},
        )
        edit.changed = True
    return get_collection(library.catalog, edit.collection.id)


def update_entry(
    library: Library,
    actor: Actor,
    ref: str,
    doc_id: str,
    *,
    note: str | None = None,
    position: int | None = None,
    expected: Expected = None,
    prefix: bool = False,
) -> Collection:
    """Change the note of an entry, or move it to `position` (1-based; past the end: last)."""
    actor.require(CURATORS, _("changing a collection"))
    if note is not None:
        note = _text(_("note"), note, MAX_NOTE)
    with _collection_change(library, actor, ref, expected) as edit:
        catalog = library.catalog
        entry = _entry(library, edit.collection, doc_id, prefix)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        if note is not None and note != entry.note:
            store.set_note(catalog, edit.collection.id, entry.document_id, note)
            before["note"], after["note"] = entry.note, note
        if position is not None:
            order = [e.document_id for e in entries(catalog, edit.collection.id)]
            order.remove(entry.document_id)
            at = _index(position, len(order) + 1)
            order.insert(at, entry.document_id)
            if at + 1 != entry.position:
                store.renumber(catalog, edit.collection.id, order)
                before["position"], after["position"] = entry.position, at + 1
        if after:
            action = "collection.move" if set(after) == {"position"} else "collection.note"
            audit.record(catalog, actor, action, "collection", edit.collection.id,
                         document_id=entry.document_id, before=before, after=after)
            edit.changed = True
    return get_collection(library.catalog, edit.collection.id)


def reorder(
    library: Library, actor: Actor, ref: str, doc_ids: Sequence[str], *,
    expected: Expected = None, prefix: bool = False,
) -> Collection:
    """Put the entries in the order of `doc_ids`, which must name each entry once."""
    actor.require(CURATORS, _("changing a collection"))
    with _collection_change(library, actor, ref, expected) as edit:
        catalog = library.catalog
        current = [e.document_id for e in entries(catalog, edit.collection.id)]
        wanted = [_entry(library, edit.collection, d, prefix).document_id for d in doc_ids]
        if sorted(wanted) != sorted(current):
            # A clash with the collection's current entries (the caller's list is out of
            # date or wrong), like a taken name: 409, not a malformed request.
            raise Conflict(
                _("collection {id}: give each of its {count} documents exactly once to reorder "
                  "it (got {count2}, {count3} different)",
                  id=edit.collection.id, count=len(current), count2=len(wanted),
                  count3=len(set(wanted)))
            )
        if wanted != current:
            store.renumber(catalog, edit.collection.id, wanted)
            audit.record(catalog, actor, "collection.reorder", "collection",
                         edit.collection.id, before={"order": current}, after={"order": wanted})
            edit.changed = True
    return get_collection(library.catalog, edit.collection.id)


# --- helpers ---------------------------------------------------------------------------------

@contextmanager
def _collection_change(
    library: Library, actor: Actor, ref: str, expected: Expected
) -> Iterator[_Edit]:
    """One checked, atomic change to a collection; its revision is bumped if it changed."""
    catalog = library.catalog
    found = get_collection(catalog, ref)
    with catalog.transaction():
        current = get_collection(catalog, found.id)
        check_revision(_("collection {id}", id=current.id), current.revision, expected)
        edit = _Edit(current)
        yield edit
        if edit.changed:
            store.changed(catalog, [current.id], now())


def _entry(library: Library, collection: Collection, doc_id: str, prefix: bool) -> Entry:
    listed = entries(library.catalog, collection.id)
    for entry in listed:
        if entry.document_id == doc_id:
            return entry
    if prefix and len(doc_id) >= 4:
        matches = [e for e in listed if e.document_id.startswith(doc_id)]
        if len(matches) == 1:
            return matches[0]
    raise NotFound(_("document {doc_id!r} is not in collection {id}",
                     doc_id=doc_id[:80], id=collection.id))


def _index(position: int, length: int) -> int:
    """0-based insertion index for a 1-based position, clamped to [0, length - 1]."""
    if position < 1:
        raise KbError(_("position {position}: positions start at 1", position=position))
    return min(position, length) - 1


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise KbError(_("collection name: give 1 to {max_name} characters", max_name=MAX_NAME))
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise KbError(_("collection name: control characters are not allowed"))
    return name


def _text(what: Message, text: str, limit: int) -> str:
    text = text.strip()
    if len(text) > limit:
        raise KbError(_("{what}: at most {limit} characters (got {count})",
                        what=what, limit=limit, count=len(text)))
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise KbError(_("{what}: control characters are not allowed", what=what))
    return text


def _visibility(library: Library, value: str) -> str:
    term = library.vocabulary.resolve("visibility", value)
    if term is None:
        raise InvalidTag(unknown_value("visibility", value, (),
                                       allowed_keys(library.vocabulary, "visibility")))
    return term.key


def _slug(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(name))
    slug = "-".join(words)[:MAX_ID].strip("-")
    return slug or "collection"


def _check_id(collection_id: str) -> str:
    if len(collection_id) > MAX_ID or not _ID.fullmatch(collection_id):
        raise KbError(
            _("collection id {collection_id!r}: lower-case letters and digits separated by "
              "single hyphens, at most {max_id} characters (e.g. pole-ess-rennes)",
              collection_id=collection_id[:80], max_id=MAX_ID)
        )
    return collection_id


def _free_id(catalog: Catalog, base: str) -> str:
    candidate, n = base, 1
    while store.id_taken(catalog, candidate):
        n += 1
        suffix = f"-{n}"
        candidate = base[: MAX_ID - len(suffix)] + suffix
    return candidate


def _taken(catalog: Catalog, collection_id: str, name: str) -> Message:
    if store.id_taken(catalog, collection_id):
        return _("collection id {id!r} is already used; choose another id", id=collection_id)
    return _("a collection is already named {name!r}; choose another name", name=name)


def _summary(collection: Collection) -> dict[str, str]:
    return {
        "name": collection.name,
        "description": collection.description,
        "visibility": collection.visibility,
    }

