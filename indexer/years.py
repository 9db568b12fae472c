"""One reading of a year filter, everywhere one is typed: `kb search --year`, the API's
`year=`, the search page's "de … à …" and its facet links.

A filter value is a year (`2008`) or a range of years, both ends included: `2008..2010`,
`2008-2010`, `2008–2010`, `2008/2010`, and open ranges `2008..` (from 2008 on) and `..2010`
(up to 2010). It means what `year:2008..2010` means in a query. A year is four digits (0-9); the
ends of a range may come in either order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.messages import Field, Message, _

# The one spelling, as a regular expression that JSON Schema (the API's OpenAPI document)
# reads too: groups 1 and 2, a year or a closed range; 3, an open end after; 4, before.
PATTERN = (r"\s*(?:([0-9]{4})(?:\s*(?:\.\.|-|–|/)\s*([0-9]{4}))?"
           r"|([0-9]{4})\s*\.\.|\.\.\s*([0-9]{4}))\s*")
_YEARS_RE = re.compile(PATTERN)
NOT_A_YEAR = _("not a year or a range of years (e.g. 2008, 2008..2010, 2008-2010, 2008.. or "
               "..2010)")


@dataclass(frozen=True)
class YearSpan:
    """The years a filter value keeps: `first` to `last`, both included (None: open)."""

    first: int | None
    last: int | None

    @property
    def single(self) -> int | None:
        """The one year this span is, if it is one."""
        return self.first if self.first is not None and self.first == self.last else None

    def __str__(self) -> str:
        """The canonical spelling, which `read_years` reads back: "2008", "2008..2010",
        "2008..", "..2010" (four digits each: "0800")."""
        first = "" if self.first is None else f"{self.first:04d}"
        last = "" if self.last is None else f"{self.last:04d}"
        return first if self.single is not None else f"{first}..{last}"


def read_years(value: str) -> YearSpan | None:
    """The span `value` names, or None when it is neither a year nor a range of years
    (the caller says so, in its own words and language)."""
    m = _YEARS_RE.fullmatch(value)
    if m is None:
        return None
    first, last, since, until = (int(g) if g is not None else None for g in m.groups())
    if first is not None:
        if last is None:
            return YearSpan(first, first)
        return YearSpan(min(first, last), max(first, last))
    return YearSpan(since, None) if since is not None else YearSpan(None, until)


def not_a_year(field: str, value: str) -> Message:
    """The message for a value `read_years` cannot read, naming field and value."""
    return _("{field}: {value!r} is not a year or a range of years (e.g. 2008, 2008..2010, "
             "2008-2010, 2008.. or ..2010)", field=Field(field), value=value[:80])
