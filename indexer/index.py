"""The full-text index: the one narrow interface over Whoosh.

Everything else in the project talks to `FullTextIndex` with plain values
(`IndexDocument`, `SearchRequest`, `SearchPage`); no Whoosh object crosses this module.

Whoosh facts this relies on:
- one writer at a time; a second one gets a lock error at once (we raise IndexBusy);
- `Searcher.refresh()` is wrong in whoosh-reloaded 2.7.5 (it keeps deleted documents), so
  a new searcher is opened whenever the index generation changes (tests/test_search.py);
- a writer killed mid-commit leaves the index at its last commit (tests/test_crash.py).

How a search runs (`FullTextIndex.search`): visibility and tag filters are sets of document
numbers, read from the postings once per index generation (`indexer.facets.TagTable`). The
query is scored once over the documents the caller may see (`indexer.ranking.Ranker`, from
postings read in bulk and kept per generation by `indexer.postings`, with Whoosh's BM25F):
the scores give the ranking (the best of the top tier re-ranked by how close together they
hold the query's words, `indexer.proximity`), and the set of matches gives the total and,
by set operations, the facets. A page sorted by date takes its order from the sortable `date_key`
column. Snippets come from the stored character offsets of the page's hits only
(`indexer.snippets`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.support.levenshtein import damerau_levenshtein
from whoosh.writing import LockError

from indexer.errors import IndexBusy, InvalidQuery, NotFound, SchemaOutdated
from indexer.expand import expand
from indexer.facets import TagTable, facet_counts
from indexer.lru import LruCache, MemoryBudget, deep_size
from indexer.postings import PostingCache
from indexer.query import MAX_FUZZY_EXPANSIONS, FuzzyExpander, ParsedQuery, parse_query
from indexer.ranking import Ranker, narrow, page_of
from indexer.requests import (
    MAX_PAGE_SIZE,
    ORDERS,
    QUERY_TAG_FIELDS,
    SORTS,
    SearchHit,
    SearchPage,
    SearchRequest,
    TagResolver,
)
from indexer.schema import (
    FACET_FIELDS,
    SCHEMA_VERSION,
    TEXT_FIELD_BOOSTS,
    build_schema,
)
from indexer.similar import FREQUENCIES_KEPT, Frequencies, similar_query
from indexer.snippets import Snippet, Snippeter
from indexer.suggest import suggest
from indexer.words import FILE_NAME as WORDS_FILE
from indexer.words import WordStore
from indexer.writing import WRITER_POOL_MB, BatchWriter, IndexDocument, IndexWriter, date_key

log = logging.getLogger(__name__)

VERSION_FILE = "kb-index.json"
# The memory a search process's caches share by default (`kb serve --cache-mb`): postings,
# decoded blocks, per-document factors, tag tables, sort keys, phrases, answers. At
# 100,000 documents the fixed query mix keeps ~300 MB of it busy: with 256 MB its phrases
# and words were dropped and computed again in every pass (p95 8 s); with 512, p95 0.26 s
# (benchmarks/README.md). A warm process holds ~1 GB there, under the 1.5 GB target.
DEFAULT_CACHE_MB = 512


class _View:
    """A searcher and what is derived from it, valid for one version of the index; what
    it keeps is counted against `budget` (`close()` gives it back)."""

    def __init__(
        self, searcher: Searcher, version: tuple[int, int], words: WordStore, budget: MemoryBudget
    ):
        self.searcher = searcher
        self.version = version
        self.budget = budget
        # Opened with the searcher: a reindex swaps the whole directory, words included.
        self.words = words
        self.tags = TagTable(searcher.reader(), budget)
        self._dates: Any = None
        self._titles: LruCache[str, dict[int, str]] = LruCache(budget=budget, sizeof=deep_size)
        self._ranker: Ranker | None = None
        self._lock = threading.Lock()
        # Library frequencies of words, for similar documents (indexer.similar).
        self.frequencies: Frequencies = LruCache(FREQUENCIES_KEPT, budget=budget)

    @property
    def ranker(self) -> Ranker:
        """Scores and match sets from this generation's postings, read once."""
        if self._ranker is None:
            with self._lock:
                if self._ranker is None:
                    cache = PostingCache(self.searcher, self.budget)
                    self._ranker = Ranker(cache, self.tags.all_docs)
        return self._ranker

    def close(self) -> None:
        """Close the searcher and give back to the budget what was kept for it."""
        self._titles.close()
        self.frequencies.close()
        self.tags.close()
        if self._ranker is not None:
            self._ranker.close()
        self.searcher.close()
        self.words.close()

    def date_keys(self) -> Any:
        """docnum -> YYYYMMDD (0 if undated), read from the sortable column."""
        if self._dates is None:
            reader = self.searcher.reader()
            # An index with no document yet (an ingest killed before its first commit, or
            # one whose every file failed) has no column at all: Whoosh's empty reader
            # raises NotImplementedError for it.
            has = reader.has_column("date_key")
            self._dates = reader.column_reader("date_key") if has else _Undated()
        return self._dates

    def title_keys(self) -> dict[int, str]:
        """docnum -> its title folded for sorting (accents and case ignored), read from
        the stored fields once per generation of the index."""
        titles = self._titles.get("titles")
        if titles is None:
            titles = {
                docnum: title_key(fields.get("title") or "")
                for docnum, fields in self.searcher.reader().iter_docs()
            }
            self._titles.put("titles", titles)
        return titles


