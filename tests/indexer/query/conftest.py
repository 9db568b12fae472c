"""The small index of `sample_index`, built once for each test module that searches it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from indexer.index import FullTextIndex
from tests.indexer.query.sample_index import DOCS, sample_document


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FullTextIndex]:
    index = FullTextIndex.create(tmp_path_factory.mktemp("library") / "index")
    with index.writer() as writer:
        for doc_id, fields in DOCS.items():
            writer.upsert(sample_document(doc_id, *fields))
    yield index
    index.close()
