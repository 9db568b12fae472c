"""The SQLite catalog: the library's source of truth.

Documents, the paths they were found at, content hashes, tags with their origin, the
extracted (repaired) text by section and the extraction reports live here. The full-text
index is derived from it: every document carries a `revision`, bumped on each change, and
the `indexed_revision` the index holds; a difference means the index must catch up, which is
how an ingest killed between a catalog commit and an index commit is repaired.

`Catalog` owns the connection, the transactions and the schema. The documents aggregate
(documents, paths, text, tags, evidence, suggestions, runs) is read and written through its
methods, which its mixins in this package provide; every other aggregate has a module of
functions over a `Catalog` here (`collections`, `submissions`, `tokens`, `failures`,
`audit`, `oai`). These modules are the only code that holds SQL for the catalog's tables
(tests/test_layers.py checks it; the schema's migrations and the backup's copy are the
schema's and the connection's own).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.catalog.documents import DocumentRow, DocumentStore, PathRow
from kb.catalog.failures import summary as failure_summary
from kb.catalog.reports import CatalogReports, HitFacts
from kb.catalog.runs import RunStore
from kb.catalog.schema import SCHEMA
from kb.catalog.tags import TagStore
from kb.catalog.values import now
from kb.errors import ReadOnlyLibrary, SchemaOutdated, StorageError
from kb.migrations import SCHEMA_VERSION, stored_version, version_problem
from kb.readonly import connect_read_only

__all__ = ["SCHEMA_VERSION", "Catalog", "DocumentRow", "HitFacts", "PathRow", "now"]


class Catalog(DocumentStore, TagStore, RunStore, CatalogReports):
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
        """The connection, for the repositories of this package only (tests/test_layers.py
        keeps it, and SQL, out of every other module of kb and api)."""
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

    def failures(self) -> list[tuple[str, str, str]]:
        """(given, reason, at) of each file that could not be read; `kb.failures` has more."""
        return failure_summary(self)

    # --- statistics -------------------------------------------------------------------

    def data_version(self) -> tuple[int, int]:
        """Changes when any connection commits to the catalog: SQLite's data_version counts
        other connections' commits, total_changes this one's."""
        other = int(self._db.execute("PRAGMA data_version").fetchone()[0])
        return other, self._db.total_changes

    def count(self, sql: str, *params: object) -> int:
        """The first column of the first row of `sql`: for tests and diagnostics, which
        look at the tables directly; the library's own code asks a repository."""
        return int(self._db.execute(sql, params).fetchone()[0])


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

