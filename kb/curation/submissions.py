"""Submissions: a network member sends a document they collected, with its metadata.

The file is copied into the library's own file store, `<library>/files/<sha256>/<name>`,
and ingested from there by `kb.ingest.ingest` (type sniffing, time and memory limits,
zip-bomb and XML defences: the same as any ingestion). It enters the library with status
`submitted` and visibility `internal` until a curator publishes it:

- a sidecar written next to the stored file says so from the very first index commit, so
  there is no moment when an unreviewed document is public;
- the metadata given by the submitter, the status and the visibility are then written as
  curator-origin tags, which no re-ingestion overwrites.

A file that fails extraction is kept in the store and recorded as a failed submission, with
the reason, for the submitter and the curators to see. A file whose content is already in
the library is refused (Conflict) when the submitter may see that document, and nothing is
kept. When they may not (an internal document, or one whose files are gone), a refusal
would tell them that it exists: the submission is then answered exactly as a new one
(state "ingested", the id the document would have, which is made from the content they
hold), but nothing is ingested and no tag changes; the row notes the copy
(`duplicate_of`) for the curators, and the file is kept out of the ingestion's way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from indexer.extract import default_registry
from indexer.extract.sniff import EMPTY, sniff
from indexer.fields import TABLE
from indexer.messages import Field, _, joined
from kb import audit
from kb.actors import CURATORS, SUBMITTERS, VALIDATORS, Actor
from kb.catalog import Catalog, now
from kb.catalog import submissions as submission_store
from kb.curation.corrections import CURATOR
from kb.curation.workflow import SUBMITTED
from kb.curation.writes import follow_index
from kb.errors import (
    Conflict,
    ExtractionFailed,
    InvalidTag,
    NotFound,
    TooLarge,
    UnsupportedFormat,
)
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.sidecar import sidecar_path
from kb.tags import Tag, normalize
from kb.vocabulary import MULTI_VALUED

log = logging.getLogger(__name__)

FILES_DIR = "files"
DUPLICATES_DIR = ".copies"  # under FILES_DIR: copies of documents already in the library
MAX_SUBMISSION_BYTES = 50 * 1024 * 1024
MAX_FILE_NAME = 120
INITIAL_VISIBILITY = "internal"
# What a submitter may say about their document (`indexer.fields.TABLE`); status and
# visibility are the curators'. The tags among them that take several values are the
# choices a form or `kb submit` offers.
METADATA_FIELDS = tuple(f.name for f in TABLE if f.submitted)
TAG_CHOICES = tuple(f.name for f in TABLE if f.submitted and f.controlled and f.multi_valued)
REQUIRED_FIELDS = ("title", "kind")
MAX_VALUES = 8  # of a repeatable field (4 of them x 8 + the others fit in a 50-part form)
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Submission:
    id: int
    submitter: str
    file_name: str
    size: int
    media_type: str
    content_hash: str
    document_id: str | None  # None when extraction failed
    state: str  # ingested or failed
    error: str | None
    metadata: Mapping[str, tuple[str, ...]]
    submitted_at: str
    # The document already holding this content, hidden from the submitter: nothing was
    # changed (for the curators' eyes; a submitter's views show the submission as new).
    duplicate_of: str | None = None


def validate_metadata(library: Library, metadata: Mapping[str, Sequence[str]]
                      ) -> list[Tag]:
    """Curator-origin tags for what a submitter says; InvalidTag names what is wrong
    (a missing title or kind, an unknown field or value with the closest terms)."""
    tags: list[Tag] = []
    for field, values in metadata.items():
        if field not in METADATA_FIELDS:
            raise InvalidTag(
                _("{field}: not something a submission sets (fields: {metadata_fields})",
                  field=Field(field), metadata_fields=', '.join(METADATA_FIELDS))
            )
        if len(values) > MAX_VALUES:
            raise InvalidTag(_("{field}: at most {max_values} values; got {count}",
                               field=Field(field), max_values=MAX_VALUES, count=len(values)))
        values = [v for v in values if v.strip()]
        allowed = "\n\t" if field == "summary" else ""
        if any(unicodedata.category(c) == "Cc" and c not in allowed for v in values for c in v):
            raise InvalidTag(_("{field}: control characters are not allowed", field=Field(field)))
        if len(values) > 1 and field not in MULTI_VALUED:
            raise InvalidTag(_("{field} holds one value; got {count}",
                               field=Field(field), count=len(values)))
        found, warnings = normalize(field, values, library.vocabulary, CURATOR, field)
        if warnings:
            raise InvalidTag(joined([w.message for w in warnings]))
        tags.extend(found)
    missing = [f for f in REQUIRED_FIELDS if not any(t.field == f for t in tags)]
    if missing:
        raise InvalidTag(joined([_("a submission needs a {field}", field=Field(f))
                                 for f in missing]))
    return list(dict.fromkeys(tags))


def submit(
    library: Library,
    actor: Actor,
    source: BinaryIO,
    file_name: str,
    metadata: Mapping[str, Sequence[str]],
    *,
    max_bytes: int = MAX_SUBMISSION_BYTES,
) -> Submission:
    """Store, ingest and tag a submitted file; the submission as recorded.

    Raises, with nothing kept: Forbidden (role), InvalidTag (metadata), TooLarge (over
    `max_bytes`), ExtractionFailed (empty file), UnsupportedFormat (a type no extractor
    reads), Conflict (content already in a document the actor may
    see; one they may not see is answered as new, see above), IndexBusy (an ingest is running).
    A file that is read but fails extraction is kept: the submission comes back with state
    "failed" and the reason.
    """
    actor.require(SUBMITTERS, _("submitting a document"))
    tags = validate_metadata(library, metadata)
    name = safe_file_name(file_name)
    store = library.root / FILES_DIR
    store.mkdir(parents=True, exist_ok=True)
    incoming = _receive(source, store, max_bytes)
    try:
        content_hash, size = incoming.hash, incoming.size
        media_type = _check_type(incoming.path, name)
        known = library.catalog.document_by_hash(content_hash)
        if known is not None:
            if library.documents.visible_to(known, actor.scope):
                raise Conflict(_("{name}: this file is already in the library as document {id}",
                                 name=name, id=known.id))
            return _hidden_copy(library, actor, incoming.path, name, content_hash, size,
                                media_type, known.id, metadata)
        folder = store / content_hash
        folder.mkdir(exist_ok=True)
        stored = folder / name
        os.replace(incoming.path, stored)
    finally:
        incoming.path.unlink(missing_ok=True)
    # Read by the ingest with the file: the document is internal from its first index commit.
    sidecar_path(stored).write_text(
        f'status = "{SUBMITTED}"\nvisibility = "{INITIAL_VISIBILITY}"\n', encoding="utf-8"
    )
    try:
        # A file sent again is read again, even if the same file failed before.
        options = IngestOptions(workers=1, retry_failed=True)
        report = ingest(library, [stored], options, actor=actor)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # IndexBusy and the like: try again later
        raise
    doc = library.catalog.document_by_hash(content_hash)
    given = {f: tuple(v for v in vals if v.strip()) for f, vals in metadata.items()}
    catalog = library.catalog
    with catalog.transaction():
        if doc is None or report.failed:
            reason = "; ".join(p.reason for p in report.failed) or "extraction failed"
            sub_id = _insert(catalog, actor, name, stored, content_hash, size, media_type,
                             None, "failed", reason, given)
            audit.record(catalog, actor, "submission.failed", "submission", str(sub_id),
                         after={"file": name, "error": reason, "metadata": given})
        else:
            final = [*tags, Tag("status", SUBMITTED, CURATOR),
                     Tag("visibility", INITIAL_VISIBILITY, CURATOR)]
            catalog.replace_tags(doc.id, (CURATOR,), final)
            catalog.touch(doc.id)
            sub_id = _insert(catalog, actor, name, stored, content_hash, size, media_type,
                             doc.id, "ingested", None, given)
            audit.record(catalog, actor, "submission.create", "submission", str(sub_id),
                         document_id=doc.id,
                         after={"file": name, "metadata": given, "status": SUBMITTED,
                                "visibility": INITIAL_VISIBILITY})
    follow_index(library)
    return get_submission(library, actor, sub_id)


def _hidden_copy(
    library: Library, actor: Actor, incoming: Path, name: str, content_hash: str, size: int,
    media_type: str, doc_id: str, metadata: Mapping[str, Sequence[str]],
) -> Submission:
    """A copy of a document the submitter may not see: kept (under a dot folder, which
    ingestion skips) and recorded as the submission of that document, changing nothing."""
    folder = library.root / FILES_DIR / DUPLICATES_DIR / content_hash
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / name
    os.replace(incoming, stored)
    given = {f: tuple(v for v in vals if v.strip()) for f, vals in metadata.items()}
    catalog = library.catalog
    with catalog.transaction():
        sub_id = _insert(catalog, actor, name, stored, content_hash, size, media_type,
                         doc_id, "ingested", None, given, duplicate_of=doc_id,
                         root=library.root)
        audit.record(catalog, actor, "submission.duplicate", "submission", str(sub_id),
                     document_id=doc_id, after={"file": name, "metadata": given})
    log.info("submission %s is a copy of document %s, which its submitter may not see",
             sub_id, doc_id)
    return get_submission(library, actor, sub_id)


def list_submissions(library: Library, actor: Actor, *, mine: bool = False
                     ) -> list[Submission]:
    """Newest first: the actor's own, or (curators and the council) everyone's."""
    actor.require(SUBMITTERS, _("listing submissions"))
    if mine or not _reviews(actor):
        rows = submission_store.newest_first(library.catalog, actor.name)
    else:
        rows = submission_store.newest_first(library.catalog)
    return [_submission(r) for r in rows]


def get_submission(library: Library, actor: Actor, submission_id: int) -> Submission:
    """One submission, for its submitter, curators and the council; NotFound otherwise."""
    actor.require(SUBMITTERS, _("reading submissions"))
    row = submission_store.by_id(library.catalog, submission_id)
    if row is not None:
        found = _submission(row)
        if found.submitter == actor.name or _reviews(actor):
            return found
    raise NotFound(_("no submission {submission_id}", submission_id=submission_id))


def stored_file(library: Library, submission: Submission) -> Path:
    """Where the store keeps a submission's file; NotFound if it is gone."""
    row = submission_store.by_id(library.catalog, submission.id)
    path = library.root / row["stored"] if row is not None else None
    if path is None or not path.is_file():
        raise NotFound(_("the file of submission {id} is no longer in the store", id=submission.id))
    return path


