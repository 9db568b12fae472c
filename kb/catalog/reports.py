"""Reads of the documents aggregate for reports and pages of hits: counts, what a page of
hits shows, what a prune removes. A part of `Catalog` (a mixin over its connection)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from kb.tags import Tag


@dataclass(frozen=True)
class HitFacts:
    """What the catalog says about a search hit, read for a whole page at once."""

    state: str  # active, missing...
    path: str | None  # a present file's path as given (else any), None without a file
    visibility: tuple[Tag, ...]  # the document's `visibility` tags, every origin


class CatalogReports:
    """Mixed into `Catalog`, which provides the connection."""

    _db: sqlite3.Connection
    # The last count of documents out of the index, with the catalog's state it counted.
    _out_of_index: tuple[tuple[int, int], int] | None = None

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
        """How many documents the index does not hold at their catalog revision.

        Counted again only once the catalog has changed: it reads every document (~30 ms
        at 100,000), and `/health` and the server's index follower ask every second or so.
        SQLite's `data_version` changes with another connection's commits, `total_changes`
        with this one's writes.
        """
        state = (self._count("PRAGMA data_version"), self._db.total_changes)
        if self._out_of_index is not None and self._out_of_index[0] == state:
            return self._out_of_index[1]
        count = self._count(
            "SELECT count(*) FROM documents"
            " WHERE indexed_revision IS NULL OR indexed_revision != revision"
        )
        self._out_of_index = (state, count)
        return count

    def document_count(self) -> int:
        """Every document, whatever its state (reading it tells the catalog answers)."""
        return self._count("SELECT count(*) FROM documents")

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

    def active_tags(self) -> dict[str, list[Tag]]:
        """Every tag of every active document, by document id."""
        rows = self._db.execute(
            "SELECT document_id, field, value, origin FROM tags"
            " JOIN documents d ON d.id = tags.document_id AND d.state = 'active'"
            " ORDER BY document_id, position"
        )
        tags: dict[str, list[Tag]] = {}
        for r in rows:
            tags.setdefault(r["document_id"], []).append(Tag(r["field"], r["value"], r["origin"]))
        return tags

    def active_tags_of(self, fields: Sequence[str]) -> list[tuple[str, Tag, str]]:
        """(document id, tag, the document's updated_at) of every tag in `fields` of every
        active document, by document, in the tags' order."""
        marks = ",".join("?" * len(fields))
        rows = self._db.execute(
            "SELECT t.document_id, t.field, t.value, t.origin, d.updated_at FROM tags t"
            " JOIN documents d ON d.id = t.document_id AND d.state = 'active'"
            f" WHERE t.field IN ({marks}) ORDER BY t.document_id, t.position",
            tuple(fields),
        )
        return [(r["document_id"], Tag(r["field"], r["value"], r["origin"]), r["updated_at"])
                for r in rows]

    def media_type_counts(self) -> list[tuple[str, int]]:
        rows = self._db.execute(
            "SELECT media_type, count(*) AS n FROM documents WHERE state = 'active'"
            " GROUP BY media_type ORDER BY n DESC"
        )
        return [(r["media_type"], r["n"]) for r in rows]

    # --- twins (kb.twins) ---------------------------------------------------------------

    def twin_rows(self, preferred_media: str) -> list[tuple[str, str]]:
        """(fingerprint, id) of each active document whose text fingerprint another
        document shares, by fingerprint, then `preferred_media` first, then the oldest."""
        # The inner query reads the partial index alone (no table row): states are checked
        # on the few rows it names.
        rows = self._db.execute(
            "SELECT id, text_fingerprint FROM documents WHERE text_fingerprint IN"
            " (SELECT text_fingerprint FROM documents WHERE text_fingerprint IS NOT NULL"
            "  GROUP BY text_fingerprint HAVING count(*) > 1) AND state = 'active'"
            " ORDER BY text_fingerprint, media_type != ?, added_at, id",
            (preferred_media,),
        )
        return [(r["text_fingerprint"], r["id"]) for r in rows]

    def same_text(self, doc_id: str, preferred_media: str) -> list[str]:
        """The other active documents with the text fingerprint of `doc_id`,
        `preferred_media` first, then the oldest (none without a fingerprint)."""
        row = self._db.execute(
            "SELECT text_fingerprint FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None or row["text_fingerprint"] is None:
            return []
        return [r["id"] for r in self._db.execute(
            "SELECT id FROM documents WHERE text_fingerprint = ? AND state = 'active'"
            " AND id != ? ORDER BY media_type != ?, added_at, id",
            (row["text_fingerprint"], doc_id, preferred_media))]

    def active_visibility(self, doc_ids: Sequence[str]) -> dict[str, list[Tag]]:
        """The `visibility` tags (every origin) of those of `doc_ids` that are active; an
        active document without one is left out. One query for the lot: keep it to a few
        hundred ids."""
        tags: dict[str, list[Tag]] = {}
        for row in self._db.execute(
            "SELECT t.document_id, t.value, t.origin FROM documents d JOIN tags t"
            " ON t.document_id = d.id AND t.field = 'visibility' WHERE d.state = 'active'"
            f" AND d.id IN ({','.join('?' * len(doc_ids))})", tuple(doc_ids),
        ):
            tags.setdefault(row[0], []).append(Tag("visibility", row[1], row[2]))
        return tags

    def _count(self, sql: str) -> int:
        return int(self._db.execute(sql).fetchone()[0])
