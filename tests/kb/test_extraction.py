"""The extraction worker's job: text, analysis, and what the document says of itself."""

from __future__ import annotations

from pathlib import Path

from kb.autotag import automatic_tags
from kb.extraction import ExtractJob, catalogue, run_extraction, titled_mentions, use_vocabulary
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.titles import choose_title
from tests.conftest import write

NOTE = """# Diagnostic de l'économie sociale et solidaire à Saint-Malo

Ordre du jour : le diagnostic des structures de l'ESS du territoire.
Les associations et les coopératives de Saint-Malo ont répondu à l'enquête.
"""


def test_the_worker_catalogues_the_document_as_the_storing_process_would(
    library: Library, tmp_path: Path
) -> None:
    path = write(tmp_path / "note.md", NOTE)
    use_vocabulary(library.vocabulary)
    try:
        outcome = run_extraction(ExtractJob(str(path), "note.md", prepare=True))
    finally:
        use_vocabulary(None)  # type: ignore[arg-type]
    assert outcome.document is not None and outcome.mentions is not None
    found = outcome.catalogued
    assert found is not None
    title = choose_title(outcome.document, "note.md")
    assert found.title == title
    assert found.title.value == "Diagnostic de l'économie sociale et solidaire à Saint-Malo"
    direct = automatic_tags(library.vocabulary, title.value, outcome.document.sections,
                            outcome.document.media_type,
                            titled_mentions(library.vocabulary, title.value, outcome.mentions))
    assert found.tagging == direct
    assert ("territory", "saint-malo") in {(t.field, t.value) for t in found.tagging.tags}
    # Without a vocabulary (`kb extract`), the worker leaves it to the storing process.
    assert run_extraction(ExtractJob(str(path), "note.md", prepare=True)).catalogued is None
    assert catalogue(library.vocabulary, outcome.document, "note.md") == found


def test_a_sidecars_title_is_tagged_by_its_own_names(library: Library, tmp_path: Path) -> None:
    """The worker tagged the document under its own title; the sidecar's title replaces it,
    and the names of the sidecar's title count instead."""
    docs = tmp_path / "docs"
    write(docs / "note.md", "# Note de travail\n\nQuelques lignes sur le projet en cours, "
          "sans lieu ni structure nommés.\n")
    write(docs / "note.md.meta.toml", 'title = "Les coopératives de Brest"\n')
    report = ingest(library, [docs], IngestOptions(workers=1))
    assert report.added == 1
    (doc,) = library.catalog.documents()
    shown = library.show(doc.id)
    assert shown.effective["title"] == ("Les coopératives de Brest",)
    assert "brest" in shown.effective.get("territory", ())
