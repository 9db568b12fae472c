"""The search page (`/`) and the query help (`/aide`).

Every state of a search is in the query string (q, filters, sort, page), so that a search
is a permanent URL; facet links and filter chips are plain links to other such URLs: the
page works without JavaScript.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.datastructures import QueryParams
from starlette.responses import Response

from api.deps import GateDep, curation_scope
from api.filters import MAX_VALUE, MAX_VALUES
from api.paging import MAX_PAGE
from api.routes.search import still_visible
from api.web.common import (
    PageRoute,
    Visitor,
    french,
    heading_anchor,
    highlight,
    label,
    page,
    query_string,
    visitor_of,
)
from api.web.document_page import export_links
from api.web.vocabulary_tree import Node, term_tree
from indexer import fields
from indexer.messages import Field, _
from indexer.query import MAX_QUERY_LENGTH, truncation_warning
from indexer.years import YearSpan, read_years
from kb.actors import CURATORS
from kb.curation.exports import MAX_EXPORT
from kb.errors import InvalidQuery, InvalidTag, KbError
from kb.library import Library, ResultHit, SearchResults

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PAGE_SIZE = 10
PAGE_SIZES = (10, 20, 50)  # what "Résultats par page" offers (`size` in the URL)
# The filters and facets of `indexer.fields.TABLE`, in its order (as the CLI and the API).
FACETS = fields.FACETS
FILTERS = (*FACETS, "collection")
STAFF_FACETS = frozenset(f.name for f in fields.TABLE if f.staff_only)
FACET_SHOWN = 6  # values of a facet shown before "N autres"
SORTS = {"relevance": "Pertinence", "date": "Date (récents d'abord)", "title": "Titre (A à Z)"}
HIT_TAGS = ("family", "territory", "mission")


@dataclass(frozen=True)
class SearchState:
    """A search as the query string says it."""

    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    size: int = PAGE_SIZE
    # What the URL asks that cannot be read, in French (a bad year): shown, not searched.
    problems: tuple[str, ...] = ()

    @classmethod
    def from_params(cls, params: QueryParams) -> SearchState:
        # No length limit here: the query parser searches the first MAX_QUERY_LENGTH
        # characters of a longer one and says so (in French on the page).
        q = (params.get("q") or "").strip()
        filters: dict[str, tuple[str, ...]] = {}
        problems: list[str] = []
        for name in FILTERS:
            values = tuple(dict.fromkeys(v.strip() for v in params.getlist(name) if v.strip()))
            if len(values) > MAX_VALUES or any(len(v) > MAX_VALUE for v in values):
                raise InvalidTag(_("{name}: too many or too long values", name=Field(name)))
            if name == "year":
                values = _years(values, problems)
            if values:
                filters[name] = values
        typed_range = _typed_range(params.get("de") or "", params.get("a") or "", problems)
        if typed_range and typed_range not in filters.get("year", ()):
            filters["year"] = (*filters.get("year", ()), typed_range)
        sort = params.get("sort") or "relevance"
        if sort not in SORTS:
            sort = "relevance"
        raw_page = params.get("page") or "1"
        number = int(raw_page) if raw_page.isdigit() else 1
        raw_size = params.get("size") or ""
        # Another size is read as the nearest offered one: a URL never asks for 10,000.
        size = min(PAGE_SIZES, key=lambda n: abs(n - int(raw_size))) if raw_size.isdigit() \
            else PAGE_SIZE
        return cls(q, filters, sort, min(max(number, 1), MAX_PAGE), size=size,
                   problems=tuple(problems))

    @property
    def year_range(self) -> YearSpan | None:
        """The first range of years among the filters: the "de … à …" fields show it."""
        for value in self.filters.get("year", ()):
            span = read_years(value)
            if span is not None and span.single is None:
                return span
        return None

    def hidden_filters(self) -> list[tuple[str, str]]:
        """The filters the search form carries as hidden fields: all but the range its
        "de … à …" fields show (else a changed range would add to the old one)."""
        shown = str(self.year_range) if self.year_range else None
        return [(name, v) for name, values in self.filters.items() for v in values
                if not (name == "year" and v == shown)]

    def pairs(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for name in FILTERS:
            out += [(name, v) for v in self.filters.get(name, ())]
        if self.sort != "relevance":
            out.append(("sort", self.sort))
        if self.size != PAGE_SIZE:
            out.append(("size", str(self.size)))
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


def _years(values: tuple[str, ...], problems: list[str]) -> tuple[str, ...]:
    """`year` values of the URL in their canonical spelling; a French problem for each
    that is neither a year nor a range of years (left out)."""
    kept = []
    for value in values:
        span = read_years(value)
        if span is None:
            problems.append(french(_("{field} {value!r}: neither a year nor a period (e.g. "
                                     "2008, or 2008..2010 for from 2008 to 2010).",
                                     field=Field("year"), value=value[:80])))
        else:
            kept.append(str(span))
    return tuple(dict.fromkeys(kept))


def _typed_range(first: str, last: str, problems: list[str]) -> str | None:
    """The range of years the form's "de" and "à" fields give (either may be empty), in
    the filters' spelling; a French problem for a field that is not a year."""
    ends: list[int | None] = []
    for value, name in ((first.strip(), "de"), (last.strip(), "à")):
        span = read_years(value) if value else None
        if value and (span is None or span.single is None):
            problems.append(french(_("Period, field {name!r}: {value!r} is not a year (four "
                                     "digits, e.g. 2008).", name=name, value=value[:80])))
            return None
        ends.append(span.single if span else None)
    if ends == [None, None]:
        return None
    low, high = ends
    if low is not None and high is not None and low > high:
        low, high = high, low
    return str(YearSpan(low, high))


