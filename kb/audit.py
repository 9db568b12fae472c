"""The audit trail: one entry per change, written in the change's own transaction.

An entry says who (token name or local user, role, command line or API), when, what
(an action such as "tag.set" on a target such as a document or a collection) and the
values before and after. Because it is written inside the same catalog transaction as the
change, a change without its entry cannot exist, and neither can an entry without its
change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from indexer.messages import _
from kb.actors import Actor
from kb.catalog import Catalog, now
from kb.catalog import audit as trail
from kb.errors import KbError

MAX_LIMIT = 1000


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str  # ISO 8601, UTC
    actor: str
    role: str | None
    via: str  # cli or api
    action: str  # e.g. tag.set, status.validated, collection.create
    target: str  # document, collection, submission, vocabulary, library
    target_id: str | None
    document_id: str | None  # the document concerned, if any (also for collection entries)
    before: Any
    after: Any
    comment: str | None


def record(
    catalog: Catalog,
    actor: Actor,
    action: str,
    target: str,
    target_id: str | None,
    *,
    document_id: str | None = None,
    before: Any = None,
    after: Any = None,
    comment: str | None = None,
) -> None:
    """Write one entry. Call it inside the transaction that makes the change."""
    trail.insert(catalog, (now(), actor.name, actor.role, actor.via, action, target, target_id,
                           document_id, _dump(before), _dump(after), comment))


def entries(
    catalog: Catalog,
    *,
    document: str | None = None,
    collection: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEntry]:
    """Entries matching every given filter, newest first.

    `document`: entries about that document (its tags, status, collection entries, its
    submission); `action` matches a whole action ("tag.set") or a family ("tag").
    KbError for a limit outside 1..MAX_LIMIT or a negative offset.
    """
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise KbError(_("limit must be 1 to {max_limit} and offset 0 or more", max_limit=MAX_LIMIT))
    rows = trail.select(catalog, document=document, collection=collection, actor=actor,
                        action=action, limit=limit, offset=offset)
    return [_entry(r) for r in rows]


def count(
    catalog: Catalog,
    *,
    document: str | None = None,
    collection: str | None = None,
    actor: str | None = None,
    action: str | None = None,
) -> int:
    """How many entries `entries` would give with these filters and no limit."""
    return trail.count(catalog, document=document, collection=collection, actor=actor,
                       action=action)


def knows_document(catalog: Catalog, doc_id: str) -> bool:
    """Whether any entry is about this document id (a pruned document keeps its history)."""
    return trail.knows_document(catalog, doc_id)


def collection_history(catalog: Catalog, collection_id: str) -> list[tuple[str, str | None,
                                                                              Any, Any, str]]:
    """(action, document id, before, after, at) of each change to a collection, oldest
    first."""
    return [(r["action"], r["document_id"], _load(r["before"]), _load(r["after"]), r["at"])
            for r in trail.collection_history(catalog, collection_id)]


def count_tag_decisions(catalog: Catalog) -> int:
    """Curators' tag decisions: corrections and suggestions accepted or dismissed (what
    `kb.learning` learns from); re-tagging is not one."""
    return trail.count_tag_decisions(catalog)


class AuditTrail:
    """One library's audit trail, read (`Library.audit`); entries are written by the
    changes themselves (`record`)."""

    def __init__(self, catalog: Catalog):
        self._catalog = catalog

    def entries(self, *, document: str | None = None, collection: str | None = None,
                actor: str | None = None, action: str | None = None, limit: int = 100,
                offset: int = 0) -> list[AuditEntry]:
        """Newest first, matching every given filter (`entries`)."""
        return entries(self._catalog, document=document, collection=collection, actor=actor,
                       action=action, limit=limit, offset=offset)

    def count(self, *, document: str | None = None, collection: str | None = None,
              actor: str | None = None, action: str | None = None) -> int:
        """How many entries these filters match, with no limit."""
        return count(self._catalog, document=document, collection=collection, actor=actor,
                     action=action)

    def knows_document(self, doc_id: str) -> bool:
        """Whether any entry is about this document id (a pruned one keeps its history)."""
        return knows_document(self._catalog, doc_id)


def _entry(row: Mapping[str, Any]) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        at=row["at"],
        actor=row["actor"],
        role=row["role"],
        via=row["via"],
        action=row["action"],
        target=row["target"],
        target_id=row["target_id"],
        document_id=row["document_id"],
        before=_load(row["before"]),
        after=_load(row["after"]),
        comment=row["comment"],
    )


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)

