"""The storage of the audit trail (`audit`): the only module that writes SQL for it.

`kb.audit` says what an entry is and when one is written; here an entry is a row whose
`before` and `after` are JSON text (or NULL).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kb.catalog.values import escape_like

if TYPE_CHECKING:
    from kb.catalog import Catalog

# An entry's columns, in the order `insert` takes them.
COLUMNS = ("at", "actor", "role", "via", "action", "target", "target_id", "document_id",
           "before", "after", "comment")


def insert(catalog: Catalog, values: tuple[object, ...]) -> None:
    """Write one entry (the values of COLUMNS), in the caller's transaction."""
    catalog.db.execute(
        f"INSERT INTO audit ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        values,
    )


def select(catalog: Catalog, *, document: str | None, collection: str | None,
           actor: str | None, action: str | None, limit: int, offset: int
           ) -> list[dict[str, Any]]:
    """Entries matching every given filter, newest first (see `kb.audit.entries`)."""
    where, params = _where(document, collection, actor, action)
    sql = "SELECT * FROM audit" + where + " ORDER BY id DESC LIMIT ? OFFSET ?"
    return [dict(r) for r in catalog.db.execute(sql, (*params, limit, offset)).fetchall()]


def count(catalog: Catalog, *, document: str | None, collection: str | None,
          actor: str | None, action: str | None) -> int:
    where, params = _where(document, collection, actor, action)
    return int(catalog.db.execute("SELECT count(*) FROM audit" + where, params).fetchone()[0])


def knows_document(catalog: Catalog, doc_id: str) -> bool:
    """Whether the trail names this document (a pruned one keeps its history)."""
    row = catalog.db.execute(
        "SELECT count(*) FROM audit WHERE document_id = ? OR (target = 'document'"
        " AND target_id = ?)", (doc_id, doc_id)).fetchone()
    return bool(row[0])


def collection_history(catalog: Catalog, collection_id: str) -> list[dict[str, Any]]:
    """(action, document_id, before, after, at) of each change to a collection, oldest
    first; `before` and `after` as stored (JSON text or None)."""
    return [dict(r) for r in catalog.db.execute(
        "SELECT action, document_id, before, after, at FROM audit WHERE target = 'collection'"
        " AND target_id = ? ORDER BY id", (collection_id,)
    )]


def count_tag_decisions(catalog: Catalog) -> int:
    """Curators' tag decisions: corrections and suggestions accepted or dismissed (what
    `kb.learning` learns from); re-tagging is not one."""
    row = catalog.db.execute(
        "SELECT count(*) AS n FROM audit WHERE action LIKE 'tag.%' AND action != 'tag.retag'"
    ).fetchone()
    return int(row["n"])


def _where(document: str | None, collection: str | None, actor: str | None,
           action: str | None) -> tuple[str, list[object]]:
    where: list[str] = []
    params: list[object] = []
    if document is not None:
        where.append("document_id = ?")
        params.append(document)
    if collection is not None:
        where.append("target = 'collection' AND target_id = ?")
        params.append(collection)
    if actor is not None:
        where.append("actor = ?")
        params.append(actor)
    if action is not None:
        where.append("(action = ? OR action LIKE ? ESCAPE '\\')")
        params.extend([action, escape_like(action) + ".%"])
    return (" WHERE " + " AND ".join(where) if where else ""), params

