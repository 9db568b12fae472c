"""The `<file>.meta.toml` sidecar of a sample document: its properties and tags."""

from __future__ import annotations

import json

from indexer.fields import MULTI_VALUED_TAGS, TAG_FIELDS
from sample_corpus.documents import Doc

LIST_FIELDS = MULTI_VALUED_TAGS
SCALAR_FIELDS = tuple(name for name in TAG_FIELDS if name not in LIST_FIELDS)
SIDECAR_FIELDS = {"title", "authors", "date", "year", "summary", *LIST_FIELDS, *SCALAR_FIELDS}
# The order of the tags in a sidecar.
SIDECAR_TAGS = ("kind", *LIST_FIELDS, *(name for name in SCALAR_FIELDS if name != "kind"))


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def sidecar_text(doc: Doc) -> str:
    lines = [f"title = {_toml_str(doc.title)}"]
    lines.append("authors = [" + ", ".join(_toml_str(a) for a in doc.authors) + "]")
    lines.append(f"year = {doc.date.year}" if doc.year_only else f"date = {doc.date.isoformat()}")
    for name in SIDECAR_TAGS:
        value = doc.tags.get(name)
        if value is None:
            continue
        if isinstance(value, list):
            lines.append(f"{name} = [" + ", ".join(_toml_str(v) for v in value) + "]")
        else:
            lines.append(f"{name} = {_toml_str(value)}")
    lines.append(f"summary = {_toml_str(doc.summary)}")
    return "\n".join(lines) + "\n"
