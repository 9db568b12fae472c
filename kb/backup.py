"""`kb backup` and `kb restore`: a consistent, verified copy of a library, taken while it runs.

A backup is a directory:

    manifest.json     what it holds: versions, row counts, every file with its sha256
    catalog.sqlite    the catalog, through SQLite's online backup API (one snapshot)
    index/            the full-text index at one commit, and its words store
    files/            the file store of submissions (content-addressed, never rewritten)
    model/            the tag model learnt from the curators (kb.learning), if any
    vocabulary.toml   the vocabulary the library was used with

Order matters while an ingest or a server writes: the catalog first, then the index. The
catalog only records a document as indexed after the index commit that holds it, so every
document the snapshot says is indexed is in the (later) index copy; documents the index
got meanwhile are reconciled at restore (`reconcile_index`), and whatever the catalog
holds but the index lacks is indexed then. The backup is written beside its destination
and renamed into place once verified, so a killed backup never looks complete.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from indexer.index import FullTextIndex
from indexer.schema import SCHEMA_VERSION as INDEX_SCHEMA_VERSION
from kb.catalog import SCHEMA_VERSION, now
from kb.errors import IndexBusy, KbError, NotFound, SchemaOutdated, storage_error
from kb.learning import MODEL_DIR
from kb.library import CATALOG_FILE, INDEX_DIR, LOCK_FILE, Library
from kb.migrations import catalog_version
from kb.migrations import upgrade as migrate
from kb.readonly import connect_read_only, open_index_read_only
from kb.sync import Progress

MANIFEST = "manifest.json"
VOCABULARY_FILE = "vocabulary.toml"
FILES_DIR = "files"  # the submissions' file store (kb.curation.submissions)
FORMAT = 1
# Rows counted in the manifest and checked after writing and before restoring.
COUNTED = ("documents", "paths", "tags", "sections", "collections", "collection_entries",
           "audit", "tokens", "submissions")


class BackupInvalid(KbError):
    """A backup that is incomplete or damaged (or a destination that is not empty)."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    counts: Mapping[str, int]  # rows per catalog table
    indexed: int | None  # documents in the index copy (None: no index copied)
    files: int
    size: int  # bytes
    seconds: float
    # Work folders of killed backups (`.NAME.partial-PID`, PID gone) removed beside `path`.
    removed: tuple[Path, ...] = ()


PARTIAL = re.compile(r"\..+\.partial-(\d+)")  # a backup's work folder: `.DEST.partial-PID`


def backup(library: Path, vocabulary: Path, dest: Path, *, force: bool = False) -> BackupReport:
    """Copy the library at `library` (and the vocabulary file in use) to `dest`, verified.

    `dest` must not exist or be empty (BackupInvalid), unless `force`: then it is replaced
    once the new backup is complete. Runs beside ingests and servers without stopping them;
    the library is only read (it may be on a full disk or a read-only share). The work
    folders that killed backups left beside `dest` are removed first (`removed`).
    A full or read-only destination is a StorageError naming it; nothing is left there.
    """
    started = time.monotonic()
    library, dest = Path(library), Path(dest)
    if not (library / CATALOG_FILE).exists():
        raise NotFound(f"{library}: no library here to back up")
    _check_empty(dest, force, "back up into")
    work = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    try:
        removed = remove_abandoned(dest.parent)
        shutil.rmtree(work, ignore_errors=True)  # this process's: left by a process long gone
        work.mkdir(parents=True)
    except OSError as exc:
        error = storage_error(exc, dest)
        if error is None:
            raise
        raise error from exc
    try:
        _copy_sqlite(library / CATALOG_FILE, work / CATALOG_FILE)
        generation = _copy_index(library / INDEX_DIR, work / INDEX_DIR)
        _copy_tree(library / FILES_DIR, work / FILES_DIR)
        _copy_tree(library / MODEL_DIR, work / MODEL_DIR)  # the tag model (kb.learning)
        shutil.copyfile(vocabulary, work / VOCABULARY_FILE)
        manifest = _manifest(work, library, generation)
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        verify(work)
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        work.rename(dest)
    except BaseException as exc:
        shutil.rmtree(work, ignore_errors=True)
        # Here the library is only read: a disk that fails is the destination's.
        error = storage_error(exc, dest) if isinstance(exc, OSError | sqlite3.Error) else None
        if error is not None:
            raise error from exc
        raise
    return BackupReport(
        path=dest,
        counts=manifest["counts"],
        indexed=manifest["indexed"],
        files=len(manifest["files"]),
        size=sum(f["size"] for f in manifest["files"].values()),
        seconds=time.monotonic() - started,
        removed=tuple(removed),
    )


