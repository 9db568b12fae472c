"""One error hierarchy for the whole library.

Messages name the input (file, field, value) and say what to do; the CLI and the API
turn these into one-line errors and HTTP statuses in one place each.
"""

from indexer.errors import (
    DETAILS,
    ExtractionFailed,
    IndexBusy,
    InvalidQuery,
    KbError,
    NotFound,
    SchemaOutdated,
    UnsupportedFormat,
    plain,
)

__all__ = [
    "DETAILS", "ExtractionFailed", "IndexBusy", "InvalidQuery", "KbError", "NotFound",
    "SchemaOutdated", "UnsupportedFormat", "plain",
    "Conflict", "Forbidden", "InvalidSidecar", "InvalidTag", "InvalidTransition",
    "InvalidVocabulary", "PreconditionFailed", "TooLarge",
]


class InvalidTag(KbError):
    """A tag value is not in the vocabulary (raised instead of a warning under --strict)."""


class InvalidVocabulary(KbError):
    """The vocabulary file is malformed."""


class InvalidSidecar(KbError):
    """A `.meta.toml` sidecar file is malformed."""


class Forbidden(KbError):
    """The caller's role may not make this change (e.g. a curator validating a document)."""


class Conflict(KbError):
    """The change clashes with the current state: a name already taken, a duplicate file."""


class InvalidTransition(Conflict):
    """A status change the validation workflow does not allow (e.g. draft -> validated)."""


class PreconditionFailed(Conflict):
    """The document or collection changed since the caller read it (stale revision)."""


class TooLarge(KbError):
    """A submitted file is larger than the library accepts."""
