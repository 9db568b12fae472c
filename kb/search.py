"""Searching a library: filters resolved through the vocabulary, answers cached per index
commit, and each page of hits completed from the catalog in one query (its file's path, and
its state and visibility, which the index may lag by a commit: see `still_visible` in
api/routes/search.py).

`Searches` is the service `Library` composes for it (`Library.searches`, with `search`,
`similar`, `twins_seen_by` and `resolve_filters` on the library itself for its callers).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from sys import getsizeof
from typing import Any

from indexer.fields import index_field, tag_field
from indexer.index import FullTextIndex, SearchHit, SearchPage, SearchRequest
from indexer.lru import LruCache, MemoryBudget
from indexer.messages import Message, _
from indexer.years import not_a_year, read_years
from kb.catalog import Catalog, HitFacts
from kb.catalog import collections as collection_store
from kb.choices import not_in_vocabulary
from kb.documents import Documents
from kb.errors import InvalidTag, NotFound
from kb.tags import effective
from kb.twins import twin_groups, visible_twins
from kb.vocabulary import Vocabulary

# Answers kept per library for repeated searches (a portal's home page and facet links).
SEARCH_CACHE_SIZE = 512
# What an answer's objects cost beside their strings, in bytes, for `answer_bytes`:
# `sys.getsizeof` on CPython 3.11 of each object, its attributes' dict included, rounded up.
TUPLE_BYTES = 64  # a tuple of a few
ANSWER_BYTES = 1536  # the index's page and the catalog's, their tuples, warnings, suggestion
FACET_BYTES = 256  # a facet's dict
FACET_VALUE_BYTES = 80  # a value's count and its slot
HIT_BYTES = 1152  # the index's hit and the catalog's, score, year, state, the tags' dict
SNIPPET_BYTES = 256  # its object, page number and the tuple of highlights
SPAN_BYTES = 112  # a highlight: a tuple of two ints
# An `id` filter value no document has (ids are hex): an empty collection finds nothing.
NO_DOCUMENT = "-"
# Tag fields whose names in a query also find the documents tagged with them.
QUERY_EXPANDED_FIELDS = ("family", "territory")


# (index version, groups of twins, visibilities -> the groups as those callers see them)
TwinsSeen = tuple[Any, list[tuple[str, ...]],
                  dict[frozenset[str] | None, tuple[tuple[str, ...], ...]]]


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
    # The catalog's word, read with the page: the index may lag a change by one commit.
    state: str | None = None  # None: no longer in the catalog
    visibility: tuple[str, ...] = ()  # effective visibility



@dataclass(frozen=True)
class SearchResults:
    total: int
    page: int
    size: int
    hits: tuple[ResultHit, ...]
    warnings: tuple[Message, ...]
    facets: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    suggestion: str | None = None

    @property
    def last_page(self) -> int:
        """The last page holding hits (1 when there are none)."""
        return max(1, -(-self.total // self.size))

    @property
    def past_end(self) -> bool:
        """Whether this page comes after the last one: it holds no hits, and the CLI, the
        API and the pages say so, naming the last page, rather than show an empty page."""
        return self.page > self.last_page


class Searches:
    """Search, similar documents and filter resolution over one library's catalog,
    vocabulary and index (`index` opens it on first use: a library may be opened without
    one for commands that never search)."""

    def __init__(
        self,
        catalog: Catalog,
        vocabulary: Vocabulary,
        documents: Documents,
        index: Callable[[], FullTextIndex],
        budget: MemoryBudget,
    ):
        self.catalog = catalog
        self.vocabulary = vocabulary
        self._documents = documents
        self._index = index
        # The last answers, per index commit (a repeated question costs ~0.01 ms).
        self.cache: LruCache[tuple[Any, ...], tuple[SearchPage, SearchResults]] = LruCache(
            SEARCH_CACHE_SIZE, budget=budget, sizeof=answer_bytes)
        self._twins_seen: TwinsSeen | None = None

    @property
    def index(self) -> FullTextIndex:
        return self._index()

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
        twins = self.twins_seen_by(visibilities)
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
        cached = self.cache.get(key)
        if cached is not None:
            found, results = cached
            if visibilities is None:
                return results  # everything is visible: nothing to check again
            # The catalog's word may have changed since (a visibility the index has not
            # caught up with yet): the same one query as a new answer, then the same answer.
            facts = self.catalog.hit_facts([h.id for h in found.hits])
            if all((h.state, h.path, h.visibility) == _seen(facts.get(h.id)) for h in results.hits):
                return results
            again = self._results(found, facts)
        else:
            found = self.index.search(
                SearchRequest(
                    text=text,
                    filters=resolved,
                    visibilities=visibilities,
                    twins=twins,
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
            again = self._results(found)
        self.cache.put(key, (found, again))
        return again

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
        doc = self._documents.resolve(doc_id)
        try:
            found = self.index.similar(doc.id, visibilities=visibilities, size=size,
                                       twins=self.twins_seen_by(visibilities))
        except NotFound:
            if doc.state == "active" and doc.indexed_revision is None:
                raise NotFound(
                    _("document {id} is not in the index yet (an ingest is under way or was "
                      "interrupted); the next `kb ingest`, change or `kb serve` adds it",
                      id=doc.id)
                ) from None
            raise
        return self._results(found)

    def twins_seen_by(self, visibilities: frozenset[str] | None
                      ) -> tuple[tuple[str, ...], ...]:
        """The groups of twins (`kb.twins`) as a caller among `visibilities` sees them,
        kept per index commit: twins and visibilities change through the index, a commit
        away at most."""
        version = self.index.version()
        if self._twins_seen is None or self._twins_seen[0] != version:
            self._twins_seen = (version, twin_groups(self.catalog), {})
        _version, groups, seen = self._twins_seen
        if visibilities not in seen:
            seen[visibilities] = visible_twins(self.catalog, groups, visibilities)
        return seen[visibilities]

    def _results(self, found: SearchPage, facts: Mapping[str, HitFacts] | None = None
                 ) -> SearchResults:
        """The index's page with the catalog's facts on its hits (`facts`, else read in one
        catalog query)."""
        if facts is None:
            facts = self.catalog.hit_facts([h.id for h in found.hits])
        hits = tuple(_hit(h, facts.get(h.id)) for h in found.hits)
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
                resolved["year"] = resolve_years(values)
                continue
            if name not in self.vocabulary.fields:
                raise InvalidTag(_("{name}: not a tag field ({fields})",
                                   name=name, fields=', '.join(self.vocabulary.fields)))
            keys = []
            for value in values:
                term = self.vocabulary.resolve(name, value)
                if term is None:
                    raise InvalidTag(not_in_vocabulary(self.vocabulary, name, value))
                keys.append(term.key)
            resolved[index_field(name)] = tuple(keys)
        return resolved

    def _collection_members(self, collections: tuple[str, ...]) -> tuple[str, ...]:
        """Ids of the documents in any of `collections` (NotFound for an unknown one), as an
        `id` filter; an empty collection gives an id no document has, so it finds nothing."""
        ids: list[str] = []
        for name in collections:
            members = collection_store.document_ids(self.catalog, name)
            if members is None:
                raise NotFound(_("collection: no collection {name!r}", name=name[:80]))
            ids.extend(members)
        return tuple(dict.fromkeys(ids)) or (NO_DOCUMENT,)


def resolve_years(values: tuple[str, ...]) -> tuple[str, ...]:
    """Year filter values (years, ranges: `indexer.years`) in their canonical spelling;
    InvalidTag naming the value for one that is neither."""
    spans = []
    for value in values:
        span = read_years(value)
        if span is None:
            raise InvalidTag(not_a_year("year", value))
        spans.append(str(span))
    return tuple(dict.fromkeys(spans))


def answer_bytes(answer: tuple[SearchPage, SearchResults]) -> int:
    """The memory a cached answer holds, from its strings' sizes and its objects' counts:
    walking every object (`indexer.lru.deep_size`) took ~0.8 ms an answer, a tenth of a
    search's CPU in the API. The catalog's hits share the index's titles, tags and
    snippets (`_hit`); `tests/kb/test_search_cache.py` checks the count against the walk."""
    found, results = answer
    size = ANSWER_BYTES
    for counts in found.facets.values():
        size += FACET_BYTES + sum(FACET_VALUE_BYTES + getsizeof(k) for k in counts)
    for hit, result in zip(found.hits, results.hits, strict=False):
        size += HIT_BYTES + _strings(hit.id, hit.title, result.path, *result.visibility)
        for values in hit.tags.values():
            size += TUPLE_BYTES + _strings(*values)
        for snippet in hit.snippets:
            size += (SNIPPET_BYTES + _strings(snippet.text, snippet.heading)
                     + SPAN_BYTES * len(snippet.highlights))
    return size


def _strings(*strings: str | None) -> int:
    return sum(getsizeof(s) for s in strings if s is not None)


def _hit(hit: SearchHit, facts: HitFacts | None) -> ResultHit:
    seen = _seen(facts)
    return ResultHit(
        id=hit.id,
        title=hit.title,
        score=hit.score,
        path=seen[1],
        year=hit.year,
        tags=hit.tags,
        snippets=hit.snippets,
        state=seen[0],
        visibility=seen[2],
    )


def _seen(facts: HitFacts | None) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(state, path, effective visibility) of a hit, as the catalog has them."""
    if facts is None:
        return None, None, ()
    return facts.state, facts.path, effective(facts.visibility).get("visibility", ())
