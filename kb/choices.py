"""What to say of a value that is not one of the allowed: the closest ones when some are
close, else every allowed one when they are few enough to read in one line.

Every edge shows these: the CLI (`kb tag set ID kind portrait`), the API's details and the
pages (in French, the field named by its label).
"""

from __future__ import annotations

from collections.abc import Sequence

from indexer.messages import Field, Message, _
from kb.vocabulary import Vocabulary, closest_names

MAX_LISTED = 12  # allowed values listed in full; a longer list (the territories) is not


def unknown_value(field: str, value: str, closest: Sequence[str],
                  allowed: Sequence[str] = ()) -> Message:
    """An error: "kind: unknown value 'portrait' (allowed: etude, note, …)"."""
    shown, name = value[:80], Field(field)
    if closest:
        return _("{field}: unknown value {value!r} (closest: {values})", field=name,
                 value=shown, values=", ".join(closest))
    if 0 < len(allowed) <= MAX_LISTED:
        return _("{field}: unknown value {value!r} (allowed: {values})", field=name,
                 value=shown, values=", ".join(allowed))
    return _("{field}: unknown value {value!r}", field=name, value=shown)


def unknown_term(field: str, value: str, closest: Sequence[str],
                 allowed: Sequence[str] = ()) -> Message:
    """A dropped value's warning: "unknown family 'cooperative' (closest: cooperatives)"."""
    shown, name = value[:80], Field(field)
    if closest:
        return _("unknown {field} {value!r} (closest: {values})", field=name, value=shown,
                 values=", ".join(closest))
    if 0 < len(allowed) <= MAX_LISTED:
        return _("unknown {field} {value!r} (allowed: {values})", field=name, value=shown,
                 values=", ".join(allowed))
    return _("unknown {field} {value!r}", field=name, value=shown)


def allowed_keys(vocabulary: Vocabulary, field: str) -> tuple[str, ...]:
    return tuple(t.key for t in vocabulary.terms(field))


def not_in_vocabulary(vocabulary: Vocabulary, field: str, value: str) -> Message:
    """The error for a value of a vocabulary field that names no term."""
    return unknown_value(field, value, vocabulary.closest(field, value),
                         allowed_keys(vocabulary, field))


def unknown_field(field: str, fields: Sequence[str]) -> Message:
    """An unknown field name: the closest names, and every field."""
    close = closest_names(field, fields)
    if close:
        return _("unknown field {field!r} (closest: {closest}); fields are {fields}",
                 field=field[:80], closest=", ".join(close), fields=", ".join(fields))
    return _("unknown field {field!r}; fields are {fields}", field=field[:80],
             fields=", ".join(fields))
