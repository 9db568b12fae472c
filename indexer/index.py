"""The full-text index: the one narrow interface over the engine (tantivy).

Everything else in the project talks to `FullTextIndex` with plain values
(`IndexDocument`, `SearchRequest`, `SearchPage`); no engine object crosses this module and
the few it delegates to (`indexer.writing`, `indexer.compile`, `indexer.schema`).

Engine facts this relies on (tests/indexer/test_engine.py pins them):
- one writer at a time, across processes: a second writer is refused at once (IndexBusy
  after our own wait);
- a commit replaces `meta.json` atomically; segment files are never changed once written,
  and a commit or merge deletes only the files no commit needs. A searcher keeps the files
  of the commit it opened mapped (a file deleted under it stays readable on Linux), so a
  search in one process never breaks on another's commit; `version()` tells when to open a
  new searcher;
- a writer killed before its commit leaves the index at its last commit (tests/e2e/test_crash.py).

How a search runs (`FullTextIndex.search`): the query is parsed (`indexer.query`),
widened by the tags its words name (`indexer.expand`) and compiled (`indexer.compile`);
visibility and tag filters are required clauses that do not score. The engine returns one
page, sorted by score, date or title, and the exact total; facets are the engine's term
aggregations (one per facet whose own filter must be left out, one for the rest).
Snippets come from the stored text of the page's hits only (`indexer.snippets`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator, Sequence, Set
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tantivy

from indexer.compile import TIER, Compiler
from indexer.errors import IndexBusy, InvalidQuery, NotFound, SchemaOutdated
from indexer.expand import expand
from indexer.facets import facet_counts, restricted
from indexer.fields import TAG_FIELDS, TERRITORY_PATH
from indexer.lru import LruCache
from indexer.messages import _
from indexer.prepare import prepare_text
from indexer.query import FuzzyExpander, ParsedQuery, parse_query
from indexer.query import nodes as wq
from indexer.query.tiers import tier_relevance
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
    DATE_KEY,
    QUERY_FIELD_KINDS,
    SCHEMA_VERSION,
    STORED_FIELDS,
    STORED_TEXT,
    TEXT_FIELD_BOOSTS,
    TITLE_KEY,
    engine_schema,
)
from indexer.similar import FREQUENCIES_KEPT, Frequencies, similar_query
from indexer.snippets import Snippet, query_terms, snippets_of
from indexer.suggest import suggest, written_as
from indexer.words import FILE_NAME as WORDS_FILE
from indexer.words import WordStore, fuzzy_expander
from indexer.writing import (
    WRITER_HEAP_MB,
    BatchWriter,
    IndexDocument,
    IndexWriter,
    date_key,
    title_key,
)
from indexer.years import not_a_year, read_years

log = logging.getLogger(__name__)

VERSION_FILE = "kb-index.json"
META_FILE = "meta.json"
# Kept for the settings and the command line (`kb serve --cache-mb`): the engine maps its
# files and keeps no cache of ours beyond a few small tables per commit.
DEFAULT_CACHE_MB = 64
_FILTERABLE = frozenset((*TAG_FIELDS, TERRITORY_PATH, "year", "id"))
_LOCK_RETRY_SECONDS = 0.05
Occur = tantivy.Occur
Query = tantivy.Query


class _View:
    """A searcher on one commit of the index, and small tables derived from it."""

    def __init__(self, searcher: tantivy.Searcher, version: tuple[int, ...], words: WordStore):
        self.searcher = searcher
        self.version = version
        # Opened with the searcher: a reindex swaps the whole directory, words included.
        self.words = words
        self.counts: LruCache[tuple[Any, ...], int] = LruCache(4096)
        self.frequencies: Frequencies = LruCache(FREQUENCIES_KEPT)

    def close(self) -> None:
        self.words.close()


class FullTextIndex:
    """The engine's index in one directory, with a stored schema version and the words
    store (`indexer.words`) beside it. Safe to share between threads."""

    def __init__(self, directory: Path, ix: tantivy.Index):
        self.directory = directory
        self._ix = ix
        self._schema = engine_schema()
        self._compiler = Compiler(self._schema)
        self._words = WordStore(directory / WORDS_FILE)
        self._view_: _View | None = None
        self._opened_inode: int | None = None  # the directory `_ix` was opened on
        self._lock = threading.Lock()

    # --- opening ----------------------------------------------------------------------

    @classmethod
    def open(cls, directory: Path, *, create: bool = True) -> FullTextIndex:
        """Open the index; create it if absent and `create`; SchemaOutdated if built by
        another schema version (never wiped: `kb upgrade` rebuilds it)."""
        swapped = directory.with_name(directory.name + ".old")
        if not directory.exists() and (swapped / META_FILE).exists():
            # `replace` killed between its two renames: the previous index, complete, back
            # in place (the catalog's record of what is indexed still describes it).
            swapped.rename(directory)
        found = _read_version(directory / VERSION_FILE)
        if found is None and not (directory / META_FILE).exists():
            if not create:
                raise SchemaOutdated(_("{directory}: no index here; run `kb reindex`",
                                       directory=directory))
            return cls.create(directory)
        if found != SCHEMA_VERSION or not (directory / META_FILE).exists():
            raise SchemaOutdated(
                _("{directory}: index built by schema version {found}, this kb uses "
                  "{schema_version}; run `kb upgrade` to rebuild it from the catalog",
                  directory=directory, found=found, schema_version=SCHEMA_VERSION)
            )
        return cls(directory, tantivy.Index(engine_schema(), path=str(directory), reuse=True))

    @classmethod
    def create(cls, directory: Path) -> FullTextIndex:
        directory.mkdir(parents=True, exist_ok=True)
        ix = tantivy.Index(engine_schema(), path=str(directory), reuse=False)
        (directory / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
        return cls(directory, ix)

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
        self._words.close()

    def copy_commit(self, dest: Path, *, attempts: int = 50) -> int:
        """Copy the latest commit to the empty directory `dest`, while writers may run;
        returns its opstamp.

        A commit is `meta.json` (the segments it holds, each with its deletions) and the
        files of those segments, never changed once written; a later commit only adds
        files and deletes those no commit needs. So the files named by one `meta.json`,
        copied after it was read, are that commit exactly, unless a merge deleted one of
        them meanwhile: then start again from the newer commit. The words store (written
        before each commit, replayed harmlessly) is copied after, through SQLite's backup
        API.
        """
        dest.mkdir(parents=True, exist_ok=True)
        for _attempt in range(attempts):
            try:
                raw = (self.directory / META_FILE).read_bytes()
                meta = json.loads(raw)
            except (OSError, ValueError):  # replaced as we read it
                continue
            ids = {seg["segment_id"].replace("-", "") for seg in meta.get("segments", [])}
            names = [n for n in os.listdir(self.directory) if n.split(".", 1)[0] in ids]
            try:
                for name in names:
                    shutil.copyfile(self.directory / name, dest / name)
            except FileNotFoundError:
                for name in os.listdir(dest):
                    (dest / name).unlink()
                continue
            (dest / META_FILE).write_bytes(raw)
            shutil.copyfile(self.directory / VERSION_FILE, dest / VERSION_FILE)
            break
        else:
            raise IndexBusy(_("{directory}: the index changed too fast to be copied; try again",
                              directory=self.directory))
        self._words.copy_to(dest / WORDS_FILE)
        return int(meta.get("opstamp", 0))

    # --- writing ----------------------------------------------------------------------

    @contextmanager
    def writer(self, timeout: float = 0.0, *, merge: bool = True) -> Iterator[IndexWriter]:
        """One writer: commits on success, cancels and re-raises on error. (`merge` is
        the engine's business: it merges in the background.)"""
        wrapped = self.open_writer(timeout)
        try:
            yield wrapped
        except BaseException:
            wrapped.cancel()
            raise
        wrapped.commit()

    def open_writer(self, timeout: float = 0.0) -> IndexWriter:
        """A writer the caller must `commit` or `cancel` (prefer `writer()`); IndexBusy if
        another writer (in any process) holds the index past `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                raw = self._ix.writer(heap_size=WRITER_HEAP_MB * 1024 * 1024, num_threads=1)
                break
            except ValueError as exc:
                if "lock" not in str(exc).lower():
                    raise
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        _("{directory}: the index is being written by another process (an "
                          "ingest or reindex is running); try again when it ends",
                          directory=self.directory)
                    ) from exc
            time.sleep(_LOCK_RETRY_SECONDS)
        # A writer killed between a commit's files and meta.json left them, named after
        # the opstamp this writer's commit may reuse (FileAlreadyExists): the engine
        # deletes what no commit uses (tests/indexer/test_engine.py).
        raw.garbage_collect_files()
        return IndexWriter(raw, self._words, lambda: len(self.segments()))

    # --- reading ----------------------------------------------------------------------

    def generation(self) -> int:
        """The latest commit's opstamp: changes whenever any process commits."""
        try:
            return int(json.loads((self.directory / META_FILE).read_bytes()).get("opstamp", 0))
        except (OSError, ValueError):
            return -1

    def version(self) -> tuple[int, ...]:
        """What the index holds now: changes whenever any process commits (a commit
        writes a new `meta.json`) and when a reindex swaps a new directory in."""
        try:
            meta = (self.directory / META_FILE).stat()
            return self.directory.stat().st_ino, meta.st_ino, meta.st_mtime_ns, meta.st_size
        except OSError:  # between the two renames of a swap
            return (-1,)

    def _view(self) -> _View:
        """The searcher on the latest commit, reused while the index does not change."""
        with self._lock:
            version = self.version()
            view = self._view_
            if view is None or version != view.version:
                if view is not None:
                    view.close()
                self._view_ = view = self._open_view(version)
            return view

    def _open_view(self, version: tuple[int, ...]) -> _View:
        for attempt in range(20):
            try:
                if version[0] != self._opened_inode:  # a reindex swapped a new one in
                    self._ix = tantivy.Index(self._schema, path=str(self.directory), reuse=True)
                    self._opened_inode = version[0]
                self._ix.reload()
                searcher = self._ix.searcher()
                break
            except ValueError:  # a merge deleted a file of the commit we read: read again
                if attempt == 19:
                    raise
                time.sleep(0.01)
                version = self.version()
        words = WordStore(self.directory / WORDS_FILE)
        return _View(searcher, version, words)

    def searcher(self) -> object:
        """Open (or reuse) the searcher on the latest commit: a warm-up for servers."""
        return self._view().searcher

    def segments(self) -> list[tuple[int, int]]:
        """(documents, deleted documents) of each segment of the latest commit."""
        try:
            meta = json.loads((self.directory / META_FILE).read_bytes())
        except (OSError, ValueError):
            return []
        out = []
        for seg in meta.get("segments", []):
            deleted = (seg.get("deletes") or {}).get("num_deleted_docs", 0)
            out.append((int(seg["max_doc"]) - int(deleted), int(deleted)))
        return out

    def doc_count(self) -> int:
        return int(self._view().searcher.num_docs)

    def revisions(self) -> dict[str, int]:
        """id -> revision of every indexed document (to reconcile with the catalog)."""
        searcher = self._view().searcher
        total = int(searcher.num_docs)
        if not total:
            return {}
        found = searcher.aggregate(Query.all_query(), {
            "ids": {"terms": {"field": "id", "size": total + 1},
                    "aggs": {"revision": {"max": {"field": "revision"}}}},
        })  # fmt: skip
        return {b["key"]: int(b["revision"]["value"]) for b in found["ids"]["buckets"]}

    def search(self, request: SearchRequest) -> SearchPage:
        """Run a request: hits of one page, total, facets, suggestion, all within
        `request.visibilities`. InvalidQuery for an unknown sort or filter field."""
        if request.sort not in SORTS:
            raise InvalidQuery(_("sort: {sort!r} is not one of {sorts}",
                                 sort=request.sort, sorts=', '.join(SORTS)))
        if request.order is not None and request.order not in ORDERS:
            raise InvalidQuery(_("order: {order!r} is not one of {orders}",
                                 order=request.order, orders=', '.join(ORDERS)))
        for name in request.filters:
            if name not in _FILTERABLE:
                raise InvalidQuery(_("{name}: not a field to filter on", name=name))
        view = self._view()
        visible = self._visible(request.visibilities)
        filters = {name: self._values_query(name, values)
                   for name, values in request.filters.items() if values}  # fmt: skip
        expander = fuzzy_expander(view.words, request.visibilities)

        def seen() -> int:
            return self._count(view, Query.all_query(), visible)

        def holders(field: str, key: str) -> int:
            term = Query.term_query(self._schema, field, key)
            return self._count(view, term, visible)

        def read(text: str) -> tuple[wq.Node, ParsedQuery]:
            parsed = self._parse(text, request.resolve_tag, expander)
            widened = expand(parsed.query, parsed.runs, request.tag_names, holders, seen)
            return widened, parsed

        query, parsed = read(request.text)
        compiled = self._compiler.compile(query)
        conditions = [q for q in (visible, *filters.values()) if q is not None]
        if request.twins:
            behind = self._twins_behind(view, compiled, conditions, request.twins)
            visible = self._visible(request.visibilities, behind)
            conditions = [q for q in (visible, *filters.values()) if q is not None]
        allowed = restricted(compiled, conditions)
        # An empty query ranks nothing: list the library newest first.
        sort = request.sort
        if sort == "relevance" and isinstance(query, wq.Every):
            sort = "date"
        page, size = max(1, request.page), max(1, min(request.size, MAX_PAGE_SIZE))
        ascending = (request.order or ("asc" if sort == "title" else "desc")) == "asc"
        order = tantivy.Order.Asc if ascending else tantivy.Order.Desc
        offset = (page - 1) * size
        searcher = view.searcher
        if sort == "relevance":
            found = searcher.search(allowed, limit=size, offset=offset, count=True)
            hits_at = [(score, address) for score, address in found.hits]
        else:
            field = DATE_KEY if sort == "date" else TITLE_KEY
            found = searcher.search(allowed, limit=size, offset=offset, count=True,
                                    order_by_field=field, order=order)  # fmt: skip
            hits_at = [(0.0, address) for _key, address in found.hits]
        total = _count_of(found)
        hits = self._hits(view, query, hits_at, request.snippets)
        facets: dict[str, dict[str, int]] = {}
        if request.facets:
            base = [visible] if visible is not None else []
            facets = facet_counts(view.searcher, compiled, base, filters, request.filters)
        suggestion = None
        if request.suggest and request.text.strip():
            suggestion = self._suggest(view, request, parsed, read, visible, conditions)
        return SearchPage(
            total=total,
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
        twins: tuple[tuple[str, ...], ...] = (),
    ) -> SearchPage:
        """Documents like `doc_id` (its most distinctive words), itself and its twins left
        out, one document of each other group of `twins` (as `SearchRequest.twins`).

        NotFound if the document is not indexed or not among `visibilities` (the same
        message: a hidden document's existence is not revealed).
        """
        view = self._view()
        visible = self._visible(visibilities)
        me = Query.term_query(self._schema, "id", doc_id)
        found = view.searcher.search(restricted(me, [visible] if visible else []), limit=1)
        if not found.hits:
            raise NotFound(_("no document with id {doc_id!r}", doc_id=doc_id))
        address = found.hits[0][1]
        doc = view.searcher.doc(address)
        shown = _shown(doc)
        text = _text(doc)
        query = similar_query(view.searcher, "\n".join(
            (shown.get("title") or "", shown.get("summary") or "", text)), view.frequencies)
        size = max(1, min(size, MAX_PAGE_SIZE))
        if isinstance(query, wq.Nothing):
            return SearchPage(total=0, page=1, size=size, hits=())
        compiled = Query.boolean_query([
            (Occur.Must, self._compiler.compile(query)), (Occur.MustNot, me)])  # fmt: skip
        own = next((g for g in twins if doc_id in g), ())
        if twins:
            behind = self._twins_behind(view, compiled, [visible] if visible else [], twins)
            visible = self._visible(visibilities, behind | set(own))
        allowed = restricted(compiled, [visible] if visible else [])
        result = view.searcher.search(allowed, limit=size, count=True)
        hits = self._hits(view, query, list(result.hits), snippets)
        return SearchPage(total=_count_of(result), page=1, size=size, hits=hits)

    # --- internals ----------------------------------------------------------------------

    def _parse(
        self, text: str, resolve_tag: TagResolver | None, expand_fuzzy: FuzzyExpander | None
    ) -> ParsedQuery:
        return parse_query(
            text,
            kinds=QUERY_FIELD_KINDS,
            text_fields=TEXT_FIELD_BOOSTS,
            tag_fields=QUERY_TAG_FIELDS,
            resolve_tag=resolve_tag,
            expand_fuzzy=expand_fuzzy,
        )

    def _twins_behind(self, view: _View, compiled: tantivy.Query,
                      conditions: Sequence[tantivy.Query],
                      twins: Sequence[Sequence[str]]) -> frozenset[str]:
        """The twins that stand behind another: of each group's documents that `compiled`
        matches within `conditions`, all but the first. Matches are read from the id column
        (no stored document), in one aggregation over the groups' documents."""
        members = sorted({i for group in twins for i in group})
        among = Query.term_set_query(self._schema, "id", members)
        found = view.searcher.aggregate(restricted(compiled, [*conditions, among]), {
            "ids": {"terms": {"field": "id", "size": len(members)}}})  # fmt: skip
        matched = {b["key"] for b in found.get("ids", {}).get("buckets", [])}
        behind: set[str] = set()
        for group in twins:
            behind.update([i for i in group if i in matched][1:])
        return frozenset(behind)

    def _visible(self, visibilities: frozenset[str] | None,
                 exclude: Set[str] = frozenset()) -> tantivy.Query | None:
        """The documents a request may find: among `visibilities` (None: any), not in
        `exclude`; None when that is every document."""
        conditions = [] if visibilities is None else [
            (Occur.Must, self._values_query("visibility", visibilities))]
        if exclude:
            conditions += [(Occur.Must, Query.all_query()),
                           (Occur.MustNot, Query.term_set_query(self._schema, "id",
                                                                sorted(exclude)))]
        if not conditions:
            return None
        return conditions[0][1] if len(conditions) == 1 else Query.boolean_query(conditions)

    def _values_query(self, field: str, values: Sequence[str] | frozenset[str]
                      ) -> tantivy.Query:  # fmt: skip
        """Documents holding any of `values` in `field` (a filter: scores nothing)."""
        if field == "year":
            return self._years_query(values)
        return Query.term_set_query(self._schema, field, sorted(values))

    def _years_query(self, values: Sequence[str] | frozenset[str]) -> tantivy.Query:
        """Documents of any of the years or ranges of years `values` (`indexer.years`)."""
        numbers: list[int] = []
        ranges: list[tantivy.Query] = []
        for value in values:
            span = read_years(value)
            if span is None:
                raise InvalidQuery(not_a_year("year", value))
            if span.single is not None:
                numbers.append(span.single)
                continue
            ranges.append(Query.range_query(
                self._schema, "year", tantivy.FieldType.Integer,
                span.first if span.first is not None else -(2**62),
                span.last if span.last is not None else 2**62,
                include_lower=True, include_upper=True))  # fmt: skip
        if numbers:
            ranges.append(Query.term_set_query(self._schema, "year", numbers))
        if len(ranges) == 1:
            return ranges[0]
        return Query.boolean_query([(Occur.Should, q) for q in ranges])

    def _count(self, view: _View, query: tantivy.Query, visible: tantivy.Query | None) -> int:
        """Documents `query` matches within `visible` (the engine refuses limit=0)."""
        key = (repr(query), repr(visible))
        found = view.counts.get(key)
        if found is None:
            found = _count_of(view.searcher.search(
                restricted(query, [visible] if visible else []), limit=1, count=True))
            view.counts.put(key, found)
        return found

    def _hits(
        self, view: _View, query: wq.Node, found: Sequence[tuple[float, Any]], snippets: int
    ) -> tuple[SearchHit, ...]:
        wanted = query_terms(query) if snippets > 0 else None
        hits = []
        for score, address in found:
            doc = view.searcher.doc(address)
            shown = _shown(doc)
            found_snippets: tuple[Snippet, ...] = ()
            if wanted:
                text = _text(doc)
                found_snippets = snippets_of(text, shown.get("sections") or [], wanted,
                                             snippets)  # fmt: skip
            hits.append(
                SearchHit(
                    id=shown["id"],
                    score=round(_shown_score(float(score)), 4),
                    title=shown.get("title") or "",
                    tags={k: tuple(v) for k, v in (shown.get("tags") or {}).items()},
                    year=shown.get("year"),
                    snippets=found_snippets,
                )
            )
        return tuple(hits)

    def _suggest(
        self,
        view: _View,
        request: SearchRequest,
        parsed: ParsedQuery,
        read: Any,
        visible: tantivy.Query | None,
        conditions: list[tantivy.Query],
    ) -> str | None:
        def known(stem: str) -> bool:
            either = Query.boolean_query([
                (Occur.Should, Query.term_query(self._schema, field, stem))
                for field in TEXT_FIELD_BOOSTS])  # fmt: skip
            return self._count(view, either, visible) > 0

        def as_written(word: str) -> str | None:
            stem = prepare_text(word).terms
            if not stem:
                return None
            term = Query.term_query(self._schema, "content", stem)
            found = view.searcher.search(restricted(term, [visible] if visible else []),
                                         limit=1)  # fmt: skip
            for _score, address in found.hits:
                text = _text(view.searcher.doc(address))
                return written_as(text, word)
            return None

        def finds_something(text: str) -> bool:
            query = self._compiler.compile(read(text)[0])
            return self._count(view, restricted(query, conditions), None) > 0

        return suggest(
            request.text,
            runs=parsed.runs,
            known=known,
            as_written=as_written,
            words=view.words,
            visibilities=request.visibilities,
            accept=finds_something,
            names=request.tag_names,
        )


def _count_of(result: tantivy.SearchResult) -> int:
    """The total a search counted (`count=True`)."""
    return int(getattr(result, "count", 0) or 0)


def _shown(doc: tantivy.Document) -> dict[str, Any]:
    """What a hit shows of a document (stored as JSON)."""
    return dict(json.loads(bytes(doc.get_first(STORED_FIELDS) or b"{}")))


def _text(doc: tantivy.Document) -> str:
    return bytes(doc.get_first(STORED_TEXT) or b"").decode("utf-8")


def _shown_score(score: float) -> float:
    """A score as hits show it: the tier (words held) plus the relevance inside it."""
    if score < TIER:
        return score
    tier = int(score // TIER)
    return tier + tier_relevance(score - tier * TIER)


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
    "title_key",
]
