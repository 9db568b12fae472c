"""Catalog schema versions and the migrations between them (`kb upgrade`).

Each change of the catalog's schema (`kb.catalog.schema.SCHEMA`) ships a `Migration` from the
version before: statements run on an open transaction, so that `upgrade` applies every
step or none, and a flag when the index must be rebuilt after it. SCHEMA_VERSION is the
version the last step leads to. A catalog of an older version is refused by
`Catalog.open` with "run `kb upgrade`" (which backs the library up first); one of a newer
version, written by a newer kb, is refused and never touched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indexer.fingerprint import text_fingerprint
from indexer.messages import _
from kb.errors import SchemaOutdated
from kb.readonly import connect_read_only

OLDEST_SUPPORTED = 1  # the oldest catalog `kb upgrade` can bring up to SCHEMA_VERSION


def stored_version(db: sqlite3.Connection) -> int | None:
    """The schema version a catalog says it has; None for a new (empty) database."""
    has_meta = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if has_meta is None:
        return None
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return None if row is None else int(row[0])


def catalog_version(path: Path) -> int | None:
    """The schema version of the catalog file at `path` (None: new or absent), read
    without changing it."""
    if not path.exists():
        return None
    db = connect_read_only(path)  # on a read-only share or a full disk too
    try:
        return stored_version(db)
    finally:
        db.close()


def version_problem(path: Path, found: int) -> str:
    if found > SCHEMA_VERSION:
        return (f"{path}: this catalog was written by a newer kb (catalog schema {found}; "
                f"this kb knows schemas up to {SCHEMA_VERSION}); use that version of kb or "
                "a newer one, this one will not touch it")
    if found < OLDEST_SUPPORTED:
        return (f"{path}: catalog schema {found} is older than any this kb can upgrade "
                f"(from {OLDEST_SUPPORTED}); upgrade it with an older kb first")
    return (f"{path}: catalog schema {found}, this kb uses {SCHEMA_VERSION}; run "
            "`kb upgrade` (it backs the library up first, then migrates it)")


def _v1_token_names_reusable(db: sqlite3.Connection) -> None:
    """1 -> 2: a revoked token's name may be given to a new token (unique among active
    tokens only). SQLite cannot drop a UNIQUE constraint: the table is rebuilt."""
    db.execute(
        "CREATE TABLE tokens_v2 (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " role TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL,"
        " revoked_at TEXT)"
    )
    db.execute(
        "INSERT INTO tokens_v2 (id, name, role, token_hash, created_at, revoked_at)"
        " SELECT id, name, role, token_hash, created_at, revoked_at FROM tokens"
    )
    db.execute("DROP TABLE tokens")
    db.execute("ALTER TABLE tokens_v2 RENAME TO tokens")
    db.execute(
        "CREATE UNIQUE INDEX tokens_active_name ON tokens(name) WHERE revoked_at IS NULL"
    )


def _v2_failure_signature(db: sqlite3.Connection) -> None:
    """2 -> 3: `failures` remembers what a failed file looked like (size, mtime, sidecar,
    content hash) and how often it was tried, so that a re-run skips it while it is
    unchanged (kb.failures)."""
    for column in ("first_at TEXT", "attempts INTEGER NOT NULL DEFAULT 1", "size INTEGER",
                   "mtime_ns INTEGER", "sidecar TEXT", "content_hash TEXT"):
        db.execute(f"ALTER TABLE failures ADD COLUMN {column}")


def _v3_web_sessions(db: sqlite3.Connection) -> None:
    """3 -> 4: web sessions live in the catalog (kb.sessions), so that signing out and
    revoking a token end them; a submission may be a copy of a document already there."""
    # Written to hold on a catalog that has some of it already (made by a later kb and
    # marked older, as tests do), like the schema script's own IF NOT EXISTS.
    db.execute(
        "CREATE TABLE IF NOT EXISTS web_sessions (id_hash TEXT PRIMARY KEY,"
        " csrf TEXT NOT NULL, token_hash TEXT NOT NULL, created_at TEXT NOT NULL,"
        " expires_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS web_sessions_token ON web_sessions(token_hash)")
    columns = {row[1] for row in db.execute("PRAGMA table_info(submissions)")}
    if "duplicate_of" not in columns:
        db.execute("ALTER TABLE submissions ADD COLUMN duplicate_of TEXT")


def _v4_tag_suggestions(db: sqlite3.Connection) -> None:
    """4 -> 5: tags the evidence suggests, for curators to accept or dismiss
    (kb.suggestions); filled by the next ingest of a file or `kb retag`."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS tag_suggestions (document_id TEXT NOT NULL"
        " REFERENCES documents(id) ON DELETE CASCADE, field TEXT NOT NULL, value TEXT NOT NULL,"
        " reason TEXT NOT NULL, mentions INTEGER NOT NULL, words TEXT NOT NULL,"
        " pages TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'open'"
        " CHECK (state IN ('open', 'dismissed')), decided_at TEXT,"
        " PRIMARY KEY (document_id, field, value))"
    )