def verify(src: Path) -> dict[str, Any]:
    """The manifest of the backup at `src` once every file, the catalog's integrity and
    row counts and the index's document count are checked; BackupInvalid otherwise."""
    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupInvalid(f"{src}: not a kb backup (no readable {MANIFEST})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupInvalid(f"{src}: backup format {manifest.get('format')!r}, this kb reads "
                            f"{FORMAT}")
    for name, expected in manifest["files"].items():
        path = src / name
        if not path.is_file():
            raise BackupInvalid(f"{src}: {name} is missing from the backup")
        if _sha256(path) != expected["sha256"]:
            raise BackupInvalid(f"{src}: {name} is damaged (its checksum differs)")
    databases = [CATALOG_FILE] + ([f"{INDEX_DIR}/words.sqlite"]
                                  if manifest["index_schema"] is not None else [])
    for name in databases:
        problem = _integrity(src / name)
        if problem:
            raise BackupInvalid(f"{src}: {name} fails SQLite's integrity check: {problem}")
    counts = _counts(src / CATALOG_FILE)
    if counts != manifest["counts"]:
        raise BackupInvalid(f"{src}: the catalog's rows {counts} differ from the manifest's "
                            f"{manifest['counts']}")
    if manifest["index_schema"] == INDEX_SCHEMA_VERSION:
        index = FullTextIndex.open(src / INDEX_DIR, create=False)
        try:
            indexed = index.doc_count()
        finally:
            index.close()
        if indexed != manifest["indexed"]:
            raise BackupInvalid(f"{src}: the index holds {indexed} documents, the manifest "
                                f"says {manifest['indexed']}")
    return manifest  # type: ignore[no-any-return]


@dataclass(frozen=True)
class RestoreReport:
    path: Path
    counts: Mapping[str, int]
    indexed: int  # documents written to the index after the copy (catching up)
    vocabulary: Path
    created_at: str
    note: str | None  # what the user must do next, if anything


def restore(src: Path, library: Path, *, force: bool = False) -> RestoreReport:
    """Restore the backup at `src` (verified first) into `library`, which must not exist or
    be empty (BackupInvalid) unless `force`: then the library there is replaced, refused
    while a kb command writes to it (IndexBusy).

    The vocabulary of the backup is restored as `<library>/vocabulary.toml`. The index is
    reconciled with the catalog and caught up, unless the backup comes from another
    version of kb (then `note` says what to run).
    """
    src, library = Path(src), Path(library)
    manifest = verify(src)
    _check_empty(library, force, "restore over")
    work = library.with_name(f".{library.name}.restoring-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        for name in manifest["files"]:  # what the backup holds, nothing else
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src / name, work / name)
        if library.exists() and any(library.iterdir()):
            with _held(library):
                old = library.with_name(f".{library.name}.replaced-{os.getpid()}")
                library.rename(old)
            shutil.rmtree(old)
        elif library.exists():
            library.rmdir()
        library.parent.mkdir(parents=True, exist_ok=True)
        work.rename(library)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    vocabulary = library / VOCABULARY_FILE
    note, indexed = None, 0
    if manifest["catalog_schema"] != SCHEMA_VERSION:
        note = (f"the catalog is of schema version {manifest['catalog_schema']}; run "
                "`kb upgrade` before using it with this kb")
    elif manifest["index_schema"] != INDEX_SCHEMA_VERSION:
        note = "the backup holds no index of this kb's version: run `kb reindex`"
    else:
        with Library.open(library, vocabulary, create=False) as lib:
            indexed = reconcile_index(lib)
    return RestoreReport(library, manifest["counts"], indexed, vocabulary,
                         manifest["created_at"], note)


def reconcile_index(library: Library) -> int:
    """Make the catalog's record of what is indexed true, then catch the index up.

    After a restore the index copy may hold documents (or revisions) newer than the catalog
    snapshot: those the catalog does not have are deleted from the index, and a document
    counts as indexed only if the index holds its catalog revision. Returns how many
    documents the catch-up wrote or removed.
    """
    return settle_index(library) + library.sync_index()


def settle_index(library: Library) -> int:
    """The first half of `reconcile_index`, without indexing anything: documents the catalog
    does not have are deleted from the index, and the catalog records as indexed exactly
    the revisions the index holds. Returns how many documents were deleted."""
    held = library.index.revisions()
    active = {d.id: d for d in library.catalog.documents(state="active")}
    stray = [doc_id for doc_id in held if doc_id not in active]
    if stray:
        with library.index.writer() as writer:
            for doc_id in stray:
                writer.delete(doc_id)
    with library.catalog.transaction():
        library.catalog.forget_indexed()
        library.catalog.mark_indexed(
            (d.id, d.revision) for d in library.catalog.documents()
            if d.state != "active" or held.get(d.id) == d.revision
        )
    return len(stray)


@dataclass(frozen=True)
class UpgradeReport:
    before: int
    after: int
    backup: Path | None  # None: nothing to do, no backup taken
    reindexed: int | None  # documents in the rebuilt index (None: not rebuilt)


