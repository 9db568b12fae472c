"""An ingest killed with SIGKILL at any moment leaves a library that opens, answers searches
and completes on the next run, without duplicates or lost documents."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb.ingest import IngestOptions, ingest
from kb.library import Library

WORDS = [
    "économie",
    "sociale",
    "solidaire",
    "coopérative",
    "mutuelle",
    "association",
    "territoire",
    "pôle",
]


def make_folder(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for i in range(count):
        body = " ".join(WORDS[(i + j) % len(WORDS)] for j in range(400))
        (folder / f"note-{i:04d}.txt").write_text(f"Note {i}\n\n{body} marqueur{i}\n", "utf-8")


def kb_ingest(library: Path, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kb",
            "--library",
            str(library),
            "ingest",
            "-q",
            "--workers",
            "2",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so the kill takes the workers too
    )


def progress(library: Path) -> tuple[int, int]:
    """(documents in the catalog, documents the index holds at their revision), as far as
    the ingest has committed them; (0, 0) before its catalog has its tables."""
    if not (library / "catalog.sqlite").exists():
        return 0, 0
    db = sqlite3.connect(f"file:{library / 'catalog.sqlite'}?mode=ro", uri=True, timeout=5)
    try:
        row = db.execute(
            "SELECT count(*), count(*) FILTER (WHERE indexed_revision = revision) FROM documents"
        ).fetchone()
    except sqlite3.OperationalError:  # created, its tables not yet
        return 0, 0
    finally:
        db.close()
    return int(row[0]), int(row[1])


def kill_when(process: subprocess.Popen[bytes], library: Path, stored: int, indexed: int) -> None:
    """SIGKILL the ingest (and its workers) once at least `stored` documents are in its
    catalog and `indexed` in its index. It must still be running then: killing an ingest
    that has finished would test nothing."""
    deadline = time.monotonic() + 300
    while True:
        done = progress(library)
        if done[0] >= stored and done[1] >= indexed:
            break
        assert process.poll() is None, f"the ingest ended at {done} (stored, indexed)"
        assert time.monotonic() < deadline, f"still at {done} (stored, indexed) after 300 s"
        time.sleep(0.01)
    assert process.poll() is None, "the ingest ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


# (documents stored in the catalog, documents indexed) when the ingest is killed: the first
# document stored, nothing indexed yet; after the first index commit (16 documents); after
# the third (16 + 32 + 64); most files stored with the index far behind (its next commit
# comes at 240). Each leaves at least 100 of the 400 documents to go.
MOMENTS = [(1, 0), (16, 16), (112, 112), (300, 112)]


@pytest.mark.slow
@pytest.mark.parametrize(("stored", "indexed"), MOMENTS)
def test_kill_9_mid_ingest_then_rerun(
    tmp_path: Path, vocabulary_path: Path, stored: int, indexed: int
) -> None:
    folder, library_dir = tmp_path / "docs", tmp_path / "library"
    count = 400
    make_folder(folder, count)
    process = kb_ingest(library_dir, folder)
    kill_when(process, library_dir, stored, indexed)

    # The half-done library opens and answers.
    if (library_dir / "catalog.sqlite").exists():
        with Library.open(library_dir, vocabulary_path) as library:
            library.search("économie")

    with Library.open(library_dir, vocabulary_path) as library:
        report = ingest(library, [folder], IngestOptions(workers=2))
        assert report.failed == ()
        catalog = library.catalog
        assert catalog.count("SELECT count(*) FROM documents") == count
        assert catalog.count("SELECT count(*) FROM paths") == count
        assert catalog.out_of_index() == []
        assert library.index.doc_count() == count
        assert library.search("marqueur17").total == 1
        assert library.search("économie").total == count
