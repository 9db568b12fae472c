"""Reading a library without writing anything into it: on a read-only medium or share, on a
full disk, in a folder kb may not write.

SQLite writes even to read: a database in WAL mode needs its `-shm` file, which it creates
(or grows) on open. `connect_read_only` opens with `mode=ro`, and when even that fails for
lack of the `-shm` (a read-only folder, a full disk) with `immutable=1`, which reads the
file as it is, without locks: safe only when nobody writes it, which holds there (nobody
can), and only when no committed change waits in a `-wal` file (it would be ignored).

`open_index_read_only` opens the full-text index the same way: as it is where the engine
can, else from `shadow_index`, a stand-in for an index folder the engine cannot open without
writing beside its files.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import quote

from indexer.index import FullTextIndex
from indexer.messages import _
from kb.errors import SchemaOutdated, writable

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"


def connect_read_only(path: Path, *, timeout: float = 30.0) -> sqlite3.Connection:
    """A connection that reads the SQLite database at `path` and writes nothing to its
    folder; sqlite3.OperationalError if it cannot be read (the caller translates it)."""
    try:
        return _checked(sqlite3.connect(_uri(path, "mode=ro"), uri=True, timeout=timeout,
                                        isolation_level=None, check_same_thread=False))
    except sqlite3.OperationalError as exc:
        if _wal_waiting(path):  # immutable would not see those changes: say why instead
            raise
        log.info("%s: read as an immutable file (%s)", path, exc)
    return _checked(sqlite3.connect(_uri(path, "mode=ro&immutable=1"), uri=True,
                                    timeout=timeout, isolation_level=None,
                                    check_same_thread=False))


def open_index_read_only(directory: Path) -> tuple[FullTextIndex, Path | None]:
    """The index at `directory`, opened without writing into it, and the temporary folder
    the caller removes once the index is closed (None if none was needed).

    The engine writes beside what it reads: tantivy takes a lock file to read `meta.json`,
    and the words store (SQLite) needs a `-shm`. Where that cannot be (a read-only folder,
    a full disk) the index is opened from `shadow_index`. SchemaOutdated if there is no
    index.
    """
    if writable(directory):
        try:
            return FullTextIndex.open(directory, create=False), None
        except (OSError, ValueError, sqlite3.OperationalError) as exc:
            # ValueError: tantivy could not take its lock file (it locks even to read).
            log.info("%s: opened from a shadow copy (%s)", directory, exc)
    if not directory.is_dir():
        raise SchemaOutdated(_("{directory}: no index here; run `kb reindex` on a writable copy "
                               "of the library", directory=directory))
    shadow = shadow_index(directory)
    try:
        return FullTextIndex.open(shadow, create=False), shadow.parent
    except BaseException:
        shutil.rmtree(shadow.parent, ignore_errors=True)
        raise


def shadow_index(directory: Path) -> Path:
    """A temporary stand-in for the index folder `directory`, for an engine that creates
    files beside the ones it reads (SQLite's `-shm`, lock files): its SQLite databases
    are copied, its other files linked, so nothing is written in `directory`. The caller
    removes `result.parent` when done. OSError if the temporary folder cannot be made
    (the system's temporary folder is full too)."""
    base = Path(tempfile.mkdtemp(prefix="kb-read-only-index-"))
    shadow = base / directory.name
    try:
        shadow.mkdir()
        for entry in directory.iterdir():
            if entry.name.endswith(("-shm", ".lock")) or not entry.is_file():
                continue  # the engine makes its own locks (tantivy locks to read, too)
            if _is_sqlite(entry) or entry.name.endswith(("-wal", ".json")):
                shutil.copyfile(entry, shadow / entry.name)
            else:
                (shadow / entry.name).symlink_to(entry.resolve())
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    return shadow


def _checked(db: sqlite3.Connection) -> sqlite3.Connection:
    """SQLite opens lazily: the first read is where a missing `-shm` shows."""
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        db.close()
        raise
    db.row_factory = sqlite3.Row
    return db


def _uri(path: Path, query: str) -> str:
    return f"file:{quote(str(Path(path).absolute()))}?{query}"


def _wal_waiting(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False
