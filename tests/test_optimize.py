"""`kb optimize`: the index merged into one segment while a searcher keeps answering."""

from __future__ import annotations

import random
import threading
from pathlib import Path

from click.testing import CliRunner

from indexer.index import FullTextIndex, SearchRequest
from indexer.writing import optimize
from kb.cli import cli
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from tests.conftest import write
from tests.test_ranking import _document

QUERIES = ("économie", "comité pilotage", '"économie sociale et solidaire"', "zygomatique",
           "coopérative -mutuelle", "bretagne")  # fmt: skip


def _segmented(directory: Path, commits: int = 5, deletions: bool = False) -> FullTextIndex:
    """An index of `commits` segments of 30 documents (commits that do not merge)."""
    rng = random.Random(7)
    ix = FullTextIndex.create(directory)
    for c in range(commits):
        with ix.writer(merge=False) as writer:
            for n in range(c * 30, (c + 1) * 30):
                writer.upsert(_document(n, rng))
    if deletions:
        with ix.writer(merge=False) as writer:
            for n in range(0, commits * 30, 9):
                writer.delete(f"d{n:03d}")
    return ix


def _answers(ix: FullTextIndex) -> list[tuple[object, ...]]:
    out = []
    for text in QUERIES:
        page = ix.search(SearchRequest(text=text, size=20, facets=True, snippets=1))
        out.append((text, page.total, [(h.id, h.score) for h in page.hits], page.facets))
    return out


def test_a_searcher_keeps_answering_the_same_while_the_index_merges(tmp_path: Path) -> None:
    writer_side = _segmented(tmp_path / "index")
    reader_side = FullTextIndex.open(tmp_path / "index")  # as a server process would
    try:
        before = _answers(reader_side)
        first = reader_side.version()
        assert len(writer_side.segments()) == 5
        errors: list[BaseException] = []
        seen: list[list[tuple[object, ...]]] = []
        versions: set[tuple[int, int]] = set()
        merged = threading.Event()

        def search_in_a_loop() -> None:
            after = 0
            try:
                while after < 3:  # until three rounds on the merged index
                    seen.append(_answers(reader_side))
                    versions.add(reader_side._view().version)
                    if merged.is_set():
                        after += 1
            except BaseException as exc:  # handed to the test's thread
                errors.append(exc)

        searcher = threading.Thread(target=search_in_a_loop)
        searcher.start()
        try:
            report = optimize(writer_side)
        finally:
            merged.set()
            searcher.join(60)
        assert not errors, errors
        assert (report.segments_before, report.segments_after, report.documents) == (5, 1, 150)
        assert writer_side.segments() == [(150, 0)]
        fresh = FullTextIndex.open(tmp_path / "index")
        after = _answers(fresh)
        fresh.close()
        # Each answer is the old generation's or the new one's, never anything else.
        assert len(seen) >= 4
        pairs = list(zip(before, after, strict=True))
        for answers in seen:
            assert all(a in pair for a, pair in zip(answers, pairs, strict=True))
        assert first in versions and len(versions) >= 2  # it searched before and after
        assert seen[-1] == after
        # The merged index matches the same documents, facets alike; the scores move a
        # little (the summed field lengths: see `optimize`).
        for (text, total, hits, facets), (_, total2, hits2, facets2) in zip(before, after,
                                                                            strict=True):
            assert (total, facets) == (total2, facets2), text
            assert {d for d, _ in hits} == {d for d, _ in hits2} or len(hits) == 20, text
            old, new = dict(hits), dict(hits2)
            assert all(abs(new[d] - s) <= 0.01 * s for d, s in old.items() if d in new), text
        again = optimize(writer_side)  # one segment, nothing deleted: nothing to do
        assert again.seconds == 0.0 and again.segments_after == 1
    finally:
        reader_side.close()
        writer_side.close()


def test_the_merge_leaves_deleted_documents_out(tmp_path: Path) -> None:
    ix = _segmented(tmp_path / "index", commits=3, deletions=True)
    try:
        before = ix.segments()
        assert sum(deleted for _, deleted in before) == 10
        steps: list[tuple[int, int, str]] = []
        report = optimize(ix, progress=lambda *step: steps.append(step))
        assert ix.segments() == [(80, 0)] and report.documents == 80 == ix.doc_count()
        assert steps[-1] == (80, 80, "merge") and len(steps) == len(before)
        assert ix.search(SearchRequest(text="")).total == 80
    finally:
        ix.close()


def test_kb_optimize_reports_the_segments_and_takes_the_write_lock(tmp_path: Path) -> None:
    for n in range(20):
        write(tmp_path / "docs" / f"n{n:02}.txt", f"Note {n} sur la coopérative de Brest.\n")
    write(tmp_path / "docs" / "m.txt", "Une mutuelle du Finistère.\n")
    root = tmp_path / "library"
    with Library.open(root, DEFAULT_VOCABULARY) as library:
        ingest(library, [tmp_path / "docs"], IngestOptions(workers=1))
        library.reindex()  # commits after 16 documents, then the rest: two segments
        assert len(library.index.segments()) == 2
    runner = CliRunner()
    with Library.open(root, DEFAULT_VOCABULARY) as library, library.write_lock():
        busy = runner.invoke(cli, ["--library", str(root), "optimize"])
    assert busy.exit_code == 1 and "another kb command" in busy.output
    result = runner.invoke(cli, ["--library", str(root), "optimize"])
    assert result.exit_code == 0, result.output
    assert "merging 2 segments (21 documents)" in result.output
    assert "optimized: 2 -> 1 segment, 21 documents" in result.output
    result = runner.invoke(cli, ["--library", str(root), "optimize"])
    assert "nothing to merge" in result.output
    result = runner.invoke(cli, ["--library", str(root), "search", "mutuelle", "--json"])
    assert result.exit_code == 0 and '"total": 1' in result.output
