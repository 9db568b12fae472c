"""Reading the vocabulary file curators edit: its terms, its evidence rules, its ground words.

The file holds one array of tables per controlled field (`[[family]]`, `[[territory]]`, ...),
an `[evidence]` table of rules (defaults, then `[evidence.<field>]`) and a `[ground]` table of
words. Every shape error is an InvalidVocabulary naming the file, the entry and the reason.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.errors import InvalidVocabulary
from kb.vocabulary_terms import CONTROLLED_FIELDS, EvidenceRule, Term
from kb.vocabulary_terms import suggest as _suggest

_ENTRY_SETTINGS = (
    "key", "label", "synonyms", "parent", "min_mentions", "weak_min_mentions", "weak_density",
    "markers", "min_markers", "signs", "min_signs",
)  # fmt: skip
# Only a kind is recognised by its parts ("Ordre du jour", "Présents :"): `kb.kinds`;
# the other fields' terms by their own documents' words ("assemblée générale"): `kb.tags`.
_KIND_SETTINGS = ("markers", "min_markers")
_SIGN_SETTINGS = ("signs", "min_signs")
_RULE_SETTINGS = ("min_mentions", "weak_min_mentions", "weak_density", "beside_min_mentions")
# Settings of a field's rule that are yes or no.
_RULE_SWITCHES = ("title_subject",)


@dataclass(frozen=True)
class VocabularyFile:
    """What a vocabulary file says, checked for shape (the terms' keys and tree are checked
    by `Vocabulary`)."""

    terms: tuple[Term, ...]
    evidence: Mapping[str, EvidenceRule]  # field -> its rule, "" -> the defaults
    ground: tuple[str, ...]


def read_vocabulary_file(path: Path) -> VocabularyFile:
    """Read and check a vocabulary file; InvalidVocabulary names the file, the entry and the
    reason."""
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
    return VocabularyFile(tuple(terms), evidence, tuple(ground))


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
    signs, min_signs = _signs(where, field, entry)
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
        weak_density=rules["weak_density"],
        markers=markers,
        min_markers=min_markers,
        signs=signs,
        min_signs=min_signs,
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
    return _words_and_minimum(where, entry, *_KIND_SETTINGS)


def _signs(where: str, field: str, entry: Mapping[str, Any]) -> tuple[tuple[str, ...], int | None]:
    """A term's `signs` and `min_signs`, checked; InvalidVocabulary names the entry."""
    given = [name for name in _SIGN_SETTINGS if name in entry]
    if given and field == "kind":
        raise InvalidVocabulary(
            f"{where}: {given[0]} is not a setting of [[kind]] entries (a kind's parts are its "
            "markers)"
        )
    return _words_and_minimum(where, entry, *_SIGN_SETTINGS)


def _words_and_minimum(
    where: str, entry: Mapping[str, Any], words_name: str, minimum_name: str
) -> tuple[tuple[str, ...], int | None]:
    """A list of words or phrases (`markers`, `signs`) and how many of them it takes."""
    words = entry.get(words_name, [])
    if not isinstance(words, list) or not all(
        isinstance(w, str) and any(c.isalnum() for c in w) for w in words
    ):
        raise InvalidVocabulary(f"{where}: {words_name} must be a list of words or phrases")
    minimum = entry.get(minimum_name)
    _check_count(where, minimum_name, minimum)
    return tuple(w.strip() for w in words), minimum


def _check_count(where: str, name: str, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise InvalidVocabulary(f"{where}: {name} must be a whole number of at least 1")


def _evidence_rules(path: Path, table: Any) -> dict[str, EvidenceRule]:
    """The `[evidence]` table: defaults (key "") and `[evidence.<field>]` rules."""
    where = f"{path}: [evidence]"
    if not isinstance(table, dict):
        raise InvalidVocabulary(f"{where} must be a table")
    names = (*_RULE_SETTINGS, *_RULE_SWITCHES)
    settings: dict[str, Any] = {}
    for name, value in table.items():
        if name in names:
            _check_setting(where, name, value)
            settings[name] = value
        elif name not in CONTROLLED_FIELDS or not isinstance(value, dict):
            choices = (*names, *CONTROLLED_FIELDS)
            raise InvalidVocabulary(
                f"{where}: unknown setting {name!r}{_suggest(name, choices)}; settings are "
                f"{', '.join(names)} and a table per field ([evidence.territory])"
            )
    defaults = EvidenceRule(**settings)
    rules = {"": defaults}
    for field, value in table.items():
        if field in names:
            continue
        for name, setting in value.items():
            if name not in names:
                raise InvalidVocabulary(
                    f"{where[:-1]}.{field}]: unknown setting {name!r}"
                    f"{_suggest(name, names)}; settings are {', '.join(names)}"
                )
            _check_setting(f"{where[:-1]}.{field}]", name, setting)
        rules[field] = EvidenceRule(**{**settings, **value})
    return rules


def _check_setting(where: str, name: str, value: Any) -> None:
    if name in _RULE_SWITCHES:
        if not isinstance(value, bool):
            raise InvalidVocabulary(f"{where}: {name} must be true or false")
    else:
        _check_count(where, name, value)


def _ground_words(path: Path, table: Any) -> list[str]:
    """The `[ground]` table's `words`; InvalidVocabulary on a bad shape."""
    if not isinstance(table, dict) or set(table) - {"words"}:
        raise InvalidVocabulary(f'{path}: [ground] must be a table with words = ["...", ...]')
    words = table.get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise InvalidVocabulary(f"{path}: [ground] words must be a list of words or phrases")
    return words
