"""The controlled vocabulary: terms per tag field, read from a TOML file curators edit.

The file holds one array of tables per controlled field (`[[family]]`, `[[territory]]`, ...);
each entry has a stable `key`, a French `label`, optional `synonyms` and an optional `parent`
(a key of the same field, making a tree). `Vocabulary` resolves what users type to keys,
suggests the closest keys for a typo, walks the trees and finds synonyms in document text.

What counts as evidence for an automatic tag is tunable (`EvidenceRule`): an `[evidence]`
table sets the defaults (`min_mentions`, `weak_min_mentions`, `beside_min_mentions`),
`[evidence.<field>]` a field's, and an entry its own (not `beside_min_mentions`); a
synonym written `{ name = "France", weak = true }` is weak
(ambiguous: a country, "diagnostic", "newsletter"): it adds to other evidence, tags alone
only from the title or `weak_min_mentions` mentions on.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from indexer.fields import TABLE, TAG_FIELDS
from indexer.messages import _
from indexer.text import fold
from kb.errors import InvalidTag, InvalidVocabulary
from kb.mentions import Mention, TextMatcher, plain_text

# The fields of `indexer.fields.TABLE`: the controlled ones first, then the free ones.
CONTROLLED_FIELDS = TAG_FIELDS
FREE_FIELDS = tuple(f.name for f in TABLE if not f.controlled)
FIELDS = CONTROLLED_FIELDS + FREE_FIELDS
MULTI_VALUED = frozenset(f.name for f in TABLE if f.multi_valued)

_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ENTRY_SETTINGS = (
    "key", "label", "synonyms", "parent", "min_mentions", "weak_min_mentions",
    "markers", "min_markers",
)  # fmt: skip
# Only a kind is recognised by its parts ("Ordre du jour", "Présents :"): `kb.kinds`.
_KIND_SETTINGS = ("markers", "min_markers")
_RULE_SETTINGS = ("min_mentions", "weak_min_mentions", "beside_min_mentions")
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
    weak: tuple[str, ...] = ()  # the synonyms that are weak evidence (ambiguous names)
    # Overrides of the field's `EvidenceRule` for this term (None: the field's).
    min_mentions: int | None = None
    weak_min_mentions: int | None = None
    # For a kind: the names of the parts that make a document of this kind, as labels or
    # headings, and how many distinct such lines it takes (`kb.kinds`).
    markers: tuple[str, ...] = ()
    min_markers: int | None = None


@dataclass(frozen=True)
class EvidenceRule:
    """How much a text must say to tag a document with a term automatically.

    A term is tagged when one of its names (not weak) stands in the title or on the first
    page, or when its names (not weak) are found `min_mentions` times, or when all its
    names, weak ones included, are found `weak_min_mentions` times; a weak name in the
    title is enough too (`kb.tags.auto_tags`); or when its names (not weak) are found
    `beside_min_mentions` times and another term of the field is named too.
    """

    min_mentions: int = 2
    weak_min_mentions: int = 10
    # Fewer mentions that tag where the text names another term of the field too (not by a
    # weak name): the observatory's bodies named together are its governance, one "comité
    # de pilotage" alone is any project's. None: no such rule. A field's setting only.
    beside_min_mentions: int | None = None


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

    def __init__(
        self,
        terms: Iterable[Term],
        source: str = "vocabulary",
        evidence: Mapping[str, EvidenceRule] | None = None,
        ground: Iterable[str] = (),
    ):
        """`evidence`: field -> its rule, "" -> the default (EvidenceRule() if absent).
        `ground`: words that put a text on the observatory's ground (`on_ground`)."""
        self.source = source
        self._evidence = dict(evidence or {})
        words = sorted({_normal(w) for w in ground if _normal(w)}, key=len, reverse=True)
        self._ground = (
            re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b") if words else None
        )
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
        evidence = _evidence_rules(path, data.pop("evidence", {}))
        ground = _ground_words(path, data.pop("ground", {}))
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
        return cls(terms, source=str(path), evidence=evidence, ground=ground)

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

    def find_mentions(
        self, title: str, sections: Iterable[tuple[str, int | None]]
    ) -> tuple[Mention, ...]:
        """Every synonym found in the title and the sections ((text, page) in order), with
        its page and place (title, first page, body), as `find_in_text` matches them but
        never inside a URL, an e-mail address or a longer hyphenated name."""
        return tuple(self._matcher.mentions(title, list(sections)))

    def evidence_rule(self, field: str, key: str) -> EvidenceRule:
        """The rule for tagging `key` automatically: the term's settings over its field's,
        over the file's defaults."""
        base = self._evidence.get(field) or self._evidence.get("") or EvidenceRule()
        term = self._by_key.get(field, {}).get(key)
        if term is None or (term.min_mentions is None and term.weak_min_mentions is None):
            return base
        return dataclasses.replace(
            base,
            min_mentions=base.min_mentions if term.min_mentions is None else term.min_mentions,
            weak_min_mentions=(
                base.weak_min_mentions if term.weak_min_mentions is None else term.weak_min_mentions
            ),
        )

    def on_ground(self, text: str) -> bool:
        """Whether the text uses a word of the observatory's ground (the `[ground]` table:
        association, assemblée générale, collectivité...): a form of document (minutes, a
        guide, slides) is a kind of this catalogue only there (`kb.autotag`)."""
        return self._ground is not None and self._ground.search(_normal(text)) is not None

    @cached_property
    def _matcher(self) -> TextMatcher:
        return TextMatcher(self._terms)

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
                    if len(plain_text(synonym).strip()) < 2:
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
            close = closest_names(field, CONTROLLED_FIELDS)
            raise InvalidTag(_(
                "{field!r} is not a controlled tag field (closest: {closest}); fields are "
                "{fields}", field=field, closest=", ".join(close),
                fields=", ".join(CONTROLLED_FIELDS)) if close else _(
                "{field!r} is not a controlled tag field; fields are {fields}", field=field,
                fields=", ".join(CONTROLLED_FIELDS)))
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
    if not isinstance(synonyms, list):
        raise InvalidVocabulary(f"{where}: synonyms must be a list of strings")
    names: list[str] = []
    weak: list[str] = []
    for synonym in synonyms:
        if isinstance(synonym, dict):
            name, is_weak = synonym.get("name"), synonym.get("weak", False)
            if (
                not isinstance(name, str)
                or not isinstance(is_weak, bool)
                or set(synonym) - {"name", "weak"}
            ):
                raise InvalidVocabulary(
                    f'{where}: a synonym table must be {{ name = "...", weak = true }}, '
                    f"got {synonym!r}"
                )
            names.append(name.strip())
            if is_weak:
                weak.append(name.strip())
        elif isinstance(synonym, str):
            names.append(synonym.strip())
        else:
            raise InvalidVocabulary(f"{where}: synonyms must be a list of strings")
    rules = {name: entry.get(name) for name in _RULE_SETTINGS}
    for name, value in rules.items():
        _check_count(where, name, value)
    markers, min_markers = _markers(where, field, entry)
    parent = entry.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise InvalidVocabulary(f"{where}: parent must be a string (the key of another term)")
    return Term(
        field=field,
        key=entry["key"],
        label=entry["label"].strip(),
        synonyms=tuple(names),
        parent=parent,
        weak=tuple(weak),
        min_mentions=rules["min_mentions"],
        weak_min_mentions=rules["weak_min_mentions"],
        markers=markers,
        min_markers=min_markers,
    )