def _v5_text_fingerprints(db: sqlite3.Connection) -> None:
    """5 -> 6: each document's text fingerprint (kb.twins), from the sections the catalog
    holds, so that a report's .docx and .pdf show as one document."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
    if "text_fingerprint" not in columns:
        db.execute("ALTER TABLE documents ADD COLUMN text_fingerprint TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS documents_text_fingerprint"
               " ON documents(text_fingerprint) WHERE text_fingerprint IS NOT NULL")
    # One document's text in memory at a time: a large library does not fit.
    ids = [row[0] for row in db.execute("SELECT id FROM documents")]
    for doc_id in ids:
        texts = (row[0] for row in db.execute(
            "SELECT text FROM sections WHERE document_id = ? ORDER BY seq", (doc_id,)))
        db.execute("UPDATE documents SET text_fingerprint = ? WHERE id = ?",
                   (text_fingerprint(texts), doc_id))


@dataclass(frozen=True)
class Migration:
    """One step from schema `version` to `version + 1`: statements on the open
    transaction (no COMMIT, no executescript), and whether the index must be rebuilt
    after it (what the catalog gives the index changed)."""

    version: int
    apply: Callable[[sqlite3.Connection], None]
    reindex: bool = False


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, _v1_token_names_reusable),
    Migration(2, _v2_failure_signature),
    Migration(3, _v3_web_sessions),
    Migration(4, _v4_tag_suggestions),
    Migration(5, _v5_text_fingerprints),
)
SCHEMA_VERSION = MIGRATIONS[-1].version + 1


@dataclass(frozen=True)
class Upgrade:
    before: int
    after: int
    reindex: bool  # a step changed what the index holds: rebuild it


def upgrade(path: Path) -> Upgrade:
    """Bring the catalog at `path` up to SCHEMA_VERSION in one transaction: every step or
    none. SchemaOutdated for a catalog newer than this kb or older than OLDEST_SUPPORTED;
    an up-to-date catalog is left alone."""
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        found = stored_version(db)
        if found is None:
            raise SchemaOutdated(_("{path}: not a kb catalog (no schema version)", path=path))
        if found == SCHEMA_VERSION:
            return Upgrade(found, found, reindex=False)
        if found > SCHEMA_VERSION or found < OLDEST_SUPPORTED:
            raise SchemaOutdated(version_problem(path, found))
        steps = {m.version: m for m in MIGRATIONS}
        # Rebuilt tables must not trip the foreign keys half-way; checked at the end.
        db.execute("PRAGMA foreign_keys=OFF")
        db.execute("BEGIN IMMEDIATE")
        try:
            for version in range(found, SCHEMA_VERSION):
                steps[version].apply(db)
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise SchemaOutdated(_("{path}: the migration broke {count} references; nothing "
                                       "was changed", path=path, count=len(broken)))
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                       (str(SCHEMA_VERSION),))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        reindex = any(steps[v].reindex for v in range(found, SCHEMA_VERSION))
        return Upgrade(found, SCHEMA_VERSION, reindex)
    finally:
        db.close()


