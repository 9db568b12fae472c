"""The API's search filters: one query parameter per filter of `indexer.fields.TABLE`.

GET /search and GET /search/export take the same filters through `FiltersDep`, a
dependency whose signature is built from the table: a field declared there is a parameter
here, documented in OpenAPI, with nothing else to write. A tag filter takes vocabulary
keys (or French labels and synonyms, case and accents ignored: the vocabulary resolves
them); `year` takes a year or a range of years (`indexer.years`).
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import AfterValidator, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from indexer import fields
from indexer.messages import Field, _
from indexer.years import NOT_A_YEAR, read_years
from indexer.years import PATTERN as YEARS_PATTERN
from kb.errors import InvalidTag

MAX_VALUE = 500  # characters of a filter value; longer is not a value a person typed
MAX_VALUES = 20  # values per filter

Filters = dict[str, tuple[str, ...]]


def _year(value: str) -> str:
    span = read_years(value)
    if span is None:
        raise PydanticCustomError("year_range", str(NOT_A_YEAR))
    return str(span)


# A year or a range of years (`indexer.years`), as `kb search --year` and the search page.
# The schema gives the pattern; the validator, not pydantic's pattern check, refuses what
# does not match, so that the message names the value and gives examples.
YearValue = Annotated[str, StringConstraints(max_length=100), AfterValidator(_year),
                      WithJsonSchema({"type": "string", "maxLength": 100,
                                      "pattern": f"^{YEARS_PATTERN}$"})]


def _parameter(field: fields.Field) -> inspect.Parameter:
    if field.name == "year":
        annotation: Any = Annotated[list[YearValue], Query(
            alias=field.api_parameter, max_length=MAX_VALUES,
            description="Only documents of this year, or of a range of years (both ends "
            "included): 2008, 2008..2010 (or 2008-2010), 2008.. (from 2008 on), ..2010 (up "
            "to 2010); the same as `q=year:2008..2010`. Repeat for OR.",
            openapi_examples={"year": {"value": ["2008"]}, "range": {"value": ["2008..2010"]}},
        )]
    else:
        annotation = Annotated[list[str], Query(
            alias=field.api_parameter, max_length=MAX_VALUES,
            description=f"Only documents with this {field.name} (vocabulary key, French "
            "label or synonym, accents optional). Repeat for OR; different fields are AND-ed.",
            openapi_examples={"example": {"value": [field.example]}},
        )]
    # `[]` is safe as a default: FastAPI gives each request a fresh copy.
    return inspect.Parameter(field.name, inspect.Parameter.KEYWORD_ONLY, default=[],
                             annotation=annotation)


async def read_filters(**values: list[str]) -> Filters:
    """The filters a request gives, by field name (those it leaves empty left out).
    InvalidTag (422) for a value longer than MAX_VALUE characters. `async` although it
    waits on nothing: FastAPI then calls it on the event loop, not in its threadpool."""
    for name, given in values.items():
        if any(len(v) > MAX_VALUE for v in given):
            raise InvalidTag(_("{field}: value longer than {max_value} characters",
                               field=Field(name), max_value=MAX_VALUE))
    return {name: tuple(given) for name, given in values.items() if given}


# FastAPI reads a dependency's parameters from its signature: give it the table's.
read_filters.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [_parameter(f) for f in fields.TABLE if f.filter], return_annotation=Filters)

FiltersDep = Annotated[Filters, Depends(read_filters)]
