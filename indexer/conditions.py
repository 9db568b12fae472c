"""The conditions a request puts on documents: visibility, tag filters, years.

Each is an engine query that filters and scores nothing (`indexer.facets.restricted` adds
them to a search as constant-score clauses worth 0).
"""

from __future__ import annotations

from collections.abc import Sequence, Set

import tantivy

from indexer.errors import InvalidQuery
from indexer.fields import TAG_FIELDS, TERRITORY_PATH
from indexer.years import not_a_year, read_years

FILTERABLE = frozenset((*TAG_FIELDS, TERRITORY_PATH, "year", "id"))
# Bounds of an open range of years (the engine's ranges take both).
_EARLIEST, _LATEST = -(2**62), 2**62
Occur = tantivy.Occur
Query = tantivy.Query


class Conditions:
    """Builds the filtering queries of one engine schema."""

    def __init__(self, schema: tantivy.Schema):
        self.schema = schema

    def visible(self, visibilities: frozenset[str] | None,
                exclude: Set[str] = frozenset()) -> tantivy.Query | None:  # fmt: skip
        """The documents a request may find: among `visibilities` (None: any), not in
        `exclude`; None when that is every document."""
        conditions = [] if visibilities is None else [
            (Occur.Must, self.values("visibility", visibilities))]
        if exclude:
            conditions += [(Occur.Must, Query.all_query()),
                           (Occur.MustNot, Query.term_set_query(self.schema, "id",
                                                                sorted(exclude)))]
        if not conditions:
            return None
        return conditions[0][1] if len(conditions) == 1 else Query.boolean_query(conditions)

    def values(self, field: str, values: Sequence[str] | frozenset[str]) -> tantivy.Query:
        """Documents holding any of `values` in `field`; InvalidQuery for a year that is
        not one (`indexer.years`)."""
        if field == "year":
            return self.years(values)
        return Query.term_set_query(self.schema, field, sorted(values))

    def years(self, values: Sequence[str] | frozenset[str]) -> tantivy.Query:
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
                self.schema, "year", tantivy.FieldType.Integer,
                span.first if span.first is not None else _EARLIEST,
                span.last if span.last is not None else _LATEST,
                include_lower=True, include_upper=True))  # fmt: skip
        if numbers:
            ranges.append(Query.term_set_query(self.schema, "year", numbers))
        if len(ranges) == 1:
            return ranges[0]
        return Query.boolean_query([(Occur.Should, q) for q in ranges])


__all__ = ["FILTERABLE", "Conditions"]
