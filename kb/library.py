"""A library: one directory holding the catalog and the full-text index derived from it."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.extract.base import Section
from indexer.fields import index_field, tag_field
from indexer.index import BatchWriter, FullTextIndex, IndexDocument, SearchPage, SearchRequest
from indexer.lru import LruCache
from indexer.prepare import PreparedText
from kb import failures
from kb.catalog import Catalog, DocumentRow, PathRow, now
from kb.curation import audit
from kb.curation.actors import Actor
from kb.errors import IndexBusy, InvalidTag, NotFound, SchemaOutdated
from kb.tags import Tag, effective
from kb.vocabulary import Vocabulary

log = logging.getLogger(__name__)

CATALOG_FILE = "catalog.sqlite"
INDEX_DIR = "index"
LOCK_FILE = "write.lock"
INDEX_BATCH = 1000  # documents per index commit: each commit costs, merging most
COMMIT_SECONDS = 30.0  # and at least this often, whatever the count
MIN_PREFIX = 4  # characters of an id prefix the command line resolves
# An `id` filter value no document has (ids are hex): an empty collection finds nothing.
NO_DOCUMENT = "-"
# Tag fields whose names in a query also find the documents tagged with them.
QUERY_EXPANDED_FIELDS = ("family", "territory")

Progress = Callable[[int, int, str], None]  # (done, total, current item)
# Answers kept per library for repeated searches (a portal's home page and facet links).
SEARCH_CACHE_SIZE = 512


@dataclass(frozen=True)
class DocumentView:
    """Everything `kb show` and the API say about one document."""

    document: DocumentRow
    paths: tuple[PathRow, ...]
    tags: tuple[Tag, ...]  # every tag from every origin
    effective: Mapping[str, tuple[str, ...]]  # what the index and searches use
    pages: int
    sections: int
    characters: int


@dataclass(frozen=True)
class ResultHit:
    """A search hit with what the catalog knows about its file."""

    id: str
    title: str
    score: float
    path: str | None
    year: int | None
    tags: Mapping[str, tuple[str, ...]]
    snippets: tuple[Any, ...]


@dataclass(frozen=True)
class SearchResults:
    total: int
    page: int
    size: int
    hits: tuple[ResultHit, ...]
    warnings: tuple[str, ...]
    facets: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    suggestion: str | None = None


class Library:
    """Opened with `Library.open(path, vocabulary)`; close it (or use `with`)."""

    def __init__(self, root: Path, catalog: Catalog, vocabulary: Vocabulary):
        self.root = root
        self.catalog = catalog
        self.vocabulary = vocabulary
        self._index: FullTextIndex | None = None
        self._search_cache: LruCache[tuple[Any, ...], SearchResults] = LruCache(SEARCH_CACHE_SIZE)

    @classmethod
    def open(cls, root: Path, vocabulary: Path | Vocabulary, *, create: bool = True) -> Library:
        root = Path(root)
        if not (root / CATALOG_FILE).exists():
            if not create:
                raise NotFound(
                    f"{root}: no library here; run `kb ingest FOLDER` to create one "
                    "(or pass --library / set KB_LIBRARY)"
                )
            root.mkdir(parents=True, exist_ok=True)
        vocab = vocabulary if isinstance(vocabulary, Vocabulary) else Vocabulary.load(vocabulary)
        return cls(root, Catalog.open(root / CATALOG_FILE), vocab)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
        self.catalog.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def index(self) -> FullTextIndex:
        """The full-text index; SchemaOutdated with "run `kb reindex`" if it is stale."""
        if self._index is None:
            self._index = FullTextIndex.open(self.root / INDEX_DIR)
        return self._index

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writing command (ingest, reindex, prune) at a time; released even on kill -9."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK_FILE, "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise IndexBusy(
                    f"{self.root}: another kb command is writing to this library "
                    "(ingest, watch, reindex or prune); try again when it ends"
                ) from exc
            handle.write(str(os.getpid()))
            handle.flush()
            yield

    # --- from catalog to index --------------------------------------------------------

    def index_document(
        self,
        doc: DocumentRow,
        *,
        sections: Sequence[Section] | None = None,
        prepared: PreparedText | None = None,
    ) -> IndexDocument:
        """What the index holds about `doc`, from the catalog; `sections` (the catalog's by
        default) and their analysed text `prepared` when the caller has them at hand."""
        tags = effective(self.catalog.tags(doc.id))
        controlled = {f: v for f, v in tags.items() if f in self.vocabulary.fields}
        territory_path: list[str] = []
        for key in tags.get("territory", ()):
            for k in (key, *self.vocabulary.ancestors("territory", key)):
                if k not in territory_path:
                    territory_path.append(k)
        year = _year(tags)
        return IndexDocument(
            id=doc.id,
            revision=doc.revision,
            title=(tags.get("title") or ("",))[0],
            sections=tuple(self.catalog.sections(doc.id) if sections is None else sections),
            tags=controlled,
            territory_path=tuple(territory_path),
            authors=tags.get("authors", ()),
            summary=(tags.get("summary") or ("",))[0],
            year=year,
            date=(tags.get("date") or (None,))[0],
            prepared=prepared,
        )

    def sync_index(self, progress: Progress | None = None, *, merge: bool = True) -> int:
        """Bring the index up to the catalog; returns how many documents it wrote or removed.

        Safe to run at any time: it is how an ingest killed between its catalog commit and
        its index commit is completed on the next run. Commits every INDEX_BATCH
        documents without merging segments, and merges (if `merge`) at the last commit.
        """
        pending = self.catalog.out_of_index()
        done = 0

        def committed(written: list[tuple[str, int]]) -> None:
            nonlocal done
            with self.catalog.transaction():
                self.catalog.mark_indexed(written)
            done += len(written)
            if progress:
                progress(done, len(pending), "index")

        with BatchWriter(self.index, batch=INDEX_BATCH, seconds=COMMIT_SECONDS, lock_wait=30.0,
                         merge=merge, on_commit=committed) as writer:
            for doc in pending:
                if doc.state == "active":
                    writer.upsert(self.index_document(doc))
                else:
                    writer.delete(doc.id, doc.revision)
        return done

    def reindex(self, progress: Progress | None = None, *, actor: Actor | None = None) -> int:
        """Rebuild the whole index from the catalog, without re-extracting any file.

        The new index is built beside the old one and swapped in at the end, so searches
        keep answering from the old one meanwhile and a failure leaves it untouched. The
        audit trail gets one "reindex" entry naming `actor` (None: the local user).
        """
        fresh_dir = self.root / (INDEX_DIR + ".new")
        shutil.rmtree(fresh_dir, ignore_errors=True)
        fresh = FullTextIndex.create(fresh_dir)
        docs = self.catalog.documents(state="active")
        done = 0

        def committed(written: list[tuple[str, int]]) -> None:
            nonlocal done
            done += len(written)
            if progress:
                progress(done, len(docs), "reindex")

        try:
            with BatchWriter(fresh, batch=INDEX_BATCH, seconds=COMMIT_SECONDS,
                             on_commit=committed) as writer:
                for doc in docs:
                    writer.upsert(self.index_document(doc))
        finally:
            fresh.close()
        if self._index is not None:
            self._index.close()
            self._index = None
        FullTextIndex.replace(self.root / INDEX_DIR, fresh_dir)
        with self.catalog.transaction():
            self.catalog.forget_indexed()
            self.catalog.mark_indexed((d.id, d.revision) for d in docs)
            audit.record(self.catalog, actor or Actor.local(), "reindex", "library", None,
                         after={"documents": len(docs)})
        return len(docs)

    # --- reading ----------------------------------------------------------------------

    def resolve_id(self, doc_id: str) -> DocumentRow:
        """A document by id or unambiguous id prefix; NotFound otherwise."""
        doc = self.catalog.document(doc_id)
        if doc is not None:
            return doc
        if len(doc_id) < MIN_PREFIX:
            raise NotFound(f"no document with id {doc_id!r}; an id prefix needs at least "
                           f"{MIN_PREFIX} characters")
        matches = self.catalog.find_documents(doc_id)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise NotFound(f"document id {doc_id!r} is ambiguous: give more characters")
        raise NotFound(f"no document with id {doc_id!r}")

    def show(self, doc_id: str) -> DocumentView:
        doc = self.resolve_id(doc_id)
        sections = self.catalog.sections(doc.id)
        tags = self.catalog.tags(doc.id)
        pages = {s.page for s in sections if s.page is not None}
        return DocumentView(
            document=doc,
            paths=tuple(self.catalog.paths_of(doc.id)),
            tags=tuple(tags),
            effective=effective(tags),
            pages=len(pages),
            sections=len(sections),
            characters=sum(len(s.text) for s in sections),
        )

    def display_path(self, doc_id: str) -> str | None:
        paths = self.catalog.paths_of(doc_id)
        present = [p for p in paths if p.state == "present"] or paths
        return present[0].given if present else None

    def search(
        self,
        text: str,
        filters: Mapping[str, tuple[str, ...]] | None = None,
        *,
        visibilities: frozenset[str] | None = None,
        page: int = 1,
        size: int = 10,
        sort: str = "relevance",
        order: str | None = None,
        facets: bool = False,
        snippets: int = 3,
        suggest: bool = True,
    ) -> SearchResults:
        """Search the documents among `visibilities` (None: all, for the local CLI).

        Filter values may be keys, labels or synonyms (InvalidTag if unknown); values of
        one field are OR-ed, fields AND-ed; a territory includes what lies below it.
        `facets` counts family, territory, mission, kind, year, instance and status over
        the matches (each facet without its own filter); `suggest` gives "did you mean"
        when words of `text` are in no visible document but close to words that are.
        InvalidQuery for an unknown `sort` (relevance, date, title) or `order` (asc, desc;
        None: best, newest first, titles A to Z).
        """
        resolved = self.resolve_filters(filters or {})
        # Same question, same index commit: same answer. Resolved filters are part of the
        # key, so a collection's new members (catalog only) give a new key.
        key = (
            self.index.version(),
            text,
            tuple(sorted(resolved.items())),
            visibilities,
            page,
            size,
            sort,
            order,
            facets,
            snippets,
            suggest,
        )
        cached = self._search_cache.get(key)
        if cached is not None:
            return cached
        found: SearchPage = self.index.search(
            SearchRequest(
                text=text,
                filters=resolved,
                visibilities=visibilities,
                page=page,
                size=size,
                snippets=snippets,
                sort=sort,
                order=order,
                facets=facets,
                suggest=suggest,
                resolve_tag=self._resolve_tag,
                tag_names=self._tags_named,
            )
        )
        results = self._results(found)
        self._search_cache.put(key, results)
        return results

    def similar(
        self,
        doc_id: str,
        *,
        visibilities: frozenset[str] | None = None,
        size: int = 10,
    ) -> SearchResults:
        """Documents like `doc_id` (id or unambiguous prefix), best first, itself excluded.

        NotFound if there is no such document or the caller may not see it.
        """
        doc = self.resolve_id(doc_id)
        try:
            found = self.index.similar(doc.id, visibilities=visibilities, size=size)
        except NotFound:
            if doc.state == "active" and doc.indexed_revision is None:
                raise NotFound(
                    f"document {doc.id} is not in the index yet (an ingest is under way or "
                    "was interrupted); the next `kb ingest`, change or `kb serve` adds it"
                ) from None
            raise
        return self._results(found)

    def index_lag(self) -> int:
        """How many changes of the catalog the index does not hold yet (0: up to date).

        A reader finding some answers from what is indexed (and says so); the next write,
        ingest or `kb serve` catches the index up.
        """
        return self.catalog.count(
            "SELECT count(*) FROM documents"
            " WHERE indexed_revision IS NULL OR indexed_revision != revision"
        )

    def _results(self, found: SearchPage) -> SearchResults:
        hits = tuple(
            ResultHit(
                id=h.id,
                title=h.title,
                score=h.score,
                path=self.display_path(h.id),
                year=h.year,
                tags=h.tags,
                snippets=h.snippets,
            )
            for h in found.hits
        )
        return SearchResults(
            found.total,
            found.page,
            found.size,
            hits,
            found.warnings,
            facets=found.facets,
            suggestion=found.suggestion,
        )

    def _resolve_tag(self, name: str, value: str) -> str | None:
        """`field:value` typed in a query -> vocabulary key (None: unknown value)."""
        field = tag_field(name)
        if field not in self.vocabulary.fields:
            return None
        term = self.vocabulary.resolve(field, value)
        return term.key if term is not None else None

    def _tags_named(self, phrase: str) -> list[tuple[str, str]]:
        """(index field, key) of the family or territory that `phrase` names, if any.

        Only these two fields: their names (URSCOP, mutualité, CG 35, brétilien) are what
        people type for them, while kind, mission or status labels are everyday words.
        """
        found = []
        for name in QUERY_EXPANDED_FIELDS:
            term = self.vocabulary.resolve(name, phrase)
            if term is not None:
                found.append((index_field(name), term.key))
        return found

    def resolve_filters(self, filters: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        """Map user filter values to index terms; InvalidTag names the field, value, closest.

        `collection` (ids or names of collections) becomes an `id` filter on their documents.
        """
        resolved: dict[str, tuple[str, ...]] = {}
        for name, values in filters.items():
            if not values:
                continue
            if name == "collection":
                resolved["id"] = self._collection_members(values)
                continue
            if name == "year":
                for value in values:
                    if not value.isdigit():
                        raise InvalidTag(f"year: {value!r} is not a year (e.g. 2008)")
                resolved["year"] = tuple(values)
                continue
            if name not in self.vocabulary.fields:
                raise InvalidTag(f"{name}: not a tag field ({', '.join(self.vocabulary.fields)})")
            keys = []
            for value in values:
                term = self.vocabulary.resolve(name, value)
                if term is None:
                    closest = ", ".join(self.vocabulary.closest(name, value)) or "none"
                    raise InvalidTag(f"{name}: unknown value {value!r} (closest: {closest})")
                keys.append(term.key)
            resolved[index_field(name)] = tuple(keys)
        return resolved

    def _collection_members(self, collections: tuple[str, ...]) -> tuple[str, ...]:
        """Ids of the documents in any of `collections` (NotFound for an unknown one), as an
        `id` filter; an empty collection gives an id no document has, so it finds nothing."""
        ids: list[str] = []
        for name in collections:
            members = self.catalog.collection_documents(name)
            if members is None:
                raise NotFound(f"collection: no collection {name[:80]!r}")
            ids.extend(members)
        return tuple(dict.fromkeys(ids)) or (NO_DOCUMENT,)

    def stats(self) -> dict[str, Any]:
        c = self.catalog
        try:
            indexed: int | str = self.index.doc_count()
        except SchemaOutdated as exc:
            indexed = str(exc)
        return {
            "library": str(self.root),
            "documents": c.count("SELECT count(*) FROM documents WHERE state = 'active'"),
            "missing": c.count("SELECT count(*) FROM documents WHERE state = 'missing'"),
            "indexed": indexed,
            "out_of_index": self.index_lag(),
            "paths": c.count("SELECT count(*) FROM paths WHERE state = 'present'"),
            "pages": c.count(
                "SELECT count(*) FROM sections s JOIN documents d ON d.id = s.document_id"
                " WHERE d.state = 'active' AND s.page IS NOT NULL"
            ),
            "failures": failures.count(c),
            "media_types": dict(c.media_type_counts()),
            "tags": _tag_summary(c.active_tags()),
            "last_ingest": c.last_run(),
        }

    def prune(self, *, actor: Actor | None = None) -> list[str]:
        """Delete the documents marked missing (and missing paths); returns their ids.

        The index is updated first: a crash in between leaves them missing in the catalog,
        which the next prune finishes. What the deletion removes (each document's tags and
        files, its entries in collections, which the foreign keys would drop silently) is
        written to the audit trail first, in the same transaction, naming `actor` (None:
        the local user): one "prune" entry, one "prune.delete" per document and one
        "collection.remove" per collection entry.
        """
        actor = actor or Actor.local()
        missing = self.catalog.documents(state="missing")
        if missing:
            with self.index.writer(timeout=30.0) as writer:
                for doc in missing:
                    writer.delete(doc.id)
        with self.catalog.transaction():
            # Read again inside the transaction, so that what is recorded is what goes; only
            # documents already out of the index go.
            out = {d.id for d in missing}
            gone = [d for d in self.catalog.documents(state="missing") if d.id in out]
            paths = self.catalog.db.execute(
                "SELECT given, document_id FROM paths WHERE state = 'missing' ORDER BY given"
            ).fetchall()
            touched = self._record_prune(actor, gone, paths)
            for doc in gone:
                self.catalog.delete_document(doc.id)
            self.catalog.delete_missing_paths()
            # The entries they had are gone: each collection changed (new revision, ETag).
            self.catalog.db.executemany(
                "UPDATE collections SET revision = revision + 1, updated_at = ? WHERE id = ?",
                [(now(), c) for c in sorted(touched)],
            )
        return [d.id for d in gone]

    def _record_prune(
        self, actor: Actor, gone: list[DocumentRow], paths: list[Any]
    ) -> set[str]:
        """Audit entries for a prune, written before the rows go; the collections touched."""
        removed: list[dict[str, Any]] = []
        for doc in gone:
            memberships = [
                {"collection": r["collection_id"], "name": r["name"],
                 "position": self._position(r["collection_id"], doc.id), "note": r["note"]}
                for r in self.catalog.db.execute(
                    "SELECT e.collection_id, e.note, c.name FROM collection_entries e"
                    " JOIN collections c ON c.id = e.collection_id WHERE e.document_id = ?"
                    " ORDER BY c.id",
                    (doc.id,),
                )
            ]
            tags = effective(self.catalog.tags(doc.id))
            audit.record(
                self.catalog, actor, "prune.delete", "document", doc.id, document_id=doc.id,
                before={
                    "state": doc.state,
                    "content_hash": doc.content_hash,
                    "media_type": doc.media_type,
                    "files": [p["given"] for p in paths if p["document_id"] == doc.id],
                    "tags": {f: list(v) for f, v in tags.items()},
                    "collections": memberships,
                },
                comment="every file of the document is gone",
            )
            for entry in memberships:
                audit.record(
                    self.catalog, actor, "collection.remove", "collection",
                    entry["collection"], document_id=doc.id,
                    before={"position": entry["position"], "note": entry["note"]},
                    comment="pruned: every file of the document is gone",
                )
                removed.append({"collection": entry["collection"], "document": doc.id})
        if gone or paths:
            audit.record(
                self.catalog, actor, "prune", "library", None,
                before={
                    "documents": [d.id for d in gone],
                    "files": [p["given"] for p in paths],
                    "collection_entries": removed,
                },
            )
        return {r["collection"] for r in removed}

    def _position(self, collection_id: str, doc_id: str) -> int:
        """1-based place of a document in a collection, as `kb collection show` numbers it."""
        rows = self.catalog.db.execute(
            "SELECT document_id FROM collection_entries WHERE collection_id = ? ORDER BY position",
            (collection_id,),
        )
        return next(i for i, r in enumerate(rows, 1) if r["document_id"] == doc_id)


def _year(tags: Mapping[str, tuple[str, ...]]) -> int | None:
    for value in tags.get("year", ()) + tuple(d[:4] for d in tags.get("date", ())):
        if value.isdigit():
            return int(value)
    return None


def _tag_summary(tags_by_document: Mapping[str, list[Tag]]) -> dict[str, dict[str, int]]:
    """Documents per effective tag value, most frequent first."""
    counts: dict[str, dict[str, int]] = {}
    for tags in tags_by_document.values():
        for name, values in effective(tags).items():
            if name in ("title", "summary", "date", "authors", "publisher"):
                continue
            for value in values:
                counts.setdefault(name, {})
                counts[name][value] = counts[name].get(value, 0) + 1
    return {
        name: dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))
        for name, values in sorted(counts.items())
    }
