"""Names of vocabulary terms found in a document's text, with where they stand.

Automatic tagging (`kb.tags.auto_tags`) decides on evidence: how many times a term is
named, whether in the title or on the first page, through a name the curators mark weak.
This module finds the mentions: every synonym of the vocabulary as whole words (rules in
`Vocabulary.find_in_text`), each with its page and place, and never a name that is only a
piece of something longer: inside a URL or an e-mail address ("jean@resel.enst-bretagne.fr",
"www.bretagne.fr/...") or a longer hyphenated name ("Grande-Bretagne", "Bretagne-Sud").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from indexer.text import LIGATURES
from kb.mention_rules import is_evidence

# A mention in the first FIRST_PAGE_CHARS characters of a document (or on its first page)
# is on its first page: what a reader sees before deciding what the document is about.
FIRST_PAGE_CHARS = 3000
# The head of a document, its first HEAD_CHARS characters: its title block, subtitle and
# the lines under them, where it says what it is about (a name further down the first
# page may be a partner's, said in passing).
HEAD_CHARS = 400
PLACE_FIELDS = frozenset({"territory"})  # names of places: `kb.mention_rules`
PLACES = ("title", "head", "first page", "body")


@dataclass(frozen=True)
class Mention:
    """One name of a term found in a document (picklable: counted in extraction workers)."""

    field: str
    key: str
    words: str  # as written in the text (accents kept where the text allows)
    page: int | None  # the section's page; None for the title or an unpaged text
    place: str  # one of PLACES
    weak: bool = False  # through a synonym the vocabulary marks weak


class _HasSynonyms(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def synonyms(self) -> tuple[str, ...]: ...
    @property
    def weak(self) -> tuple[str, ...]: ...


# Characters a space, hyphen or apostrophe of a synonym stands for in a text.
_SEPARATORS = "\\s\\-\u2010\u2011\u2012\u2013\u2014'\u2019\u2018\u02bc`"
_SEPARATOR_RUN = f"[{_SEPARATORS}]+"
_OPTIONAL_SEPARATOR = f"[{_SEPARATORS}]*"
_SPLIT = re.compile(_SEPARATOR_RUN)
# Words of a matched text or a synonym, for looking the match up: separators are dropped,
# letters and digits are apart, other punctuation counts.
_TOKENS = re.compile(f"[^\\W\\d_]+|\\d+|_|[^\\w{_SEPARATORS}]")
_LIGATURE = re.compile(f"[{''.join(LIGATURES)}]")
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def plain_text(text: str) -> str:
    """Text without accents or ligatures, case kept: what synonyms are searched in.

    `indexer.text.fold` but for case and apostrophes: an acronym ("ESS", "CG 35") matches
    only as written; apostrophes stay as written (the matcher takes any as a
    separator). Cheap on megabytes: C-level
    normalization and regex passes only.
    """
    text = _LIGATURE.sub(lambda m: LIGATURES[m.group()], text)
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def _is_acronym(synonym: str) -> bool:
    return any(c.isupper() for c in synonym) and not any(c.islower() for c in synonym)


class TextMatcher:
    """One compiled regex over every synonym, shaped as a trie.

    A plain alternation of hundreds of synonyms costs Python's regex engine a try of each
    at every position (about 5 s on 6 MB); a trie shares prefixes so each position costs one
    character test (about 0.3 s).
    """

    def __init__(self, terms: Mapping[str, Iterable[_HasSynonyms]]):
        # matched tokens -> (field, key, weak) of the terms named so
        self._exact: dict[tuple[str, ...], list[tuple[str, str, bool]]] = {}
        self._folded: dict[tuple[str, ...], list[tuple[str, str, bool]]] = {}
        # (field, key) of the terms named so by a proper name ("Vannes", not "niveau national")
        self._proper: dict[tuple[str, ...], set[tuple[str, str]]] = {}
        trie: dict[Any, Any] = {}
        for field, field_terms in terms.items():
            for term in field_terms:
                for synonym in term.synonyms:
                    acronym = _is_acronym(synonym)
                    plain = plain_text(synonym) if acronym else plain_text(synonym).lower()
                    units = _units(plain, acronym)
                    if not units:
                        continue
                    table = self._exact if acronym else self._folded
                    owners = table.setdefault(tuple(_TOKENS.findall(plain)), [])
                    owner = (field, term.key, synonym in term.weak)
                    if not any(o[:2] == owner[:2] for o in owners):
                        owners.append(owner)
                    if not acronym and synonym[:1].isupper():
                        proper = self._proper.setdefault(tuple(_TOKENS.findall(plain)), set())
                        proper.add(owner[:2])
                    node = trie
                    for unit in units:
                        node = node.setdefault(unit, {})
                    node[_END] = True
        body = _trie_pattern(trie)
        # The leading look-behind is cheaper than checking the left edge of each match.
        self._regex = re.compile(f"(?<!\\w)(?:{body})(?!\\w)") if body else None

    def matches(self, text: str) -> Iterable[tuple[int, int, list[tuple[str, str, bool]]]]:
        """(start, end, owners) of each name found in `text` as a name of its own."""
        if self._regex is None:
            return
        plain = plain_text(text)
        to_text = _offsets(text, plain)
        for match in self._regex.finditer(plain):
            tokens = tuple(_TOKENS.findall(match.group()))
            exact = self._exact.get(tokens, [])
            owners = exact + self._folded.get(tuple(t.lower() for t in tokens), [])
            # An acronym takes a suffix ("SCOP-SA" is a SCOP); a name does not
            # ("Saint-Malo-de-Phily" is another place than Saint-Malo).
            if owners and not _inside_longer_name(
                plain, match.start(), match.end(), suffix=not exact
            ):
                yield to_text(match.start()), to_text(match.end()), owners

    def count(self, text: str) -> dict[str, dict[str, int]]:
        """field -> key -> names found in `text`."""
        found: dict[str, dict[str, int]] = {}
        for _start, _end, owners in self.matches(text):
            for field, key, _weak in owners:
                keys = found.setdefault(field, {})
                keys[key] = keys.get(key, 0) + 1
        return found

    def mentions(self, title: str, sections: Sequence[tuple[str, int | None]]) -> list[Mention]:
        """Every mention in the title and in the sections ((text, page), in order) that is
        evidence of its term by the rules of `kb.mention_rules`."""
        out: list[Mention] = []
        for start, end, owners in self._evidence(title):
            out.extend(Mention(f, k, title[start:end], None, "title", w) for f, k, w in owners)
        offset = 0
        first_page = next((page for _text, page in sections if page is not None), None)
        for text, page in sections:
            for start, end, owners in self._evidence(text):
                early = offset + start < FIRST_PAGE_CHARS or (
                    page is not None and page == first_page
                )
                words = " ".join(text[start:end].split())
                head = offset + start < HEAD_CHARS
                place = "head" if head else "first page" if early else "body"
                out.extend(Mention(f, k, words, page, place, w) for f, k, w in owners)
            offset += len(text) + 2
        return out


    def _evidence(self, text: str) -> Iterable[tuple[int, int, list[tuple[str, str, bool]]]]:
        """`matches`, each keeping the owners for which it is evidence."""
        for start, end, owners in self.matches(text):
            folded = tuple(_TOKENS.findall(plain_text(text[start:end]).lower()))
            proper = self._proper.get(folded, set())
            kept = [
                owner for owner in owners
                if is_evidence(text, start, end, place=owner[0] in PLACE_FIELDS,
                               proper=owner[:2] in proper)
            ]  # fmt: skip
            if kept:
                yield start, end, kept


def _offsets(text: str, plain: str) -> Callable[[int], int]:
    """Maps an offset in `plain` (`plain_text(text)`) back to `text`: folding may change
    the length (œ -> oe, a compatibility character to several)."""
    if len(plain) == len(text):
        return lambda offset: offset
    starts: list[int] = []  # plain offsets where the shift changes
    shifts: list[int] = []  # text offset - plain offset from there on
    shift = 0
    for match in _NOT_ASCII.finditer(text):
        grown = len(plain_text(match.group())) - 1
        if grown:
            i = match.start()
            starts.append(i - shift + 1 + grown)
            shift -= grown
            shifts.append(shift)

    def to_text(offset: int) -> int:
        k = bisect_right(starts, offset)
        return offset + (shifts[k - 1] if k else 0)

    return to_text


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_HYPHENS = "-\u2010\u2011"
_JOINERS = _HYPHENS + "@./_"  # what binds a name into a longer word, a domain or a path


def _inside_longer_name(text: str, start: int, end: int, *, suffix: bool = True) -> bool:
    """Whether text[start:end] is only part of a longer hyphenated name, a URL or an
    e-mail address: bound to a letter or digit by a hyphen, "@", "." or "/" (after it, a
    hyphen counts only with `suffix`), or inside a space-free run that holds "@", "://" or
    "www."."""
    if start >= 2 and text[start - 1] in _JOINERS and text[start - 2].isalnum():
        return True
    after = _JOINERS if suffix else _JOINERS[len(_HYPHENS) :]
    if end + 1 < len(text) and text[end] in after and text[end + 1].isalnum():
        return True
    left = start
    while left > 0 and not text[left - 1].isspace() and start - left < 200:
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace() and right - end < 200:
        right += 1
    run = text[left:right]
    return "@" in run or "://" in run or "www." in run.lower()


_END = object()


def _units(plain: str, acronym: bool) -> list[tuple[str, ...]]:
    """A synonym as trie units: ("c", char, acronym) and ("sep",) / ("opt",) separators."""
    units: list[tuple[str, ...]] = []
    previous = ""
    for chunk in _SPLIT.split(plain):
        if not chunk:
            continue
        if previous:
            units.append(("opt",) if _letter_digit(previous, chunk[0]) else ("sep",))
        for char in chunk:
            if previous and units[-1][0] == "c" and _letter_digit(previous, char):
                units.append(("opt",))
            units.append(("c", char, "A" if acronym else "a"))
            previous = char
    return units


def _letter_digit(a: str, b: str) -> bool:
    """True where a letter meets a digit (either way): there a separator is optional."""
    return (a.isalpha() and b.isdigit()) or (a.isdigit() and b.isalpha())


def _unit_pattern(unit: tuple[str, ...]) -> str:
    if unit[0] == "sep":
        return _SEPARATOR_RUN
    if unit[0] == "opt":
        return _OPTIONAL_SEPARATOR
    char, case = unit[1], unit[2]
    upper = char.upper()
    # A character class is cheaper than an IGNORECASE group for the regex engine.
    if case == "a" and upper != char and len(upper) == 1:
        return f"[{re.escape(char)}{re.escape(upper)}]"
    return re.escape(char)


def _trie_pattern(node: Mapping[Any, Any]) -> str:
    branches = [
        _unit_pattern(unit) + _trie_pattern(child)
        for unit, child in node.items()
        if unit is not _END
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    # Greedy: a longer synonym is tried before the shorter one that ends here.
    return f"(?:{body})?" if _END in node else body


__all__ = ["FIRST_PAGE_CHARS", "PLACES", "Mention", "TextMatcher"]
