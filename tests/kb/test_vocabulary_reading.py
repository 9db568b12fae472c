"""Reading the vocabulary file: its shape checked, each error naming the file, the entry and
the reason; its evidence rules and its terms' own documents' words (`kb.vocabulary_reading`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.errors import InvalidVocabulary
from kb.vocabulary import EvidenceRule
from kb.vocabulary_reading import VocabularyFile, read_vocabulary_file

SHAPES = [
    # (file text, fragments the message must contain)
    ('[[family]]\nkey = "a"\nlabel = "A"\nlabel2 "B"\n', ["invalid TOML", "line 4"]),
    ('[[family]]\nlabel = "Associations"\n', ["[[family]] entry 1", "missing 'key'"]),
    ('[[family]]\nkey = "associations"\n', ["entry 1 ('associations')", "missing 'label'"]),
    ('[[family]]\nkey = 3\nlabel = "A"\n', ["entry 1", "key must be a string"]),
    ('[[familly]]\nkey = "a"\nlabel = "A"\n', ["unknown field 'familly'", "closest: family"]),
    ('[family]\nkey = "a"\nlabel = "A"\n', ["family must be an array of tables", "[[family]]"]),
    (
        '[[family]]\nkey = "a"\nlabel = "A"\nsynonym = ["x"]\n',
        ["entry 1 ('a')", "unknown setting 'synonym'", "closest: synonyms"],
    ),
    ('[[family]]\nkey = "a"\nlabel = "A"\nsynonyms = [1]\n', ["synonyms must be a list"]),
    ('[[family]]\nkey = "a"\nlabel = "A"\nparent = 2\n', ["parent must be a string"]),
]


def read(tmp_path: Path, text: str) -> VocabularyFile:
    path = tmp_path / "vocabulary.toml"
    path.write_text(text, encoding="utf-8")
    return read_vocabulary_file(path)


@pytest.mark.parametrize(("text", "fragments"), SHAPES)
def test_a_badly_shaped_file_names_file_entry_and_reason(
    tmp_path: Path, text: str, fragments: list[str]
) -> None:
    with pytest.raises(InvalidVocabulary) as info:
        read(tmp_path, text)
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'vocabulary.toml'}: ")
    for fragment in fragments:
        assert fragment in message


def test_unreadable_vocabulary_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidVocabulary, match="cannot read"):
        read_vocabulary_file(tmp_path / "missing.toml")
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('[[family]]\nkey = "a"\nlabel = "Coopératives"\n'.encode("latin-1"))
    with pytest.raises(InvalidVocabulary, match="not UTF-8"):
        read_vocabulary_file(latin1)


def test_a_single_synonym_string_is_accepted(tmp_path: Path) -> None:
    found = read(tmp_path, '[[family]]\nkey = "a"\nlabel = "A"\nsynonyms = "Alpha"\n')
    assert found.terms[0].synonyms == ("Alpha",)


def test_the_file_gives_terms_rules_and_ground_words(tmp_path: Path) -> None:
    found = read_vocabulary_file(_write(tmp_path, """
[evidence]
min_mentions = 3
[evidence.family]
title_subject = true
[ground]
words = ["association"]
[[family]]
key = "associations"
label = "Associations"
synonyms = ["loi 1901", { name = "association", weak = true }]
weak_density = 20
signs = ["assemblée générale", " bureau "]
min_signs = 3
"""))  # fmt: skip
    assert found.evidence[""] == EvidenceRule(min_mentions=3)
    assert found.evidence["family"] == EvidenceRule(min_mentions=3, title_subject=True)
    assert found.ground == ("association",)
    (term,) = found.terms
    assert term.synonyms == ("loi 1901", "association") and term.weak == ("association",)
    assert (term.weak_density, term.signs, term.min_signs) == (
        20, ("assemblée générale", "bureau"), 3
    )  # fmt: skip


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vocabulary.toml"
    path.write_text(text, encoding="utf-8")
    return path
