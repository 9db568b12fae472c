"""The tantivy behaviours the product relies on, pinned on real indexes under tmp_path.

`indexer.index` and `indexer.writing` name these facts in their docstrings: one writer at
a time (refused at once, free when dropped), searchers that keep their commit, the
refusal of `limit=0` (why counts ask for one hit), term aggregations and string sorts on
raw fast fields, phrases over our space-joined terms, and a killed writer leaving the last
commit. A new tantivy that changes one of them fails here, not in a search.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import tantivy

from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument, SearchRequest

REPO = Path(__file__).resolve().parents[2]
Query = tantivy.Query


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    builder.add_text_field("content", tokenizer_name="whitespace")
    builder.add_text_field("family", tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_text_field("key", tokenizer_name="raw", fast=True, index_option="basic")
    return builder.build()


def _index(path: Path) -> tantivy.Index:
    path.mkdir(parents=True, exist_ok=True)
    return tantivy.Index(_schema(), path=str(path), reuse=True)


def _add(writer: tantivy.IndexWriter, doc_id: str, content: str = "", families: tuple[str, ...]
         = (), key: str = "") -> None:  # fmt: skip
    doc = tantivy.Document()
    doc.add_text("id", doc_id)
    doc.add_text("content", content)
    for family in families:
        doc.add_text("family", family)
    doc.add_text("key", key or doc_id)
    writer.add_document(doc)


def _ids(index: tantivy.Index, searcher: tantivy.Searcher, query: tantivy.Query) -> set[str]:
    found = searcher.search(query, limit=100)
    return {searcher.doc(address)["id"][0] for _, address in found.hits}


def test_a_second_writer_is_refused_at_once_until_the_first_is_dropped(tmp_path: Path) -> None:
    index = _index(tmp_path / "ix")
    first = index.writer(heap_size=15_000_000, num_threads=1)
    other = _index(tmp_path / "ix")  # as another process would open it
    t0 = time.monotonic()
    with pytest.raises(ValueError, match="(?i)lock"):
        other.writer(heap_size=15_000_000, num_threads=1)
    assert time.monotonic() - t0 < 20.0  # refused, not waited for (the first holds it for good)
    first.commit()
    with pytest.raises(ValueError, match="(?i)lock"):  # a commit does not free the lock
        other.writer(heap_size=15_000_000, num_threads=1)
    del first
    gc.collect()
    second = other.writer(heap_size=15_000_000, num_threads=1)
    _add(second, "a", "econom")
    second.commit()


def test_a_searcher_keeps_its_commit_while_others_commit_and_merge(tmp_path: Path) -> None:
    index = _index(tmp_path / "ix")
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    _add(writer, "a", "econom social")
    writer.commit()
    index.reload()
    old = index.searcher()
    every = Query.all_query()
    for n in range(5):  # several commits, then merges of their segments
        _add(writer, f"n{n}", "econom")
        writer.delete_documents_by_term("id", "a")
        writer.commit()
    writer.wait_merging_threads()
    assert _ids(index, old, every) == {"a"} and old.num_docs == 1
    index.reload()
    new = index.searcher()
    assert _ids(index, new, every) == {f"n{n}" for n in range(5)}
    assert _ids(index, old, Query.term_query(_schema(), "content", "social")) == {"a"}


def test_version_changes_on_each_commit(tmp_path: Path) -> None:
    index = FullTextIndex.create(tmp_path / "index")
    try:
        before = index.version()
        writer = index.open_writer()
        writer.upsert(IndexDocument("a", 1, "A", (Section("économie", 1),), {}))
        assert index.version() == before  # nothing committed yet
        writer.commit()
        after = index.version()
        assert after != before
        assert index.search(SearchRequest("économie")).total == 1
    finally:
        index.close()


def test_search_with_limit_zero_is_refused(tmp_path: Path) -> None:
    """Why `indexer.view.View.count` asks for one hit and reads the count."""
    index = _index(tmp_path / "ix")
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    _add(writer, "a", "econom")
    writer.commit()
    index.reload()
    searcher = index.searcher()
    with pytest.raises(BaseException) as refused:  # noqa: PT011 - a Rust panic
        searcher.search(Query.all_query(), limit=0, count=True)
    assert not isinstance(refused.value, KeyboardInterrupt | SystemExit)
    assert searcher.search(Query.all_query(), limit=1, count=True).count == 1


def test_terms_aggregation_counts_a_document_once_per_value(tmp_path: Path) -> None:
    index = _index(tmp_path / "ix")
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    _add(writer, "a", "x", ("cooperatives", "associations"))
    _add(writer, "b", "x", ("cooperatives",))
    _add(writer, "c", "x", ("mutuelles", "cooperatives", "associations"))
    _add(writer, "d", "y", ("mutuelles",))
    writer.commit()
    index.reload()
    searcher = index.searcher()
    matching = Query.term_query(_schema(), "content", "x")
    found = searcher.aggregate(matching, {"f": {"terms": {"field": "family", "size": 100}}})
    counts = {b["key"]: b["doc_count"] for b in found["f"]["buckets"]}
    assert counts == {"cooperatives": 3, "associations": 2, "mutuelles": 1}


def test_order_by_a_raw_fast_text_field_sorts_strings(tmp_path: Path) -> None:
    index = _index(tmp_path / "ix")
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    keys = {"a": "etude regionale", "b": "avis du conseil", "c": "zebu", "d": "economie"}
    for doc_id, key in keys.items():
        _add(writer, doc_id, "x", key=key)
    writer.commit()
    index.reload()
    searcher = index.searcher()

    def order(direction: tantivy.Order) -> list[str]:
        found = searcher.search(Query.all_query(), limit=10, order_by_field="key",
                                order=direction)  # fmt: skip
        return [searcher.doc(address)["id"][0] for _, address in found.hits]

    ascending = [d for d, _ in sorted(keys.items(), key=lambda kv: kv[1])]
    assert order(tantivy.Order.Asc) == ascending
    assert order(tantivy.Order.Desc) == ascending[::-1]


def test_a_phrase_without_slop_needs_adjacent_terms_of_our_analysis(tmp_path: Path) -> None:
    index = _index(tmp_path / "ix")
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    # Our terms, space-joined (`indexer.prepare`): the whitespace tokenizer gives each its
    # position, so "econom social" are positions 0 and 1, an apostrophe stays in a term.
    _add(writer, "adjacent", "econom social solidair")
    _add(writer, "apart", "econom local social")
    _add(writer, "reversed", "social econom")
    _add(writer, "elided", "aujourd'hui econom")
    writer.commit()
    index.reload()
    searcher = index.searcher()
    schema = _schema()
    phrase = Query.phrase_query(schema, "content", ["econom", "social"], slop=0)
    assert _ids(index, searcher, phrase) == {"adjacent"}
    near = Query.phrase_query(schema, "content", ["econom", "social"], slop=1)
    assert _ids(index, searcher, near) == {"adjacent", "apart"}
    elided = Query.phrase_query(schema, "content", ["aujourd'hui", "econom"], slop=0)
    assert _ids(index, searcher, elided) == {"elided"}
    assert _ids(index, searcher, Query.term_query(schema, "content", "aujourd'hui")) == {
        "elided"}


_KILLED_WRITER = """
import sys, time
from pathlib import Path
from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument
index = FullTextIndex.open(Path(sys.argv[1]), create=False)
writer = index.open_writer(timeout=30)
for n in range(200):
    writer.upsert(IndexDocument(f"late{n}", 1, "Late", (Section("zébrure tardive", 1),), {}))