def title_key(title: str) -> str:
    """A title as sorted: accents and case folded, so that "Étude" sorts among the e."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


class _Undated:
    """Date keys of an index without a date column: every document undated (0)."""

    def __getitem__(self, docnum: int) -> int:
        return 0


class FullTextIndex:
    """A Whoosh index in one directory, with a stored schema version.

    `budget`: the memory its searches' caches keep at most, shared with the caller's own
    (None: DEFAULT_CACHE_MB of its own). Each SQLite connection to the words store (one a
    thread) keeps a page cache of its own beside it: 1/128 of the budget, 2 MB at most.
    """

    def __init__(self, directory: Path, ix: index.Index, budget: MemoryBudget | None = None):
        self.directory = directory
        self._ix = ix
        self.budget = budget if budget is not None else MemoryBudget.of_mb(DEFAULT_CACHE_MB)
        self._words_kib = max(64, min(2048, self.budget.max_bytes // 128 // 1024))
        self._words = WordStore(directory / WORDS_FILE, cache_kib=self._words_kib)
        self._view_: _View | None = None
        self._lock = threading.Lock()

    # --- opening ----------------------------------------------------------------------

    @classmethod
    def open(
        cls, directory: Path, *, create: bool = True, budget: MemoryBudget | None = None
    ) -> FullTextIndex:
        """Open the index; create it if absent and `create`; SchemaOutdated if built by
        another schema version (never wiped: `kb reindex` rebuilds it)."""
        version_file = directory / VERSION_FILE
        swapped = directory.with_name(directory.name + ".old")
        if not directory.exists() and index.exists_in(str(swapped)):
            # `replace` killed between its two renames: the previous index, complete, back
            # in place (the catalog's record of what is indexed still describes it).
            swapped.rename(directory)
        if not index.exists_in(str(directory)):
            if not create:
                raise SchemaOutdated(f"{directory}: no index here; run `kb reindex`")
            return cls.create(directory, budget=budget)
        found = _read_version(version_file)
        if found != SCHEMA_VERSION:
            raise SchemaOutdated(
                f"{directory}: index built by schema version {found}, this kb uses "
                f"{SCHEMA_VERSION}; run `kb reindex` to rebuild it from the catalog"
            )
        return cls(directory, index.open_dir(str(directory)), budget)

    @classmethod
    def create(cls, directory: Path, *, budget: MemoryBudget | None = None) -> FullTextIndex:
        directory.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(str(directory), build_schema())
        (directory / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
        return cls(directory, ix, budget)

    @staticmethod
    def replace(old: Path, new: Path) -> None:
        """Swap a freshly built index directory into place of the old one. Killed between
        its two renames, it leaves no `old` but `old.old`: `open` puts that one back."""
        trash = old.with_name(old.name + ".old")
        shutil.rmtree(trash, ignore_errors=True)
        if old.exists():
            old.rename(trash)
        new.rename(old)
        shutil.rmtree(trash, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            if self._view_ is not None:
                self._view_.close()
                self._view_ = None
        self._ix.close()
        self._words.close()

    def copy_commit(self, dest: Path, *, attempts: int = 50) -> int:
        """Copy the latest commit to the empty directory `dest`, while writers may run;
        returns its generation.

        A commit is a table of contents (`_MAIN_<gen>.toc`, which also holds each
        segment's deleted documents) and the files of its segments, which are never
        changed once written; a later commit only adds files and deletes those no table
        references any more. So the files of one generation, copied after its table was
        read, are that commit exactly, unless a commit deleted one of them meanwhile: then
        start again from the newer generation. The words store (written before each
        Whoosh commit, replayed harmlessly) is copied after, through SQLite's backup API.
        """
        dest.mkdir(parents=True, exist_ok=True)
        storage = self._ix.storage
        for _ in range(attempts):
            try:
                toc = index.TOC.read(storage, self._ix.indexname)
            except (OSError, index.EmptyIndexError):  # its table deleted as we read it
                continue
            ids = {seg.segment_id() for seg in toc.segments}
            names = [f"_{self._ix.indexname}_{toc.generation}.toc", VERSION_FILE]
            pattern = index.TOC._segment_pattern(self._ix.indexname)
            names += [n for n in storage.list() if (m := pattern.match(n)) and m[1] in ids]
            try:
                for name in names:
                    shutil.copyfile(self.directory / name, dest / name)
            except FileNotFoundError:
                for name in os.listdir(dest):
                    (dest / name).unlink()
                continue
            break
        else:
            raise IndexBusy(f"{self.directory}: the index changed too fast to be copied; "
                            "try again")
        self._words.copy_to(dest / WORDS_FILE)
        return int(toc.generation)

    # --- writing ----------------------------------------------------------------------

    @contextmanager
    def writer(self, timeout: float = 0.0, *, merge: bool = True) -> Iterator[IndexWriter]:
        """One writer: commits on success, cancels and re-raises on error.

        merge=False leaves existing segments alone at commit: much cheaper for the
        intermediate commits of a long ingest, whose last commit merges.
        """
        wrapped = self.open_writer(timeout)
        try:
            yield wrapped
        except BaseException:
            wrapped.cancel()
            raise
        wrapped.commit(merge=merge)

    def open_writer(self, timeout: float = 0.0) -> IndexWriter:
        """A writer the caller must `commit` or `cancel` (prefer `writer()`); IndexBusy if
        another process holds the index lock past `timeout` seconds."""
        try:
            # Segments are written as separate files (compound=False): Whoosh reads each
            # part of a compound segment file into memory when it opens it (BytesIO over
            # the mapped bytes), and every writer opens all segments to find the documents
            # it replaces. At 10,000 documents that was 700 MB for a writer that replaced
            # 100 documents (benchmarks/README.md).
            raw = self._ix.writer(timeout=timeout, limitmb=WRITER_POOL_MB, compound=False)
        except LockError as exc:
            raise IndexBusy(
                f"{self.directory}: the index is locked by another process (an ingest or "
                "reindex is running); try again when it ends"
            ) from exc
        return IndexWriter(raw, self._words)

    # --- reading ----------------------------------------------------------------------

    def generation(self) -> int:
        """The latest commit's number: changes whenever any process commits."""
        return int(self._ix.latest_generation())

    def version(self) -> tuple[int, int]:
        """What the index holds now: changes whenever any process commits, and when a
        reindex swaps a new directory in (whose commit numbers start again from 1, so
        the generation alone could come back to a number a reader has already seen)."""
        try:
            inode = self.directory.stat().st_ino
        except OSError:  # between the two renames of a swap
            inode = -1
        return inode, self.generation()

    def _view(self) -> _View:
        """The searcher on the latest commit (and its tag table), reused while the index
        does not change."""
        with self._lock:
            version = self.version()
            view = self._view_
            if view is None or version != view.version:
                if view is not None:
                    view.close()
                self._ix = index.open_dir(str(self.directory))
                searcher = self._ix.searcher()
                words = WordStore(self.directory / WORDS_FILE, cache_kib=self._words_kib)
                view = self._view_ = _View(searcher, version, words, self.budget)
            return view

    def searcher(self) -> Searcher:
        """A searcher on the latest commit, reused while the index does not change."""
        return self._view().searcher

    def segments(self) -> list[tuple[int, int]]:
        """(documents, deleted documents) of each segment of the latest commit."""
        toc = index.TOC.read(self._ix.storage, self._ix.indexname)
        return [(seg.doc_count(), seg.deleted_count()) for seg in toc.segments]

    def doc_count(self) -> int:
        return self.searcher().doc_count()

    def revisions(self) -> dict[str, int]:
        """id -> revision of every indexed document (to reconcile with the catalog)."""
        searcher = self.searcher()
        return {
            fields["id"]: fields["revision"] for fields in searcher.reader().all_stored_fields()
        }

    def search(self, request: SearchRequest) -> SearchPage:
        """Run a request: hits of one page, total, facets, suggestion, all within
        `request.visibilities`. InvalidQuery for an unknown sort or filter field."""
        if request.sort not in SORTS:
            raise InvalidQuery(f"sort: {request.sort!r} is not one of {', '.join(SORTS)}")
        if request.order is not None and request.order not in ORDERS:
            raise InvalidQuery(f"order: {request.order!r} is not one of {', '.join(ORDERS)}")
        view = self._view()
        filters, visible = view.tags.restrict(request.filters, request.visibilities)
        expander = _fuzzy_expander(view.words, request.visibilities)

        def read(text: str) -> tuple[wq.Query, ParsedQuery]:
            parsed = self._parse(text, request.resolve_tag, expander)
            return expand(parsed.query, parsed.runs, request.tag_names, view.tags, visible), parsed

        query, parsed = read(request.text)
        # Facets count what the query matches before the tag filters: score that, the
        # filters then cut it down. Without facets, only what passes the filters is scored.
        scope = visible if request.facets else narrow(visible, filters.values())
        scores = view.ranker.scores(query, scope)
        matched = frozenset(scores)
        allowed = narrow(matched, filters.values()) or frozenset()
        # An empty query ranks nothing: list the library newest first.
        relevance = request.sort == "relevance"
        sort = "date" if relevance and isinstance(query, wq.Every) else request.sort
        page, size = max(1, request.page), max(1, min(request.size, MAX_PAGE_SIZE))
        if sort == "relevance":
            view.ranker.rescore(query, scores, allowed, request.text, shown=page * size)
        ascending = (request.order or ("asc" if sort == "title" else "desc")) == "asc"
        dates = view.date_keys() if sort == "date" else None
        titles = view.title_keys() if sort == "title" else None
        chosen = page_of(scores, allowed, (page - 1) * size, size, dates, titles=titles,
                         ascending=ascending)
        hits = _hits(view, query, chosen, scores, request.snippets)
        facets: dict[str, dict[str, int]] = {}
        if request.facets:
            facets = facet_counts(view.tags, matched, filters, FACET_FIELDS, request.filters)
        suggestion = None
        if request.suggest and request.text.strip():

            def finds_something(text: str) -> bool:
                found = view.ranker.docs(read(text)[0], visible)
                return bool(narrow(found, filters.values()))

            suggestion = suggest(
                view.searcher,
                request.text,
                runs=parsed.runs,
                visible=visible,
                words=view.words,
                visibilities=request.visibilities,
                text_fields=TEXT_FIELD_BOOSTS,
                accept=finds_something,
                names=request.tag_names,
                postings=view.ranker.cache,
            )
        return SearchPage(
            total=len(allowed),
            page=page,
            size=size,
            hits=hits,
            warnings=parsed.warnings,
            facets=facets,
            suggestion=suggestion,
        )

    def similar(
        self,
        doc_id: str,
        *,
        visibilities: frozenset[str] | None = None,
        size: int = 10,
        snippets: int = 0,
    ) -> SearchPage:
        """Documents like `doc_id` (its most distinctive words), itself excluded.

        NotFound if the document is not indexed or not among `visibilities` (the same
        message: a hidden document's existence is not revealed).
        """
        view = self._view()
        searcher = view.searcher
        docnum = searcher.document_number(id=doc_id)
        visible = None if visibilities is None else view.tags.docs("visibility", visibilities)
        if docnum is None or (visible is not None and docnum not in visible):
            raise NotFound(f"no document with id {doc_id!r}")
        query = similar_query(searcher, docnum, view.frequencies)
        scores = view.ranker.scores(query, visible)
        scores.pop(docnum, None)
        size = max(1, min(size, MAX_PAGE_SIZE))
        chosen = page_of(scores, frozenset(scores), 0, size)
        hits = _hits(view, query, chosen, scores, snippets)
        return SearchPage(total=len(scores), page=1, size=size, hits=hits)

    # --- internals ----------------------------------------------------------------------

    def _parse(
        self, text: str, resolve_tag: TagResolver | None, expand_fuzzy: FuzzyExpander | None
    ) -> ParsedQuery:
        return parse_query(
            text,
            schema=self._ix.schema,
            text_fields=TEXT_FIELD_BOOSTS,
            tag_fields=QUERY_TAG_FIELDS,
            resolve_tag=resolve_tag,
            expand_fuzzy=expand_fuzzy,
        )


def _fuzzy_expander(words: WordStore, visibilities: frozenset[str] | None) -> FuzzyExpander:
    """`word~` expansion for one search: the library's words within the distance.

    A word counts only through documents the caller may see (`visibilities`; None: all),
    so a word of hidden documents never takes the place of a visible one among the
    MAX_FUZZY_EXPANSIONS kept; nearest first, then those in most documents.
    """

    def close_words(word: str, distance: int) -> list[str]:
        ranked = []
        # prefix=1, like FuzzyTerm's: typos rarely touch the first letter, and it keeps
        # the walk through the word list short.
        for candidate in words.within(word, distance, prefix=1):
            count = words.documents_with(candidate, visibilities)
            if count:
                ranked.append((damerau_levenshtein(word, candidate), -count, candidate))
        ranked.sort()
        return [candidate for _, _, candidate in ranked[:MAX_FUZZY_EXPANSIONS]]

    return close_words


def _hits(
    view: _View,
    query: wq.Query,
    docnums: Sequence[int],
    scores: Mapping[int, float],
    snippets: int,
) -> tuple[SearchHit, ...]:
    snippeter = Snippeter(view.searcher, query, snippets, view.ranker.cache)
    snippeter.load(docnums)
    hits = []
    for docnum in docnums:
        fields = view.searcher.stored_fields(docnum)
        hits.append(
            SearchHit(
                id=fields["id"],
                score=round(float(scores.get(docnum, 0.0)), 4),
                title=fields.get("title", ""),
                tags={k: tuple(v) for k, v in json.loads(fields.get("tags", "{}")).items()},
                year=fields.get("year"),
                snippets=snippeter.snippets(docnum, fields),
            )
        )
    return tuple(hits)


def _read_version(version_file: Path) -> int | None:
    try:
        return int(json.loads(version_file.read_text())["schema_version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


__all__ = [
    "BatchWriter",
    "FullTextIndex",
    "IndexDocument",
    "IndexWriter",
    "QUERY_TAG_FIELDS",
    "SearchHit",
    "SearchPage",
    "SearchRequest",
    "Snippet",
    "date_key",
]
