"""What the OpenAPI document says beyond FastAPI's own: the values the vocabulary accepts,
the 400 of a body that cannot be read, the 413 of one too large, the 429 of an address
that sent too many refused tokens, the shape of the JSON exports.

The document is a contract that clients and property-based tests (schemathesis, in
tests/api/test_api_schema.py) hold the API to: a request valid by it is accepted, an invalid
one refused with a documented status. So every value the library checks against the
vocabulary is listed as an `enum` of its keys (the API also takes French labels and
synonyms, ignoring case and accents), and free values carry their formats.
"""

from __future__ import annotations

from typing import Any

from api.curation_schemas import CORRECTED, TEXT
from kb.curation.exports import FORMATS
from kb.curation.submissions import MAX_VALUES
from kb.tags import YEAR_RANGE
from kb.vocabulary import CONTROLLED_FIELDS, MULTI_VALUED, Vocabulary

UNREADABLE = {
    "description": "The body cannot be read: not JSON (or not UTF-8), or a form over its "
                   "limits (50 fields).",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"},
                                     "example": {"error": "bad_request", "detail":
                                                 "There was an error parsing the body"}}},
}
TOO_LARGE = {
    "description": "The body is larger than the API takes: 1 MB, or for an upload the file "
                   "limit and the form's fields (api.middleware.BodyLimit).",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"},
                                     "example": {"error": "request_too_large", "detail":
                                                 "request body larger than 1048576 bytes"}}},
}
TOO_MANY_ATTEMPTS = {
    "description": "Too many refused tokens from this address lately (api.throttle): try "
                   "again after `Retry-After` seconds. Counted per server process.",
    "headers": {"Retry-After": {"schema": {"type": "integer"},
                                "description": "Seconds to wait."}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"},
                                     "example": {"error": "too_many_attempts", "detail":
                                                 "too many refused tokens from this address; "
                                                 "try again in 600 s"}}},
}
# Free values as the library checks them (kb.tags.normalize): ISO dates, years in range.
YEAR = {"type": "string", "pattern": "^(19[0-9]{2}|20[0-9]{2}|2100)$"}
DATE = {"type": "string", "format": "date", "pattern": "^(19[0-9]{2}|20[0-9]{2}|2100)-"}
# Text that must hold something besides spaces, without control characters.
SOME_TEXT = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
ONE_LINE = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"
BLANK = "^\\s*$"


def describe_contract(openapi: dict[str, Any], vocabulary: Vocabulary) -> None:
    """Complete FastAPI's document in place (see the module docstring)."""
    assert YEAR_RANGE == (1900, 2100), "YEAR above says 1900 to 2100"

    def keys(field: str) -> list[str]:
        return [t.key for t in vocabulary.terms(field)]

    schemas = openapi.get("components", {}).get("schemas", {})
    _set_enum(schemas.get("StatusIn"), "status", keys("status"))
    for name in ("CollectionIn", "CollectionPatch"):
        _set_enum(schemas.get(name), "visibility", keys("visibility"))
    for path, operations in openapi.get("paths", {}).items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault("400", UNREADABLE)
                operation["responses"].setdefault("413", TOO_LARGE)
            if operation.get("security"):  # reads a token: refused ones are limited
                operation.setdefault("responses", {}).setdefault("429", TOO_MANY_ATTEMPTS)
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") == "path" and parameter.get("name") == "field":
                    # Adding values (POST) is for the fields that hold several.
                    parameter["schema"]["enum"] = [f for f in CORRECTED if method != "post"
                                                   or f in MULTI_VALUED]
            if path.endswith("/export"):
                _json_exports(operation)
            form = (operation.get("requestBody", {}).get("content", {})
                    .get("multipart/form-data", {}).get("schema"))
            if path.endswith("/documents") and form is not None:
                _submission_form(form, keys)


def _set_enum(schema: dict[str, Any] | None, name: str, values: list[str]) -> None:
    """`values` as the enum of property `name` (of its string branch when nullable)."""
    if schema is None or name not in schema.get("properties", {}):
        return
    prop = schema["properties"][name]
    for branch in prop.get("anyOf", [prop]):
        if branch.get("type") == "string":
            branch["enum"] = values


def _json_exports(operation: dict[str, Any]) -> None:
    """The JSON formats of an export are arrays of records, not strings."""
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    for fmt in FORMATS.values():
        media = fmt.media_type.split(";")[0]
        if media in content and media.endswith("json"):
            content[media] = {"schema": {"type": "array", "items": {"type": "object"}}}


def _submission_form(form: dict[str, Any], keys: Any) -> None:
    """POST /documents: each metadata field as `validate_metadata` accepts it. A blank value
    (what a web form sends for a field left empty) is no value: optional fields take it."""
    form["additionalProperties"] = False
    required = set(form.get("required", ()))
    for name, prop in form.get("properties", {}).items():
        if name == "file":
            prop["minLength"] = 1  # an empty file is refused
            continue
        value: dict[str, Any] = {"type": "string"}
        if name in CONTROLLED_FIELDS:
            value["enum"] = keys(name)
        elif name == "year":
            value.update(YEAR)
        elif name == "date":
            value.update(DATE)
        else:
            value["pattern"] = {"title": SOME_TEXT, "summary": TEXT}.get(name, ONE_LINE)
        if name not in required:
            value = {"anyOf": [value, {"type": "string", "pattern": BLANK}]}
        if prop.get("type") == "array":
            prop["items"], prop["maxItems"] = value, MAX_VALUES
        else:
            form["properties"][name] = {k: v for k, v in prop.items() if k != "type"} | value
