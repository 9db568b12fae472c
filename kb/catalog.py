"""The SQLite catalog: the library's source of truth.

Documents, the paths they were found at, content hashes, tags with their origin, the
extracted (repaired) text by section and the extraction reports live here. The full-text
index is derived from it: every document carries a `revision`, bumped on each change, and
the `indexed_revision` the index holds; a difference means the index must catch up, which is
how an ingest killed between a catalog commit and an index commit is repaired.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from indexer.extract.base import Section
from kb.catalog_reports import CatalogReports
from kb.catalog_schema import SCHEMA
from kb.catalog_suggestions import CatalogSuggestions, evidence_from_row, evidence_row
from kb.errors import ReadOnlyLibrary, SchemaOutdated, StorageError
from kb.migrations import SCHEMA_VERSION, stored_version, version_problem
from kb.readonly import connect_read_only
from kb.tags import Tag, TagEvidence


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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


class Catalog(CatalogReports, CatalogSuggestions):
    """One SQLite database; every multi-row change goes through `transaction()`."""

    def __init__(self, connection: sqlite3.Connection, path: Path, *, read_only: bool = False):
        self._db = connection
        self.file = path
        self.read_only = read_only
        # What a write on a read-only catalog raises, when not ReadOnlyLibrary (a server
        # that opened it read-only because the disk is full says so).
        self.refusal: StorageError | None = None

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Catalog:
        """Open (creating if needed) the catalog; SchemaOutdated if its schema is older
        (run `kb upgrade`) or newer (made by a newer kb) than this kb's.

        `read_only`: open an existing catalog without writing anything, not even the
        journal mode or the schema script (a read-only share, a full disk); its
        `transaction()` raises ReadOnlyLibrary."""
        if read_only:
            return cls._open_read_only(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = _connect(path)
        try:
            found = stored_version(db)
            if found is not None and found != SCHEMA_VERSION:
                raise SchemaOutdated(version_problem(path, found))
            _configure(db)
            db.executescript(SCHEMA)
            if found is None:
                db.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
        except BaseException:
            db.close()
            raise
        return cls(db, path)

    @classmethod
    def _open_read_only(cls, path: Path) -> Catalog:
        db = connect_read_only(path)
        try:
            found = stored_version(db)
            if found != SCHEMA_VERSION:
                raise SchemaOutdated(version_problem(path, found) if found is not None
                                     else f"{path}: not a kb catalog (no schema version)")
            db.execute("PRAGMA query_only=ON")
        except BaseException:
            db.close()
            raise
        return cls(db, path, read_only=True)

    @classmethod
    def open_reader(cls, path: Path) -> Catalog:
        """A connection that only reads, to a catalog already open elsewhere in this
        version (a worker process's, during `kb reindex`)."""
        db = _connect(path)
        db.execute("PRAGMA query_only=ON")
        return cls(db, path)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db(self) -> sqlite3.Connection:
        """The connection, for catalog modules with tables of their own (tokens, ...)."""
        return self._db

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: commit on success, roll back and re-raise on error (a failed
        COMMIT too: a full disk leaves nothing half-written). ReadOnlyLibrary for a catalog
        opened read-only."""
        if self.read_only:
            raise self.refusal or ReadOnlyLibrary.at(self.file.parent)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back (a full disk does): ROLLBACK then would
            # raise "no transaction is active" and hide the error that matters.
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    # --- meta -------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row["value"]

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # --- documents --------------------------------------------------------------------

    def document(self, doc_id: str) -> DocumentRow | None:
        row = self._db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return None if row is None else _document(row)

    def find_documents(self, id_prefix: str) -> list[DocumentRow]:
        rows = self._db.execute(
            "SELECT * FROM documents WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 10",
            (_like_prefix(id_prefix),),
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

    # --- tags -------------------------------------------------------------------------

    def tags(self, doc_id: str) -> list[Tag]:
        rows = self._db.execute(
            "SELECT field, value, origin FROM tags WHERE document_id = ? ORDER BY position",
            (doc_id,),
        )
        return [Tag(r["field"], r["value"], r["origin"]) for r in rows]

    def replace_tags(self, doc_id: str, origins: Sequence[str], tags: Iterable[Tag]) -> None:
        """Replace every tag of the given origins (curators' tags are never in `origins`)."""
        marks = ",".join("?" * len(origins))
        self._db.execute(
            f"DELETE FROM tags WHERE document_id = ? AND origin IN ({marks})", (doc_id, *origins)
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO tags (document_id, field, value, origin, position)"
            " VALUES (?, ?, ?, ?, ?)",
            [(doc_id, t.field, t.value, t.origin, i) for i, t in enumerate(tags)],
        )

    def evidence(self, doc_id: str) -> list[TagEvidence]:
        """The evidence of the document's automatic tags, in the order they were set."""
        rows = self._db.execute(
            "SELECT field, value, reason, mentions, words, pages FROM tag_evidence"
            " WHERE document_id = ? ORDER BY rowid",
            (doc_id,),
        )
        return [evidence_from_row(r) for r in rows]

    def replace_evidence(self, doc_id: str, evidence: Iterable[TagEvidence]) -> None:
        """Replace the evidence of the document's automatic tags (with those tags)."""
        self._db.execute("DELETE FROM tag_evidence WHERE document_id = ?", (doc_id,))
        self._db.executemany(
            "INSERT OR REPLACE INTO tag_evidence"
            " (document_id, field, value, reason, mentions, words, pages)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [evidence_row(doc_id, e) for e in evidence],
        )

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

    # --- failures (more in kb.failures) and runs ----------------------------------------

    def failures(self) -> list[tuple[str, str, str]]:
        """(given, reason, at) of each file that could not be read; `kb.failures` has more."""
        rows = self._db.execute("SELECT given, reason, at FROM failures ORDER BY given")
        return [(r["given"], r["reason"], r["at"]) for r in rows]

    def start_run(self, roots: Sequence[str]) -> int:
        cursor = self._db.execute(
            "INSERT INTO runs (started_at, roots) VALUES (?, ?)", (now(), json.dumps(list(roots)))
        )
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        self._db.execute(
            "UPDATE runs SET finished_at = ?, counts = ? WHERE id = ?",
            (now(), json.dumps(counts), run_id),
        )

    def last_run(self) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT * FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return {
            "started_at": row["started_at"],
            "finished_at": row["finished_at"],
            "roots": json.loads(row["roots"]),
            "counts": json.loads(row["counts"] or "{}"),
        }

    # --- statistics -------------------------------------------------------------------

    def count(self, sql: str, *params: object) -> int:
        return int(self._db.execute(sql, params).fetchone()[0])

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

    def collection_documents(self, collection: str) -> list[str] | None:
        """Ids of the documents in a collection (by id, else by exact name), in order;
        None if there is no such collection."""
        row = self._db.execute(
            "SELECT id FROM collections WHERE id = ? UNION ALL"
            " SELECT id FROM collections WHERE name = ? LIMIT 1",
            (collection, collection.strip()),
        ).fetchone()
        if row is None:
            return None
        rows = self._db.execute(
            "SELECT document_id FROM collection_entries WHERE collection_id = ? ORDER BY position",
            (row["id"],),
        )
        return [r["document_id"] for r in rows]

    def media_type_counts(self) -> list[tuple[str, int]]:
        rows = self._db.execute(
            "SELECT media_type, count(*) AS n FROM documents WHERE state = 'active'"
            " GROUP BY media_type ORDER BY n DESC"
        )
        return [(r["media_type"], r["n"]) for r in rows]


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    db.row_factory = sqlite3.Row
    return db


def _configure(db: sqlite3.Connection) -> None:
    """Once the schema version is ours: WAL rewrites the file's header, so a catalog
    refused for its version is left byte for byte as it was."""
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA synchronous=NORMAL")


def _document(row: sqlite3.Row) -> DocumentRow:
    values = dict(row)
    values["report"] = json.loads(values["report"] or "{}")
    return DocumentRow(**values)


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
