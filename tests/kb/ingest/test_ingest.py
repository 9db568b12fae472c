"""Incremental ingestion on a real library: added, unchanged, changed, moved, copied, gone."""

from __future__ import annotations

import os
from pathlib import Path

from kb.ingest import IngestOptions, ingest
from kb.library import Library
from tests.conftest import write

OPTIONS = IngestOptions(workers=1)

ETUDE = """# Étude de faisabilité d'un pôle ESS

Le pôle de l'économie sociale et solidaire du Pays de Rennes réunit cinquante structures.
La SCIC est envisagée comme statut juridique. Le CG 35 soutient la démarche.
"""

GUIDE = """Guide de procédures de l'observatoire

Le conseil scientifique valide les méthodologies des études et garantit la qualité des
informations publiées par l'observatoire régional de l'ESS en Bretagne.
"""


def ids(library: Library, query: str, **filters: tuple[str, ...]) -> set[str]:
    return {h.id for h in library.search(query, filters, size=100).hits}


def test_first_ingest_indexes_every_file(library: Library, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "etude.md", ETUDE)
    write(docs / "sub" / "guide.txt", GUIDE)
    report = ingest(library, [docs], OPTIONS)
    assert (report.added, report.failed) == (2, ())
    assert library.catalog.count("SELECT count(*) FROM documents") == 2
    assert library.index.doc_count() == 2
    hits = library.search("économie sociale").hits
    assert [h.title for h in hits] == ["Étude de faisabilité d'un pôle ESS"]
    assert hits[0].path == str(docs / "etude.md")


def test_unchanged_folder_is_not_re_extracted(library: Library, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "etude.md", ETUDE)
    ingest(library, [docs], OPTIONS)
    revision = library.catalog.documents()[0].revision
    again = ingest(library, [docs], OPTIONS)
    assert again.counts()["unchanged"] == 1
    assert (again.added, again.updated) == (0, 0)
    assert "extraction" not in again.timings  # nothing went to an extractor
    assert library.catalog.documents()[0].revision == revision


def test_changed_file_keeps_its_id_and_gets_new_text(library: Library, tmp_path: Path) -> None:
    path = write(tmp_path / "docs" / "etude.md", ETUDE)
    ingest(library, [tmp_path / "docs"], OPTIONS)
    (doc,) = library.catalog.documents()
    write(path, ETUDE + "\nLa recyclerie de Brest est citée en exemple.\n")
    report = ingest(library, [tmp_path / "docs"], OPTIONS)
    assert report.updated == 1 and report.added == 0
    assert ids(library, "recyclerie") == {doc.id}
    assert library.catalog.count("SELECT count(*) FROM documents") == 1


def test_moved_file_keeps_its_document(library: Library, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    old = write(docs / "etude.md", ETUDE)
    ingest(library, [docs], OPTIONS)
    (doc,) = library.catalog.documents()
    (docs / "archives").mkdir()
    os.rename(old, docs / "archives" / "etude-2008.md")
    report = ingest(library, [docs], OPTIONS)
    assert report.moved == 1 and report.added == 0 and report.missing == 0
    (after,) = library.catalog.documents()
    assert after.id == doc.id and after.state == "active"
    present = [p.given for p in library.catalog.paths_of(doc.id) if p.state == "present"]
    assert present == [str(docs / "archives" / "etude-2008.md")]
    assert ids(library, "SCIC") == {doc.id}


def test_same_content_twice_is_one_document_with_two_paths(
    library: Library, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    write(docs / "a" / "etude.md", ETUDE)
    write(docs / "b" / "copie.md", ETUDE)
    report = ingest(library, [docs], OPTIONS)
    assert report.failed == ()
    (doc,) = library.catalog.documents()
    assert len(library.catalog.paths_of(doc.id)) == 2
    assert library.index.doc_count() == 1


def test_gone_file_is_hidden_then_pruned(library: Library, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "etude.md", ETUDE)
    gone = write(docs / "guide.txt", GUIDE)
    ingest(library, [docs], OPTIONS)
    assert ids(library, "méthodologies")
    gone.unlink()
    report = ingest(library, [docs], OPTIONS)
    assert report.missing == 1
    assert ids(library, "méthodologies") == set()
    assert library.catalog.count("SELECT count(*) FROM documents WHERE state='missing'") == 1
    with library.write_lock():
        removed = library.prune()
    assert len(removed) == 1
    assert library.catalog.count("SELECT count(*) FROM documents") == 1


def test_failed_re_extraction_keeps_previous_version(library: Library, tmp_path: Path) -> None:
    path = write(tmp_path / "docs" / "etude.md", ETUDE)
    ingest(library, [tmp_path / "docs"], OPTIONS)
    path.write_bytes(b"")  # an empty file cannot be extracted
    report = ingest(library, [tmp_path / "docs"], OPTIONS)
    assert [p.path for p in report.failed] == [str(path)]
    assert "empty" in report.failed[0].reason
    assert ids(library, "SCIC")  # the previous version still answers
    path.write_text(ETUDE + "\nMutualité française.\n", encoding="utf-8")
    fixed = ingest(library, [tmp_path / "docs"], OPTIONS)
    assert fixed.updated == 1 and fixed.failed == ()
    assert library.catalog.failures() == []


def test_bad_file_does_not_stop_the_batch(library: Library, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "etude.md", ETUDE)
    (docs / "broken.pdf").write_bytes(os.urandom(4096))
    (docs / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))
    write(docs / "guide.txt", GUIDE)
    report = ingest(library, [docs], OPTIONS)
    assert report.added == 2
    failed = {Path(p.path).name: p.reason for p in report.failed}
    assert set(failed) == {"broken.pdf", "image.png"}
    assert "image/png" in failed["image.png"]


def test_index_is_rebuilt_from_the_catalog(library: Library, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "etude.md", ETUDE)
    ingest(library, [tmp_path / "docs"], OPTIONS)
    before = ids(library, "économie")
    with library.write_lock():
        assert library.reindex() == 1
    assert ids(library, "economie") == before


def test_vocabulary_synonyms_tag_documents_automatically(library: Library, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "etude.md", ETUDE)
    ingest(library, [tmp_path / "docs"], OPTIONS)
    (doc,) = library.catalog.documents()
    auto = {(t.field, t.value) for t in library.catalog.tags(doc.id) if t.origin == "auto"}
    assert ("family", "cooperatives") in auto  # "SCIC"
    assert ("territory", "ille-et-vilaine") in auto  # "CG 35"
    assert ids(library, "", territory=("bretagne",)) == {doc.id}  # includes sub-territories


def test_sidecar_wins_over_automatic_tags_and_is_reread(library: Library, tmp_path: Path) -> None:
    path = write(tmp_path / "docs" / "etude.md", ETUDE)
    sidecar = write(
        tmp_path / "docs" / "etude.md.meta.toml",
        'title = "Pôle ESS du Pays de Rennes"\nfamily = ["associations"]\nkind = "etude"\n',
    )
    report = ingest(library, [tmp_path / "docs"], OPTIONS)
    assert report.added == 1  # the sidecar is not a document
    (doc,) = library.catalog.documents()
    view = library.show(doc.id)
    assert view.effective["family"] == ("associations",)
    assert view.effective["title"] == ("Pôle ESS du Pays de Rennes",)
    sidecar.write_text('family = ["mutuelles"]\n', encoding="utf-8")
    os.utime(sidecar, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    again = ingest(library, [tmp_path / "docs"], OPTIONS)
    assert again.updated == 1
    assert library.show(doc.id).effective["family"] == ("mutuelles",)
    assert ids(library, "", family=("mutuelles",)) == {doc.id}
