"""The storage of collections and their entries (`collections`, `collection_entries`).

The only module that writes SQL for these tables: `kb.collections` reads through it,
`kb.curation.collections` (the rules: who may change what, revisions, the audit trail)
writes through it, and prune, search and the OAI repository call these functions inside
their own transactions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb.catalog import Catalog


@dataclass(frozen=True)
class Collection:
    id: str
    name: str
    description: str
    visibility: str
    revision: int
    created_at: str
    updated_at: str
    size: int  # entries, whatever their visibility (`as_seen`: those the viewer sees)


@dataclass(frozen=True)
class Entry:
    document_id: str
    position: int  # 1 for the first
    note: str
    added_at: str


@dataclass(frozen=True)
class Membership:
    """A document's entry in a collection."""

    collection: str  # collection id
    name: str
    position: int  # 1-based, as `kb collection show` numbers it
    note: str


_SELECT = (
    "SELECT c.*, count(e.document_id) AS size FROM collections c"
    " LEFT JOIN collection_entries e ON e.collection_id = c.id"
)

# --- collections ---------------------------------------------------------------------------


def every(catalog: Catalog) -> list[Collection]:
    """Every collection, by name."""
    rows = catalog.db.execute(_SELECT + " GROUP BY c.id ORDER BY c.name COLLATE NOCASE, c.id")
    return [_collection(r) for r in rows]


def by_id(catalog: Catalog, collection_id: str) -> Collection | None:
    row = catalog.db.execute(_SELECT + " WHERE c.id = ? GROUP BY c.id",
                             (collection_id,)).fetchone()
    return None if row is None else _collection(row)


def by_name(catalog: Catalog, name: str) -> Collection | None:
    row = catalog.db.execute(_SELECT + " WHERE c.name = ? GROUP BY c.id", (name,)).fetchone()
    return None if row is None else _collection(row)


def holding(catalog: Catalog, doc_id: str) -> list[Collection]:
    """The collections that hold a document, by name."""
    rows = catalog.db.execute(
        _SELECT + " WHERE c.id IN (SELECT collection_id FROM collection_entries"
        " WHERE document_id = ?) GROUP BY c.id ORDER BY c.name COLLATE NOCASE",
        (doc_id,),
    )
    return [_collection(r) for r in rows]


def id_taken(catalog: Catalog, collection_id: str) -> bool:
    return catalog.db.execute("SELECT 1 FROM collections WHERE id = ?",
                              (collection_id,)).fetchone() is not None


def insert(catalog: Catalog, collection_id: str, name: str, description: str,
           visibility: str, at: str) -> bool:
    """A new collection; False (and nothing written) if its id or name is taken."""
    try:
        catalog.db.execute(
            "INSERT INTO collections (id, name, description, visibility, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (collection_id, name, description, visibility, at, at),
        )
    except sqlite3.IntegrityError:
        return False
    return True


# The columns `update` may change (their names go into the statement).
_EDITABLE = ("name", "description", "visibility")


def update(catalog: Catalog, collection_id: str, changes: dict[str, str]) -> bool:
    """Set the given columns among name, description and visibility; False (and nothing
    written) if the new name is taken."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValueError(f"collections: not an editable column: {sorted(unknown)}")
    sets = ", ".join(f"{column} = ?" for column in changes)
    try:
        catalog.db.execute(f"UPDATE collections SET {sets} WHERE id = ?",
                           (*changes.values(), collection_id))
    except sqlite3.IntegrityError:
        return False
    return True


def delete(catalog: Catalog, collection_id: str) -> None:
    """Delete a collection; its entries go with it (ON DELETE CASCADE)."""
    catalog.db.execute("DELETE FROM collections WHERE id = ?", (collection_id,))


def changed(catalog: Catalog, collection_ids: Iterable[str], at: str) -> None:
    """A new revision (and ETag) for each collection whose entries changed at `at`."""
    catalog.db.executemany(
        "UPDATE collections SET revision = revision + 1, updated_at = ? WHERE id = ?",
        [(at, c) for c in sorted(collection_ids)],
    )


def visible_names(catalog: Catalog, visibility: str) -> dict[str, str]:
    """Id -> name of the collections of this visibility, by id."""
    rows = catalog.db.execute(
        "SELECT id, name FROM collections WHERE visibility = ? ORDER BY id", (visibility,)
    )
    return {r["id"]: r["name"] for r in rows}


# --- entries -------------------------------------------------------------------------------


def entries(catalog: Catalog, collection_id: str) -> list[Entry]:
    """A collection's entries in order, numbered from 1."""
    rows = catalog.db.execute(
        "SELECT document_id, position, note, added_at FROM collection_entries"
        " WHERE collection_id = ? ORDER BY position",
        (collection_id,),
    )
    return [Entry(r["document_id"], i, r["note"], r["added_at"]) for i, r in enumerate(rows, 1)]


