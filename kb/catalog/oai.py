"""The storage of the OAI-PMH repository's records (`oai_records`): the only module that
writes SQL for that table. `kb.oai.records` decides which documents are exposed and in
which sets; here a record is a row whose `sets` is a JSON array.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb.catalog import Catalog


def known(catalog: Catalog) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """Document id -> (deleted_at, sets) of every record."""
    return {
        r["document_id"]: (r["deleted_at"], tuple(json.loads(r["sets"])))
        for r in catalog.db.execute("SELECT document_id, deleted_at, sets FROM oai_records")
    }


def expose(catalog: Catalog, records: Iterable[tuple[str, str, tuple[str, ...]]]) -> None:
    """(document id, at, sets): each a live record exposed since `at` in those sets."""
    catalog.db.executemany(
        "INSERT INTO oai_records (document_id, exposed_at, deleted_at, sets)"
        " VALUES (?, ?, NULL, ?) ON CONFLICT(document_id) DO UPDATE SET"
        " exposed_at = excluded.exposed_at, deleted_at = NULL, sets = excluded.sets",
        [(doc_id, at, json.dumps(list(sets))) for doc_id, at, sets in records],
    )


def withdraw(catalog: Catalog, records: Iterable[tuple[str, str]]) -> None:
    """(at, document id): each a deleted record since `at`."""
    catalog.db.executemany(
        "UPDATE oai_records SET deleted_at = ? WHERE document_id = ?", list(records)
    )


def every(catalog: Catalog
          ) -> list[tuple[str, str, str | None, tuple[str, ...], str | None]]:
    """(document id, exposed_at, deleted_at, sets, the document's updated_at or None once
    it is pruned) of every record, live and deleted."""
    rows = catalog.db.execute(
        "SELECT o.document_id, o.exposed_at, o.deleted_at, o.sets, d.updated_at"
        " FROM oai_records o LEFT JOIN documents d ON d.id = o.document_id"
    )
    return [(r["document_id"], r["exposed_at"], r["deleted_at"], tuple(json.loads(r["sets"])),
             r["updated_at"]) for r in rows]
