"""Reading documents: what the command line, the API and the pages show of one document,
as plain values.

The edges ask `Library.documents` rather than the catalog, so that how documents are
stored (tables, queries, what "present" means for a file) stays the catalog's business.
Who may see a document is the edge's to decide (`api.deps.visible_document`, for a caller;
`Documents.visible_to` answers for a scope of visibilities): the other readers answer for any
document they are given.

Which of a document's files is the one to serve (`current_file`) is decided here too, for
the API's file route, the document's page and `kb show` alike.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.extract.base import Section
from indexer.messages import _
from kb.catalog import Catalog, DocumentRow, HitFacts, PathRow
from kb.errors import NotFound
from kb.tags import Tag, TagEvidence, effective
from kb.twins import twins_of

MIN_PREFIX = 4  # characters of an id prefix the command line resolves
_HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class DocumentView:
    """Everything `kb show` and the API say about one document."""

    document: DocumentRow
    paths: tuple[PathRow, ...]
    tags: tuple[Tag, ...]  # every tag from every origin
    effective: Mapping[str, tuple[str, ...]]  # what the index and searches use
    pages: int
    sections: int
    characters: int


@dataclass(frozen=True)
class CurrentFile:
    """The file that still holds a document's content, as found on disk just now."""

    path: Path
    stat: os.stat_result


def current_file(doc: DocumentRow, paths: Sequence[PathRow]) -> CurrentFile | None:
    """Of `doc`'s `paths`, the first seen present that still holds its content: a regular
    file of the ingested size with the ingested mtime, or (a touched file) the same
    SHA-256; None when every one was moved, deleted or changed since. Reads the disk (and
    may hash a file): call it outside a lock held for the catalog."""
    for row in paths:
        if row.state != "present":
            continue
        path = Path(row.path)
        try:
            stat = path.stat()
        except OSError:
            continue
        if not path.is_file() or stat.st_size != doc.size:
            continue
        if stat.st_mtime_ns == row.mtime_ns or _sha256(path) == doc.content_hash:
            return CurrentFile(path, stat)
    return None


def file_names(paths: Sequence[PathRow]) -> list[str]:
    """The names (without folders) of the files among `paths` seen present, each once, in
    order."""
    return list(dict.fromkeys(Path(p.path).name for p in paths if p.state == "present"))


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_HASH_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


class Documents:
    """The documents of one library's catalog, read for showing."""

    def __init__(self, catalog: Catalog):
        self._catalog = catalog

    def get(self, doc_id: str) -> DocumentRow | None:
        """The document with exactly this id, whatever its state; None if unknown."""
        return self._catalog.document(doc_id)

    def resolve(self, doc_id: str) -> DocumentRow:
        """A document by id or unambiguous id prefix (the command line's); NotFound
        otherwise."""
        doc = self._catalog.document(doc_id)
        if doc is not None:
            return doc
        if len(doc_id) < MIN_PREFIX:
            raise NotFound(_("no document with id {doc_id!r}; an id prefix needs at least "
                             "{min_prefix} characters", doc_id=doc_id, min_prefix=MIN_PREFIX))
        matches = self._catalog.find_documents(doc_id)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise NotFound(_("document id {doc_id!r} is ambiguous: give more characters",
                             doc_id=doc_id))
        raise NotFound(_("no document with id {doc_id!r}", doc_id=doc_id))

    def show(self, doc_id: str) -> DocumentView:
        """The document (id or prefix), its files, tags and the size of its text."""
        doc = self.resolve(doc_id)
        sections = self._catalog.sections(doc.id)
        tags = self._catalog.tags(doc.id)
        pages = {s.page for s in sections if s.page is not None}
        return DocumentView(
            document=doc,
            paths=tuple(self._catalog.paths_of(doc.id)),
            tags=tuple(tags),
            effective=effective(tags),
            pages=len(pages),
            sections=len(sections),
            characters=sum(len(s.text) for s in sections),
        )

    def tags(self, doc_id: str) -> list[Tag]:
        """Every tag of the document, from every origin."""
        return self._catalog.tags(doc_id)

    def effective_tags(self, doc_id: str) -> dict[str, tuple[str, ...]]:
        """The values searches use: per field, the most trusted origin's."""
        return effective(self._catalog.tags(doc_id))

    def sections(self, doc_id: str) -> list[Section]:
        """The text as extracted and repaired, section by section."""
        return self._catalog.sections(doc_id)

    def present_files(self, doc_id: str) -> list[PathRow]:
        """The paths where the document's file was last seen present."""
        return [p for p in self._catalog.paths_of(doc_id) if p.state == "present"]

    def current_file(self, doc: DocumentRow) -> CurrentFile | None:
        """The file to serve for `doc` (`current_file`); reads the catalog, then the disk."""
        return current_file(doc, self.present_files(doc.id))

    def visible_to(self, doc: DocumentRow, scope: frozenset[str] | None) -> bool:
        """Whether `doc` is in `scope`: active with one of its effective visibilities in it
        (None: every document, whatever its state)."""
        if scope is None:
            return True
        if doc.state != "active":
            return False
        return any(v in scope for v in self.effective_tags(doc.id).get("visibility", ()))

    def evidence(self, doc_id: str) -> list[TagEvidence]:
        """Why each automatic tag was set."""
        return self._catalog.evidence(doc_id)

    def suggestions(self, doc_id: str) -> list[TagEvidence]:
        """The open suggestions curators have not decided yet, with their evidence."""
        return self._catalog.suggestions(doc_id)

    def twins(self, doc_id: str, visibilities: frozenset[str] | None) -> list[str]:
        """The other documents with the same text among `visibilities` (`kb.twins`)."""
        return twins_of(self._catalog, doc_id, visibilities)

    def hit_facts(self, doc_ids: Sequence[str]) -> dict[str, HitFacts]:
        """State, display path and visibility of each of `doc_ids`, in one read."""
        return self._catalog.hit_facts(doc_ids)

    def count(self) -> int:
        """Every document, whatever its state (reading it tells the catalog answers)."""
        return self._catalog.document_count()


__all__ = ["MIN_PREFIX", "CurrentFile", "DocumentRow", "DocumentView", "Documents", "PathRow",
           "current_file", "file_names"]
