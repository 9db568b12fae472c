"""One error hierarchy for the whole library.

Messages name the input (file, field, value) and say what to do; the CLI and the API
turn these into one-line errors and HTTP statuses in one place each.

Storage failures (a full disk, a read-only folder, a missing permission) arrive as OSError
or sqlite3 errors from anywhere below; `storage_error` turns them into one `StorageError`
saying what happened and what to do, at the two edges (the CLI group, `api.errors`).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from indexer.errors import (
    DETAILS,
    ExtractionFailed,
    IndexBusy,
    InvalidQuery,
    KbError,
    NotFound,
    SchemaOutdated,
    UnsupportedFormat,
    plain,
)

__all__ = [
    "DETAILS", "ExtractionFailed", "IndexBusy", "InvalidQuery", "KbError", "NotFound",
    "SchemaOutdated", "UnsupportedFormat", "plain",
    "Conflict", "FileMissing", "Forbidden", "InvalidSidecar", "InvalidTag", "InvalidTransition",
    "InvalidVocabulary", "PreconditionFailed", "TooLarge",
    "AccessDenied", "DiskFailed", "ReadOnlyLibrary", "StorageError", "StorageFull",
    "storage_error", "writable",
]


class InvalidTag(KbError):
    """A tag value is not in the vocabulary (raised instead of a warning under --strict)."""


class FileMissing(NotFound):
    """A document's file is no longer where it was ingested (moved, deleted or changed
    since): its record and text stay readable, the file cannot be served."""


class InvalidVocabulary(KbError):
    """The vocabulary file is malformed."""


class InvalidSidecar(KbError):
    """A `.meta.toml` sidecar file is malformed."""


class Forbidden(KbError):
    """The caller's role may not make this change (e.g. a curator validating a document)."""


class Conflict(KbError):
    """The change clashes with the current state: a name already taken, a duplicate file."""


class InvalidTransition(Conflict):
    """A status change the validation workflow does not allow (e.g. draft -> validated)."""


class PreconditionFailed(Conflict):
    """The document or collection changed since the caller read it (stale revision)."""


class TooLarge(KbError):
    """A submitted file is larger than the library accepts."""


class StorageError(KbError):
    """Reading or writing the library's disk failed; what was being written was rolled
    back (the catalog's transactions, the index writer), so nothing is half-written."""


class StorageFull(StorageError):
    """The disk (or the user's quota) holding the library is full."""

    @classmethod
    def at(cls, path: Path | None) -> StorageFull:
        return cls(_full_message(path))


class ReadOnlyLibrary(StorageError):
    """The library is on a read-only medium or share: it can be read, not changed."""

    @classmethod
    def at(cls, path: Path | None) -> ReadOnlyLibrary:
        return cls(_read_only_message(path))


class AccessDenied(StorageError):
    """The operating system refused kb access to a file or folder (permissions)."""


class DiskFailed(StorageError):
    """An input/output error with space left: the disk or the share itself failed."""


FULL_BELOW = 1 << 20  # bytes: an I/O error on a disk with less free than this is "full"
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DENIED_ERRNOS = {errno.EACCES, errno.EPERM}
# sqlite3 primary result codes (sqlite_errorcode & 0xff)
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 3, 8, 10, 13, 14
_SQLITE_TEXT = (("database or disk is full", _SQLITE_FULL),
                ("attempt to write a readonly database", _SQLITE_READONLY),
                ("disk i/o error", _SQLITE_IOERR),
                ("unable to open database file", _SQLITE_CANTOPEN))


def storage_error(exc: BaseException, where: Path | str | None = None) -> StorageError | None:
    """The StorageError that `exc` (an OSError or a sqlite3 error) means, naming the file
    it names or else `where` (the library); None for any other error (a bug: let it show).

    SQLite says "disk I/O error" both when a disk fails and when it cannot grow a file on
    a full disk: the free space of the disk holding `where` tells them apart.
    """
    if isinstance(exc, OSError) and exc.errno is not None:
        path = Path(exc.filename) if exc.filename else _path(where)
        if exc.errno in _FULL_ERRNOS:
            return StorageFull.at(path)
        if exc.errno == errno.EROFS:
            return ReadOnlyLibrary.at(path)
        if exc.errno in _DENIED_ERRNOS:
            return AccessDenied(_denied_message(path))
        if exc.errno == errno.EIO:
            return _io_error(path)
        return None
    if isinstance(exc, sqlite3.Error):
        code = _sqlite_code(exc)
        path = _path(where)
        if code == _SQLITE_FULL:
            return StorageFull.at(path)
        if code == _SQLITE_READONLY:
            return ReadOnlyLibrary.at(path)
        if code == _SQLITE_PERM:
            return AccessDenied(_denied_message(path))
        if code == _SQLITE_IOERR:
            return _io_error(path)
        if code == _SQLITE_CANTOPEN and path is not None:
            if not writable(path):
                return ReadOnlyLibrary.at(path)
            if _is_full(path):
                return StorageFull.at(path)
            return AccessDenied(_denied_message(path))
    return None


def writable(path: Path) -> bool:
    """Whether this process may create files in `path` (its nearest existing folder): false
    on a read-only mount even for root, and for a folder without write permission."""
    folder = _existing(path)
    if folder is None:
        return True
    if not folder.is_dir():
        folder = folder.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return False
    except OSError:
        pass
    return os.access(folder, os.W_OK)


def _sqlite_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()
    return next((c for words, c in _SQLITE_TEXT if words in text), None)


def _io_error(path: Path | None) -> StorageError:
    if path is None or _is_full(path):
        return StorageFull.at(path)
    if not writable(path):
        return ReadOnlyLibrary.at(path)
    return DiskFailed(
        f"reading or writing the disk holding {path} failed (input/output error, with "
        "space left): check the disk or the share (its connection, `dmesg`), then run the "
        "command again; nothing was half-written"
    )


def _full_message(path: Path | None) -> str:
    where = f"the disk holding {path}" if path is not None else "the disk"
    return (f"{where} is full (or your quota is used up): free some space and run the "
            "command again; nothing was half-written")


def _read_only_message(path: Path | None) -> str:
    where = str(path) if path is not None else "the library"
    return (f"{where} is read-only (a read-only medium or share): it can be searched, "
            "shown and served, not changed; make changes on a writable copy of the library")


def _denied_message(path: Path | None) -> str:
    where = str(path) if path is not None else "a file of the library"
    return (f"permission denied on {where}: run kb as a user who may write there, or fix "
            "the folder's permissions; nothing was half-written")


def _path(where: Path | str | None) -> Path | None:
    return None if where is None else Path(where)


def _existing(path: Path) -> Path | None:
    """`path`, or its nearest parent that exists."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return None


def _is_full(path: Path) -> bool:
    folder = _existing(path)
    if folder is None:
        return False
    try:
        stats = os.statvfs(folder)
    except OSError:
        return False
    free = stats.f_bfree if os.geteuid() == 0 else stats.f_bavail
    return free * stats.f_frsize < FULL_BELOW
