"""The full-text index: the one narrow interface over Whoosh.

Everything else in the project talks to `FullTextIndex` with plain values
(`IndexDocument`, `SearchRequest`, `SearchPage`); no Whoosh object crosses this module.

Whoosh facts this relies on (pinned by tests/test_index.py):
- one writer at a time; a second one gets a lock error at once (we raise IndexBusy);
- `Searcher.refresh()` is wrong in whoosh-reloaded 2.7.5 (it keeps deleted documents), so
  a new searcher is opened whenever the index generation changes;
- a writer killed mid-commit leaves the index at its last commit.
"""

from __future__ import annotations

import bisect
import json
import logging
import shutil
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import highlight, index
from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.writing import LockError

from indexer.extract.base import Section
from indexer.query import parse_query
from indexer.schema import SCHEMA_VERSION, TAG_FIELDS, TEXT_FIELD_BOOSTS, build_schema
from kb.errors import IndexBusy, InvalidQuery, SchemaOutdated

log = logging.getLogger(__name__)

VERSION_FILE = "kb-index.json"
SECTION_SEPARATOR = "\n\n"
# Fields a query may name as `field:value`, and the index field behind each.
QUERY_TAG_FIELDS = {name: name for name in TAG_FIELDS} | {
    "territory": "territory_path",
    "year": "year",
    "title": "title",
    "author": "authors",
    "authors": "authors",
}


@dataclass(frozen=True)
class IndexDocument:
    """What the index holds about one document."""

    id: str
    revision: int
    title: str
    sections: tuple[Section, ...]
    tags: Mapping[str, tuple[str, ...]]  # effective controlled tags: field -> keys
    territory_path: tuple[str, ...] = ()  # territories and all their ancestors
    authors: tuple[str, ...] = ()
    summary: str = ""
    year: int | None = None
    date: str | None = None


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    # index field -> accepted values: values of one field are OR-ed, fields AND-ed.
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # None: every document (the local command line); else only these visibilities.
    visibilities: frozenset[str] | None = None
    page: int = 1
    size: int = 10
    snippets: int = 3
    sort: str = "relevance"  # or "date" (newest first)
    facets: bool = False  # count tag values over the matching documents


@dataclass(frozen=True)
class Snippet:
    text: str
    highlights: tuple[tuple[int, int], ...]  # (start, end) offsets of matched words in text
    page: int | None
    heading: str | None


@dataclass(frozen=True)
class SearchHit:
    id: str
    score: float
    title: str
    tags: Mapping[str, tuple[str, ...]]
    year: int | None
    snippets: tuple[Snippet, ...]


@dataclass(frozen=True)
class SearchPage:
    total: int
    page: int
    size: int
    hits: tuple[SearchHit, ...]
    warnings: tuple[str, ...] = ()
    facets: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    suggestion: str | None = None  # "did you mean" when the words are not in the library