def upgrade_library(
    library: Path, vocabulary: Path, backup_to: Path, progress: Progress | None = None
) -> UpgradeReport:
    """Bring the library up to this kb, after a verified backup to `backup_to`: migrate its
    catalog to this kb's schema, then rebuild the index from the catalog if a step asks for
    it or the index was built by another engine or schema (`progress` follows the rebuild).

    Refused (IndexBusy) while another kb command writes to the library; SchemaOutdated for
    a catalog newer than this kb. The migration is one transaction: if it fails, the
    catalog is as it was (and the backup is there anyway). Nothing to do (no backup) when
    the catalog and the index are both current.
    """
    library = Path(library)
    catalog = library / CATALOG_FILE
    found = catalog_version(catalog)
    if found is None:
        raise NotFound(f"{library}: no library here to upgrade")
    if found == SCHEMA_VERSION and _index_is_current(library):
        return UpgradeReport(found, found, None, None)
    with _held(library):
        if found > SCHEMA_VERSION:
            migrate(catalog)  # refuses with the message that says so
        backup(library, vocabulary, backup_to)
        done = migrate(catalog)
        reindexed = None
        if done.reindex or not _index_is_current(library):
            with Library.open(library, vocabulary, create=False) as lib:
                reindexed = lib.reindex(progress)
    return UpgradeReport(done.before, done.after, backup_to, reindexed)


def _index_is_current(library: Path) -> bool:
    """Whether the library's index was built by this kb's engine and schema (a missing
    index is current: the next write creates it)."""
    if not (library / INDEX_DIR).exists():
        return True
    try:
        FullTextIndex.open(library / INDEX_DIR, create=False).close()
    except SchemaOutdated:
        return False
    return True


# --- internals ---------------------------------------------------------------------------


def remove_abandoned(folder: Path) -> list[Path]:
    """Remove the work folders that killed backups (to any destination) left in `folder`:
    folders named `.DEST.partial-PID` whose process is gone; one whose process still
    runs is left alone, and so is anything not named so. The folders removed."""
    if not folder.is_dir():
        return []
    removed = []
    for found in sorted(folder.iterdir()):
        match = PARTIAL.fullmatch(found.name)
        if match and found.is_dir() and not found.is_symlink() and not _alive(int(match[1])):
            shutil.rmtree(found)
            removed.append(found)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True


def _check_empty(path: Path, force: bool, what: str) -> None:
    if path.exists() and not path.is_dir():
        raise BackupInvalid(f"{path}: not a directory; cannot {what} it")
    if path.exists() and any(path.iterdir()) and not force:
        raise BackupInvalid(f"{path}: not empty; refusing to {what} it (--force replaces "
                            "what is there)")


@contextmanager
def _held(library: Path) -> Iterator[None]:
    """The write lock of the library being replaced: no ingest may be writing to it."""
    if not (library / CATALOG_FILE).exists():
        raise BackupInvalid(f"{library}: not empty and not a kb library; refusing to "
                            "replace it, even with --force")
    with open(library / LOCK_FILE, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexBusy(f"{library}: a kb command is writing to this library; stop it "
                            "before restoring over it") from exc
        yield


def _copy_index(source: Path, dest: Path) -> int | None:
    """The index at its latest commit; None (nothing copied) when it is missing or of
    another schema version: it is derived from the catalog, `kb reindex` rebuilds it."""
    try:  # read-only: a library on a full disk or a read-only share can be backed up
        index, shadow = open_index_read_only(source)
    except SchemaOutdated:
        return None
    try:
        return index.copy_commit(dest)
    finally:
        index.close()
        if shadow is not None:
            shutil.rmtree(shadow, ignore_errors=True)


def _copy_sqlite(source: Path, dest: Path) -> None:
    """One consistent snapshot through SQLite's online backup API, as a single file; the
    source is only read (a library on a full disk or a read-only share can be backed up)."""
    src = connect_read_only(source)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def _copy_tree(source: Path, dest: Path) -> None:
    """The file store: files are named by their content and never rewritten; one added
    meanwhile is copied or not, one deleted meanwhile is skipped."""
    if not source.is_dir():
        return
    for folder, _, names in os.walk(source):
        target = dest / Path(folder).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            try:
                shutil.copy2(Path(folder) / name, target / name)
            except FileNotFoundError:
                continue


def _manifest(work: Path, library: Path, generation: int | None) -> dict[str, Any]:
    indexed = None
    if generation is not None:
        index = FullTextIndex.open(work / INDEX_DIR, create=False)
        try:
            indexed = index.doc_count()
        finally:
            index.close()
    catalog_schema = _catalog_schema(work / CATALOG_FILE)
    files = {
        str(path.relative_to(work)): {"size": path.stat().st_size, "sha256": _sha256(path)}
        for path in sorted(work.rglob("*")) if path.is_file()
    }
    return {
        "format": FORMAT,
        "created_at": now(),
        "kb_version": _version(),
        "library": str(library.resolve()),
        "catalog_schema": catalog_schema,
        "index_schema": None if generation is None else INDEX_SCHEMA_VERSION,
        "index_generation": generation,
        "counts": _counts(work / CATALOG_FILE),
        "indexed": indexed,
        "files": files,
    }


def _counts(catalog: Path) -> dict[str, int]:
    db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                for t in COUNTED if t in tables}
    finally:
        db.close()


def _catalog_schema(catalog: Path) -> int:
    db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0
    finally:
        db.close()


def _integrity(path: Path) -> str | None:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in db.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        db.close()
    return None if rows == ["ok"] else "; ".join(rows[:3])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _version() -> str:
    try:
        return metadata.version("kb-ess")
    except metadata.PackageNotFoundError:
        return "0"
