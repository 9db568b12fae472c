"""Sidecar files: `<document>.meta.toml` next to a document, holding a curator's tags for it.

A sidecar is a flat TOML table of tag fields, e.g.::

    title = "Étude de faisabilité d'un pôle ESS"
    family = ["cooperatives", "associations"]
    territory = "Pays de Rennes"
    date = 2008-03-14
    year = 2008

Values are read here as strings; resolving them against the vocabulary is `kb.tags`' job.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from indexer.messages import Field, _
from kb.choices import unknown_field
from kb.errors import InvalidSidecar
from kb.vocabulary import FIELDS, MULTI_VALUED

SIDECAR_SUFFIX = ".meta.toml"


def sidecar_path(file: Path) -> Path:
    """Where the sidecar of `file` lives: `<file name>.meta.toml` in the same folder."""
    return file.with_name(file.name + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    """True for a `<something>.meta.toml` file name (a bare `.meta.toml` is not one)."""
    name = path.name
    return name.endswith(SIDECAR_SUFFIX) and len(name) > len(SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, tuple[str, ...]]:
    """The tag values of a sidecar, per field in file order, as stripped non-empty strings.

    Any field takes a string or a list of strings; `date` also a TOML date (returned as
    ISO "2008-03-14"), `year` also an integer ("2008"). Single-valued fields take at most
    one value. Raises InvalidSidecar("<path>: <reason>") when the file cannot be read, is
    not TOML (the reason gives the line), names an unknown field (closest names suggested)
    or holds a value of the wrong type.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidSidecar(
            _("{path}: not UTF-8 text (byte {start}): save the file as UTF-8",
              path=path, start=exc.start)
        ) from exc
    except OSError as exc:
        raise InvalidSidecar(_("{path}: cannot read the sidecar: {strerror}",
                               path=path, strerror=exc.strerror)) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidSidecar(_("{path}: invalid TOML: {exc}", path=path, exc=exc)) from exc
    values: dict[str, tuple[str, ...]] = {}
    for field, raw in data.items():
        if field not in FIELDS:
            raise InvalidSidecar(_("{path}: {message}", path=path,
                                   message=unknown_field(field, FIELDS)))
        items = raw if isinstance(raw, list) else [raw]
        strings = [_as_string(path, field, item) for item in items]
        kept = tuple(dict.fromkeys(s for s in strings if s))
        if len(kept) > 1 and field not in MULTI_VALUED:
            raise InvalidSidecar(
                _("{path}: {field} takes one value, got {count}: {value}",
                  path=path, field=Field(field), count=len(kept),
                  value=", ".join(repr(v) for v in kept))
            )
        values[field] = kept
    return values


def _as_string(path: Path, field: str, item: Any) -> str:
    """One sidecar value as a stripped string; InvalidSidecar names the field on a bad type."""
    if isinstance(item, str):
        return item.strip()
    # bool is an int: refuse it before accepting integers for `year`.
    if field == "year" and isinstance(item, int) and not isinstance(item, bool):
        return str(item)
    if field == "date" and isinstance(item, dt.datetime):
        return item.date().isoformat()
    if field == "date" and isinstance(item, dt.date):
        return item.isoformat()
    expected = _("a string or a list of strings")
    if field == "year":
        expected = _('a year (2008 or "2008") or a list of them')
    elif field == "date":
        expected = _('a date (2008-03-14 or "2008-03-14") or a list of them')
    raise InvalidSidecar(_("{path}: {field} must be {expected}, not {value}",
                           path=path, field=Field(field), expected=expected,
                           value=_type_name(item)))


def _type_name(item: Any) -> str:
    if isinstance(item, dict):
        return "a table"
    if isinstance(item, list):
        return "a nested list"
    if isinstance(item, bool):
        return f"a boolean ({str(item).lower()})"
    if isinstance(item, int | float):
        return f"a number ({item})"
    if isinstance(item, dt.datetime | dt.date | dt.time):
        return f"a date or time ({item.isoformat()})"
    return type(item).__name__
