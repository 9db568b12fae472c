"""Tag corrections by curators, and automatic re-tagging of the whole library.

A correction is stored as tags of origin "curator", the highest: it wins over the file's
properties, automatic tags and sidecars, and ingestion never rewrites it (its origins are
`kb.ingest.store_known.INGEST_ORIGINS`). Values are validated against the vocabulary like a
sidecar's, except that an unknown value is an error naming the closest terms, not a warning.

`status` is not corrected here: it changes through the validation workflow
(`kb.curation.workflow`), which checks who may make each step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from indexer.messages import Field, _, joined
from kb import audit
from kb.actors import CURATORS, Actor
from kb.autotag import automatic_tags, worth_offering
from kb.catalog import DocumentRow
from kb.curation.writes import Expected, document_change, find_document, follow_index
from kb.errors import InvalidTag, KbError, NotFound
from kb.learning import load as load_model
from kb.library import Library
from kb.tags import AUTO_FIELDS, Tag, effective, normalize
from kb.vocabulary import CONTROLLED_FIELDS, MULTI_VALUED, Vocabulary

log = logging.getLogger(__name__)

CURATOR = "curator"
WORKFLOW_FIELDS = ("status",)  # changed by the workflow only
MAX_VALUES = 50
MAX_VALUE_LENGTH = 2000

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class TagState:
    """A document's tags as curation sees them."""

    id: str
    revision: int
    state: str
    tags: tuple[Tag, ...]  # every origin
    effective: Mapping[str, tuple[str, ...]]

    @property
    def corrections(self) -> dict[str, tuple[str, ...]]:
        """The curators' values, per field."""
        found: dict[str, list[str]] = {}
        for tag in self.tags:
            if tag.origin == CURATOR:
                found.setdefault(tag.field, []).append(tag.value)
        return {f: tuple(v) for f, v in found.items()}


@dataclass(frozen=True)
class RetagReport:
    documents: int  # documents looked at
    changed: int  # documents whose automatic tags changed


def tag_state(library: Library, doc: DocumentRow) -> TagState:
    tags = tuple(library.catalog.tags(doc.id))
    return TagState(doc.id, doc.revision, doc.state, tags, effective(tags))


def show_tags(library: Library, doc_id: str, actor: Actor, *, prefix: bool = False) -> TagState:
    """The tags of a document `actor` may curate (NotFound otherwise)."""
    return tag_state(library, find_document(library, doc_id, actor, prefix=prefix))


def set_tags(
    library: Library,
    doc_id: str,
    field: str,
    values: Sequence[str],
    actor: Actor,
    *,
    expected: Expected = None,
    prefix: bool = False,
) -> TagState:
    """Make `values` the document's values for `field`, whatever other origins say.

    Controlled values may be keys, labels or synonyms (stored as keys). A `date` also sets
    the `year`. InvalidTag for an unknown field or value (closest terms named), no value,
    several values on a single-valued field, or `status` (see the workflow).
    """
    actor.require(CURATORS, _("correcting tags"))
    tags = _validated(library.vocabulary, field, values)
    with document_change(library, doc_id, actor, expected=expected, prefix=prefix) as edit:
        fields = {t.field for t in tags}
        record_correction(library, edit.document, actor, "tag.set", tags, fields=fields)
        edit.changed = True
    return state_of(library, edit.document.id)


def add_tags(
    library: Library,
    doc_id: str,
    field: str,
    values: Sequence[str],
    actor: Actor,
    *,
    expected: Expected = None,
    prefix: bool = False,
) -> TagState:
    """Add `values` to the document's values for a multi-valued field (family, territory,
    mission, instance, authors), keeping the values it has, whatever their origin.

    InvalidTag as for `set_tags`, and for a single-valued field (use `set_tags`).
    """
    actor.require(CURATORS, _("correcting tags"))
    _check_field(field)
    if field not in MULTI_VALUED:
        raise InvalidTag(_("{field} holds one value: set it instead of adding to it",
                           field=Field(field)))
    new = _validated(library.vocabulary, field, values)
    with document_change(library, doc_id, actor, expected=expected, prefix=prefix) as edit:
        current = effective(library.catalog.tags(edit.document.id)).get(field, ())
        merged = list(dict.fromkeys([*current, *(t.value for t in new)]))
        if merged != list(current) or not _has_corrections(library, edit.document.id, field):
            tags = [Tag(field, v, CURATOR) for v in merged]
            record_correction(library, edit.document, actor, "tag.add", tags, fields={field})
            edit.changed = True
    return state_of(library, edit.document.id)


