"""What the scan hands the plan about one file: the disk's facts and the catalog's, as plain
values (no catalog, no open file), so that the plan can be tested without either."""

from __future__ import annotations

from dataclasses import dataclass

from kb.catalog import PathRow
from kb.scan import Candidate


@dataclass(frozen=True)
class Problem:
    path: str  # as given
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class PresentFile:
    """A file the catalog lists as present for a document."""

    path: str
    given: str
    exists: bool  # still a file on disk when the scan looked


@dataclass(frozen=True)
class DocFacts:
    """A document as the catalog knew it when the scan first met it."""

    id: str
    state: str  # active, missing...
    # Its file's own tag values an earlier lenient run dropped (checked again by --strict).
    tag_warnings: tuple[str, ...] = ()
    # Its present files, most recently seen first; None when the scan had no need of them.
    present: tuple[PresentFile, ...] | None = None


@dataclass(frozen=True)
class RememberedFailure:
    """A failure remembered from an earlier run (`kb.failures`), as the plan compares it."""

    reason: str
    size: int | None  # None: remembered by a kb from before signatures
    mtime_ns: int | None
    sidecar: str | None
    content_hash: str | None


@dataclass(frozen=True)
class Seen:
    """One file as the scan found it, with what the catalog knows of its path and content.

    `content_hash` is None when the file was not read: the catalog vouched for it by its
    size and mtime (`vouched`), or it could not be read (`unreadable` says why).
    """

    file: Candidate
    sidecar: str | None  # signature of its sidecar, None when there is none
    path: PathRow | None = None  # what the catalog has for this path, if anything
    path_document: DocFacts | None = None  # the document `path` belongs to
    failure: RememberedFailure | None = None  # None as well under --retry-failed
    content_hash: str | None = None
    unreadable: str | None = None
    known: DocFacts | None = None  # the document holding `content_hash`, if any


def failed_unchanged(seen: Seen) -> bool:
    """The file is as it was when it failed: same size, mtime and sidecar."""
    failure, file = seen.failure, seen.file
    return (
        failure is not None
        and failure.size is not None
        and (failure.size, failure.mtime_ns, failure.sidecar)
        == (file.size, file.mtime_ns, seen.sidecar)
    )


def vouched(seen: Seen) -> bool:
    """The catalog has this path, present, with this size and mtime, of an active document:
    its content need not be read to know it is the same."""
    row, doc = seen.path, seen.path_document
    return (
        row is not None
        and row.state == "present"
        and (row.size, row.mtime_ns) == (seen.file.size, seen.file.mtime_ns)
        and doc is not None
        and doc.state == "active"
    )