def _markers(
    where: str, field: str, entry: Mapping[str, Any]
) -> tuple[tuple[str, ...], int | None]:
    """A kind's `markers` and `min_markers`, checked; InvalidVocabulary names the entry."""
    given = [name for name in _KIND_SETTINGS if name in entry]
    if given and field != "kind":
        raise InvalidVocabulary(
            f"{where}: {given[0]} is a setting of [[kind]] entries only (the parts that make "
            "a document of that kind)"
        )
    markers = entry.get("markers", [])
    if not isinstance(markers, list) or not all(
        isinstance(m, str) and any(c.isalnum() for c in m) for m in markers
    ):
        raise InvalidVocabulary(f"{where}: markers must be a list of words or phrases")
    min_markers = entry.get("min_markers")
    _check_count(where, "min_markers", min_markers)
    return tuple(m.strip() for m in markers), min_markers


def _check_count(where: str, name: str, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise InvalidVocabulary(f"{where}: {name} must be a whole number of at least 1")


def _evidence_rules(path: Path, table: Any) -> dict[str, EvidenceRule]:
    """The `[evidence]` table: defaults (key "") and `[evidence.<field>]` rules."""
    where = f"{path}: [evidence]"
    if not isinstance(table, dict):
        raise InvalidVocabulary(f"{where} must be a table")
    settings: dict[str, Any] = {}
    for name, value in table.items():
        if name in _RULE_SETTINGS:
            _check_count(where, name, value)
            settings[name] = value
        elif name not in CONTROLLED_FIELDS or not isinstance(value, dict):
            choices = (*_RULE_SETTINGS, *CONTROLLED_FIELDS)
            raise InvalidVocabulary(
                f"{where}: unknown setting {name!r}{_suggest(name, choices)}; settings are "
                f"{', '.join(_RULE_SETTINGS)} and a table per field ([evidence.territory])"
            )
    defaults = EvidenceRule(**settings)
    rules = {"": defaults}
    for field, value in table.items():
        if field in _RULE_SETTINGS:
            continue
        for name, count in value.items():
            if name not in _RULE_SETTINGS:
                raise InvalidVocabulary(
                    f"{where[:-1]}.{field}]: unknown setting {name!r}"
                    f"{_suggest(name, _RULE_SETTINGS)}; settings are {', '.join(_RULE_SETTINGS)}"
                )
            _check_count(f"{where[:-1]}.{field}]", name, count)
        rules[field] = EvidenceRule(**{**settings, **value})
    return rules


def _ground_words(path: Path, table: Any) -> list[str]:
    """The `[ground]` table's `words`; InvalidVocabulary on a bad shape."""
    if not isinstance(table, dict) or set(table) - {"words"}:
        raise InvalidVocabulary(f'{path}: [ground] must be a table with words = ["...", ...]')
    words = table.get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise InvalidVocabulary(f"{path}: [ground] words must be a list of words or phrases")
    return words


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
