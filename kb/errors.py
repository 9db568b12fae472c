"""One error hierarchy for the whole library.

Messages name the input (file, field, value) and say what to do; the CLI and the API
turn these into one-line errors and HTTP statuses in one place each.
"""


class KbError(Exception):
    """Base of every error the library raises on purpose."""


class UnsupportedFormat(KbError):
    """The file's detected type has no extractor."""


class ExtractionFailed(KbError):
    """The file could not be read: corrupt, encrypted, hostile, too big or without text.

    Its message says what is wrong with the file in plain words; what the libraries said,
    if anything, follows after DETAILS (`plain()` drops it for a terminal).
    """


DETAILS = " — details: "


def plain(message: str) -> str:
    """A failure reason without the libraries' own messages (kept for `-v` and the log)."""
    return message.split(DETAILS, 1)[0]


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
