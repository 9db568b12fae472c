"""A view of the index (`indexer.view`): counts within what a caller may see, kept for the
commit they were made on, and a new view once another commit lands."""

from __future__ import annotations

from pathlib import Path

import tantivy

from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument
from indexer.view import count_of


def _add(index: FullTextIndex, numbers: range, visibility: str) -> None:
    with index.writer() as writer:
        for n in numbers:
            writer.upsert(IndexDocument(f"v{n}", 1, f"Note {n}",
                                        (Section("recyclerie et chantier d'insertion", 1),),
                                        {"visibility": (visibility,)}))  # fmt: skip


def test_counts_are_within_the_visible_documents_and_kept_per_commit(tmp_path: Path) -> None:
    index = FullTextIndex.create(tmp_path / "index")
    try:
        _add(index, range(3), "public")
        _add(index, range(3, 5), "internal")
        view = index._view()
        recyclerie = tantivy.Query.term_query(index._schema, "content", "recycler")
        public = tantivy.Query.term_set_query(index._schema, "visibility", ["public"])
        assert view.count(recyclerie, None) == 5
        assert view.count(recyclerie, public) == 3
        assert len(view.counts) == 2  # kept: the same question is not asked again
        assert index._view() is view  # no commit since: the same view
        _add(index, range(5, 7), "public")
        newer = index._view()
        assert newer is not view and len(newer.counts) == 0
        assert newer.count(recyclerie, public) == 5
    finally:
        index.close()


def test_a_search_without_a_count_counts_nothing(tmp_path: Path) -> None:
    index = FullTextIndex.create(tmp_path / "index")
    try:
        _add(index, range(2), "public")
        searcher = index._view().searcher
        every = tantivy.Query.all_query()
        assert count_of(searcher.search(every, limit=1, count=True)) == 2
        assert count_of(searcher.search(every, limit=1, count=False)) == 0
    finally:
        index.close()
