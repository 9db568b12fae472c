"""Parameter validation problems (pydantic's errors) as catalogue messages: one sentence per
problem naming the field, the reason and the value given, for the API and the pages alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from indexer.messages import Field, Message, _
from indexer.years import NOT_A_YEAR


def reason(error: Mapping[str, Any]) -> Message:
    """Why pydantic refused a value, in the catalogue's words."""
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind == "missing":
        return _("required")
    if kind == "greater_than_equal":
        return _("must be greater than or equal to {limit}", limit=ctx.get("ge"))
    if kind == "greater_than":
        return _("must be greater than {limit}", limit=ctx.get("gt"))
    if kind == "less_than_equal":
        return _("must be less than or equal to {limit}", limit=ctx.get("le"))
    if kind == "less_than":
        return _("must be less than {limit}", limit=ctx.get("lt"))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("must be a whole number")
    if kind in ("bool_parsing", "bool_type"):
        return _("must be true or false")
    if kind in ("literal_error", "enum"):
        return _("must be one of {allowed}", allowed=ctx.get("expected"))
    if kind == "string_too_long":
        return _("at most {count} characters", count=ctx.get("max_length"))
    if kind == "string_too_short":
        return _("at least {count} character(s)", count=ctx.get("min_length"))
    if kind == "too_long":
        return _("at most {count} items", count=ctx.get("max_length"))
    if kind == "too_short":
        return _("at least {count} item(s)", count=ctx.get("min_length"))
    if kind == "json_invalid":
        return _("invalid JSON")
    if kind == "extra_forbidden":
        return _("unknown field")
    if kind == "string_type":
        return _("must be a string")
    if kind == "list_type":
        return _("must be a list")
    if kind == "year_range":
        return NOT_A_YEAR
    return _("invalid value")


def problem(error: Mapping[str, Any]) -> Message:
    """One problem: "size: must be greater than or equal to 1 (got '0')"."""
    # ("query", "year", 0): the field; the place and a list's index say nothing more.
    where = ".".join(str(part) for part in error.get("loc", ())
                     if part not in ("query", "body", "path", "form", "header")
                     and not isinstance(part, int))
    given = error.get("input")
    if isinstance(given, str | int | float) and error.get("type") != "missing":
        return _("{field}: {reason} (got {given!r})", field=Field(where or "request"),
                 reason=reason(error), given=given)
    return _("{field}: {reason}", field=Field(where or "request"), reason=reason(error))


def problems(errors: Iterable[Mapping[str, Any]]) -> list[Message]:
    return [problem(error) for error in errors]
