"""The controlled vocabulary: terms per tag field, read from a TOML file curators edit.

The file holds one array of tables per controlled field (`[[family]]`, `[[territory]]`, ...);
each entry has a stable `key`, a French `label`, optional `synonyms` and an optional `parent`
(a key of the same field, making a tree). `Vocabulary` resolves what users type to keys,
suggests the closest keys for a typo, walks the trees and finds synonyms in document text.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from kb.errors import InvalidTag, InvalidVocabulary
from kb.text import fold

CONTROLLED_FIELDS = (
    "family",
    "territory",
    "mission",
    "kind",
    "instance",
    "status",
    "visibility",
    "source",
    "language",
)
FREE_FIELDS = ("title", "authors", "date", "year", "summary", "publisher")
FIELDS = CONTROLLED_FIELDS + FREE_FIELDS
MULTI_VALUED = frozenset({"family", "territory", "mission", "instance", "authors", "publisher"})

_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ENTRY_SETTINGS = ("key", "label", "synonyms", "parent")
# The text regex is built by recursion, one level per character: keep synonyms phrase-sized.
_MAX_SYNONYM = 200


@dataclass(frozen=True)
class Term:
    """One value of a controlled field."""

    field: str
    key: str  # stable, lower-case ASCII with hyphens: what the catalog and the index store
    label: str  # French label shown to users
    synonyms: tuple[str, ...] = ()  # what identifies the term in a text, or a user may type
    parent: str | None = None  # key of the parent term in the same field


def closest_names(value: str, names: Iterable[str], n: int = 3) -> list[str]:
    """The `n` names most similar to `value` (difflib on folded forms), best first."""
    by_folded: dict[str, str] = {}
    for name in names:
        by_folded.setdefault(_normal(name), name)
    matches = difflib.get_close_matches(
        _normal(value)[:_MAX_SYNONYM], list(by_folded), n=n, cutoff=0.6
    )
    return [by_folded[m] for m in matches]


class Vocabulary:
    """The terms of every controlled field, with lookups by name, tree walks and text search.

    Built from terms (validated: InvalidVocabulary on a bad key, a duplicate key, an unknown
    parent or a cycle) or loaded from a TOML file with `Vocabulary.load`. Immutable.
    Methods taking a `field` raise InvalidTag when it is not a controlled field.
    """

    fields: tuple[str, ...] = CONTROLLED_FIELDS

    def __init__(self, terms: Iterable[Term], source: str = "vocabulary"):
        self.source = source
        by_field: dict[str, list[Term]] = {f: [] for f in CONTROLLED_FIELDS}
        for term in terms:
            if term.field not in by_field:
                raise self._error(f"unknown field {term.field!r}", term.field, CONTROLLED_FIELDS)
            by_field[term.field].append(term)
        self._terms = {f: tuple(ts) for f, ts in by_field.items()}
        self._by_key: dict[str, dict[str, Term]] = {}
        for field, field_terms in self._terms.items():
            self._by_key[field] = self._index_keys(field, field_terms)
        for field, field_terms in self._terms.items():
            self._check_tree(field, field_terms)
        self._children: dict[str, dict[str, list[str]]] = {f: {} for f in CONTROLLED_FIELDS}
        for field, field_terms in self._terms.items():
            for term in field_terms:
                if term.parent is not None:
                    self._children[field].setdefault(term.parent, []).append(term.key)
        # Keys first, then labels, then synonyms: a key always resolves to its own term.
        self._names: dict[str, dict[str, str]] = {f: {} for f in CONTROLLED_FIELDS}
        for field, field_terms in self._terms.items():
            names = self._names[field]
            for attribute in ("key", "label", "synonyms"):
                for term in field_terms:
                    for name in _names_of(term, attribute):
                        names.setdefault(_normal(name), term.key)
            names.pop("", None)

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        """Read a vocabulary file; InvalidVocabulary names the file, the entry and the reason."""
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidVocabulary(
                f"{path}: not UTF-8 text (byte {exc.start}): save the file as UTF-8"
            ) from exc
        except OSError as exc:
            raise InvalidVocabulary(f"{path}: cannot read the vocabulary: {exc.strerror}") from exc
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InvalidVocabulary(f"{path}: invalid TOML: {exc}") from exc
        terms = []
        for field, entries in data.items():
            if field not in CONTROLLED_FIELDS:
                suggestion = _suggest(field, CONTROLLED_FIELDS)
                raise InvalidVocabulary(
                    f"{path}: unknown field {field!r}{suggestion}; "
                    f"fields are {', '.join(CONTROLLED_FIELDS)}"
                )
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                raise InvalidVocabulary(
                    f"{path}: {field} must be an array of tables: write each term "
                    f"under its own [[{field}]] header"
                )
            for number, entry in enumerate(entries, start=1):
                terms.append(_term_from_entry(path, field, number, entry))
        return cls(terms, source=str(path))

    def __repr__(self) -> str:
        counts = ", ".join(f"{f}={len(ts)}" for f, ts in self._terms.items() if ts)
        return f"<Vocabulary {self.source} {counts}>"

    # --- lookups -----------------------------------------------------------------------

    def terms(self, field: str) -> tuple[Term, ...]:
        """The terms of a field, in file order."""
        return self._terms[self._field(field)]

    def get(self, field: str, key: str) -> Term | None:
        """The term with this exact key, or None."""
        return self._by_key[self._field(field)].get(key)

    def resolve(self, field: str, value: str) -> Term | None:
        """The term named by `value`: its key, label or a synonym, ignoring case and accents.

        Spaces, hyphens, apostrophes and other punctuation are ignored between words, and
        letters and digits are separate words ("ile et vilaine", "cg35" both resolve).
        Keys win over labels, labels over synonyms when two terms share a name. Never raises
        on arbitrary `value`.
        """
        key = self._names[self._field(field)].get(_normal(value))
        return None if key is None else self._by_key[field][key]

    def closest(self, field: str, value: str, n: int = 3) -> list[str]:
        """Keys of the up to `n` terms whose key, label or synonym is most like `value`."""
        names = self._names[self._field(field)]
        # Names are short: comparing more of a long value costs time and changes nothing.
        folded = _normal(value)[:_MAX_SYNONYM]
        found: list[str] = []
        for match in difflib.get_close_matches(folded, list(names), n=len(names), cutoff=0.6):
            key = names[match]
            if key not in found:
                found.append(key)
            if len(found) == n:
                break
        return found

    def ancestors(self, field: str, key: str) -> tuple[str, ...]:
        """Keys of the parent, grandparent, ... of `key` (root last); () for an unknown key."""
        by_key = self._by_key[self._field(field)]
        chain: list[str] = []
        term = by_key.get(key)
        while term is not None and term.parent is not None:
            chain.append(term.parent)
            term = by_key.get(term.parent)
        return tuple(chain)

    def descendants(self, field: str, key: str) -> frozenset[str]:
        """Keys of every term below `key` (not `key` itself); empty for an unknown key."""
        children = self._children[self._field(field)]
        found: set[str] = set()
        pending = list(children.get(key, ()))
        while pending:
            child = pending.pop()
            if child not in found:
                found.add(child)
                pending.extend(children.get(child, ()))
        return frozenset(found)

    # --- automatic tagging ----------------------------------------------------------------

    def find_in_text(self, text: str) -> dict[str, dict[str, int]]:
        """Count, per field and key, the synonyms found in `text` (fields with no hit left out).

        Matching rules, for automatic tagging:
        - only `synonyms` are searched (not keys or labels): the curator lists there exactly
          what identifies a term in a text;
        - a synonym matches as whole words: not preceded or followed by a letter, digit or
          underscore ("SCOP" does not match "SCOPE" or "URSCOP", "CG 35" not "CG 350");
        - a synonym with no lower-case letter ("SCOP", "CG 35", "CPCA") is an acronym and
          matches with its exact case ("Scop" or "scop" in prose do not match); other
          synonyms match ignoring case; all ignore accents and œ/æ ligatures;
        - a space, hyphen or apostrophe (' or ’) in a synonym matches any run of spaces,
          newlines, hyphens, dashes and apostrophes in the text ("Ille-et-Vilaine" matches
          "Ille et Vilaine" and "Ille-et-\\nVilaine"); where a letter meets a digit the
          separator is optional both ways ("CG 35" matches "CG35" and "CG-35");
        - where synonyms overlap, the longest match starting first wins and is counted once
          ("Conseil général d'Ille-et-Vilaine" counts once, not also as "Ille-et-Vilaine").
        Linear in the text length; never raises.
        """
        return self._matcher.count(text)

    @cached_property
    def _matcher(self) -> _TextMatcher:
        return _TextMatcher(self._terms)

    # --- curation ----------------------------------------------------------------------

    def problems(self) -> list[str]:
        """Soft problems a curator should fix; the vocabulary still works with them.

        A name (key, label or synonym, compared folded) shared by two terms of one field,
        which makes resolving it and automatic tagging ambiguous; a one-character synonym,
        which would tag most texts; a field without any term.
        """
        found: list[str] = []
        for field, field_terms in self._terms.items():
            if not field_terms:
                found.append(f"{self.source}: no terms for field {field!r}")
                continue
            owners: dict[str, dict[str, list[str]]] = {}
            for term in field_terms:
                for attribute in ("key", "label", "synonyms"):
                    for name in _names_of(term, attribute):
                        kinds = owners.setdefault(_normal(name), {})
                        kinds.setdefault(term.key, [])
                        what = attribute.rstrip("s")
                        if what not in kinds[term.key]:
                            kinds[term.key].append(what)
                for synonym in term.synonyms:
                    if len(_plain(synonym).strip()) < 2:
                        found.append(
                            f"{self.source}: [[{field}]] {term.key!r}: synonym {synonym!r} "
                            "is a single character and would tag most texts"
                        )
            for name, kinds in owners.items():
                if len(kinds) > 1:
                    holders = ", ".join(f"{k} ({'/'.join(w)})" for k, w in kinds.items())
                    found.append(
                        f"{self.source}: [[{field}]] the name {name!r} belongs to "
                        f"several terms: {holders}"
                    )
        return found

    # --- construction helpers ------------------------------------------------------------

    def _field(self, field: str) -> str:
        if field not in self._terms:
            raise InvalidTag(
                f"{field!r} is not a controlled tag field{_suggest(field, CONTROLLED_FIELDS)}; "
                f"fields are {', '.join(CONTROLLED_FIELDS)}"
            )
        return field

    def _error(self, reason: str, value: str = "", names: Iterable[str] = ()) -> InvalidVocabulary:
        return InvalidVocabulary(f"{self.source}: {reason}{_suggest(value, names)}")

    def _index_keys(self, field: str, terms: tuple[Term, ...]) -> dict[str, Term]:
        by_key: dict[str, Term] = {}
        for number, term in enumerate(terms, start=1):
            where = f"[[{field}]] entry {number}"
            if not _KEY.fullmatch(term.key):
                raise self._error(
                    f"{where}: key {term.key!r} must be lower-case ASCII letters, digits "
                    "and single hyphens (e.g. 'ille-et-vilaine')"
                )
            if not term.label.strip():
                raise self._error(f"{where} ({term.key!r}): the label is empty")
            for synonym in term.synonyms:
                if not any(c.isalnum() for c in synonym):
                    raise self._error(
                        f"{where} ({term.key!r}): synonym {synonym!r} has no letter or digit"
                    )
                if len(synonym) > _MAX_SYNONYM:
                    raise self._error(
                        f"{where} ({term.key!r}): synonym {synonym[:40]!r}... is longer than "
                        f"{_MAX_SYNONYM} characters; keep the words that identify the term"
                    )
            if term.key in by_key:
                first = terms.index(by_key[term.key]) + 1
                raise self._error(
                    f"{where}: duplicate key {term.key!r} (already entry {first}); "
                    "keys must be unique within a field"
                )
            by_key[term.key] = term
        return by_key

    def _check_tree(self, field: str, terms: tuple[Term, ...]) -> None:
        by_key = self._by_key[field]
        for term in terms:
            if term.parent is not None and term.parent not in by_key:
                raise self._error(
                    f"[[{field}]] {term.key!r}: unknown parent {term.parent!r}",
                    term.parent,
                    by_key,
                )
        for term in terms:
            chain = [term.key]
            parent = term.parent
            while parent is not None:
                if parent in chain:
                    loop = " -> ".join([*chain[chain.index(parent) :], parent])
                    raise self._error(f"[[{field}]] parents form a cycle: {loop}")
                chain.append(parent)
                parent = by_key[parent].parent


def _term_from_entry(path: Path, field: str, number: int, entry: Mapping[str, Any]) -> Term:
    """A Term from one `[[field]]` table; InvalidVocabulary names the entry on a bad shape."""
    key = entry.get("key")
    where = f"{path}: [[{field}]] entry {number}" + (f" ({key!r})" if isinstance(key, str) else "")
    for setting in entry:
        if setting not in _ENTRY_SETTINGS:
            raise InvalidVocabulary(
                f"{where}: unknown setting {setting!r}{_suggest(setting, _ENTRY_SETTINGS)}; "
                f"settings are {', '.join(_ENTRY_SETTINGS)}"
            )
    for required in ("key", "label"):
        if required not in entry:
            raise InvalidVocabulary(f"{where}: missing {required!r}")
        if not isinstance(entry[required], str):
            raise InvalidVocabulary(f"{where}: {required} must be a string")
    synonyms = entry.get("synonyms", [])
    if isinstance(synonyms, str):
        synonyms = [synonyms]
    if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
        raise InvalidVocabulary(f"{where}: synonyms must be a list of strings")
    parent = entry.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise InvalidVocabulary(f"{where}: parent must be a string (the key of another term)")
    return Term(
        field=field,
        key=entry["key"],
        label=entry["label"].strip(),
        synonyms=tuple(s.strip() for s in synonyms),
        parent=parent,
    )


def _names_of(term: Term, attribute: str) -> tuple[str, ...]:
    if attribute == "synonyms":
        return term.synonyms
    return (getattr(term, attribute),)


def _suggest(value: str, names: Iterable[str]) -> str:
    close = closest_names(value, names) if value else []
    return f" (closest: {', '.join(close)})" if close else ""


_WORDS = re.compile(r"[^\W\d_]+|\d+")


def _normal(value: str) -> str:
    """The form names are compared in: folded words, letters and digits apart, one space."""
    return " ".join(_WORDS.findall(fold(value)))


# --- finding synonyms in text ---------------------------------------------------------------

# Characters a space, hyphen or apostrophe of a synonym stands for in a text.
_SEPARATORS = "\\s\\-\u2010\u2011\u2012\u2013\u2014'\u2019\u2018\u02bc`"
_SEPARATOR_RUN = f"[{_SEPARATORS}]+"
_OPTIONAL_SEPARATOR = f"[{_SEPARATORS}]*"
_SPLIT = re.compile(_SEPARATOR_RUN)
# Words of a matched text or a synonym, for looking the match up: separators are dropped,
# letters and digits are apart, other punctuation counts.
_TOKENS = re.compile(f"[^\\W\\d_]+|\\d+|_|[^\\w{_SEPARATORS}]")
_LIGATURE = re.compile("[œŒæÆß]")
_LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"}
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def _plain(text: str) -> str:
    """Text without accents or ligatures, case kept: what synonyms are searched in.

    Cheap on megabytes: C-level normalization and regex passes only.
    """
    text = _LIGATURE.sub(lambda m: _LIGATURES[m.group()], text)
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def _is_acronym(synonym: str) -> bool:
    return any(c.isupper() for c in synonym) and not any(c.islower() for c in synonym)


class _TextMatcher:
    """One compiled regex over every synonym, shaped as a trie.

    A plain alternation of hundreds of synonyms costs Python's regex engine a try of each
    at every position (about 5 s on 6 MB); a trie shares prefixes so each position costs one
    character test (about 0.3 s).
    """

    def __init__(self, terms: Mapping[str, tuple[Term, ...]]):
        self._exact: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        self._folded: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        trie: dict[Any, Any] = {}
        for field, field_terms in terms.items():
            for term in field_terms:
                for synonym in term.synonyms:
                    acronym = _is_acronym(synonym)
                    plain = _plain(synonym) if acronym else _plain(synonym).lower()
                    units = _units(plain, acronym)
                    if not units:
                        continue
                    table = self._exact if acronym else self._folded
                    owners = table.setdefault(tuple(_TOKENS.findall(plain)), [])
                    if (field, term.key) not in owners:
                        owners.append((field, term.key))
                    node = trie
                    for unit in units:
                        node = node.setdefault(unit, {})
                    node[_END] = True
        body = _trie_pattern(trie)
        # The leading look-behind is cheaper than checking the left edge of each match.
        self._regex = re.compile(f"(?<!\\w)(?:{body})(?!\\w)") if body else None

    def count(self, text: str) -> dict[str, dict[str, int]]:
        found: dict[str, dict[str, int]] = {}
        if self._regex is None:
            return found
        for match in self._regex.finditer(_plain(text)):
            tokens = tuple(_TOKENS.findall(match.group()))
            owners = self._exact.get(tokens, []) + self._folded.get(
                tuple(t.lower() for t in tokens), []
            )
            for field, key in dict.fromkeys(owners):
                keys = found.setdefault(field, {})
                keys[key] = keys.get(key, 0) + 1
        return found


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
