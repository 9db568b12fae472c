"""The search page (`/`) and the query help (`/aide`).

Every state of a search is in the query string (q, filters, sort, page), so that a search
is a permanent URL; facet links and filter chips are plain links to other such URLs: the
page works without JavaScript.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.datastructures import QueryParams
from starlette.responses import Response

from api.deps import GateDep, curation_scope
from api.paging import MAX_PAGE
from api.routes.search import MAX_QUERY, MAX_VALUES, visible_hits
from api.web.common import (
    PageRoute,
    Visitor,
    heading_anchor,
    highlight,
    label,
    page,
    query_string,
    visitor_of,
)
from kb.curation.actors import CURATORS
from kb.curation.collections import get_collection, list_collections
from kb.errors import InvalidQuery, InvalidTag, KbError
from kb.library import Library, ResultHit, SearchResults

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PAGE_SIZE = 10
FILTERS = ("territory", "family", "mission", "kind", "year", "instance", "status", "collection")
FACETS = ("territory", "family", "mission", "kind", "year", "instance", "status")
STAFF_FACETS = frozenset({"status"})  # shown to curators and the council only
SORTS = {"relevance": "Pertinence", "date": "Date (récents d'abord)"}
HIT_TAGS = ("family", "territory", "mission")


@dataclass(frozen=True)
class SearchState:
    """A search as the query string says it."""

    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_params(cls, params: QueryParams) -> SearchState:
        q = (params.get("q") or "").strip()
        if len(q) > MAX_QUERY:
            raise InvalidQuery(f"the query is longer than {MAX_QUERY} characters: shorten it")
        filters: dict[str, tuple[str, ...]] = {}
        for name in FILTERS:
            values = tuple(dict.fromkeys(v for v in params.getlist(name) if v.strip()))
            if len(values) > MAX_VALUES or any(len(v) > MAX_QUERY for v in values):
                raise InvalidTag(f"{name}: too many or too long values")
            if values:
                filters[name] = values
        sort = params.get("sort") or "relevance"
        if sort not in SORTS:
            sort = "relevance"
        raw_page = params.get("page") or "1"
        number = int(raw_page) if raw_page.isdigit() else 1
        return cls(q, filters, sort, min(max(number, 1), MAX_PAGE))

    def pairs(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for name in FILTERS:
            out += [(name, v) for v in self.filters.get(name, ())]
        if self.sort != "relevance":
            out.append(("sort", self.sort))
        if self.page != 1:
            out.append(("page", str(self.page)))
        return out

    def url(self, **changes: Any) -> str:
        return "/" + query_string(replace(self, **changes).pairs())

    def adding(self, name: str, value: str) -> str:
        values = self.filters.get(name, ())
        if value in values:
            return self.url(page=1)
        return self.url(filters={**self.filters, name: (*values, value)}, page=1)

    def removing(self, name: str, value: str) -> str:
        kept = {k: tuple(x for x in v if not (k == name and x == value))
                for k, v in self.filters.items()}
        return self.url(filters={k: v for k, v in kept.items() if v}, page=1)

    @property
    def empty(self) -> bool:
        return not self.q and not self.filters


@router.get("/")
def search_page(request: Request, gate: GateDep) -> Response:
    state = SearchState.from_params(request.query_params)
    error = None
    context: dict[str, Any] = {"state": state, "sorts": SORTS}
    with gate.use() as library:
        visitor = visitor_of(request, library)
        try:
            for name in state.filters.get("collection", ()):
                get_collection(library.catalog, name, curation_scope(visitor.caller))
            results = library.search(
                state.q, state.filters, visibilities=visitor.caller.visibilities,
                page=state.page, size=PAGE_SIZE, sort=state.sort, facets=True,
            )
        except (InvalidQuery, InvalidTag) as exc:
            error, results = str(exc), None
        if results is not None:
            context.update(_results_context(library, visitor, state, results))
        context["chips"] = _chips(library, state)
        if visitor.role in CURATORS:
            context["all_collections"] = list_collections(library.catalog)
    context["error"] = error
    return page(request, "search.html", context, visitor=visitor,
                status=400 if error else 200)


@router.get("/aide")
def help_page(request: Request, gate: GateDep) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
    return page(request, "help.html", {}, visitor=visitor)


def _results_context(library: Library, visitor: Visitor, state: SearchState,
                     results: SearchResults) -> dict[str, Any]:
    hits = [_hit(library, state, h) for h in visible_hits(library, visitor.caller, results.hits)]
    pages = min(math.ceil(results.total / PAGE_SIZE), MAX_PAGE)
    facets = []
    for name in FACETS:
        if name in STAFF_FACETS and not visitor.curates:
            continue
        counts = results.facets.get(name) or {}
        if not counts:
            continue
        if name == "territory":
            items = _tree(library, state, counts)
        else:
            items = [_facet_item(library, state, name, k, n) for k, n in counts.items()]
        facets.append({"name": name, "items": items})
    return {
        "results": results,
        "hits": hits,
        "facets": facets,
        "pages": pages,
        "page_links": _page_links(state, pages),
        "suggestion_url": state.url(q=results.suggestion, page=1) if results.suggestion else None,
        "first": (results.page - 1) * PAGE_SIZE + 1,
        "last": (results.page - 1) * PAGE_SIZE + len(results.hits),
    }


def _hit(library: Library, state: SearchState, hit: ResultHit) -> dict[str, Any]:
    q = query_string([("q", state.q)] if state.q else [])
    snippets = []
    for s in hit.snippets:
        if s.page is not None:
            where, anchor = f"page {s.page}", f"page-{s.page}"
        elif s.heading:
            where, anchor = s.heading, heading_anchor(s.heading)
        else:
            where, anchor = "", "texte"
        snippets.append({
            "html": highlight(s.text, s.highlights),
            "where": where,
            "url": f"/notice/{quote(hit.id)}{q}#{anchor}",
        })
    kind = hit.tags.get("kind", ())
    return {
        "id": hit.id,
        "url": f"/notice/{quote(hit.id)}{q}",
        "title": hit.title or "(sans titre)",
        "year": hit.year,
        "kind": label(library, "kind", kind[0]) if kind else None,
        "tags": [(f, [label(library, f, v) for v in hit.tags.get(f, ())]) for f in HIT_TAGS
                 if hit.tags.get(f)],
        "status": label(library, "status", hit.tags["status"][0]) if hit.tags.get("status")
        else None,
        "snippets": snippets,
    }


def _facet_item(library: Library, state: SearchState, name: str, key: str, count: int
                ) -> dict[str, Any]:
    selected = key in state.filters.get(name, ())
    return {
        "key": key,
        "label": label(library, name, key),
        "count": count,
        "selected": selected,
        "url": state.removing(name, key) if selected else state.adding(name, key),
        "children": [],
    }


def _tree(library: Library, state: SearchState, counts: Mapping[str, int]
          ) -> list[dict[str, Any]]:
    """Territories with their counts, nested as in the vocabulary (a count includes what
    lies below), in the vocabulary's order."""
    items = {key: _facet_item(library, state, "territory", key, n) for key, n in counts.items()}
    roots: list[dict[str, Any]] = []
    for term in library.vocabulary.terms("territory"):
        item = items.get(term.key)
        if item is None:
            continue
        parent = next((items[a] for a in library.vocabulary.ancestors("territory", term.key)
                       if a in items), None)
        (parent["children"] if parent else roots).append(item)
    known = {t.key for t in library.vocabulary.terms("territory")}
    roots += [item for key, item in items.items() if key not in known]
    return roots


def _chips(library: Library, state: SearchState) -> list[dict[str, str]]:
    chips = []
    for name, values in state.filters.items():
        for value in values:
            shown = value
            if name == "collection":
                try:
                    shown = get_collection(library.catalog, value).name
                except KbError:
                    shown = value
            elif name != "year":
                term = library.vocabulary.resolve(name, value)
                shown = term.label if term is not None else value
            chips.append({"field": name, "label": shown, "url": state.removing(name, value)})
    return chips


def _page_links(state: SearchState, pages: int) -> Sequence[dict[str, Any]]:
    if pages <= 1:
        return []
    wanted = sorted({1, pages, *range(max(1, state.page - 2), min(pages, state.page + 2) + 1)})
    links: list[dict[str, Any]] = []
    previous = 0
    for number in wanted:
        if number - previous > 1:
            links.append({"gap": True})
        links.append({"number": number, "url": state.url(page=number),
                      "current": number == state.page})
        previous = number
    return links
