"""Catalog reads for reports and pages of hits: counts, what a page of hits shows, what a
prune removes. A part of `Catalog` (a mixin over its connection), kept apart for size."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kb.tags import Tag


@dataclass(frozen=True)
class HitFacts:
    """What the catalog says about a search hit, read for a whole page at once."""

    state: str  # active, missing...
    path: str | None  # a present file's path as given (else any), None without a file
    visibility: tuple[Tag, ...]  # the document's `visibility` tags, every origin


@dataclass(frozen=True)
class Membership:
    """A document's entry in a collection."""

    collection: str  # collection id
    name: str
    position: int  # 1-based, as `kb collection show` numbers it
    note: str


class CatalogReports:
    """Mixed into `Catalog`, which provides the connection."""

    _db: sqlite3.Connection

    def hit_facts(self, doc_ids: Sequence[str]) -> dict[str, HitFacts]:
        """State, display path and visibility tags of each of `doc_ids` in the catalog, in
        one query (ids unknown to the catalog are left out)."""
        if not doc_ids:
            return {}
        marks = ",".join("?" * len(doc_ids))
        rows = self._db.execute(
            "SELECT d.id, d.state,"
            " (SELECT p.given FROM paths p WHERE p.document_id = d.id"
            "  ORDER BY p.state = 'present' DESC, p.state DESC, p.seen_at DESC, p.path"
            "  LIMIT 1) AS path,"
            " (SELECT json_group_array(json_array(t.value, t.origin)) FROM"
            "  (SELECT value, origin FROM tags WHERE document_id = d.id"
            "   AND field = 'visibility' ORDER BY position) t) AS visibility"
            f" FROM documents d WHERE d.id IN ({marks})",
            tuple(doc_ids),
        )
        return {
            r["id"]: HitFacts(
                r["state"],
                r["path"],
                tuple(Tag("visibility", v, o) for v, o in json.loads(r["visibility"])),
            )
            for r in rows
        }

    def out_of_index_count(self) -> int:
        """How many documents the index does not hold at their catalog revision."""
        return self._count(
            "SELECT count(*) FROM documents"
            " WHERE indexed_revision IS NULL OR indexed_revision != revision"
        )

    def totals(self) -> dict[str, int]:
        """Active and missing documents, present files, pages of active documents."""
        return {
            "documents": self._count("SELECT count(*) FROM documents WHERE state = 'active'"),
            "missing": self._count("SELECT count(*) FROM documents WHERE state = 'missing'"),
            "paths": self._count("SELECT count(*) FROM paths WHERE state = 'present'"),
            "pages": self._count(
                "SELECT count(*) FROM sections s JOIN documents d ON d.id = s.document_id"
                " WHERE d.state = 'active' AND s.page IS NOT NULL"
            ),
        }

    def missing_paths(self) -> list[tuple[str, str]]:
        """(path as given, document id) of every missing file, by path."""
        rows = self._db.execute(
            "SELECT given, document_id FROM paths WHERE state = 'missing' ORDER BY given"
        )
        return [(r["given"], r["document_id"]) for r in rows]

    def memberships(self, doc_id: str) -> list[Membership]:
        """The collections holding `doc_id`, by collection id, with its place in each."""
        rows = self._db.execute(
            "SELECT e.collection_id, e.note, c.name,"
            " (SELECT count(*) FROM collection_entries o WHERE o.collection_id = e.collection_id"
            "  AND o.position <= e.position) AS place"
            " FROM collection_entries e JOIN collections c ON c.id = e.collection_id"
            " WHERE e.document_id = ? ORDER BY c.id",
            (doc_id,),
        )
        return [Membership(r["collection_id"], r["name"], r["place"], r["note"]) for r in rows]

    def collections_changed(self, collection_ids: Iterable[str], at: str) -> None:
        """A new revision (and ETag) for each collection whose entries changed at `at`."""
        self._db.executemany(
            "UPDATE collections SET revision = revision + 1, updated_at = ? WHERE id = ?",
            [(at, c) for c in sorted(collection_ids)],
        )

    def _count(self, sql: str) -> int:
        return int(self._db.execute(sql).fetchone()[0])
