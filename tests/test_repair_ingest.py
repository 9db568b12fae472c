"""Repair through the whole pipeline: damaged files are found by their accented words, the
extraction report counts the repairs, and --no-repair indexes the raw text."""

from __future__ import annotations

import shutil
from pathlib import Path

from kb.ingest import IngestOptions, ingest
from kb.library import Library

DAMAGED = Path(__file__).parent / "fixtures" / "repair" / "damaged"


def test_damaged_documents_are_found_by_their_accented_words(
    library: Library, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(DAMAGED / "compte_rendu_copil.standard_encoding.txt", docs / "copil.txt")
    raw = (docs / "copil.txt").read_text(encoding="utf-8")
    assert "Ø" in raw  # the fixture is damaged: "rØunion", "prØparØe"...
    report = ingest(library, [docs], IngestOptions(workers=1))
    assert report.failed == ()
    (doc,) = library.catalog.documents()
    assert doc.report["repairs"]["standard_encoding"] > 0
    text = "\n".join(s.text for s in library.catalog.sections(doc.id))
    assert "Ø" not in text
    assert library.search("réunion").total == 1
    assert library.search("reunion").total == 1


def test_no_repair_indexes_the_raw_text(library: Library, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(DAMAGED / "compte_rendu_copil.standard_encoding.txt", docs / "copil.txt")
    ingest(library, [docs], IngestOptions(workers=1, repair=False))
    (doc,) = library.catalog.documents()
    assert doc.report["repairs"] == {}
    assert "Ø" in "\n".join(s.text for s in library.catalog.sections(doc.id))
