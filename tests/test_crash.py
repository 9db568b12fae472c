"""An ingest killed with SIGKILL at any moment leaves a library that opens, answers searches
and completes on the next run, without duplicates or lost documents."""

from __future__ import annotations

import os
import signal
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


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.8, 1.6, 2.4, 3.2])
def test_kill_9_mid_ingest_then_rerun(tmp_path: Path, vocabulary_path: Path, delay: float) -> None:
    folder, library_dir = tmp_path / "docs", tmp_path / "library"
    count = 400
    make_folder(folder, count)
    process = kb_ingest(library_dir, folder)
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

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
