"""The message catalogue: every sentence the code shows a person, in English and French.

Messages are written once, in English, in the code (`indexer.messages._`); their French is
in `kb/locale/fr/LC_MESSAGES/messages.po`, read here with Babel at first use (no build
step: the `.po` is the only copy). `make messages` re-extracts `kb/locale/messages.pot`
from the code and merges it into the `.po`; tests/test_messages.py fails while a message of
the code has no French or the `.po` keeps one the code no longer has.

English is the default (the CLI, the API); the pages and `Accept-Language: fr` answers
render in French.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from indexer.fields import TABLE
from indexer.messages import Field, Message, as_message

LOCALE_DIR = Path(__file__).parent / "locale"
TEMPLATE = LOCALE_DIR / "messages.pot"
LANGUAGES = ("en", "fr")
DEFAULT = "en"

# The French label of each field named in a message. The one place messages look labels up
# (`field_label`): a field table would replace this dict without touching the callers.
# The tag fields' French labels (`indexer.fields.TABLE`), and the collection's.
FRENCH_LABELS = {**{f.name: f.label for f in TABLE}, "collection": "Collection"}


def po_file(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


@cache
def translations(language: str) -> dict[str, str]:
    """English text -> `language`'s, from the catalogue; empty for English. Fuzzy or empty
    entries are left out (the English shows until someone translates them)."""
    if language == DEFAULT:
        return {}
    with po_file(language).open("rb") as stream:
        catalogue = read_po(stream)
    return {str(m.id): str(m.string) for m in catalogue
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def field_label(field: str, language: str) -> str:
    """How `field` is named to a reader of `language`: its name in English, its label in
    French (the name itself for a field without one)."""
    if language == "fr":
        return FRENCH_LABELS.get(field, field)
    return field


@dataclass(frozen=True)
class Catalogue:
    """One language of the catalogue (`indexer.messages.Language`)."""

    language: str

    def gettext(self, text: str) -> str:
        return translations(self.language).get(text, text)

    def label(self, field: str) -> str:
        return field_label(field, self.language)


def render(message: str | Message, language: str = DEFAULT) -> str:
    """`message` in `language` ("en" or "fr"); a plain string stays as it is."""
    return as_message(message).render(Catalogue(language))


def gettext(text: str, language: str = DEFAULT) -> str:
    """A fixed sentence (no placeholders) in `language`."""
    return Catalogue(language).gettext(text)


__all__ = ["Catalogue", "Field", "LANGUAGES", "field_label", "gettext", "render",
           "translations"]