def document_ids(catalog: Catalog, collection: str) -> list[str] | None:
    """Ids of the documents in a collection (by id, else by exact name), in order;
    None if there is no such collection."""
    row = catalog.db.execute(
        "SELECT id FROM collections WHERE id = ? UNION ALL"
        " SELECT id FROM collections WHERE name = ? LIMIT 1",
        (collection, collection.strip()),
    ).fetchone()
    if row is None:
        return None
    rows = catalog.db.execute(
        "SELECT document_id FROM collection_entries WHERE collection_id = ? ORDER BY position",
        (row["id"],),
    )
    return [r["document_id"] for r in rows]


def add_entries(catalog: Catalog, collection_id: str, doc_ids: Sequence[str], note: str,
                at: str) -> None:
    """Append entries with no place yet: `renumber` gives them theirs."""
    catalog.db.executemany(
        "INSERT INTO collection_entries (collection_id, document_id, position, note,"
        " added_at) VALUES (?, ?, ?, ?, ?)",
        [(collection_id, d, -1, note, at) for d in doc_ids],
    )


def remove_entry(catalog: Catalog, collection_id: str, doc_id: str) -> None:
    catalog.db.execute(
        "DELETE FROM collection_entries WHERE collection_id = ? AND document_id = ?",
        (collection_id, doc_id),
    )


def set_note(catalog: Catalog, collection_id: str, doc_id: str, note: str) -> None:
    catalog.db.execute(
        "UPDATE collection_entries SET note = ? WHERE collection_id = ? AND document_id = ?",
        (note, collection_id, doc_id),
    )


def renumber(catalog: Catalog, collection_id: str, order: Sequence[str]) -> None:
    """Give the entries the positions of `order` (document ids)."""
    catalog.db.executemany(
        "UPDATE collection_entries SET position = ? WHERE collection_id = ? AND document_id = ?",
        [(i, collection_id, d) for i, d in enumerate(order)],
    )


def memberships(catalog: Catalog, doc_id: str) -> list[Membership]:
    """The collections holding `doc_id`, by collection id, with its place in each."""
    rows = catalog.db.execute(
        "SELECT e.collection_id, e.note, c.name,"
        " (SELECT count(*) FROM collection_entries o WHERE o.collection_id = e.collection_id"
        "  AND o.position <= e.position) AS place"
        " FROM collection_entries e JOIN collections c ON c.id = e.collection_id"
        " WHERE e.document_id = ? ORDER BY c.id",
        (doc_id,),
    )
    return [Membership(r["collection_id"], r["name"], r["place"], r["note"]) for r in rows]


def memberships_by_visibility(catalog: Catalog, visibility: str) -> dict[str, list[str]]:
    """Document id -> ids of the collections of this visibility that hold it, by id."""
    found: dict[str, list[str]] = {}
    for r in catalog.db.execute(
        "SELECT e.document_id, e.collection_id FROM collection_entries e"
        " JOIN collections c ON c.id = e.collection_id WHERE c.visibility = ?"
        " ORDER BY e.collection_id", (visibility,),
    ):
        found.setdefault(r["document_id"], []).append(r["collection_id"])
    return found


def _collection(row: sqlite3.Row) -> Collection:
    return Collection(
        id=row["id"],
        name=row["name"],
        description=row["description"],
        visibility=row["visibility"],
        revision=row["revision"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        size=row["size"],
    )
