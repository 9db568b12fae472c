"""The scan: the files under the paths given, each with what the catalog knows of it.

`find` walks the folders (`kb.scan`: regular files only, no pipes, no links out of the
folder, `.kbignore`). `look` then reads, for each file, its sidecar's signature, the
catalog's entry for its path and its document, the failure remembered for it, and its
content hash: only when the catalog cannot vouch for it by its size and mtime (an
unchanged library is not read again), nor a remembered failure by those and its sidecar.
What it yields are plain values (`kb.ingest.facts.Seen`) the plan decides from.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from kb import failures
from kb.catalog import Catalog, DocumentRow
from kb.ingest.facts import (
    DocFacts,
    PresentFile,
    RememberedFailure,
    Seen,
    failed_unchanged,
    vouched,
)
from kb.scan import Candidate, ScanResult
from kb.scan import scan as find
from kb.sidecar import sidecar_path

__all__ = ["find", "look", "remembered", "sha256_of", "sidecar_signature"]


def remembered(catalog: Catalog) -> dict[str, RememberedFailure]:
    """The failures the catalog remembers, by path."""
    return {
        f.path: RememberedFailure(f.reason, f.size, f.mtime_ns, f.sidecar, f.content_hash)
        for f in failures.listing(catalog)
    }


def look(
    found: ScanResult, catalog: Catalog, failed: dict[str, RememberedFailure]
) -> Iterator[Seen]:
    """Each file found, as the disk and the catalog show it (lazily: a file is read when
    the run gets to it). `failed`: the failures to compare with (empty: retry them all)."""
    for file in found.candidates:
        yield _look(file, catalog, failed.get(file.path))


def _look(file: Candidate, catalog: Catalog, failure: RememberedFailure | None) -> Seen:
    row = catalog.path(file.path)
    path_doc = _facts(catalog.document(row.document_id)) if row is not None else None
    seen = Seen(file, sidecar_signature(file.path), row, path_doc, failure)
    if failed_unchanged(seen) or vouched(seen):
        return seen
    try:
        content_hash = sha256_of(file.path)
    except OSError as exc:
        return replace(seen, unreadable=f"cannot read: {exc.strerror or exc}")
    known = catalog.document_by_hash(content_hash)
    if known is None:
        return replace(seen, content_hash=content_hash)
    if row is not None and row.document_id == known.id:
        return replace(seen, content_hash=content_hash, known=_facts(known))
    # A new path for known content: which of its files are still there, and what the
    # document the path leaves keeps.
    if path_doc is not None:
        path_doc = replace(path_doc, present=_present(catalog, path_doc.id))
    known_facts = _facts(known, _present(catalog, known.id))
    return replace(seen, content_hash=content_hash, known=known_facts, path_document=path_doc)


def _facts(
    doc: DocumentRow | None, present: tuple[PresentFile, ...] | None = None
) -> DocFacts | None:
    if doc is None:
        return None
    return DocFacts(doc.id, doc.state, tuple(doc.report.get("tag_warnings", ())), present)


def _present(catalog: Catalog, doc_id: str) -> tuple[PresentFile, ...]:
    return tuple(
        PresentFile(p.path, p.given, os.path.isfile(p.path))
        for p in catalog.paths_of(doc_id)
        if p.state == "present"
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