def safe_file_name(name: str) -> str:
    """A file name safe to create in the store: the last path part, no control characters,
    not hidden (ingestion skips dot files), at most MAX_FILE_NAME characters, suffix kept."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base)
                   if unicodedata.category(c)[0] != "C")
    base = base.strip().lstrip(".").strip()
    if not base or base in (".", ".."):
        base = "document"
    stem, dot, suffix = base.rpartition(".")
    if dot and len(suffix) <= 10:
        return stem[: MAX_FILE_NAME - len(suffix) - 1] + "." + suffix
    return base[:MAX_FILE_NAME]


def size_text(size: int) -> str:
    """1536 -> "1.5 KB": sizes for people."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# --- helpers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Incoming:
    path: Path
    hash: str
    size: int


def _receive(source: BinaryIO, store: Path, max_bytes: int) -> _Incoming:
    """Copy the upload into the store under a temporary name, hashing it; TooLarge past
    `max_bytes` (what was written is removed)."""
    digest = hashlib.sha256()
    size = 0
    handle, name = tempfile.mkstemp(prefix=".incoming-", dir=store)
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(
                        _("file larger than {value}; send a smaller file or ask a curator to "
                          "ingest it", value=size_text(max_bytes))
                    )
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return _Incoming(path, digest.hexdigest(), size)


