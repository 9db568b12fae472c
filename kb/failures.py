"""Files that could not be read, remembered so that a re-run does not retry them.

A failure is kept per path with the file's signature when it failed: its size and mtime,
the signature of its sidecar, and its content hash. A later ingest counts a file whose
size, mtime and sidecar are the same ("failed before, unchanged"), or whose content is the
same after all (a touched or re-copied file), without extracting it, reporting it as a
failure or exiting 1: it would fail the same way. A changed file is retried;
`kb ingest --retry-failed` retries them all (after installing LibreOffice or Tesseract,
say). A success forgets the failure, and so does the file's disappearance from an
ingested folder.

Not remembered: files the ingest could not even open (no such file, permission denied).
Their cure (a chmod, a mount) leaves the size and mtime as they were, and they cost no
extraction to retry.

The signature columns came with catalog schema version 3 (`kb.migrations`: `kb upgrade`
adds them to an older catalog).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kb.catalog import Catalog, now
from kb.catalog import failures as stored


@dataclass(frozen=True)
class Failure:
    """A file that could not be read, as the catalog remembers it."""

    path: str  # absolute: the identity of the location
    given: str  # as the user named it to `kb ingest`
    reason: str
    at: str  # the last attempt (ISO 8601, UTC)
    first_at: str  # the first attempt
    attempts: int
    size: int | None  # None: remembered by a kb from before the signature
    mtime_ns: int | None
    sidecar: str | None
    content_hash: str | None


@dataclass(frozen=True)
class Signature:
    """What a re-run compares to tell whether a failed file changed."""

    size: int
    mtime_ns: int
    sidecar: str | None  # signature of the sidecar, None when there is none
    content_hash: str | None = None


def record(catalog: Catalog, path: str, given: str, reason: str, signature: Signature) -> None:
    """Remember (again) that the file at `path` failed; call inside a transaction."""
    stored.upsert(catalog, path, given, reason, now(), signature.size, signature.mtime_ns,
                  signature.sidecar, signature.content_hash)


def clear(catalog: Catalog, path: str) -> None:
    """Forget the failure at `path` (the file was read, or is gone)."""
    stored.delete(catalog, [path])


def listing(catalog: Catalog) -> list[Failure]:
    """Every remembered failure, by the name it was given."""
    return [_failure(r) for r in stored.every(catalog)]


def count(catalog: Catalog) -> int:
    return stored.count(catalog)


def forget_gone(catalog: Catalog, folder: str, seen: Iterable[str]) -> int:
    """Forget the failures of files under `folder` that an ingest of it no longer found
    (deleted, moved away, ignored); returns how many. Call inside a transaction."""
    present = set(seen)
    prefix = folder.rstrip(os.sep) + os.sep
    gone = [p for p in stored.paths_under(catalog, prefix) if p not in present]
    stored.delete(catalog, gone)
    return len(gone)


class Failures:
    """The failures one library remembers, read for showing (`Library.failures`)."""

    def __init__(self, catalog: Catalog):
        self._catalog = catalog

    def listing(self) -> list[Failure]:
        """Every remembered failure, by the name it was given."""
        return listing(self._catalog)

    def count(self) -> int:
        return count(self._catalog)


class Memory:
    """The failures known when an ingest starts, to skip what would fail the same way."""

    def __init__(self, catalog: Catalog):
        self._catalog = catalog
        self._known = {f.path: f for f in listing(catalog)}

    def unchanged(self, path: str, signature: Signature) -> Failure | None:
        """The failure at `path` if the file has the size, mtime and sidecar it failed with."""
        failure = self._known.get(path)
        if failure is None or failure.size is None:
            return None
        if (failure.size, failure.mtime_ns, failure.sidecar) == (
            signature.size, signature.mtime_ns, signature.sidecar
        ):
            return failure
        return None

    def forget(self, path: str) -> None:
        """Forget the failure at `path`, if there is one (the file was read after all)."""
        if self._known.pop(path, None) is not None:
            with self._catalog.transaction():
                clear(self._catalog, path)

    def same_content(self, path: str, signature: Signature) -> Failure | None:
        """The failure at `path` if the file's content and sidecar are those it failed with
        (a touched or re-copied file); the new size and mtime are remembered, so the next
        run need not hash it again."""
        failure = self._known.get(path)
        if (
            failure is None
            or failure.content_hash is None
            or failure.content_hash != signature.content_hash
            or failure.sidecar != signature.sidecar
        ):
            return None
        with self._catalog.transaction():
            stored.set_signature(self._catalog, path, signature.size, signature.mtime_ns)
        return failure


def _failure(row: Mapping[str, Any]) -> Failure:
    values = dict(row)
    values["first_at"] = values["first_at"] or values["at"]
    return Failure(**values)
