"""The sample library's sources (corpus/texts/) are data the generator reads, not documents."""

from __future__ import annotations

import sys
from pathlib import Path

from kb.scan import scan
from kb.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus"
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))

import make_corpus  # noqa: E402  (a script, not a package)


def test_every_source_has_its_generated_document() -> None:
    docs = make_corpus.load_docs()
    assert len(docs) == 19
    for doc in docs:
        assert (CORPUS / doc.name).is_file(), doc.name
        assert doc.text.startswith("\n#") and doc.title and doc.tags
    assert make_corpus.check_all(docs).errors == []


def test_the_sources_are_not_documents_of_the_library() -> None:
    found = scan([CORPUS])
    listed = [c.given for c in found.candidates] + [s.given for s in found.skipped]
    assert listed and not any("/texts/" in given for given in listed)
    assert len(found.candidates) == len(make_corpus.load_docs()) + 1  # and the real one


def test_a_source_without_properties_is_refused(tmp_path: Path) -> None:
    (tmp_path / "note.md.md").write_text("# Note\n\nsans propriétés\n", encoding="utf-8")
    try:
        make_corpus.load_docs(tmp_path)
    except SystemExit as exc:
        assert "note.md.md" in str(exc) and "+++" in str(exc)
    else:
        raise AssertionError("a source without properties was read")