def _check_type(path: Path, name: str) -> str:
    """The sniffed media type; ExtractionFailed if empty, UnsupportedFormat if unreadable.
    The store's temporary name has no suffix: sniff the content under the given name."""
    named = path.with_name(path.name + Path(name).suffix.lower())
    os.replace(path, named)
    try:
        media_type = sniff(named)
    finally:
        os.replace(named, path)
    if media_type == EMPTY:
        raise ExtractionFailed(_("{name}: empty file", name=name))
    if default_registry().extractor_for(media_type) is None:
        raise UnsupportedFormat(
            _("{name}: unsupported format: detected type {media_type} (send PDF, DOCX, ODT, "
              "HTML, text or Markdown)", name=name, media_type=media_type)
        )
    return media_type


def _insert(
    catalog: Catalog, actor: Actor, name: str, stored: Path, content_hash: str, size: int,
    media_type: str, document_id: str | None, state: str, error: str | None,
    metadata: Mapping[str, tuple[str, ...]], *, duplicate_of: str | None = None,
    root: Path | None = None,
) -> int:
    relative = (stored.relative_to(root) if root is not None
                else Path(FILES_DIR) / stored.parent.name / stored.name)
    return submission_store.insert(catalog, (
        actor.name, name, str(relative), content_hash, size, media_type, document_id, state,
        error, json.dumps(metadata, ensure_ascii=False), now(), duplicate_of))


def _reviews(actor: Actor) -> bool:
    return actor.role in CURATORS | VALIDATORS


def _submission(row: Mapping[str, Any]) -> Submission:
    metadata: dict[str, Any] = json.loads(row["metadata"] or "{}")
    return Submission(
        id=row["id"],
        submitter=row["submitter"],
        file_name=row["file_name"],
        size=row["size"],
        media_type=row["media_type"],
        content_hash=row["content_hash"],
        document_id=row["document_id"],
        state=row["state"],
        error=row["error"],
        metadata={k: tuple(v) for k, v in metadata.items()},
        submitted_at=row["submitted_at"],
        duplicate_of=row["duplicate_of"],
    )
