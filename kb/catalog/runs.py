"""The storage of ingest runs (`runs`): when each started and ended, its roots and counts,
for `kb status` and the health check. A part of `Catalog` (a mixin over its connection)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from kb.catalog.values import now


class RunStore:
    """Mixed into `Catalog`, which provides the connection."""

    _db: sqlite3.Connection

    def start_run(self, roots: Sequence[str]) -> int:
        cursor = self._db.execute(
            "INSERT INTO runs (started_at, roots) VALUES (?, ?)", (now(), json.dumps(list(roots)))
        )
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        self._db.execute(
            "UPDATE runs SET finished_at = ?, counts = ? WHERE id = ?",
            (now(), json.dumps(counts), run_id),
        )

    def last_run(self) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT * FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return {
            "started_at": row["started_at"],
            "finished_at": row["finished_at"],
            "roots": json.loads(row["roots"]),
            "counts": json.loads(row["counts"] or "{}"),
        }
