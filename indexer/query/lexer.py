"""The query's characters into tokens: words, phrases, parentheses, operators, signs.

`clean` first drops what cannot be searched (control and invisible characters) and keeps,
for each character it keeps, its offset in the text as typed: every token carries its span
there (`Tok.start`, `Tok.end`), so that what is built on the tokens (the runs of plain words
that expansion and suggestions read) points into the query as typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from indexer.messages import Message, _
from indexer.text import fold

OR_WORDS = frozenset({"OR", "OU", "|", "||"})
AND_WORDS = frozenset({"AND", "ET", "&", "&&"})
NOT_WORDS = frozenset({"NOT"})
OPEN_QUOTES = {'"': '"', "«": "»", "“": "”", "„": "“", "”": "”"}
_RUN_STOPS = frozenset("()") | frozenset(OPEN_QUOTES)
_FIELD_RE = re.compile(r"([^\W\d][\w-]*):(.*)", re.DOTALL)


class Warnings:
    """The liberties taken with a query, each once, in the order they were taken (messages:
    each edge says them in its reader's language)."""

    def __init__(self) -> None:
        self._items: list[Message] = []

    def add(self, message: Message) -> None:
        if message not in self._items:
            self._items.append(message)

    def all(self) -> tuple[Message, ...]:
        return tuple(self._items)


@dataclass(frozen=True)
class Cleaned:
    """The query without its unsearchable characters; `origin[i]`: where its i-th
    character stands in the text as typed."""

    text: str
    origin: tuple[int, ...]
    typed: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the typed text of the cleaned `text[start:end]` (non-empty)."""
        return self.origin[start], self.origin[end - 1] + 1


def truncation_warning(max_length: int, length: int) -> Message:
    """The warning of a query of `length` characters of which the first `max_length` are
    searched (an edge that says it its own way knows it by this message)."""
    return _("query truncated to its first {max_length} characters (of {length})",
             max_length=max_length, length=length)


def clean(text: str, max_length: int, warnings: Warnings) -> Cleaned:
    """`text` cut to `max_length`, spaces of any kind as " ", control characters as " ",
    invisible format characters (soft hyphens, zero-width joiners) dropped. TypeError
    for a `text` that is not a str."""
    if not isinstance(text, str):
        raise TypeError(f"query text must be a str, not {type(text).__name__}")
    typed = text
    if len(text) > max_length:
        warnings.add(truncation_warning(max_length, len(text)))
        text = text[:max_length]
    cleaned: list[str] = []
    origin: list[int] = []
    dropped = False
    for at, char in enumerate(text):
        if char.isspace():
            cleaned.append(" ")
            origin.append(at)
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs"):  # NUL, escapes, lone surrogates (unencodable terms)
            dropped = True
            cleaned.append(" ")
            origin.append(at)
        elif category != "Cf":
            cleaned.append(char)
            origin.append(at)
    if dropped:
        warnings.add(_("control or invalid characters in the query were ignored"))
    return Cleaned("".join(cleaned), tuple(origin), typed)


@dataclass(frozen=True)
class Tok:
    kind: str  # "word", "phrase", "open", "close", "or", "and", "not", "sign"
    text: str = ""
    field: str | None = None  # user-facing field name (folded) for field:value
    raw: str = ""  # as typed, for warnings
    start: int = 0  # span in the cleaned text: the whole run, quotes of a phrase included
    end: int = 0


def lex(text: str, fields: set[str], warnings: Warnings) -> list[Tok]:
    """Tokens of the cleaned `text`; `fields`: the field names a user may type (folded)."""
    tokens: list[Tok] = []
    i, n = 0, len(text)
    pending_field: str | None = None  # "field:" directly followed by a quote or "("
    while i < n:
        char = text[i]
        if char.isspace():
            if pending_field is not None:
                warnings.add(_('"{value}:" has no value: ignored', value=show(pending_field)))
                pending_field = None
            i += 1
            continue
        if char == "(":
            tokens.append(Tok("open", field=pending_field, start=i, end=i + 1))
            pending_field = None
            i += 1
            continue
        if char == ")":
            tokens.append(Tok("close", start=i, end=i + 1))
            i += 1
            continue
        if char in OPEN_QUOTES:
            closer = OPEN_QUOTES[char]
            end = _find_closing_quote(text, i + 1, closer)
            if end < 0:
                warnings.add(_("quote {char} is not closed: read as a phrase up to the end",
                               char=char))
                end = n
            phrase = text[i + 1 : end]
            last = min(end + 1, n)
            tokens.append(Tok("phrase", phrase, pending_field, text[i:last], i, last))
            pending_field = None
            i = end + 1
            continue
        if char in "+-" and (i + 1 >= n or text[i + 1].isspace()):
            warnings.add(_('lone "{char}" ignored', char=char))
            i += 1
            continue
        if char in "+-" and (i == 0 or text[i - 1].isspace() or text[i - 1] == "("):
            tokens.append(Tok("sign", char, start=i, end=i + 1))
            i += 1
            continue
        # A bare run: up to whitespace, a parenthesis or a quote.
        j = i
        while j < n and not text[j].isspace() and text[j] not in _RUN_STOPS:
            j += 1
        run, start = text[i:j], i
        i = j
        if run in OR_WORDS:
            tokens.append(Tok("or", raw=run, start=start, end=j))
            continue
        if run in AND_WORDS:
            tokens.append(Tok("and", raw=run, start=start, end=j))
            continue
        if run in NOT_WORDS:
            tokens.append(Tok("not", raw=run, start=start, end=j))
            continue
        match = _FIELD_RE.fullmatch(run)
        if match:
            name, value = fold(match.group(1)), match.group(2)
            if name in fields:
                if value:
                    tokens.append(Tok("word", value, name, run, start, j))
                elif i < n and (text[i] == "(" or text[i] in OPEN_QUOTES):
                    pending_field = name
                else:
                    warnings.add(_('"{value}" has no value: ignored', value=show(run)))
                continue
            if value and not value.startswith("/"):
                known = ", ".join(sorted(fields)) or _("none")
                warnings.add(
                    _('unknown field "{value}" in "{value2}": searched as words (fields: '
                      "{known})", value=show(match.group(1)), value2=show(run), known=known)
                )
                # Two words, not a phrase: "foo:mutuelles" finds mutuelles. Their span is
                # the whole run: syntax, never a plain word.
                tokens.append(Tok("word", match.group(1), None, match.group(1), start, j))
                tokens.append(Tok("word", value, None, value, start, j))
                continue
        tokens.append(Tok("word", run, raw=run, start=start, end=j))
    if pending_field is not None:
        warnings.add(_('"{value}:" has no value: ignored', value=show(pending_field)))
    return tokens


PASTED_TEXT_WORDS = 6  # words from which an operator-free query is read as pasted text
_OPERATOR_KINDS = frozenset({"phrase", "or", "and", "not"})


def signs_of_pasted_text(tokens: list[Tok], warnings: Warnings) -> list[Tok]:
    """A sentence pasted from a document ("liez-le avec ln -sf /usr/share...", "les SCOP
    -notamment en Bretagne- ont...") holds dashes that are text, not exclusions: read as
    `-word`, a pasted sentence would exclude the very document it was taken from. A query
    of PASTED_TEXT_WORDS words or more with no other operator (no quotes, OR/AND/NOT,
    field:value; parentheses are common in text, "dpkg-source(1)") is read as text: a sign
    before a word becomes part of it, with a warning that says how to exclude (`NOT word`)
    in such a query. A sign before a parenthesis stays an operator."""
    if not any(tok.kind == "sign" for tok in tokens):
        return tokens
    words = [tok for tok in tokens if tok.kind == "word"]
    if len(words) < PASTED_TEXT_WORDS or any(
        tok.kind in _OPERATOR_KINDS or tok.field is not None for tok in tokens
    ):
        return tokens
    read: list[Tok] = []
    for i, tok in enumerate(tokens):
        if tok.kind != "sign":
            read.append(tok)
        elif i + 1 < len(tokens) and tokens[i + 1].kind == "word":
            warnings.add(
                _('"{text}{value}" in a pasted text searched as a word (to exclude it, write '
                  "NOT {value})", text=tok.text, value=show(tokens[i + 1].raw))
            )
        else:
            read.append(tok)
    return read


def _find_closing_quote(text: str, start: int, closer: str) -> int:
    end = text.find(closer, start)
    if end < 0 and closer != '"':
        end = text.find('"', start)  # « ... " typed with mixed quotes
    return end


def show(text: str, limit: int = 40) -> str:
    """User input quoted in a warning, cut short: a warning is one line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def has_letters(text: str) -> bool:
    return any(c.isalnum() for c in text)
