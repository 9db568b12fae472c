"""Ingest is a pipeline: one more file crosses each step's module once, in order.

Counted on real runs: the calls from one module of ingest to another (`sys.setprofile`,
in the ingesting process) while 3 new files are ingested, minus those of a run of 2; the
run's own calls (start, last commit, summary) cancel out and what is left is one file's
path. Calls inside a step (the store's modules, the index feed) and into the values every
step shares (`facts`, `report`) are not crossings.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, PROJECT_ROOT
from tests.conftest import write

# Two real ingests with their worker pools.
pytestmark = pytest.mark.slow

STEPS = {
    "kb/ingest/__init__.py": "ingest",
    "kb/ingest/scan.py": "scan", "kb/scan.py": "scan",
    "kb/ingest/plan.py": "plan",
    "kb/ingest/extract.py": "extract", "kb/workers.py": "extract", "kb/extraction.py": "extract",
    "kb/ingest/store.py": "store", "kb/ingest/store_known.py": "store",
    "kb/ingest/store_new.py": "store", "kb/failures.py": "store",
    "kb/ingest/index.py": "index", "kb/index_feed.py": "index", "kb/sync.py": "index",
    "kb/reindex.py": "index", "indexer/writing.py": "index",
}  # fmt: skip


def step_of(filename: str) -> str | None:
    try:
        return STEPS.get(Path(filename).resolve().relative_to(PROJECT_ROOT).as_posix())
    except ValueError:
        return None


def crossings(tmp: Path, files: int) -> Counter[tuple[str, str]]:
    """(from step, to step) of every call from one step's module into another's."""
    for i in range(files):
        write(tmp / "docs" / f"etude{i}.txt", f"Étude {i} d'un pôle ESS en Bretagne.\n" * 20)
    found: Counter[tuple[str, str]] = Counter()

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event != "call" or frame.f_back is None:
            return
        callee, caller = step_of(frame.f_code.co_filename), step_of(frame.f_back.f_code.co_filename)
        if callee and caller and callee != caller:
            found[(caller, callee)] += 1

    library = Library.open(tmp / "library", DEFAULT_VOCABULARY)
    try:
        sys.setprofile(profile)
        try:
            report = ingest(library, [tmp / "docs"], IngestOptions(workers=1))
        finally:
            sys.setprofile(None)
    finally:
        library.close()
    assert report.added == files, report
    return found


def test_one_file_crosses_each_step_once(tmp_path: Path) -> None:
    two = crossings(tmp_path / "two", 2)
    three = crossings(tmp_path / "three", 3)
    one_file = three - two
    # The plan pulls each file from the scan (a generator); the run hands what the plan
    # decided to the workers, what they extracted to the store, what it stored to the index.
    assert dict(one_file) == {
        ("plan", "scan"): 1,
        ("ingest", "plan"): 1,
        ("ingest", "extract"): 1,
        ("ingest", "store"): 1,
        ("ingest", "index"): 1,
    }
