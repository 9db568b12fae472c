"""The errors the index and the extractors raise: the base of the library's one hierarchy.

`kb.errors` adds the errors of the layers above and re-exports these, so callers import
every error from `kb.errors`; code under `indexer/` imports them from here.
"""

from indexer.messages import Message, as_message


class KbError(Exception):
    """Base of every error the library raises on purpose.

    Its `message` is rendered once by each edge: `str(error)` is the English sentence (the
    CLI, the log, the API by default), `kb.messages.render(error.message, "fr")` the French
    one. A plain string is kept as is in every language: raise with `_(...)`.
    """

    def __init__(self, message: str | Message = ""):
        self.message = as_message(message)
        super().__init__(self.message.render())


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


class InvalidQuery(KbError):
    """A search query cannot be read, even leniently."""


class NotFound(KbError):
    """No such document, collection or token (or the caller may not see it)."""


class IndexBusy(KbError):
    """Another process holds the index writer lock."""


class SchemaOutdated(KbError):
    """The library was built by an older schema: run `kb reindex` (or a migration)."""
