"""Recovery always makes progress: an ingest killed again and again, each time soon after
it starts, leaves more documents indexed than the run before, and a last run completes.

The moments of the kills come from what the ingest has done (the catalog's counts), not
from the clock: the first run is killed once the catalog holds documents that the index
lacks; each restarted run is killed as soon as it has indexed anything. An ingest that
committed the index only at the end of its catch-up or of its run would finish (or never
be seen to progress) before that.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.index import FullTextIndex
from kb.index_feed import batch_sizes
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from tests.e2e.test_crash import make_folder

COUNT = 2500
BACKLOG = 400  # documents in the catalog that the index lacks after the first kill


def start(library: Path, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kb", "--library", str(library), "--vocabulary",
         str(DEFAULT_VOCABULARY), "ingest", "-q", "--workers", "2", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def counts(library: Path) -> tuple[int, int]:
    """(documents in the catalog, documents the catalog knows to be indexed)."""
    if not (library / "catalog.sqlite").exists():
        return 0, 0
    db = sqlite3.connect(f"file:{library / 'catalog.sqlite'}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute(
            "SELECT count(*), count(indexed_revision) FROM documents"
        ).fetchone()  # type: ignore[no-any-return]
    except sqlite3.OperationalError:  # tables not created yet
        return 0, 0
    finally:
        db.close()


def kill_when(  # type: ignore[no-untyped-def]
    process: subprocess.Popen[bytes], library: Path, ready, what: str
) -> tuple[int, int]:
    deadline = time.monotonic() + 120
    try:
        while True:
            found = counts(library)
            if ready(found):
                return found
            assert process.poll() is None, f"the ingest ended before {what}: {found}"
            assert time.monotonic() < deadline, f"no {what} in 120 s: {found}"
            time.sleep(0.02)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_batch_sizes_grow_to_the_batch() -> None:
    sizes = batch_sizes(1000)
    assert [next(sizes) for _ in range(9)] == [16, 32, 64, 128, 256, 512, 1000, 1000, 1000]
    assert next(batch_sizes(5)) == 5


@pytest.mark.slow
def test_each_killed_restart_leaves_more_indexed(tmp_path: Path) -> None:
    folder, library = tmp_path / "docs", tmp_path / "library"
    make_folder(folder, COUNT)
    # First run: killed while the catalog is ahead of the index by a backlog of documents.
    kill_when(start(library, folder), library,
              lambda c: c[0] - c[1] >= BACKLOG, "a backlog")
    indexed = [counts(library)[1]]
    assert counts(library)[0] - indexed[0] >= BACKLOG
    for _ in range(5):
        kill_when(start(library, folder), library, lambda c: c[1] > indexed[-1],
                  "any progress")
        indexed.append(counts(library)[1])
        # What the catalog says is indexed is in the index.
        index = FullTextIndex.open(library / "index")
        try:
            assert index.doc_count() >= indexed[-1]
        finally:
            index.close()
    assert indexed == sorted(set(indexed)), indexed  # strictly more each time
    # The backlog is caught up in growing batches, not in one commit at its end.
    assert indexed[1] - indexed[0] < BACKLOG // 2, indexed
    with Library.open(library, DEFAULT_VOCABULARY) as lib:
        report = ingest(lib, [folder], IngestOptions(workers=2))
        assert report.failed == ()
        assert lib.catalog.out_of_index() == []
        assert lib.index.doc_count() == COUNT
        assert lib.search("marqueur1234").total == 1
