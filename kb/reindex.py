"""What the index holds about a catalog document, and rebuilding the whole index from the
catalog on every core (`kb reindex`).

A rebuild in one process spent most of its time reading each document's sections and tags
from the catalog and analysing their text, one document after the other (~27 s per 1,000
documents, benchmarks/README.md). Cold ingest already analyses text in its extraction
workers and writes the index from one thread of the parent (`kb.index_feed.IndexFeed`);
a rebuild does the same: the worker pool of `kb.workers` reads each document from a
read-only connection to the catalog and analyses it (`indexer.prepare`), the parent's
writer thread adds the analysed documents in the catalog's order and commits. The index
holds the same documents, in the same order, as the one-process rebuild
(tests/kb/test_reindex.py compares their searches).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from indexer.extract.base import Section
from indexer.index import BatchWriter, FullTextIndex, IndexDocument
from indexer.prepare import PreparedText, prepare_sections
from kb.catalog import Catalog, DocumentRow
from kb.index_feed import IndexFeed
from kb.tags import effective
from kb.vocabulary import Vocabulary
from kb.workers import Failed, run_in_pool

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (done, total, current item)

# Below this many documents a pool's start (a second or so) costs more than it saves.
PARALLEL_FROM = 32
# A document's reading and analysis in a worker; past it (twice it: the pool's backstop)
# the document is read and analysed again in the parent, which does not time out.
TIME_LIMIT = 300.0
# Analysed documents waiting for those before them (a worker lagging on a long one, or one
# re-run after its pool broke): past this many, they go to the writer out of order (same
# index, but documents with equal scores would rank in another order).
MAX_WAITING = 512


def document_for_index(
    catalog: Catalog,
    vocabulary: Vocabulary,
    doc: DocumentRow,
    *,
    sections: Sequence[Section] | None = None,
    prepared: PreparedText | None = None,
) -> IndexDocument:
    """What the index holds about `doc`, read from `catalog`; `sections` (the catalog's by
    default) and their analysed text `prepared` when the caller has them at hand."""
    tags = effective(catalog.tags(doc.id))
    controlled = {f: v for f, v in tags.items() if f in vocabulary.fields}
    territory_path: list[str] = []
    for key in tags.get("territory", ()):
        for k in (key, *vocabulary.ancestors("territory", key)):
            if k not in territory_path:
                territory_path.append(k)
    return IndexDocument(
        id=doc.id,
        revision=doc.revision,
        title=(tags.get("title") or ("",))[0],
        sections=tuple(catalog.sections(doc.id) if sections is None else sections),
        tags=controlled,
        territory_path=tuple(territory_path),
        authors=tags.get("authors", ()),
        summary=(tags.get("summary") or ("",))[0],
        year=_year(tags),
        date=(tags.get("date") or (None,))[0],
        prepared=prepared,
    )


def rebuild(
    catalog: Catalog,
    vocabulary: Vocabulary,
    fresh: FullTextIndex,
    docs: Sequence[DocumentRow],
    *,
    batch: int,
    seconds: float,
    progress: Progress | None = None,
    workers: int = 1,
) -> None:
    """Write `docs` into the empty index `fresh`, committing every `batch` documents or
    `seconds`, in `workers` processes (1: this one alone). Segments are left as committed
    (about one per `batch` documents): `kb optimize` merges them."""
    if workers > 1 and len(docs) >= PARALLEL_FROM:
        _rebuild_in_pool(catalog, vocabulary, fresh, docs, batch, seconds, progress, workers)
        return
    done = 0

    def committed(written: list[tuple[str, int]]) -> None:
        nonlocal done
        done += len(written)
        if progress:
            progress(done, len(docs), "reindex")

    with BatchWriter(fresh, batch=batch, seconds=seconds, on_commit=committed) as writer:
        for doc in docs:
            writer.upsert(document_for_index(catalog, vocabulary, doc))


def _rebuild_in_pool(
    catalog: Catalog,
    vocabulary: Vocabulary,
    fresh: FullTextIndex,
    docs: Sequence[DocumentRow],
    batch: int,
    seconds: float,
    progress: Progress | None,
    workers: int,
) -> None:
    results = run_in_pool(
        read_and_analyse,
        docs,
        workers=workers,
        time_limit=TIME_LIMIT,
        depth=2,
        setup=open_catalog,
        setup_args=(catalog.file, vocabulary),
    )
    done = 0
    with IndexFeed(fresh, batch=batch, seconds=seconds) as feed:
        for item in in_order(docs, results):
            if isinstance(item, DocumentRow):  # the worker gave up on it: read it here
                item = document_for_index(catalog, vocabulary, item)
            feed.put(item)
            done += 1
            if progress:
                progress(done, len(docs), "reindex")
        if progress:  # the last commit takes a while on a large library
            progress(done, len(docs), "(writing the index)")
        feed.finish(merge=False)


def in_order(
    docs: Sequence[DocumentRow],
    results: Iterator[tuple[DocumentRow, IndexDocument | Failed[DocumentRow]]],
    limit: int = MAX_WAITING,
) -> Iterator[IndexDocument | DocumentRow]:
    """The pool's results in the order of `docs` (each document as analysed, or its row
    when the pool gave up on it), holding at most `limit` of them back: past that, the
    one they wait for comes when it comes."""
    position = {doc.id: i for i, doc in enumerate(docs)}
    waiting: dict[int, IndexDocument | DocumentRow] = {}
    following = 0
    for doc, result in results:
        if isinstance(result, Failed):
            log.warning("reindex: %s read again in the main process (%s)", doc.id, result.reason)
        item = doc if isinstance(result, Failed) else result
        at = position[doc.id]
        if at < following:  # late, and no longer waited for
            yield item
            continue
        waiting[at] = item
        while following in waiting or len(waiting) > limit:
            if following not in waiting:  # it lags too far behind: go on without it
                following = min(waiting)
            yield waiting.pop(following)
            following += 1
    for at in sorted(waiting):
        yield waiting[at]


# --- in the worker processes ------------------------------------------------------------

_catalog: Catalog | None = None
_vocabulary: Vocabulary | None = None


def open_catalog(path: Path, vocabulary: Vocabulary) -> None:
    """A worker's setup: a read-only connection to the catalog, and the vocabulary."""
    global _catalog, _vocabulary
    _catalog = Catalog.open_reader(path)
    _vocabulary = vocabulary


def read_and_analyse(doc: DocumentRow) -> IndexDocument:
    """A worker's job: `doc` as the index holds it, its text analysed."""
    assert _catalog is not None and _vocabulary is not None, "open_catalog first"
    found = document_for_index(_catalog, _vocabulary, doc)
    return dataclasses.replace(found, prepared=prepare_sections(found.sections))


def _year(tags: Mapping[str, tuple[str, ...]]) -> int | None:
    for value in tags.get("year", ()) + tuple(d[:4] for d in tags.get("date", ())):
        if value.isdigit():
            return int(value)
    return None
