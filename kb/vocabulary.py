"""The controlled vocabulary: terms per tag field, looked up by what users type and found in
document text.

Each term has a stable `key`, a French `label`, optional `synonyms` and an optional `parent`
(a key of the same field, making a tree). `Vocabulary` resolves what users type to keys,
suggests the closest keys for a typo, walks the trees and finds synonyms in document text.
The terms, the evidence rules and the ground words come from the TOML file curators edit
(`kb.vocabulary_reading`); the values themselves are `kb.vocabulary_terms`'s, named here too.

What counts as evidence for an automatic tag is tunable (`EvidenceRule`): an `[evidence]`
table sets the defaults (`min_mentions`, `weak_min_mentions`, `weak_density`,
`beside_min_mentions`, `title_subject`), `[evidence.<field>]` a field's, and an entry its
own (the first three); a
synonym written `{ name = "France", weak = true }` is weak
(ambiguous: a country, "diagnostic", "newsletter"): it adds to other evidence, tags alone
only from the title or `weak_min_mentions` mentions on.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Mapping
from functools import cached_property
from pathlib import Path

from indexer.messages import _
from kb.errors import InvalidTag, InvalidVocabulary
from kb.mentions import Mention, TextMatcher, plain_text
from kb.vocabulary_reading import read_vocabulary_file
from kb.vocabulary_terms import (
    CONTROLLED_FIELDS,
    FIELDS,
    FREE_FIELDS,
    MAX_SYNONYM,
    MULTI_VALUED,
    EvidenceRule,
    Term,
    closest_names,
)
from kb.vocabulary_terms import normal as _normal
from kb.vocabulary_terms import suggest as _suggest

__all__ = [
    "CONTROLLED_FIELDS", "FIELDS", "FREE_FIELDS", "MULTI_VALUED", "EvidenceRule", "Term",
    "Vocabulary", "closest_names",
]  # fmt: skip

_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The settings of `EvidenceRule` a term may set for itself.
_TERM_RULES = ("min_mentions", "weak_min_mentions", "weak_density")
# A term's own documents' words it takes, by default (`Vocabulary.own_documents`).
MIN_SIGNS = 2
_SIGN_WORDS = re.compile(r"[^\W_]+")


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
        read = read_vocabulary_file(path)
        return cls(read.terms, source=str(path), evidence=read.evidence, ground=read.ground)

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
        folded = _normal(value)[:MAX_SYNONYM]
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
        if term is None:
            return base
        own = {name: getattr(term, name) for name in _TERM_RULES}
        return dataclasses.replace(base, **{k: v for k, v in own.items() if v is not None})

    def on_ground(self, text: str) -> bool:
        """Whether the text uses a word of the observatory's ground (the `[ground]` table:
        association, assemblée générale, collectivité...): a form of document (minutes, a
        guide, slides) is a kind of this catalogue only there, and a weak name in its title
        counts (`kb.autotag`)."""
        return self._ground is not None and self._ground.search(_normal(text)) is not None

    def own_documents(self, text: str) -> frozenset[tuple[str, str]]:
        """(field, key) of the terms whose own documents' words (their `signs`) the text
        uses, `min_signs` different ones at least (MIN_SIGNS by default), each sign also with
        its feminine or plural ending: the minutes of an association speak of its "assemblée
        générale", its "bureau" and its "cotisations". Case, accents and punctuation between
        words do not count."""
        if not self._signs:
            return frozenset()
        plain = plain_text(text).lower()
        found = set()
        for term, (pattern, needed) in self._signs.items():
            signs = {" ".join(_SIGN_WORDS.findall(m.group())).rstrip("es")
                     for m in pattern.finditer(plain)}  # fmt: skip
            if len(signs) >= needed:
                found.add(term)
        return frozenset(found)

    @cached_property
    def _signs(self) -> dict[tuple[str, str], tuple[re.Pattern[str], int]]:
        out = {}
        for field, field_terms in self._terms.items():
            for term in field_terms:
                signs = {r"[\W_]+".join(map(re.escape, _SIGN_WORDS.findall(plain_text(s).lower())))
                         for s in term.signs} - {""}  # fmt: skip
                if signs:
                    alternatives = "|".join(sorted(signs, key=len, reverse=True))
                    out[(field, term.key)] = (re.compile(rf"\b(?:{alternatives})(?:e?s)?\b"),
                                              term.min_signs or MIN_SIGNS)  # fmt: skip
        return out

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
                if len(synonym) > MAX_SYNONYM:
                    raise self._error(
                        f"{where} ({term.key!r}): synonym {synonym[:40]!r}... is longer than "
                        f"{MAX_SYNONYM} characters; keep the words that identify the term"
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


def _names_of(term: Term, attribute: str) -> tuple[str, ...]:
    if attribute == "synonyms":
        return term.synonyms
    return (getattr(term, attribute),)