def remove_tags(
    library: Library,
    doc_id: str,
    field: str,
    values: Sequence[str],
    actor: Actor,
    *,
    expected: Expected = None,
    prefix: bool = False,
) -> TagState:
    """Remove `values` from the document's values for `field`, whatever their origin (a
    wrong automatic family, say); the other values stay, as a correction.

    InvalidTag for a value the document does not have, and when removing would leave the
    field empty while files or automatic tagging give it values: a correction cannot say
    "none" (the other origins' values would come back), so set the right value instead.
    """
    actor.require(CURATORS, _("correcting tags"))
    _check_field(field)
    removed = {t.value for t in _validated(library.vocabulary, field, values, single=False)}
    with document_change(library, doc_id, actor, expected=expected, prefix=prefix) as edit:
        tags = library.catalog.tags(edit.document.id)
        current = effective(tags).get(field, ())
        missing = sorted(removed - set(current))
        if missing:
            has = ", ".join(current) or "no value"
            raise InvalidTag(
                _("document {id}: {field} {value} is not among its values ({has})",
                  id=edit.document.id, field=Field(field), value=", ".join(map(repr, missing)),
                  has=has)
            )
        kept = [v for v in current if v not in removed]
        below = [t for t in tags if t.field == field and t.origin != CURATOR]
        if not kept and below:
            raise InvalidTag(
                _("document {id}: removing every {field} would bring back the values of its "
                  "files or automatic tagging ({value}); set the right {field} instead",
                  id=edit.document.id, field=Field(field), value=', '.join(t.value for t in below))
            )
        record_correction(
            library, edit.document, actor, "tag.remove",
            [Tag(field, v, CURATOR) for v in kept], fields={field},
        )
        edit.changed = True
    return state_of(library, edit.document.id)


def clear_tags(
    library: Library,
    doc_id: str,
    field: str,
    actor: Actor,
    *,
    expected: Expected = None,
    prefix: bool = False,
) -> TagState:
    """Undo the curators' correction of `field`: the other origins' values apply again.

    Nothing changes (no new revision) when the field has no correction.
    """
    actor.require(CURATORS, _("correcting tags"))
    _check_field(field)
    with document_change(library, doc_id, actor, expected=expected, prefix=prefix) as edit:
        if _has_corrections(library, edit.document.id, field):
            record_correction(library, edit.document, actor, "tag.clear", [], fields={field})
            edit.changed = True
    return state_of(library, edit.document.id)


OPERATIONS = ("set", "add", "remove", "clear")
MAX_BULK = 200  # documents in one bulk correction: each is its own transaction


@dataclass(frozen=True)
class Correction:
    """One document's change in a bulk correction."""

    document_id: str
    field: str
    operation: str  # set, add, remove or clear
    values: tuple[str, ...] = ()
    expected: int | None = None  # the revision the curator read; None: no check


@dataclass(frozen=True)
class CorrectionResult:
    document_id: str
    state: TagState | None  # None when refused
    error: KbError | None = None


def correct_many(library: Library, changes: Sequence[Correction], actor: Actor
                 ) -> list[CorrectionResult]:
    """Apply each change as `set_tags`, `add_tags`, `remove_tags` or `clear_tags` would:
    one transaction and one audit entry per document. A refused change (unknown value,
    stale revision, unknown document...) is reported with its error and does not stop
    the others. Forbidden (for the whole batch) if `actor` may not correct tags; InvalidTag
    for an unknown operation or more than MAX_BULK changes."""
    actor.require(CURATORS, _("correcting tags"))
    if len(changes) > MAX_BULK:
        raise InvalidTag(_("at most {max_bulk} documents in one bulk correction, got {count}",
                           max_bulk=MAX_BULK, count=len(changes)))
    for change in changes:
        if change.operation not in OPERATIONS:
            raise InvalidTag(_("operation {operation!r}: one of {operations}",
                               operation=change.operation[:20], operations=', '.join(OPERATIONS)))
    results = []
    for change in changes:
        expected = None if change.expected is None else {change.expected}
        try:
            if change.operation == "clear":
                state = clear_tags(library, change.document_id, change.field, actor,
                                   expected=expected)
            else:
                apply = {"set": set_tags, "add": add_tags, "remove": remove_tags}[
                    change.operation]
                state = apply(library, change.document_id, change.field, change.values,
                              actor, expected=expected)
        except KbError as exc:
            results.append(CorrectionResult(change.document_id, None, exc))
        else:
            results.append(CorrectionResult(change.document_id, state))
    return results


