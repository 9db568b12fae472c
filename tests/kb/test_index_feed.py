"""The background index writer of ingest (kb.index_feed), on a real index."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.extract.base import Section
from indexer.index import BatchWriter, FullTextIndex, IndexDocument, SearchRequest
from indexer.prepare import prepare_sections
from kb.errors import IndexBusy
from kb.index_feed import IndexFeed


def doc(n: int, word: str = "coopérative") -> IndexDocument:
    sections = (Section(f"Document {n} sur la {word} numéro {n}.", page=1),)
    return IndexDocument(
        id=f"d{n}",
        revision=1,
        title=f"Titre {n}",
        sections=sections,
        tags={"visibility": ("public",)},
        prepared=prepare_sections(sections),
    )


@pytest.fixture
def index(tmp_path: Path) -> Iterator[FullTextIndex]:
    ix = FullTextIndex.create(tmp_path / "index")
    yield ix
    ix.close()


def total(index: FullTextIndex, text: str) -> int:
    return index.search(SearchRequest(text=text, suggest=False)).total


def test_commits_every_batch_and_reports_what_it_committed(index: FullTextIndex) -> None:
    generation = index.generation()
    with IndexFeed(index, batch=3, seconds=60) as feed:
        for n in range(7):
            feed.put(doc(n))
        feed.finish()
    assert sorted(feed.committed()) == [(f"d{n}", 1) for n in range(7)]
    assert index.generation() > generation
    assert total(index, "cooperative") == 7
    assert feed.committed() == []


def test_commits_after_seconds_without_waiting_for_a_full_batch(index: FullTextIndex) -> None:
    with IndexFeed(index, batch=1000, seconds=0.2) as feed:
        feed.put(doc(1))
        deadline = time.monotonic() + 60  # fails only if it never commits
        committed: list[tuple[str, int]] = []
        while not committed and time.monotonic() < deadline:
            time.sleep(0.05)
            committed = feed.committed()
        assert committed == [("d1", 1)]
        assert total(index, "cooperative") == 1  # searchable before the feed ends
        feed.finish()


def test_words_of_fed_documents_reach_suggestions(index: FullTextIndex) -> None:
    with IndexFeed(index, batch=10, seconds=60) as feed:
        feed.put(doc(1, word="mutualisation"))
        feed.finish()
    page = index.search(SearchRequest(text="mutualisaton"))
    assert page.suggestion == "mutualisation"


def test_leaving_without_finish_commits_nothing_and_frees_the_lock(
    index: FullTextIndex,
) -> None:
    with pytest.raises(RuntimeError), IndexFeed(index, batch=1000, seconds=60) as feed:
        feed.put(doc(1))
        raise RuntimeError("Ctrl-C, say")
    assert total(index, "cooperative") == 0
    with index.writer() as writer:  # the lock is free
        writer.upsert(doc(2))
    assert total(index, "cooperative") == 1


def test_an_error_in_the_thread_reaches_the_caller(index: FullTextIndex) -> None:
    holder = index.open_writer()  # another process's writer, say
    feed = IndexFeed(index, batch=10, seconds=60, lock_wait=0.1)
    try:
        with pytest.raises(IndexBusy), feed:
            feed.put(doc(1))
            for n in range(2, 200):  # put() raises once the thread has failed
                feed.put(doc(n))
                time.sleep(0.01)
            feed.finish()
    finally:
        holder.cancel()


def test_the_writer_says_when_its_memory_is_nearly_full(
    index: FullTextIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past its heap the engine writes segments on its own: the feed commits before, when
    # the writer says it is nearly full, whatever the batch size.
    words = " ".join(f"mot{n}x{k}" for n in range(50) for k in range(40))
    monkeypatch.setattr("indexer.writing._NEARLY_FULL_BYTES", 10 * len(words))
    writer = index.open_writer()
    try:
        assert not writer.nearly_full()
        writer.upsert(doc(1, word=words))
        assert not writer.nearly_full()
        for n in range(2, 12):
            writer.upsert(doc(n, word=words))
        assert writer.nearly_full()
    finally:
        writer.cancel()


# --- BatchWriter, the one batch writer behind the feed, sync_index and reindex -----------


def test_batch_writer_commits_16_32_then_every_batch_and_reports_deletions(
    index: FullTextIndex,
) -> None:
    commits: list[list[tuple[str, int]]] = []
    with BatchWriter(index, batch=40, seconds=60, on_commit=commits.append) as writer:
        for n in range(100):
            writer.upsert(doc(n))
        writer.delete("d0", 7)
    assert [len(c) for c in commits] == [16, 32, 40, 13]  # the last: 12 documents, 1 deletion
    assert commits[-1][-1] == ("d0", 7)
    assert total(index, "cooperative") == 99


def test_batch_writer_cancels_on_error_and_frees_the_lock(index: FullTextIndex) -> None:
    commits: list[list[tuple[str, int]]] = []
    with pytest.raises(RuntimeError), BatchWriter(
        index, batch=1000, seconds=60, on_commit=commits.append
    ) as writer:
        writer.upsert(doc(1))
        raise RuntimeError("the caller failed")
    assert commits == [] and total(index, "cooperative") == 0
    with index.writer() as free:  # the lock is free
        free.upsert(doc(2))


def test_batch_writer_commits_when_its_time_is_up(index: FullTextIndex) -> None:
    commits: list[list[tuple[str, int]]] = []
    writer = BatchWriter(index, batch=1000, seconds=0.1, on_commit=commits.append)
    assert writer.seconds_left() is None  # no writer open, nothing is due
    writer.upsert(doc(1))
    writer.commit_if_due()
    assert commits == []
    time.sleep(0.15)
    assert writer.seconds_left() == 0
    writer.commit_if_due()
    assert commits == [[("d1", 1)]] and writer.seconds_left() is None
