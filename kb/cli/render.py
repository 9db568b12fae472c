"""Turning library values into text for a terminal and into JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from typing import Any

import click

from kb.vocabulary import Vocabulary

TAG_ORDER = ("kind", "family", "territory", "mission", "instance", "status", "visibility")


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 problem`, `2 problems`, `0 problems`."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def lag_phrase(lag: int) -> str:
    """What a reader says when the catalog is ahead of the index."""
    return (
        f"{plural(lag, 'document')} of the catalog {'is' if lag == 1 else 'are'} not in the "
        "index yet (answers come from what is indexed); the next `kb ingest`, change or "
        "`kb serve` catches up"
    )


def to_json(value: Any) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, indent=2, default=str)


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def label(vocabulary: Vocabulary, field: str, key: str) -> str:
    term = vocabulary.get(field, key) if field in vocabulary.fields else None
    return term.label if term is not None else key


def tag_line(vocabulary: Vocabulary, tags: Mapping[str, tuple[str, ...]]) -> str:
    parts = []
    for field in TAG_ORDER:
        values = tags.get(field, ())
        if values and field not in ("status", "visibility"):
            parts.append(", ".join(label(vocabulary, field, v) for v in values))
    return " · ".join(parts)


def highlight(text: str, spans: tuple[tuple[int, int], ...] | list[list[int]]) -> str:
    """Matched words in bold (plain brackets when the output is not a terminal)."""
    out, last = [], 0
    for start, end in sorted(tuple(s) for s in spans):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(click.style(text[start:end], bold=True, fg="yellow"))
        last = end
    out.append(text[last:])
    return "".join(out)


def where(page: int | None, heading: str | None) -> str:
    if page is not None:
        return f"p. {page}"
    if heading:
        return f"§ {heading[:60]}"
    return ""