def retag(library: Library, actor: Actor, progress: Progress | None = None) -> RetagReport:
    """Re-run automatic tagging (vocabulary synonyms in the stored text and title, by the
    vocabulary's rules of evidence) on every document, its evidence stored anew.

    Only tags of origin "auto" are rewritten: curators' corrections, sidecars and file
    properties stay, and since they rank higher they keep winning. Each changed document
    gets an audit entry and a new revision; the index follows at the end. Holds the
    library's write lock (IndexBusy while an ingest runs).
    """
    actor.require(CURATORS, _("re-tagging the library"))
    catalog = library.catalog
    changed = 0
    model = load_model(library.root)
    with library.write_lock():
        docs = catalog.documents()
        for done, doc in enumerate(docs, start=1):
            current = catalog.tags(doc.id)
            title = effective(current).get("title", ("",))[0]
            sections = catalog.sections(doc.id)
            found = automatic_tags(library.vocabulary, title, sections, doc.media_type,
                                   model=model)
            fresh = found.tags
            # Where the title and date came from is kept: retag reads only the vocabulary.
            kept = [e for e in catalog.evidence(doc.id) if e.field not in AUTO_FIELDS]
            with catalog.transaction():
                catalog.replace_evidence(doc.id, [*kept, *found.evidence])
                old = [t for t in current if t.origin == "auto"]
                others = [t for t in current if t.origin != "auto"]
                offered = worth_offering(found.suggestions, effective([*others, *fresh]))
                catalog.replace_suggestions(doc.id, offered)
                if old != fresh:
                    catalog.replace_tags(doc.id, ("auto",), fresh)
                    catalog.touch(doc.id)
                    audit.record(
                        catalog, actor, "tag.retag", "document", doc.id, document_id=doc.id,
                        before=_by_field(old), after=_by_field(fresh),
                    )
                    changed += 1
            if progress:
                progress(done, len(docs), doc.id)
        follow_index(library)
    log.info("retag: %d of %d documents changed", changed, len(docs))
    return RetagReport(documents=len(docs), changed=changed)


# --- helpers ---------------------------------------------------------------------------------


def _check_field(field: str) -> None:
    if field in WORKFLOW_FIELDS:
        raise InvalidTag(
            _("{field} follows the validation workflow: change it with `kb status` (POST "
              "/documents/{{id}}/status), which checks who may make each step", field=Field(field))
        )
    normalize(field, (), _EMPTY_VOCABULARY, CURATOR, "correction")  # InvalidTag if unknown


def _validated(
    vocabulary: Vocabulary, field: str, values: Sequence[str], *, single: bool = True
) -> list[Tag]:
    """Curator tags for `values` of `field`; InvalidTag for anything the vocabulary refuses."""
    _check_field(field)
    values = [v for v in values if v.strip()]
    if not values:
        raise InvalidTag(_("{field}: give at least one value", field=Field(field)))
    if len(values) > MAX_VALUES or any(len(v) > MAX_VALUE_LENGTH for v in values):
        raise InvalidTag(
            _("{field}: at most {max_values} values of {max_value_length} characters each",
              field=Field(field), max_values=MAX_VALUES, max_value_length=MAX_VALUE_LENGTH)
        )
    if single and field not in MULTI_VALUED and len(values) > 1:
        raise InvalidTag(_("{field} holds one value; got {count}", field=Field(field),
                           count=len(values)))
    tags, warnings = normalize(field, values, vocabulary, CURATOR, field)
    if warnings:
        raise InvalidTag(joined([w.message for w in warnings]))
    return tags


def record_correction(
    library: Library,
    doc: DocumentRow,
    actor: Actor,
    action: str,
    new: Iterable[Tag],
    *,
    fields: set[str],
) -> None:
    """Replace the curator's tags of `fields` with `new` and record it (in the caller's
    transaction)."""
    catalog = library.catalog
    tags = catalog.tags(doc.id)
    before = effective(tags)
    kept = [t for t in tags if t.origin == CURATOR and t.field not in fields]
    catalog.replace_tags(doc.id, (CURATOR,), [*kept, *new])
    after = effective(catalog.tags(doc.id))
    ordered = [f for f in (*CONTROLLED_FIELDS, *sorted(fields)) if f in fields]
    audit.record(
        catalog, actor, action, "document", doc.id, document_id=doc.id,
        before={f: list(before.get(f, ())) for f in dict.fromkeys(ordered)},
        after={f: list(after.get(f, ())) for f in dict.fromkeys(ordered)},
    )


def _has_corrections(library: Library, doc_id: str, field: str) -> bool:
    return any(t.origin == CURATOR and t.field == field for t in library.catalog.tags(doc_id))


def state_of(library: Library, doc_id: str) -> TagState:
    doc = library.catalog.document(doc_id)
    if doc is None:  # pruned right after the change
        raise NotFound(_("no document with id {doc_id!r}", doc_id=doc_id))
    return tag_state(library, doc)


def _by_field(tags: Iterable[Tag]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in tags:
        found.setdefault(tag.field, []).append(tag.value)
    return found


_EMPTY_VOCABULARY = Vocabulary(())