class FullTextIndex:
    """A Whoosh index in one directory, with a stored schema version."""

    def __init__(self, directory: Path, ix: index.Index):
        self.directory = directory
        self._ix = ix
        self._searcher: Searcher | None = None
        self._generation = -1
        self._lock = threading.Lock()

    # --- opening ----------------------------------------------------------------------

    @classmethod
    def open(cls, directory: Path, *, create: bool = True) -> FullTextIndex:
        """Open the index; create it if absent and `create`; SchemaOutdated if built by
        another schema version (never wiped: `kb reindex` rebuilds it)."""
        version_file = directory / VERSION_FILE
        if not index.exists_in(str(directory)):
            if not create:
                raise SchemaOutdated(f"{directory}: no index here; run `kb reindex`")
            return cls.create(directory)
        found = _read_version(version_file)
        if found != SCHEMA_VERSION:
            raise SchemaOutdated(
                f"{directory}: index built by schema version {found}, this kb uses "
                f"{SCHEMA_VERSION}; run `kb reindex` to rebuild it from the catalog"
            )
        return cls(directory, index.open_dir(str(directory)))

    @classmethod
    def create(cls, directory: Path) -> FullTextIndex:
        directory.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(str(directory), build_schema())
        (directory / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
        return cls(directory, ix)

    @staticmethod
    def replace(old: Path, new: Path) -> None:
        """Swap a freshly built index directory into place of the old one."""
        trash = old.with_name(old.name + ".old")
        shutil.rmtree(trash, ignore_errors=True)
        if old.exists():
            old.rename(trash)
        new.rename(old)
        shutil.rmtree(trash, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
        self._ix.close()

    # --- writing ----------------------------------------------------------------------

    @contextmanager
    def writer(self, timeout: float = 0.0) -> Iterator[IndexWriter]:
        """One writer: commits on success, cancels and re-raises on error."""
        try:
            raw = self._ix.writer(timeout=timeout, limitmb=256)
        except LockError as exc:
            raise IndexBusy(
                f"{self.directory}: the index is locked by another process (an ingest or "
                "reindex is running); try again when it ends"
            ) from exc
        wrapped = IndexWriter(raw)
        try:
            yield wrapped
        except BaseException:
            raw.cancel()
            raise
        wrapped.commit()

    # --- reading ----------------------------------------------------------------------

    def searcher(self) -> Searcher:
        """A searcher on the latest commit, reused while the index does not change."""
        with self._lock:
            generation = self._ix.latest_generation()
            if self._searcher is None or generation != self._generation:
                if self._searcher is not None:
                    self._searcher.close()
                self._ix = index.open_dir(str(self.directory))
                self._searcher = self._ix.searcher()
                self._generation = generation
            return self._searcher

    def doc_count(self) -> int:
        return self.searcher().doc_count()

    def revisions(self) -> dict[str, int]:
        """id -> revision of every indexed document (to reconcile with the catalog)."""
        searcher = self.searcher()
        return {
            fields["id"]: fields["revision"] for fields in searcher.reader().all_stored_fields()
        }

    def search(self, request: SearchRequest) -> SearchPage:
        """Run a request; InvalidQuery when the text cannot be read at all."""
        searcher = self.searcher()
        parsed = parse_query(
            request.text,
            schema=self._ix.schema,
            text_fields=TEXT_FIELD_BOOSTS,
            tag_fields=QUERY_TAG_FIELDS,
        )
        page = max(1, request.page)
        size = max(1, min(request.size, 1000))
        restrict = _filter_query(request.filters, request.visibilities)
        results = searcher.search_page(
            parsed.query, page, pagelen=size, filter=restrict, terms=True
        )
        snippeter = _Snippeter(request.snippets)
        hits = []
        for hit in results:
            fields = hit.fields()
            hits.append(
                SearchHit(
                    id=fields["id"],
                    score=round(float(hit.score or 0.0), 4),
                    title=fields.get("title", ""),
                    tags={k: tuple(v) for k, v in json.loads(fields.get("tags", "{}")).items()},
                    year=fields.get("year"),
                    snippets=snippeter.snippets(hit, fields),
                )
            )
        return SearchPage(
            total=results.total,
            page=page,
            size=size,
            hits=tuple(hits),
            warnings=parsed.warnings,
        )


class IndexWriter:
    """Adds, replaces and deletes documents inside one `FullTextIndex.writer()` block."""

    def __init__(self, raw: Any):
        self._raw = raw
        self.written: list[tuple[str, int]] = []  # (id, revision) held after commit
        self.deleted: list[str] = []

    def upsert(self, doc: IndexDocument) -> None:
        content, starts = _join_sections(doc.sections)
        tag_values = {name: ",".join(doc.tags.get(name, ())) for name in TAG_FIELDS}
        self._raw.update_document(
            id=doc.id,
            revision=doc.revision,
            title=doc.title,
            summary=doc.summary,
            authors="; ".join(doc.authors),
            content=content,
            sections=starts,
            tags=json.dumps({k: list(v) for k, v in doc.tags.items() if v}, ensure_ascii=False),
            territory_path=",".join(doc.territory_path),
            year=doc.year,
            date=doc.date,
            **{k: v for k, v in tag_values.items() if v},
        )
        self.written.append((doc.id, doc.revision))

    def delete(self, doc_id: str) -> None:
        self._raw.delete_by_term("id", doc_id)
        self.deleted.append(doc_id)

    def commit(self) -> None:
        self._raw.commit()


def _read_version(version_file: Path) -> int | None:
    try:
        return int(json.loads(version_file.read_text())["schema_version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _join_sections(sections: Sequence[Section]) -> tuple[str, list[tuple[int, int | None, str]]]:
    """The document's text as one string, and where each section starts in it."""
    parts: list[str] = []
    starts: list[tuple[int, int | None, str]] = []
    offset = 0
    for section in sections:
        starts.append((offset, section.page, section.heading or ""))
        parts.append(section.text)
        offset += len(section.text) + len(SECTION_SEPARATOR)
    return SECTION_SEPARATOR.join(parts), starts


def _filter_query(
    filters: Mapping[str, tuple[str, ...]], visibilities: frozenset[str] | None
) -> wq.Query | None:
    clauses: list[wq.Query] = []
    for name, values in filters.items():
        if not values:
            continue
        if name == "year":
            try:
                clauses.append(wq.Or([wq.NumericRange("year", int(v), int(v)) for v in values]))
            except ValueError as exc:
                raise InvalidQuery(f"year: {values!r} is not a year") from exc
        else:
            clauses.append(wq.Or([wq.Term(name, v) for v in values]))
    if visibilities is not None:
        clauses.append(wq.Or([wq.Term("visibility", v) for v in sorted(visibilities)]))
    if not clauses:
        return None
    return wq.And(clauses)


class _SnippetFormatter(highlight.Formatter):
    """Keeps each fragment apart, with its position, instead of joining them into HTML."""

    def format(self, fragments, replace=False):  # noqa: ARG002 - Whoosh's signature
        out = []
        for fragment in fragments:
            text = fragment.text[fragment.startchar : fragment.endchar]
            marks = tuple(
                (t.startchar - fragment.startchar, t.endchar - fragment.startchar)
                for t in fragment.matches
                if fragment.startchar <= t.startchar and t.endchar <= fragment.endchar
            )
            out.append((fragment.startchar, text, marks))
        return out


class _Snippeter:
    def __init__(self, top: int):
        self.top = top
        self._highlighter = highlight.Highlighter(
            fragmenter=highlight.PinpointFragmenter(maxchars=220, surround=70, autotrim=True),
            formatter=_SnippetFormatter(),
            order=highlight.SCORE,
        )

    def snippets(self, hit: Any, fields: Mapping[str, Any]) -> tuple[Snippet, ...]:
        if self.top <= 0 or not fields.get("content"):
            return ()
        try:
            fragments = self._highlighter.highlight_hit(hit, "content", top=self.top)
        except KeyError:  # a query that matched only other fields: no body snippet
            return ()
        starts = fields.get("sections") or [(0, None, "")]
        offsets = [s[0] for s in starts]
        snippets = []
        for start, text, marks in sorted(fragments or ()):
            where = starts[max(0, bisect.bisect_right(offsets, start) - 1)]
            squashed, moved = _squash(text, marks)
            snippets.append(Snippet(squashed, moved, page=where[1], heading=where[2] or None))
        return tuple(snippets)


def _squash(
    text: str, marks: tuple[tuple[int, int], ...]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Collapse whitespace runs to one space, moving the highlight offsets along."""
    out: list[str] = []
    mapping: list[int] = []
    previous_space = False
    for ch in text:
        mapping.append(len(out))
        if ch.isspace():
            if not previous_space and out:
                out.append(" ")
            previous_space = True
        else:
            out.append(ch)
            previous_space = False
    mapping.append(len(out))
    squashed = "".join(out).rstrip()
    moved = tuple((mapping[s], min(mapping[e], len(squashed))) for s, e in marks)
    return squashed, moved
