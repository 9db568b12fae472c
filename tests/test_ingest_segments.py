"""An ingest's last commit merges the index's segments only when the run was small: a
large run leaves them to `kb optimize` (the merge was a third of a 10,000-document
cold ingest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from tests.conftest import write

TOWNS = ("Rennes", "Brest", "Vannes", "Lorient", "Quimper", "Morlaix", "Dinan", "Redon",
         "Fougères", "Vitré", "Lannion", "Pontivy")  # fmt: skip


def note(folder: Path, n: int) -> None:
    write(folder / f"note-{n}.txt", f"Compte rendu {n} de la coopérative de {TOWNS[n]}.\n")


def test_a_large_run_leaves_its_segments_a_small_one_merges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A commit every 2 documents. Whoosh's merge policy (MERGE_SMALL) merges from five
    # segments on, when the smallest are small enough: six of 2 documents are.
    monkeypatch.setattr("kb.ingest.INDEX_BATCH", 2)
    folder = tmp_path / "docs"
    for n in range(11):
        note(folder, n)
    with Library.open(tmp_path / "library", DEFAULT_VOCABULARY) as library:
        assert ingest(library, [folder], IngestOptions(workers=1)).added == 11
        large = library.index.segments()
        assert [docs for docs, _ in large] == [2, 2, 2, 2, 2, 1]  # as committed, not merged
        note(folder, 11)
        assert ingest(library, [folder], IngestOptions(workers=1)).added == 1
        small = library.index.segments()
        assert len(small) < len(large) and sum(d for d, _ in small) == 12  # merged
        assert library.search("coopérative", size=20).total == 12
