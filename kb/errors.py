"""One error hierarchy for the whole library.

Messages name the input (file, field, value) and say what to do; the CLI and the API
turn these into one-line errors and HTTP statuses in one place each.
"""


class KbError(Exception):
    """Base of every error the library raises on purpose."""


class UnsupportedFormat(KbError):
    """The file's detected type has no extractor."""


class ExtractionFailed(KbError):
    """The file could not be read: corrupt, encrypted, hostile, too big or without text."""


class InvalidTag(KbError):
    """A tag value is not in the vocabulary (raised instead of a warning under --strict)."""


class InvalidVocabulary(KbError):
    """The vocabulary file is malformed."""


class InvalidSidecar(KbError):
    """A `.meta.toml` sidecar file is malformed."""


class InvalidQuery(KbError):
    """A search query cannot be read, even leniently."""


class NotFound(KbError):
    """No such document, collection or token (or the caller may not see it)."""


class IndexBusy(KbError):
    """Another process holds the index writer lock."""


class SchemaOutdated(KbError):
    """The library was built by an older schema: run `kb reindex` (or a migration)."""
