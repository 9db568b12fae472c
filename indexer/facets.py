"""Facet counts: the engine's term aggregations over what a search matches.

Each facet counts over the documents that match the query and every filter *except the
facet's own* (drill-down: picking "Finistère" does not hide the other territories'
counts). Facets whose field has no filter share one aggregation request; each filtered
facet has its own. A territory counts `territory_path`, which holds every ancestor: a
département counts what is under it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import tantivy

from indexer.schema import FACET_FIELDS

_FACET_SIZE = 10_000  # values counted per facet at most (a vocabulary has a few hundred)


def facet_counts(
    searcher: tantivy.Searcher,
    compiled: tantivy.Query,
    base: Sequence[tantivy.Query],
    filters: Mapping[str, tantivy.Query],
    selected: Mapping[str, Sequence[str]],
) -> dict[str, dict[str, int]]:
    """Counts per facet value over the documents `compiled` matches within `base` (the
    visibility), each facet ignoring its own field's filter. Values with no document are
    left out, except the selected ones (shown with 0). Years newest first; other values
    by count, then key."""
    groups: dict[str | None, list[tuple[str, str]]] = {}
    for name, field in FACET_FIELDS.items():
        groups.setdefault(field if field in filters else None, []).append((name, field))
    counts: dict[str, dict[str, int]] = {}
    for own, members in groups.items():
        others = [q for f, q in filters.items() if f != own]
        query = restricted(compiled, [*base, *others])
        aggs = {name: {"terms": {"field": field, "size": _FACET_SIZE}}
                for name, field in members}  # fmt: skip
        result = searcher.aggregate(query, aggs)
        for name, field in members:
            values: dict[str, int] = {}
            for bucket in result.get(name, {}).get("buckets", []):
                key = bucket["key"]
                key = str(int(key)) if field == "year" else str(key)
                values[key] = int(bucket["doc_count"])
            for value in selected.get(field, ()):
                if field != "year" or value.isdigit():  # a range is no facet value
                    values.setdefault(value, 0)
            if field == "year":
                ordered = sorted(values.items(), key=lambda kv: -int(kv[0]))
            else:
                ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
            counts[name] = dict(ordered)
    return {name: counts[name] for name in FACET_FIELDS}


def restricted(query: tantivy.Query, conditions: Sequence[tantivy.Query]) -> tantivy.Query:
    """`query` within every condition (conditions filter: they add nothing to scores)."""
    if not conditions:
        return query
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query)] + [
        (tantivy.Occur.Must, tantivy.Query.const_score_query(c, 0.0))
        for c in conditions])  # fmt: skip


__all__ = ["facet_counts", "restricted"]
