"""The catalog's reports: the count of documents the index does not hold, read again only
once the catalog has changed (this connection's writes or another's commits)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kb.ingest import IngestOptions, ingest
from kb.library import Library
from tests.conftest import write


def test_the_out_of_index_count_is_read_again_only_after_a_change(
    library: Library, tmp_path: Path
) -> None:
    for n in range(3):
        write(tmp_path / "docs" / f"d{n}.txt", f"La coopérative numéro {n} de Brest.\n")
    ingest(library, [tmp_path / "docs"], IngestOptions(workers=1))
    catalog = library.catalog
    assert catalog.out_of_index_count() == 0
    counts: list[str] = []
    catalog.db.set_trace_callback(lambda sql: counts.append(sql) if "count(*)" in sql else None)
    assert catalog.out_of_index_count() == 0
    assert counts == []  # nothing changed: not counted again

    # Another connection's commit (another process's ingest, the server's follower).
    other = sqlite3.connect(library.root / "catalog.sqlite")
    with other:
        other.execute("UPDATE documents SET indexed_revision = NULL WHERE rowid = 1")
    other.close()
    assert catalog.out_of_index_count() == 1 and len(counts) == 1

    # This connection's own write.
    with catalog.db:
        catalog.db.execute("UPDATE documents SET indexed_revision = NULL")
    assert catalog.out_of_index_count() == 3 and len(counts) == 2
    assert catalog.out_of_index_count() == 3 and len(counts) == 2
