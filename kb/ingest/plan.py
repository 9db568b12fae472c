"""The plan: what an ingest does with each file, decided from the scan's facts alone.

A pure function of what the scan saw (`kb.ingest.facts.Seen`): no disk, no catalog. Each
file gets one decision, a plain value the store carries out and the summary counts:

- `FailedBefore`: it failed on an earlier run and is as it was then (same size, mtime and
  sidecar, or the same content after all): not tried again;
- `Unreadable`: it could not be read (a failure of this run, not remembered);
- `Unchanged`: the catalog has it with this size and mtime, and its sidecar is the same;
- `Retag`: the same, but its sidecar changed: its tags are read again;
- `Attach`: its content is a document's the catalog knows: moved, renamed, copied
  (`original` names the file still there), back after being missing, or merely touched;
- `Refused`: new content that cannot be a document (empty, larger than the limit);
- `Extract`: new content, to be read by the workers (`prior`: the document the path had);
- `Twin`: new content an earlier file of this run has too: it follows that file's fate.

The decisions earlier in a run change what later ones see (a document a move left without
files is hidden, a copy names the file it copies): the plan keeps that account itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from indexer.extract.common import megabytes
from kb.ingest.facts import DocFacts, PresentFile, Seen, failed_unchanged, vouched
from kb.scan import Candidate


@dataclass(frozen=True)
class Decision:
    file: Candidate
    sidecar: str | None  # signature of the file's sidecar, as the scan found it

    @property
    def counts_as(self) -> str | None:
        """The summary's count this decision adds to (None: the store's result says)."""
        return None


@dataclass(frozen=True)
class FailedBefore(Decision):
    reason: str
    # The same content at a new size or mtime: remember those, so the next run need not
    # read it again (`content_hash` is then the file's).
    restamp: bool = False
    content_hash: str | None = None

    @property
    def counts_as(self) -> str:
        return "failed_before"


@dataclass(frozen=True)
class Unreadable(Decision):
    reason: str

    @property
    def counts_as(self) -> str:
        return "failed"


@dataclass(frozen=True)
class Unchanged(Decision):
    document_id: str
    tag_warnings: tuple[str, ...] = ()  # checked again under --strict
    forget_failure: bool = False  # a failure remembered at this path is undone

    @property
    def counts_as(self) -> str:
        return "unchanged"


@dataclass(frozen=True)
class Retag(Decision):
    document_id: str

    @property
    def counts_as(self) -> str:
        return "updated"


@dataclass(frozen=True)
class Attach(Decision):
    document_id: str
    new_path: bool  # the path was not this document's
    original: str | None = None  # a file of the document still there: this one is a copy
    reactivate: str | None = None  # the document's state if it was not active
    hide: str | None = None  # the document the path leaves, now without any file
    retag: bool = True  # its tags are read again (else the file counts as unchanged)
    tag_warnings: tuple[str, ...] = ()

    @property
    def counts_as(self) -> str | None:
        if self.original is not None:
            return "duplicate"
        if not self.retag:
            return "unchanged"
        return "moved" if self.new_path else "updated"


@dataclass(frozen=True)
class Refused(Decision):
    reason: str
    content_hash: str

    @property
    def counts_as(self) -> str:
        return "failed"


@dataclass(frozen=True)
class Extract(Decision):
    content_hash: str
    prior: str | None = None  # the document this path had: its new content, if alone


@dataclass(frozen=True)
class Twin(Decision):
    content_hash: str
    primary: str  # path of the file extracted for this content
    path_document: str | None = None  # the document this path had
    same_sidecar: bool = False  # the catalog has this path with this sidecar


def plan(files: Iterable[Seen], *, max_file_bytes: int) -> Iterator[Decision]:
    """One decision per file, in the order given (the scan's)."""
    docs = _Documents()
    extracting: dict[str, str] = {}  # content hash -> path of the file extracted for it
    for seen in files:
        yield _decide(seen, docs, extracting, max_file_bytes)


def _decide(
    seen: Seen, docs: _Documents, extracting: dict[str, str], max_file_bytes: int
) -> Decision:
    file, sidecar, row = seen.file, seen.sidecar, seen.path
    if failed_unchanged(seen):
        assert seen.failure is not None
        return FailedBefore(file, sidecar, seen.failure.reason)
    if vouched(seen):
        assert row is not None and seen.path_document is not None
        doc = seen.path_document
        if row.sidecar == sidecar:
            return Unchanged(file, sidecar, doc.id, doc.tag_warnings,
                             forget_failure=seen.failure is not None)  # fmt: skip
        docs.put(doc, file)
        return Retag(file, sidecar, doc.id)
    if seen.unreadable is not None:
        return Unreadable(file, sidecar, seen.unreadable)
    content_hash = seen.content_hash
    assert content_hash is not None, f"{file.path}: neither vouched for nor read"
    known = seen.known
    if known is None:
        return _new_content(seen, content_hash, extracting, max_file_bytes)
    state = docs.state(known)
    new_path = row is None or row.document_id != known.id
    original = docs.original(known, file.path) if new_path and state == "active" else None
    docs.put(known, file)
    hide = None
    if row is not None and row.document_id != known.id:
        left = seen.path_document
        if left is not None and docs.leave(left, file.path):
            hide = left.id
    return Attach(
        file, sidecar, known.id, new_path, original,
        reactivate=None if state == "active" else state,
        hide=hide,
        retag=not (row is not None and row.document_id == known.id and row.sidecar == sidecar),
        tag_warnings=known.tag_warnings,
    )  # fmt: skip


def _new_content(
    seen: Seen, content_hash: str, extracting: dict[str, str], max_file_bytes: int
) -> Decision:
    file, sidecar, row, failure = seen.file, seen.sidecar, seen.path, seen.failure
    if (
        failure is not None
        and failure.content_hash == content_hash
        and failure.sidecar == sidecar
    ):  # a touched or re-copied file that failed: it would fail the same way
        return FailedBefore(file, sidecar, failure.reason, restamp=True,
                            content_hash=content_hash)  # fmt: skip
    primary = extracting.get(content_hash)
    if primary is not None:
        return Twin(file, sidecar, content_hash, primary,
                    path_document=row.document_id if row is not None else None,
                    same_sidecar=row is not None and row.sidecar == sidecar)  # fmt: skip
    # What the extractors would refuse before reading a byte, said in their words.
    if file.size == 0:
        return Refused(file, sidecar, "empty file", content_hash)
    if file.size > max_file_bytes:
        reason = f"file too large ({megabytes(file.size)}, limit {megabytes(max_file_bytes)})"
        return Refused(file, sidecar, reason, content_hash)
    extracting[content_hash] = file.path
    return Extract(file, sidecar, content_hash, row.document_id if row is not None else None)


@dataclass
class _Document:
    state: str
    catalog: tuple[PresentFile, ...] | None  # its present files when the scan looked
    added: list[PresentFile] = field(default_factory=list)  # put by this run, latest first
    left: set[str] = field(default_factory=set)  # paths that went to another document

    def present(self) -> list[PresentFile]:
        mine = {f.path for f in self.added}
        rest = [f for f in self.catalog or () if f.path not in mine and f.path not in self.left]
        return [*self.added, *rest]


class _Documents:
    """The documents as this run's decisions leave them: state and present files."""

    def __init__(self) -> None:
        self._docs: dict[str, _Document] = {}

    def _get(self, facts: DocFacts) -> _Document:
        doc = self._docs.get(facts.id)
        if doc is None:
            doc = self._docs[facts.id] = _Document(facts.state, facts.present)
        elif doc.catalog is None and facts.present is not None:
            doc.catalog = facts.present
        return doc

    def state(self, facts: DocFacts) -> str:
        return self._get(facts).state

    def original(self, facts: DocFacts, path: str) -> str | None:
        """Another file of the document that is still there, as given."""
        doc = self._get(facts)
        assert doc.catalog is not None, f"{facts.id}: the scan gave no files for it"
        return next((f.given for f in doc.present() if f.exists and f.path != path), None)

    def put(self, facts: DocFacts, file: Candidate) -> None:
        """The file is (again) this document's, seen now: first of its files; the document
        is active."""
        doc = self._get(facts)
        doc.added = [PresentFile(file.path, file.given, True),
                     *(f for f in doc.added if f.path != file.path)]  # fmt: skip
        doc.left.discard(file.path)
        doc.state = "active"

    def leave(self, facts: DocFacts, path: str) -> bool:
        """The file at `path` is no longer this document's; True if that leaves an active
        document without any file (it is hidden)."""
        doc = self._get(facts)
        doc.added = [f for f in doc.added if f.path != path]
        doc.left.add(path)
        assert doc.catalog is not None, f"{facts.id}: the scan gave no files for it"
        if doc.present() or doc.state != "active":
            return False
        doc.state = "missing"
        return True