def year_label(value: str) -> str:
    """A year filter in French: "2008", "de 2008 à 2010", "depuis 2008", "jusqu'à 2010"."""
    span = read_years(value)
    if span is None or span.single is not None:
        return value
    if span.first is None:
        return f"jusqu'à {span.last}"
    if span.last is None:
        return f"depuis {span.first}"
    return f"de {span.first} à {span.last}"


def french_number(n: int) -> str:
    """12345 -> "12 345" (a narrow no-break space between thousands)."""
    return f"{n:,}".replace(",", "\u202f")


@router.get("/")
def search_page(request: Request, gate: GateDep) -> Response:
    state = SearchState.from_params(request.query_params)
    error = None
    context: dict[str, Any] = {"state": state, "sorts": SORTS, "year_range": state.year_range,
                               "default_size": PAGE_SIZE}
    with gate.use() as library:
        visitor = visitor_of(request, library)
        results = None
        try:
            library.collections.check_visible(state.filters.get("collection", ()),
                                              curation_scope(visitor.caller))
            if not state.problems:
                results = library.search(
                    state.q, state.filters, visibilities=visitor.caller.visibilities,
                    page=state.page, size=state.size, sort=state.sort, facets=True,
                )
        except (InvalidQuery, InvalidTag) as exc:
            error, results = french(exc.message), None
        if results is not None:
            context.update(_results_context(library, visitor, state, results))
        context["chips"] = _chips(library, state)
        if visitor.role in CURATORS:
            context["all_collections"] = library.collections.listing()
    context["error"] = error
    return page(request, "search.html", context, visitor=visitor,
                status=400 if error or state.problems else 200)


@router.get("/aide")
def help_page(request: Request, gate: GateDep) -> Response:
    with gate.use() as library:
        visitor = visitor_of(request, library)
    return page(request, "help.html", {"max_query": french_number(MAX_QUERY_LENGTH)},
                visitor=visitor)


