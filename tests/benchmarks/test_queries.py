"""benchmarks.queries: the SQLite FTS5 baseline, and when a `bench --reuse` run may keep it."""

from __future__ import annotations

from benchmarks.queries import FtsSearcher, Query, build_fts, kept_fts
from kb.ingest import IngestOptions, ingest
from tests.conftest import write


def _ingested(library, tmp_path):
    docs = tmp_path / "docs"
    write(docs / "a.txt", "Le pôle ESS du pays de Morlaix accompagne les coopératives.\n")
    write(docs / "b.txt", "Guide de la gouvernance associative en Bretagne.\n")
    ingest(library, [docs], IngestOptions(workers=1))
    return docs


def test_the_baseline_finds_what_the_library_holds(library, tmp_path):
    _ingested(library, tmp_path)
    target = tmp_path / "fts5.sqlite"
    built = build_fts(library, target)
    assert built["documents"] == 2 and "reused" not in built
    searcher = FtsSearcher(target)
    try:
        assert searcher.search(Query("1 word", "coopératives")) == 1
    finally:
        searcher.close()


def test_kept_only_while_the_catalog_is_the_one_it_was_built_from(library, tmp_path):
    docs = _ingested(library, tmp_path)
    target = tmp_path / "fts5.sqlite"
    assert kept_fts(library, target) is None  # nothing built yet
    build_fts(library, target)
    kept = kept_fts(library, target)
    assert kept is not None and kept["reused"] and kept["documents"] == 2

    write(docs / "a.txt", "Le pôle ESS du pays de Morlaix accompagne les SCOP.\n")
    ingest(library, [docs], IngestOptions(workers=1))
    assert kept_fts(library, target) is None  # a document's text changed since

    target.write_bytes(b"not a database")
    assert kept_fts(library, target) is None
