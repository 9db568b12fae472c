"""The vocabulary the sample documents are tagged with (corpus/vocabulary.toml), read once."""

from __future__ import annotations

import tomllib

from indexer.fields import TAG_FIELDS
from sample_corpus import VOCABULARY

VOCABULARY_FIELDS = TAG_FIELDS
_VOCAB: dict[str, list[dict[str, object]]] = {}


def vocabulary() -> dict[str, list[dict[str, object]]]:
    if not _VOCAB:
        with VOCABULARY.open("rb") as handle:
            data = tomllib.load(handle)
        for table in ("evidence", "ground"):  # the rules of automatic tagging, not fields
            data.pop(table, None)
        for terms in data.values():
            for term in terms:  # a weak synonym is written { name = "...", weak = true }
                term["synonyms"] = [
                    s["name"] if isinstance(s, dict) else s for s in term.get("synonyms", [])
                ]
        _VOCAB.update(data)
    return _VOCAB


def label(field_name: str, key: str) -> str:
    for term in vocabulary()[field_name]:
        if term["key"] == key:
            return str(term["label"])
    raise KeyError(f"{field_name}: no term {key!r} in {VOCABULARY}")
