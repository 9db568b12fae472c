"""Sentences a person reads, written once in English and rendered at the edges.

A `Message` holds the English text (the gettext message id, with `{name}` placeholders) and
its parameters; nothing is formatted until an edge renders it: the CLI and the API in
English by default, the pages and `Accept-Language: fr` answers in French through the
catalogue (`kb.messages`, `kb/locale/`). `_` builds one and marks its text for extraction
(`make messages`), so its first argument must be a string literal.

A parameter may be a Message (a nested reason, a word such as "none") or a `Field` (a tag
field's name, shown as its label in French): both are rendered in the same language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class Field(str):
    """A field's name inside a message: the name in English, its label in French."""


class Language(Protocol):
    """What rendering needs of a language: its translations and its field labels."""

    def gettext(self, text: str) -> str: ...

    def label(self, field: str) -> str: ...


@dataclass(frozen=True, eq=False)
class Message:
    """English `text` with `{name}` placeholders and their `params`; `literal` text (another
    library's own words, a path) is shown as is in every language."""

    text: str
    params: Mapping[str, object] = field(default_factory=dict)
    literal: bool = False

    def render(self, language: Language | None = None) -> str:
        """The sentence in `language` (English when None)."""
        if self.literal:
            return self.text
        template = language.gettext(self.text) if language is not None else self.text
        return template.format_map({name: _value(v, language) for name, v in self.params.items()})

    def __str__(self) -> str:
        return self.render()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.text, dict(self.params), self.literal) == (
            other.text, dict(other.params), other.literal)

    def __hash__(self) -> int:
        return hash((self.text, self.literal))


def _(text: str, /, **params: object) -> Message:
    """A message to translate: `text` in English, `params` for its `{name}` placeholders."""
    return Message(text, params)


def literal(text: str) -> Message:
    """Text that is not translated (it comes from outside: a library, a file, a path)."""
    return Message(text, literal=True)


def as_message(value: str | Message) -> Message:
    return value if isinstance(value, Message) else literal(value)


def joined(parts: Sequence[Message], separator: str = "; ") -> Message:
    """Several messages as one, each rendered in the same language."""
    text = separator.join(f"{{p{i}}}" for i in range(len(parts)))
    return Message(text, {f"p{i}": part for i, part in enumerate(parts)})


def _value(value: object, language: Language | None) -> object:
    if isinstance(value, Message):
        return value.render(language)
    if isinstance(value, Field) and language is not None:
        return language.label(value)
    return value


__all__ = ["Field", "Language", "Message", "_", "as_message", "joined", "literal"]
