"""Running a request on one view of the index: the page, its total, facets, suggestion.

How a search runs: the query is parsed (`indexer.query`), widened by the tags its words
name (`indexer.expand`) and compiled (`indexer.compile`); visibility and tag filters are
required clauses that do not score (`indexer.conditions`). The engine returns one page,
sorted by score, date or title, and the exact total; facets are the engine's term
aggregations (`indexer.facets`); the hits and their snippets come from the stored
documents of the page only (`indexer.hits`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set

import tantivy

from indexer.compile import Compiler
from indexer.conditions import FILTERABLE, Conditions
from indexer.errors import InvalidQuery, NotFound
from indexer.expand import expand
from indexer.facets import facet_counts, restricted
from indexer.hits import build_hits, shown_fields, stored_text
from indexer.messages import _
from indexer.prepare import prepare_text
from indexer.query import FuzzyExpander, ParsedQuery, parse_query
from indexer.query import nodes as wq
from indexer.requests import (
    MAX_PAGE_SIZE,
    ORDERS,
    QUERY_TAG_FIELDS,
    SORTS,
    SearchPage,
    SearchRequest,
    TagResolver,
)
from indexer.schema import DATE_KEY, QUERY_FIELD_KINDS, TEXT_FIELD_BOOSTS, TITLE_KEY
from indexer.similar import similar_query
from indexer.suggest import suggest, written_as
from indexer.view import View, count_of
from indexer.words import fuzzy_expander

Occur = tantivy.Occur
Query = tantivy.Query
# A query's text read: the tree to compile (widened by the tags it names), and the parse.
Reader = Callable[[str], tuple[wq.Node, ParsedQuery]]


class Searching:
    """Searches and similar documents for one engine schema, on the view given."""

    def __init__(self, schema: tantivy.Schema):
        self.schema = schema
        self.compiler = Compiler(schema)
        self.conditions = Conditions(schema)

    def search(self, view: View, request: SearchRequest) -> SearchPage:
        """Run a request: hits of one page, total, facets, suggestion, all within
        `request.visibilities`. InvalidQuery for an unknown sort or filter field."""
        if request.sort not in SORTS:
            raise InvalidQuery(_("sort: {sort!r} is not one of {sorts}",
                                 sort=request.sort, sorts=', '.join(SORTS)))
        if request.order is not None and request.order not in ORDERS:
            raise InvalidQuery(_("order: {order!r} is not one of {orders}",
                                 order=request.order, orders=', '.join(ORDERS)))
        for name in request.filters:
            if name not in FILTERABLE:
                raise InvalidQuery(_("{name}: not a field to filter on", name=name))
        visible = self.conditions.visible(request.visibilities)
        filters = {name: self.conditions.values(name, values)
                   for name, values in request.filters.items() if values}  # fmt: skip
        expander = fuzzy_expander(view.words, request.visibilities)

        def seen() -> int:
            return view.count(Query.all_query(), visible)

        def holders(field: str, key: str) -> int:
            return view.count(Query.term_query(self.schema, field, key), visible)

        def read(text: str) -> tuple[wq.Node, ParsedQuery]:
            parsed = self._parse(text, request.resolve_tag, expander)
            widened = expand(parsed.query, parsed.runs, request.tag_names, holders, seen)
            return widened, parsed

        query, parsed = read(request.text)
        compiled = self.compiler.compile(query)
        conditions = [q for q in (visible, *filters.values()) if q is not None]
        if request.twins:
            behind = self._twins_behind(view, compiled, conditions, request.twins)
            visible = self.conditions.visible(request.visibilities, behind)
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
        total = count_of(found)
        # The terms the hits' snippets found: held by documents the request may see.
        in_hits: set[str] = set()
        hits = build_hits(searcher, query, hits_at, request.snippets, in_hits)
        facets: dict[str, dict[str, int]] = {}
        if request.facets:
            base = [visible] if visible is not None else []
            facets = facet_counts(searcher, compiled, base, filters, request.filters)
        suggestion = None
        if request.suggest and request.text.strip():
            suggestion = self._suggest(view, request, parsed, read, visible, conditions,
                                       in_hits)  # fmt: skip
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
        view: View,
        doc_id: str,
        *,
        visibilities: frozenset[str] | None,
        size: int,
        snippets: int,
        twins: tuple[tuple[str, ...], ...],
    ) -> SearchPage:
        """Documents like `doc_id` (`FullTextIndex.similar`); NotFound if it is not
        indexed or not among `visibilities`."""
        visible = self.conditions.visible(visibilities)
        me = Query.term_query(self.schema, "id", doc_id)
        found = view.searcher.search(restricted(me, [visible] if visible else []), limit=1)
        if not found.hits:
            raise NotFound(_("no document with id {doc_id!r}", doc_id=doc_id))
        address = found.hits[0][1]
        doc = view.searcher.doc(address)
        shown = shown_fields(doc)
        text = stored_text(doc)
        query = similar_query(view.searcher, "\n".join(
            (shown.get("title") or "", shown.get("summary") or "", text)), view.frequencies)
        size = max(1, min(size, MAX_PAGE_SIZE))
        if isinstance(query, wq.Nothing):
            return SearchPage(total=0, page=1, size=size, hits=())
        compiled = Query.boolean_query([
            (Occur.Must, self.compiler.compile(query)), (Occur.MustNot, me)])  # fmt: skip
        own = next((g for g in twins if doc_id in g), ())
        if twins:
            behind = self._twins_behind(view, compiled, [visible] if visible else [], twins)
            visible = self.conditions.visible(visibilities, behind | set(own))
        allowed = restricted(compiled, [visible] if visible else [])
        result = view.searcher.search(allowed, limit=size, count=True)
        hits = build_hits(view.searcher, query, list(result.hits), snippets)
        return SearchPage(total=count_of(result), page=1, size=size, hits=hits)

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

    def _twins_behind(self, view: View, compiled: tantivy.Query,
                      conditions: Sequence[tantivy.Query],
                      twins: Sequence[Sequence[str]]) -> frozenset[str]:
        """The twins that stand behind another: of each group's documents that `compiled`
        matches within `conditions`, all but the first. Matches are read from the id column
        (no stored document), in one aggregation over the groups' documents."""
        members = sorted({i for group in twins for i in group})
        among = Query.term_set_query(self.schema, "id", members)
        found = view.searcher.aggregate(restricted(compiled, [*conditions, among]), {
            "ids": {"terms": {"field": "id", "size": len(members)}}})  # fmt: skip
        matched = {b["key"] for b in found.get("ids", {}).get("buckets", [])}
        behind: set[str] = set()
        for group in twins:
            behind.update([i for i in group if i in matched][1:])
        return frozenset(behind)

    def _suggest(
        self,
        view: View,
        request: SearchRequest,
        parsed: ParsedQuery,
        read: Reader,
        visible: tantivy.Query | None,
        conditions: list[tantivy.Query],
        in_hits: Set[str],
    ) -> str | None:
        def known(stem: str) -> bool:
            # A hit is a document within `visible`: what its text holds is known, uncounted.
            if stem in in_hits:
                return True
            either = Query.boolean_query([
                (Occur.Should, Query.term_query(self.schema, field, stem))
                for field in TEXT_FIELD_BOOSTS])  # fmt: skip
            return view.count(either, visible) > 0

        def as_written(word: str) -> str | None:
            stem = prepare_text(word).terms
            if not stem:
                return None
            term = Query.term_query(self.schema, "content", stem)
            found = view.searcher.search(restricted(term, [visible] if visible else []),
                                         limit=1)  # fmt: skip
            for _score, address in found.hits:
                return written_as(stored_text(view.searcher.doc(address)), word)
            return None

        def finds_something(text: str) -> bool:
            query = self.compiler.compile(read(text)[0])
            return view.count(restricted(query, conditions), None) > 0

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


__all__ = ["Searching"]
