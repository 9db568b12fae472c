"""The validation workflow: a document's `status` from draft to validated or rejected.

    draft ──submit──> submitted ──validate──> validated
      ^                 │    └────reject────> rejected ──(rework)──> draft / submitted
      └────withdraw─────┘
    validated ──reopen──> draft            (the council withdraws a validation)

Curators (and admins) submit, withdraw and rework; only the scientific council (role
`council`) or an admin validates, rejects or reopens, since the council guarantees the
quality of what the observatory publishes. A rejection carries a comment saying why. The
status is stored as a curator-origin tag, so ingestion never undoes a decision, and each
step is in the audit trail with its comment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from indexer.messages import Message, _
from kb import audit
from kb.actors import CURATORS, VALIDATORS, Actor
from kb.choices import unknown_value
from kb.curation.writes import Expected, document_change, find_document
from kb.errors import InvalidTag, InvalidTransition
from kb.library import Library
from kb.tags import Tag, effective

DRAFT, SUBMITTED, VALIDATED, REJECTED = "draft", "submitted", "validated", "rejected"
STATUSES = (DRAFT, SUBMITTED, VALIDATED, REJECTED)
MAX_COMMENT = 2000

# (from, to) -> roles that may make the step, and what the step is called.
TRANSITIONS: Mapping[tuple[str, str], tuple[frozenset[str], Message]] = {
    (DRAFT, SUBMITTED): (CURATORS, _("submitting for validation")),
    (SUBMITTED, VALIDATED): (VALIDATORS, _("validating")),
    (SUBMITTED, REJECTED): (VALIDATORS, _("rejecting")),
    (SUBMITTED, DRAFT): (CURATORS, _("withdrawing a submission")),
    (REJECTED, DRAFT): (CURATORS, _("reworking a rejected document")),
    (REJECTED, SUBMITTED): (CURATORS, _("submitting for validation")),
    (VALIDATED, DRAFT): (VALIDATORS, _("reopening a validated document")),
}


@dataclass(frozen=True)
class StatusStep:
    """One past step, from the audit trail."""

    at: str
    actor: str
    role: str | None
    before: str | None
    after: str
    comment: str | None


@dataclass(frozen=True)
class StatusView:
    id: str
    revision: int
    status: str
    allowed: tuple[str, ...]  # statuses reachable from here (by someone)
    history: tuple[StatusStep, ...]  # newest first


def status_of(tags: list[Tag]) -> str:
    """The document's status: its effective `status` tag, draft when it has none."""
    return (effective(tags).get("status") or (DRAFT,))[0]


def show_status(library: Library, doc_id: str, actor: Actor, *, prefix: bool = False
                ) -> StatusView:
    """Where a document stands in the workflow, and how it got there."""
    doc = find_document(library, doc_id, actor, prefix=prefix)
    current = status_of(library.catalog.tags(doc.id))
    steps = [
        StatusStep(
            at=e.at,
            actor=e.actor,
            role=e.role,
            before=(e.before or {}).get("status"),
            after=(e.after or {}).get("status", ""),
            comment=e.comment,
        )
        for e in audit.entries(library.catalog, document=doc.id, action="status", limit=1000)
    ]
    allowed = tuple(to for (frm, to) in TRANSITIONS if frm == current)
    return StatusView(doc.id, doc.revision, current, allowed, tuple(steps))


def change_status(
    library: Library,
    doc_id: str,
    status: str,
    actor: Actor,
    *,
    comment: str | None = None,
    expected: Expected = None,
    prefix: bool = False,
) -> StatusView:
    """Move a document to `status` (a key, label or synonym of the vocabulary's statuses).

    InvalidTag for an unknown status; InvalidTransition for a step the workflow does not
    have (naming the allowed ones) or a rejection without a comment; Forbidden when the
    actor's role may not make this step; PreconditionFailed for a stale `expected`.
    """
    term = library.vocabulary.resolve("status", status)
    if term is None:
        closest = library.vocabulary.closest("status", status) or list(STATUSES)
        raise InvalidTag(unknown_value("status", status, closest))
    target = term.key
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT:
        raise InvalidTag(_("comment: at most {count} characters", count=MAX_COMMENT))
    with document_change(library, doc_id, actor, expected=expected, prefix=prefix) as edit:
        doc = edit.document
        catalog = library.catalog
        tags = catalog.tags(doc.id)
        current = status_of(tags)
        step = TRANSITIONS.get((current, target))
        if step is None:
            raise InvalidTransition(_refusal(doc.id, current, target))
        roles, doing = step
        actor.require(roles, doing)
        if target == REJECTED and comment is None:
            raise InvalidTransition(rejection_needs_comment(doc.id))
        kept = [t for t in tags if t.origin == "curator" and t.field != "status"]
        catalog.replace_tags(doc.id, ("curator",), [*kept, Tag("status", target, "curator")])
        audit.record(
            catalog, actor, f"status.{target}", "document", doc.id, document_id=doc.id,
            before={"status": current}, after={"status": target}, comment=comment,
        )
        edit.changed = True
    return show_status(library, doc.id, actor)


def rejection_needs_comment(doc_id: str) -> Message:
    return _("document {id}: a rejection needs a comment saying why (--comment)", id=doc_id)


def _refusal(doc_id: str, current: str, target: str) -> Message:
    if current == target:
        return _("document {id} is already {status}", id=doc_id, status=current)
    reachable = [to for (frm, to) in TRANSITIONS if frm == current]
    if target == VALIDATED and current != SUBMITTED:
        return _("document {id}: cannot go from {current} to {target}: from {current} it can "
                 "go to {allowed}; only submitted documents are validated", id=doc_id,
                 current=current, target=target, allowed=", ".join(reachable))
    return _("document {id}: cannot go from {current} to {target}: from {current} it can go "
             "to {allowed}", id=doc_id, current=current, target=target,
             allowed=", ".join(reachable))
