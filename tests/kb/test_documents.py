"""Reading documents for the edges (`kb.documents`): the file a document is served from, as
the API, its page and `kb show` decide it. Real files, a real catalog and index under
tmp_path."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.documents import DocumentRow, current_file
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from tests.conftest import write

TEXT = "Étude de faisabilité d'un pôle ESS pour le Pays de Rennes, en cinq missions.\n"


@pytest.fixture
def copies(tmp_path: Path) -> Iterator[tuple[Library, DocumentRow, Path, Path]]:
    """One document found at two paths (the same content twice)."""
    first = write(tmp_path / "depot" / "a" / "etude.txt", TEXT)
    second = write(tmp_path / "depot" / "b" / "etude-copie.txt", TEXT)
    with Library.open(tmp_path / "library", DEFAULT_VOCABULARY) as library:
        ingest(library, [tmp_path / "depot"], IngestOptions(workers=1))
        (doc,) = [library.resolve_id(d.id) for d in library.search("").hits]
        assert {Path(p.path) for p in library.documents.present_files(doc.id)} == {first, second}
        yield library, doc, first, second


def served(library: Library, doc: DocumentRow) -> Path | None:
    found = library.documents.current_file(doc)
    return None if found is None else found.path


def test_the_current_file_is_one_that_holds_the_ingested_content(
    copies: tuple[Library, DocumentRow, Path, Path],
) -> None:
    library, doc, first, second = copies
    listed = [Path(p.path) for p in library.documents.present_files(doc.id)]
    assert served(library, doc) == listed[0]
    # Touched (a new mtime, the same bytes): still the ingested content, by its hash.
    os.utime(listed[0], ns=(1, 1))
    assert served(library, doc) == listed[0]
    # Changed in place at the same size: the other copy is served instead.
    listed[0].write_text(TEXT.replace("cinq", "sept"), encoding="utf-8")
    assert served(library, doc) == listed[1]
    found = current_file(doc, library.show(doc.id).paths)
    assert found is not None and found.path == listed[1]
    assert found.stat.st_size == doc.size
    listed[1].unlink()
    assert served(library, doc) is None


def test_kb_show_names_the_current_file(
    copies: tuple[Library, DocumentRow, Path, Path],
) -> None:
    library, doc, first, second = copies

    def show(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--library", str(library.root), "show", doc.id,
                                          *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    listed = [Path(p.path) for p in library.documents.present_files(doc.id)]
    assert json.loads(show("--json"))["current_file"] == str(listed[0])
    text = show()
    assert text.count(", current)") == 1 and f"{listed[0]}  (present, current)" in text
    listed[0].write_text(TEXT.replace("cinq", "sept"), encoding="utf-8")
    assert json.loads(show("--json"))["current_file"] == str(listed[1])
    shutil.rmtree(first.parent.parent)
    assert json.loads(show("--json"))["current_file"] is None
    assert "none holds the ingested content any more" in show()
