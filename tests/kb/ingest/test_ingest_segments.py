"""An ingest's many commits leave few segments: a commit waits for the merges it started
once the index has MERGE_AT_SEGMENTS segments (the engine merges in its writer's threads,
which end with each short-lived writer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.writing import MERGE_AT_SEGMENTS
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from tests.conftest import write

pytestmark = pytest.mark.slow  # hundreds of commits

TOWNS = ("Rennes", "Brest", "Vannes", "Lorient", "Quimper", "Morlaix", "Dinan", "Redon",
         "Fougères", "Vitré", "Lannion", "Pontivy")  # fmt: skip


def note(folder: Path, n: int) -> None:
    write(folder / f"note-{n}.txt", f"Compte rendu {n} de la coopérative de {TOWNS[n]}.\n")


def test_many_small_commits_leave_few_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kb.ingest.INDEX_BATCH", 2)
    monkeypatch.setattr("indexer.writing.FIRST_BATCH", 2)
    folder = tmp_path / "docs"
    for n in range(len(TOWNS)):
        note(folder, n)
    with Library.open(tmp_path / "library", DEFAULT_VOCABULARY) as library:
        assert ingest(library, [folder], IngestOptions(workers=1)).added == len(TOWNS)
        segments = library.index.segments()
        assert len(segments) < MERGE_AT_SEGMENTS  # six commits, yet merged as they came
        assert sum(d for d, _ in segments) == len(TOWNS)
        assert library.search("coopérative", size=20).total == len(TOWNS)
        for n in range(len(TOWNS)):  # rewrite each note: one commit each, deletions
            write(folder / f"note-{n}.txt", f"Relevé {n} de la mutuelle de {TOWNS[n]}.\n")
            ingest(library, [folder], IngestOptions(workers=1))
        assert len(library.index.segments()) <= MERGE_AT_SEGMENTS
        assert library.search("mutuelle", size=20).total == len(TOWNS)
        assert library.search("coopérative", size=20).total == 0
