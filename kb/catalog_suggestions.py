"""Catalog storage of suggested tags (`kb.suggestions`). A part of `Catalog` (a mixin over
its connection), kept apart for size."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime

from kb.tags import TagEvidence


class CatalogSuggestions:
    """Mixed into `Catalog`, which provides the connection and the transactions."""

    _db: sqlite3.Connection

    def suggestions(self, doc_id: str, state: str = "open") -> list[TagEvidence]:
        """The document's suggestions in `state` ("open" or "dismissed"), as offered."""
        rows = self._db.execute(
            "SELECT field, value, reason, mentions, words, pages FROM tag_suggestions"
            " WHERE document_id = ? AND state = ? ORDER BY rowid",
            (doc_id, state),
        )
        return [evidence_from_row(r) for r in rows]

    def open_suggestions(self, limit: int) -> list[tuple[str, TagEvidence]]:
        """(document id, suggestion) of every open suggestion, newest documents first."""
        rows = self._db.execute(
            "SELECT s.document_id, s.field, s.value, s.reason, s.mentions, s.words, s.pages"
            " FROM tag_suggestions s JOIN documents d ON d.id = s.document_id"
            " WHERE s.state = 'open' AND d.state = 'active'"
            " ORDER BY d.updated_at DESC, s.document_id, s.rowid LIMIT ?",
            (limit,),
        )
        return [(r["document_id"], evidence_from_row(r)) for r in rows]

    def replace_suggestions(self, doc_id: str, offered: Iterable[TagEvidence]) -> None:
        """Make `offered` the document's open suggestions; a dismissed one is not offered
        again (in the caller's transaction)."""
        self._db.execute(
            "DELETE FROM tag_suggestions WHERE document_id = ? AND state = 'open'", (doc_id,)
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO tag_suggestions"
            " (document_id, field, value, reason, mentions, words, pages)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [evidence_row(doc_id, e) for e in offered],
        )

    def count_tag_decisions(self) -> int:
        """Curators' tag decisions in the audit trail: corrections and suggestions accepted
        or dismissed (what `kb.learning` learns from); re-tagging is not one."""
        row = self._db.execute(
            "SELECT count(*) AS n FROM audit WHERE action LIKE 'tag.%' AND action != 'tag.retag'"
        ).fetchone()
        return int(row["n"])

    def decide_suggestion(self, doc_id: str, field: str, value: str, accepted: bool) -> None:
        """An accepted suggestion goes (it is a curator's tag now); a dismissed one stays,
        marked, so that it is never offered again."""
        if accepted:
            self._db.execute(
                "DELETE FROM tag_suggestions WHERE document_id = ? AND field = ? AND value = ?",
                (doc_id, field, value),
            )
            return
        self._db.execute(
            "UPDATE tag_suggestions SET state = 'dismissed', decided_at = ?"
            " WHERE document_id = ? AND field = ? AND value = ?",
            (datetime.now(UTC).isoformat(timespec="seconds"), doc_id, field, value),
        )


def evidence_row(doc_id: str, e: TagEvidence) -> tuple[object, ...]:
    """The values of a tag_evidence or tag_suggestions row (document_id, field, value,
    reason, mentions, words, pages)."""
    words = json.dumps(list(e.words), ensure_ascii=False)
    return (doc_id, e.field, e.value, e.reason, e.mentions, words, json.dumps(list(e.pages)))


def evidence_from_row(row: sqlite3.Row) -> TagEvidence:
    """A TagEvidence from a row of tag_evidence or tag_suggestions."""
    words, pages = tuple(json.loads(row["words"])), tuple(json.loads(row["pages"]))
    return TagEvidence(row["field"], row["value"], row["reason"], row["mentions"], words, pages)
