"""The storage of submissions (`submissions`): the only module that writes SQL for that
table. `kb.curation.submissions` says who may submit and read what; here a submission is a
row whose `metadata` is JSON text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb.catalog import Catalog

# A submission's columns, in the order `insert` takes them.
COLUMNS = ("submitter", "file_name", "stored", "content_hash", "size", "media_type",
           "document_id", "state", "error", "metadata", "submitted_at", "duplicate_of")


def insert(catalog: Catalog, values: tuple[object, ...]) -> int:
    """Write one submission (the values of COLUMNS); returns its id."""
    cursor = catalog.db.execute(
        f"INSERT INTO submissions ({', '.join(COLUMNS)})"
        f" VALUES ({', '.join('?' * len(COLUMNS))})",
        values,
    )
    return int(cursor.lastrowid or 0)


def newest_first(catalog: Catalog, submitter: str | None = None) -> list[dict[str, Any]]:
    """Every submission (or those of `submitter`), newest first."""
    if submitter is None:
        rows = catalog.db.execute("SELECT * FROM submissions ORDER BY id DESC")
    else:
        rows = catalog.db.execute(
            "SELECT * FROM submissions WHERE submitter = ? ORDER BY id DESC", (submitter,)
        )
    return [dict(r) for r in rows]


def by_id(catalog: Catalog, submission_id: int) -> dict[str, Any] | None:
    row = catalog.db.execute(
        "SELECT * FROM submissions WHERE id = ?", (submission_id,)
    ).fetchone()
    return None if row is None else dict(row)
