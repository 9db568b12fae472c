"""What every step of an ingest run shares: its tallies, its failures, a file's facts.

`kb.ingest` drives a run; `kb.ingest_known` settles the files whose content the catalog
already knows, `kb.ingest_store` writes the ones just extracted. All three count into one
`Run` and name a file's problem as a `Problem`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from kb import failures
from kb.actors import Actor
from kb.catalog import PathRow, now
from kb.library import Library
from kb.scan import Candidate
from kb.sidecar import read_sidecar, sidecar_path

# Origins an ingest recomputes; a curator's tags are never touched by it.
INGEST_ORIGINS = ("derived", "properties", "auto", "sidecar")


@dataclass(frozen=True)
class Problem:
    path: str  # as given
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class Run:
    """Mutable tallies of one ingest run, and who runs it (for the audit trail)."""

    actor: Actor
    memory: failures.Memory | None  # None: retry the files that failed before
    added: int = 0
    updated: int = 0
    moved: int = 0
    unchanged: int = 0
    missing: int = 0
    failed: list[Problem] = field(default_factory=list)
    failed_before: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    strict: bool = False  # unchanged files' tags are checked too
    timings: dict[str, float] = field(default_factory=dict)

    def time(self, key: str, seconds: float) -> None:
        self.timings[key] = self.timings.get(key, 0.0) + seconds


def fail(
    library: Library, candidate: Candidate, reason: str, content_hash: str | None, run: Run
) -> None:
    """A failure of this run, remembered with what the file looked like."""
    run.failed.append(Problem(candidate.given, reason))
    signature = failures.Signature(
        candidate.size, candidate.mtime_ns, sidecar_signature(candidate.path), content_hash
    )
    with library.catalog.transaction():
        failures.record(library.catalog, candidate.path, candidate.given, reason, signature)


def failed_before(found: failures.Failure | None, candidate: Candidate, run: Run) -> bool:
    if found is None:
        return False
    run.failed_before.append(Problem(candidate.given, found.reason))
    return True


def read_file_sidecar(candidate: Candidate) -> dict[str, tuple[str, ...]]:
    path = sidecar_path(Path(candidate.path))
    if not path.is_file():
        return {}
    return read_sidecar(path)


def changed_fields(
    before: dict[str, tuple[str, ...]], after: dict[str, tuple[str, ...]]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The effective tag fields that differ, as (before, after); a field absent on one side
    is absent from that dict."""
    fields = [f for f in {**before, **after} if before.get(f) != after.get(f)]
    return (
        {f: list(before[f]) for f in fields if f in before},
        {f: list(after[f]) for f in fields if f in after},
    )


def path_row(candidate: Candidate, doc_id: str, sidecar: str | None) -> PathRow:
    return PathRow(
        path=candidate.path,
        given=candidate.given,
        root=candidate.root,
        document_id=doc_id,
        size=candidate.size,
        mtime_ns=candidate.mtime_ns,
        sidecar=sidecar,
        state="present",
        seen_at=now(),
    )


def sidecar_signature(path: str) -> str | None:
    try:
        info = os.stat(sidecar_path(Path(path)))
    except OSError:
        return None
    return f"{info.st_size}:{info.st_mtime_ns}"


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb", buffering=0) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