def _results_context(library: Library, visitor: Visitor, state: SearchState,
                     results: SearchResults) -> dict[str, Any]:
    hits = [_hit(library, state, h) for h in results.hits
            if still_visible(visitor.caller, h)]
    also = _also_as(library, visitor, [h["id"] for h in hits])
    for h in hits:
        h["also_as"] = also.get(h["id"], [])
    pages = min(math.ceil(results.total / state.size), MAX_PAGE)
    truncated = len(state.q) > MAX_QUERY_LENGTH
    # Said in its own words below (with the numbers in French).
    cut = truncation_warning(MAX_QUERY_LENGTH, len(state.q))
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
        # A long list shows its first values; the others fold (open if one is selected).
        rest = items[FACET_SHOWN:] if len(items) > FACET_SHOWN + 1 else []
        facets.append({"name": name, "items": items[:len(items) - len(rest)], "rest": rest,
                       "rest_open": any(i["selected"] for i in rest)})
    return {
        "results": results,
        "warnings": [french(w) for w in results.warnings if w != cut],
        "truncated": (french_number(MAX_QUERY_LENGTH), french_number(len(state.q)))
        if truncated else None,
        # A page past the last one: a line naming the last page and a link to it, no
        # "Précédente" to a page that is empty too.
        "past_end": {"page": state.page, "last": pages, "url": state.url(page=pages)}
        if results.total and state.page > pages else None,
        "hits": hits,
        "facets": facets,
        "pages": pages,
        "page_links": _page_links(state, pages),
        "suggestion_url": state.url(q=results.suggestion, page=1) if results.suggestion else None,
        "first": (results.page - 1) * state.size + 1,
        "last": (results.page - 1) * state.size + len(results.hits),
        "max_export": MAX_EXPORT,
        "exports": export_links("/exporter", replace(state, page=1, size=PAGE_SIZE).pairs()),
        "sizes": [(n, state.url(size=n, page=1)) for n in PAGE_SIZES],
    }


def _also_as(library: Library, visitor: Visitor, ids: Sequence[str]) -> dict[str, list[str]]:
    """The formats of the twins (`kb.twins`) each hit stands for, among those the visitor
    may see: "PDF, aussi en DOCX"."""
    group_of = {i: g for g in library.twins_seen_by(visitor.caller.visibilities) for i in g}
    others = {i: [t for t in group_of[i] if t != i] for i in ids if i in group_of}
    facts = library.documents.hit_facts([t for ts in others.values() for t in ts])
    return {i: sorted({PurePath(f.path).suffix.lstrip(".").upper()
                       for t in ts if (f := facts.get(t)) is not None and f.path})
            for i, ts in others.items()}


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
        # One chip per field, its French name in front: "Territoire : Rennes, Brest".
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
    lies below), in the vocabulary's order.

    So that the tree leaves room for the other facets, a territory's subdivisions are
    folded (`open` False) unless a selected territory lies in them or it is the only
    territory at its level (France > Bretagne open down to the départements)."""
    items = {key: _facet_item(library, state, "territory", key, n) for key, n in counts.items()}

    def build(nodes: list[Node], alone: bool) -> list[dict[str, Any]]:
        out = []
        for node in nodes:
            item = items[node.key]
            item["children"] = build(node.children, len(node.children) == 1)
            item["open"] = alone or any(items[n.key]["selected"] for n in node.walk())
            out.append(item)
        return out

    roots = term_tree(library.vocabulary, "territory", lambda t: t.key in items)
    known = {t.key for t in library.vocabulary.terms("territory")}
    return build(roots, len(roots) == 1) + [
        item for key, item in items.items() if key not in known]


def _chips(library: Library, state: SearchState) -> list[dict[str, str]]:
    chips = []
    for name, values in state.filters.items():
        for value in values:
            shown = value
            if name == "collection":
                try:
                    shown = library.collections.get(value).name
                except KbError:
                    shown = value
            elif name == "year":
                shown = year_label(value)
            else:
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
