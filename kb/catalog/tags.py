"""The storage of a document's tags, the evidence of its automatic tags and the tags
suggested to curators (`tags`, `tag_evidence`, `tag_suggestions`). A part of `Catalog` (a
mixin over its connection)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from kb.catalog.values import now
from kb.tags import Tag, TagEvidence


class TagStore:
    """Mixed into `Catalog`, which provides the connection and the transactions."""

    _db: sqlite3.Connection

    def tags(self, doc_id: str) -> list[Tag]:
        rows = self._db.execute(
            "SELECT field, value, origin FROM tags WHERE document_id = ? ORDER BY position",
            (doc_id,),
        )
        return [Tag(r["field"], r["value"], r["origin"]) for r in rows]

    def replace_tags(self, doc_id: str, origins: Sequence[str], tags: Iterable[Tag]) -> None:
        """Replace every tag of the given origins (curators' tags are never in `origins`)."""
        marks = ",".join("?" * len(origins))
        self._db.execute(
            f"DELETE FROM tags WHERE document_id = ? AND origin IN ({marks})", (doc_id, *origins)
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO tags (document_id, field, value, origin, position)"
            " VALUES (?, ?, ?, ?, ?)",
            [(doc_id, t.field, t.value, t.origin, i) for i, t in enumerate(tags)],
        )

    def evidence(self, doc_id: str) -> list[TagEvidence]:
        """The evidence of the document's automatic tags, in the order they were set."""
        rows = self._db.execute(
            "SELECT field, value, reason, mentions, words, pages FROM tag_evidence"
            " WHERE document_id = ? ORDER BY rowid",
            (doc_id,),
        )
        return [evidence_from_row(r) for r in rows]

    def replace_evidence(self, doc_id: str, evidence: Iterable[TagEvidence]) -> None:
        """Replace the evidence of the document's automatic tags (with those tags)."""
        self._db.execute("DELETE FROM tag_evidence WHERE document_id = ?", (doc_id,))
        self._db.executemany(
            "INSERT OR REPLACE INTO tag_evidence"
            " (document_id, field, value, reason, mentions, words, pages)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [evidence_row(doc_id, e) for e in evidence],
        )

    # --- suggestions ----------------------------------------------------------------

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
            (now(), doc_id, field, value),
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