print("written", flush=True)
time.sleep(60)
writer.commit()
"""


@pytest.mark.slow  # a subprocess
def test_a_writer_killed_before_its_commit_leaves_the_last_commit(tmp_path: Path) -> None:
    directory = tmp_path / "index"
    index = FullTextIndex.create(directory)
    with index.writer() as writer:
        writer.upsert(IndexDocument("kept", 1, "Kept", (Section("économie", 1),), {}))
    del writer  # the writer frees the index lock when dropped (see the test below)
    index.close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(directory)],
                             stdout=subprocess.PIPE, env=env, cwd=REPO)  # fmt: skip
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"written"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    index = FullTextIndex.open(directory, create=False)
    try:
        assert index.search(SearchRequest("")).total == 1
        assert index.search(SearchRequest("zébrure")).total == 0
        with index.writer(timeout=5) as writer:  # the dead process's lock is gone
            writer.upsert(IndexDocument("after", 1, "After", (Section("zébrure", 1),), {}))
        assert index.search(SearchRequest("zébrure")).total == 1
    finally:
        index.close()


def test_two_writer_blocks_one_after_the_other(tmp_path: Path) -> None:
    """PRODUCT BUG (indexer/writing.py): `IndexWriter.commit` does not drop the engine's
    writer, so the lock stays held while the committed `IndexWriter` is referenced, which
    `with index.writer() as writer:` does until `writer` is rebound: a second block in
    the same function gets IndexBusy from its own process. `IndexWriter`'s docstring says
    the lock is held "until `commit` or `cancel`"; `cancel` drops it, `commit` does not."""
    index = FullTextIndex.create(tmp_path / "index")
    try:
        with index.writer() as writer:
            writer.upsert(IndexDocument("a", 1, "A", (Section("économie", 1),), {}))
        with index.writer() as writer:
            writer.upsert(IndexDocument("b", 1, "B", (Section("économie", 1),), {}))
        assert index.search(SearchRequest("économie")).total == 2
    finally:
        index.close()


def test_a_commit_killed_after_its_files_but_before_meta_json_leaves_no_trap(
    tmp_path: Path,
) -> None:
    """A writer killed between writing a commit's files and `meta.json` leaves them behind,
    named after the opstamp the next commit reuses (the same write tried again after the
    crash: a curator's `kb tag set`): tantivy then refused with FileAlreadyExists
    ("<segment>.<opstamp>.del"). A writer collects what no commit uses when it opens."""
    import shutil

    from indexer.extract.base import Section
    from indexer.index import FullTextIndex, IndexDocument, SearchRequest

    def doc(word: str, doc_id: str = "d1") -> IndexDocument:
        return IndexDocument(id=doc_id, revision=1, title="note",
                             sections=(Section(f"coopérative {word}"),), tags={})  # fmt: skip

    alive = tmp_path / "index"
    index = FullTextIndex.create(alive)
    with index.writer() as writer:  # two documents: replacing one leaves the segment
        writer.upsert(doc("rennes"))
        writer.upsert(doc("vannes", "d2"))
    index.close()
    # The same write done in a copy, whose files but not its meta.json come back: the state
    # of a process killed just before it replaced meta.json.
    copy = tmp_path / "copy"
    shutil.copytree(alive, copy)
    other = FullTextIndex.open(copy)
    with other.writer() as writer:
        writer.upsert(doc("brest"))
    other.close()
    before = set(p.name for p in alive.iterdir())
    left = [p for p in copy.iterdir() if p.name not in before or p.name == ".managed.json"]
    assert any(p.suffix == ".del" for p in left)
    for path in left:
        shutil.copyfile(path, alive / path.name)

    index = FullTextIndex.open(alive)
    try:
        with index.writer() as writer:
            writer.upsert(doc("brest"))
        found = index.search(SearchRequest(text="brest"))
        assert [h.id for h in found.hits] == ["d1"] and found.total == 1
    finally:
        index.close()
