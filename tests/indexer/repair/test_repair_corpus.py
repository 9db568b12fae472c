"""The sample library is clean: repair leaves every document's words as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract.registry import default_registry
from indexer.repair import repair_document

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
DOCUMENTS = sorted(
    path
    for path in CORPUS.glob("*")
    if path.suffix in {".pdf", ".docx", ".odt", ".html", ".txt", ".md"} and path.name != "README.md"
)


def test_the_sample_library_is_there() -> None:
    assert len(DOCUMENTS) >= 20


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_clean_documents_keep_their_text(path: Path) -> None:
    raw = default_registry().extract(path)
    result = repair_document(raw)
    assert set(result.changes) <= {"whitespace"}
    assert result.document.text.split() == raw.text.split()
