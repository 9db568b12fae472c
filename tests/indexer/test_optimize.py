"""`kb optimize`: the engine's merges finished while a searcher keeps answering.

Commits that do not wait for merges (MERGE_AT_SEGMENTS raised for the test) leave a
segment each; `optimize` lets the engine merge them (its log merge policy merges segments of
a similar size by eights), deleted documents left out.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.index import FullTextIndex, SearchRequest
from indexer.writing import optimize
from kb.cli import cli
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from tests.conftest import write
from tests.generated_docs import generated_document as _document

COMMITS = 12


@pytest.fixture(autouse=True)
def commits_do_not_merge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("indexer.writing.MERGE_AT_SEGMENTS", 10**6)

QUERIES = ("économie", "comité pilotage", '"économie sociale et solidaire"', "zygomatique",
           "coopérative -mutuelle", "bretagne")  # fmt: skip


def _segmented(directory: Path, commits: int = COMMITS, deletions: bool = False
               ) -> FullTextIndex:  # fmt: skip
    """An index of `commits` segments of 30 documents (commits that do not merge)."""
    rng = random.Random(7)
    ix = FullTextIndex.create(directory)
    for c in range(commits):
        with ix.writer() as writer:
            for n in range(c * 30, (c + 1) * 30):
                writer.upsert(_document(n, rng))
    if deletions:
        with ix.writer() as writer:
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
        # Most often one segment per commit; but a merge a commit started in the background
        # and finished before its writer was dropped is kept (more often on a busy machine).
        segments = len(writer_side.segments())
        assert segments > 1
        errors: list[BaseException] = []
        seen: list[list[tuple[object, ...]]] = []
        versions: set[tuple[int, ...]] = set()
        merged = threading.Event()
        searching = threading.Event()

        def search_in_a_loop() -> None:
            after = 0
            try:
                while after < 3:  # until three rounds on the merged index
                    seen.append(_answers(reader_side))
                    versions.add(reader_side._view().version)
                    searching.set()
                    if merged.is_set():
                        after += 1
            except BaseException as exc:  # handed to the test's thread
                errors.append(exc)

        searcher = threading.Thread(target=search_in_a_loop)
        searcher.start()
        # The merge starts once the searcher has answered: on a busy machine the thread
        # could otherwise get its first turn only after the merge, and search nothing old.
        assert searching.wait(60), errors
        try:
            report = optimize(writer_side)
        finally:
            merged.set()
            searcher.join(60)
        assert not errors, errors
        assert (report.segments_before, report.documents) == (segments, 30 * COMMITS)
        assert report.segments_after < segments
        assert len(writer_side.segments()) == report.segments_after
        fresh = FullTextIndex.open(tmp_path / "index")
        after = _answers(fresh)
        fresh.close()
        # Each answer is the old generation's or the new one's, never anything else.
        assert len(seen) >= 4
        pairs = list(zip(before, after, strict=True))
        for answers in seen:
            assert all(a in pair for a, pair in zip(answers, pairs, strict=True))
        assert versions  # (a fast merge may end before the first round: order not pinned)
        assert seen[-1] == after
        # The merged index matches the same documents, facets and scores alike (nothing
        # was deleted: the engine's statistics are the same).
        assert before == after
        again = optimize(writer_side)  # merged already: nothing more to do
        assert again.segments_after == again.segments_before
    finally:
        reader_side.close()
        writer_side.close()


def test_the_merge_leaves_deleted_documents_out(tmp_path: Path) -> None:
    ix = _segmented(tmp_path / "index", commits=9, deletions=True)
    try:
        before = ix.segments()
        deleted = sum(deleted for _, deleted in before)
        assert deleted == len(range(0, 9 * 30, 9))
        steps: list[tuple[int, int, str]] = []
        report = optimize(ix, progress=lambda *step: steps.append(step))
        kept = 9 * 30 - deleted
        assert sum(d for _, d in ix.segments()) == 0 and report.documents == kept
        assert ix.doc_count() == kept
        assert steps[-1] == (1, 1, "merge")
        assert ix.search(SearchRequest(text="")).total == kept
    finally:
        ix.close()


def test_kb_optimize_reports_the_segments_and_takes_the_write_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(20):
        write(tmp_path / "docs" / f"n{n:02}.txt", f"Note {n} sur la coopérative de Brest.\n")
    write(tmp_path / "docs" / "m.txt", "Une mutuelle du Finistère.\n")
    root = tmp_path / "library"
    monkeypatch.setattr("kb.ingest.INDEX_BATCH", 2)
    monkeypatch.setattr("indexer.writing.FIRST_BATCH", 2)
    with Library.open(root, DEFAULT_VOCABULARY) as library:
        ingest(library, [tmp_path / "docs"], IngestOptions(workers=1))
        # A commit every 2 documents: a segment each, less those a background merge
        # joined before its writer was dropped (more of them on a busy machine).
        assert len(library.index.segments()) > 1
    runner = CliRunner()
    with Library.open(root, DEFAULT_VOCABULARY) as library, library.write_lock():
        busy = runner.invoke(cli, ["--library", str(root), "optimize"])
    assert busy.exit_code == 1 and "another kb command" in busy.output
    result = runner.invoke(cli, ["--library", str(root), "optimize"])
    assert result.exit_code == 0, result.output
    assert "segments (21 documents)" in result.output
    # Merged now, or already by the engine's background merges before the writers went
    # (a busy machine): either way it says so, and leaves fewer than 8 segments.
    assert ("optimized: " in result.output or "nothing to merge" in result.output), \
        result.output
    assert ", 21 documents" in result.output
    with Library.open(root, DEFAULT_VOCABULARY) as library:
        assert len(library.index.segments()) < 8
    result = runner.invoke(cli, ["--library", str(root), "optimize"])
    assert "nothing to merge" in result.output, result.output
    result = runner.invoke(cli, ["--library", str(root), "search", "mutuelle", "--json"])
    assert result.exit_code == 0 and '"total": 1' in result.output
