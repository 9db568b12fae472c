"""The documents aggregate's storage: documents, the paths they were found at and their
extracted text by section (`documents`, `paths`, `sections`). A part of `Catalog` (a mixin
over its connection): ingest, sync and the library call these as `catalog.document(...)`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from indexer.extract.base import Section
from kb.catalog.values import escape_like, now


@dataclass(frozen=True)
class DocumentRow:
    id: str
    content_hash: str
    media_type: str
    size: int
    state: str
    revision: int
    indexed_revision: int | None
    report: dict[str, Any]
    added_at: str
    updated_at: str
    text_fingerprint: str | None = None  # kb.twins: equal for the same text in two files


@dataclass(frozen=True)
class PathRow:
    path: str  # absolute, the identity of the location
    given: str  # as the user named it to `kb ingest`
    root: str  # the ingested folder (or file) it was found under
    document_id: str
    size: int
    mtime_ns: int
    sidecar: str | None  # signature of the sidecar when last read, None if there was none
    state: str
    seen_at: str


class DocumentStore:
    """Mixed into `Catalog`, which provides the connection and the transactions."""

    _db: sqlite3.Connection

    # --- documents --------------------------------------------------------------------

    def document(self, doc_id: str) -> DocumentRow | None:
        row = self._db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return None if row is None else _document(row)

    def find_documents(self, id_prefix: str) -> list[DocumentRow]:
        rows = self._db.execute(
            "SELECT * FROM documents WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 10",
            (escape_like(id_prefix) + "%",),
        )
        return [_document(r) for r in rows]

    def document_by_hash(self, content_hash: str) -> DocumentRow | None:
        row = self._db.execute(
            "SELECT * FROM documents WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        return None if row is None else _document(row)

    def documents(self, state: str | None = None) -> list[DocumentRow]:
        if state is None:
            rows = self._db.execute("SELECT * FROM documents ORDER BY id")
        else:
            rows = self._db.execute("SELECT * FROM documents WHERE state = ? ORDER BY id", (state,))
        return [_document(r) for r in rows]

    def new_document_id(self, content_hash: str) -> str:
        """A short stable id taken from the first content's hash, lengthened on collision."""
        for length in range(10, len(content_hash) + 1, 2):
            candidate = content_hash[:length]
            if self.document(candidate) is None:
                return candidate
        raise AssertionError("hash collision on a full sha256")  # pragma: no cover

    def add_document(
        self, doc_id: str, content_hash: str, media_type: str, size: int, report: dict[str, Any]
    ) -> None:
        stamp = now()
        self._db.execute(
            "INSERT INTO documents (id, content_hash, media_type, size, report, added_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc_id, content_hash, media_type, size, json.dumps(report), stamp, stamp),
        )

    def update_content(
        self, doc_id: str, content_hash: str, media_type: str, size: int, report: dict[str, Any]
    ) -> None:
        """A new version of the document's file: same id, new content."""
        self._db.execute(
            "UPDATE documents SET content_hash = ?, media_type = ?, size = ?, report = ?,"
            " state = 'active', revision = revision + 1, updated_at = ? WHERE id = ?",
            (content_hash, media_type, size, json.dumps(report), now(), doc_id),
        )

    def set_text_fingerprint(self, doc_id: str, fingerprint: str | None) -> None:
        """The fingerprint of the document's text (`kb.twins`), written with its sections."""
        self._db.execute("UPDATE documents SET text_fingerprint = ? WHERE id = ?",
                         (fingerprint, doc_id))

    def touch(self, doc_id: str) -> None:
        """Something the index holds changed (tags, state): the index must catch up."""
        self._db.execute(
            "UPDATE documents SET revision = revision + 1, updated_at = ? WHERE id = ?",
            (now(), doc_id),
        )

    def set_state(self, doc_id: str, state: str) -> None:
        self._db.execute(
            "UPDATE documents SET state = ?, revision = revision + 1, updated_at = ?"
            " WHERE id = ? AND state != ?",
            (state, now(), doc_id, state),
        )

    def delete_document(self, doc_id: str) -> None:
        self._db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def out_of_index(self) -> list[DocumentRow]:
        """Documents whose indexed form lags behind the catalog."""
        rows = self._db.execute(
            "SELECT * FROM documents WHERE indexed_revision IS NULL OR indexed_revision != revision"
        )
        return [_document(r) for r in rows]

    def mark_indexed(self, revisions: Iterable[tuple[str, int]]) -> None:
        self._db.executemany(
            "UPDATE documents SET indexed_revision = ? WHERE id = ?",
            [(rev, doc_id) for doc_id, rev in revisions],
        )

    def forget_indexed(self) -> None:
        self._db.execute("UPDATE documents SET indexed_revision = NULL")

    # --- paths ------------------------------------------------------------------------

    def path(self, path: str) -> PathRow | None:
        row = self._db.execute("SELECT * FROM paths WHERE path = ?", (path,)).fetchone()
        return None if row is None else PathRow(**row)

    def paths_of(self, doc_id: str) -> list[PathRow]:
        rows = self._db.execute(
            "SELECT * FROM paths WHERE document_id = ? ORDER BY state DESC, seen_at DESC, path",
            (doc_id,),
        )
        return [PathRow(**r) for r in rows]

    def paths_under(self, root: str) -> list[PathRow]:
        rows = self._db.execute("SELECT * FROM paths WHERE root = ?", (root,))
        return [PathRow(**r) for r in rows]

    def put_path(self, row: PathRow) -> None:
        self._db.execute(
            "INSERT INTO paths (path, given, root, document_id, size, mtime_ns, sidecar, state,"
            " seen_at) VALUES (:path, :given, :root, :document_id, :size, :mtime_ns, :sidecar,"
            " :state, :seen_at) ON CONFLICT(path) DO UPDATE SET given = excluded.given,"
            " root = excluded.root, document_id = excluded.document_id, size = excluded.size,"
            " mtime_ns = excluded.mtime_ns, sidecar = excluded.sidecar,"
            " state = excluded.state, seen_at = excluded.seen_at",
            row.__dict__,
        )

    def set_path_state(self, path: str, state: str) -> None:
        self._db.execute("UPDATE paths SET state = ? WHERE path = ?", (state, path))

    def delete_missing_paths(self) -> None:
        self._db.execute("DELETE FROM paths WHERE state = 'missing'")

    def present_path_count(self, doc_id: str) -> int:
        row = self._db.execute(
            "SELECT count(*) AS n FROM paths WHERE document_id = ? AND state = 'present'",
            (doc_id,),
        ).fetchone()
        return int(row["n"])

    # --- text -------------------------------------------------------------------------

    def sections(self, doc_id: str) -> list[Section]:
        rows = self._db.execute(
            "SELECT page, heading, text FROM sections WHERE document_id = ? ORDER BY seq",
            (doc_id,),
        )
        return [Section(text=r["text"], page=r["page"], heading=r["heading"]) for r in rows]

    def replace_sections(self, doc_id: str, sections: Sequence[Section]) -> None:
        self._db.execute("DELETE FROM sections WHERE document_id = ?", (doc_id,))
        self._db.executemany(
            "INSERT INTO sections (document_id, seq, page, heading, text) VALUES (?, ?, ?, ?, ?)",
            [(doc_id, i, s.page, s.heading, s.text) for i, s in enumerate(sections)],
        )


def _document(row: sqlite3.Row) -> DocumentRow:
    values = dict(row)
    values["report"] = json.loads(values["report"] or "{}")
    return DocumentRow(**values)

