"""The controlled vocabulary: loading, resolving, trees, and synonyms found in text."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.errors import InvalidTag, InvalidVocabulary
from kb.vocabulary import CONTROLLED_FIELDS, Term, Vocabulary

FIXTURE = Path(__file__).parents[1] / "fixtures" / "vocab" / "vocabulary.toml"
REAL = Path(__file__).parents[2] / "corpus" / "vocabulary.toml"
# Module-level rather than a fixture: Hypothesis tests refuse function-scoped fixtures.
VOCAB = Vocabulary.load(FIXTURE)


def load_text(tmp_path: Path, text: str) -> Vocabulary:
    path = tmp_path / "vocabulary.toml"
    path.write_text(text, encoding="utf-8")
    return Vocabulary.load(path)


# --- loading -----------------------------------------------------------------------------


def test_fixture_loads_with_every_field_and_no_problems() -> None:
    assert VOCAB.fields == CONTROLLED_FIELDS
    assert VOCAB.problems() == []
    assert [t.key for t in VOCAB.terms("family")] == [
        "associations",
        "cooperatives",
        "mutuelles",
        "fondations",
    ]
    assert VOCAB.get("family", "cooperatives") == Term(
        "family", "cooperatives", "Coopératives", ("URSCOP", "SCOP", "SCIC"), None
    )
    assert VOCAB.get("family", "Coopératives") is None  # get takes exact keys only


def test_real_vocabulary_loads_without_problems() -> None:
    vocab = Vocabulary.load(REAL)
    assert vocab.problems() == []
    assert vocab.get("family", "cooperatives") is not None
    assert "bretagne" in vocab.ancestors("territory", "ille-et-vilaine")


INVALID = [
    # (file text, fragments the message must contain); the file's shape: test_vocabulary_reading
    (
        '[[family]]\nkey = "a"\nlabel = "A"\n[[family]]\nkey = "a"\nlabel = "B"\n',
        ["[[family]] entry 2", "duplicate key 'a'", "already entry 1"],
    ),
    (
        '[[territory]]\nkey = "ille-et-vilaine"\nlabel = "I"\n'
        '[[territory]]\nkey = "rennes"\nlabel = "R"\nparent = "ile-et-vilaine"\n',
        ["'rennes'", "unknown parent 'ile-et-vilaine'", "closest: ille-et-vilaine"],
    ),
    (
        '[[territory]]\nkey = "a"\nlabel = "A"\nparent = "b"\n'
        '[[territory]]\nkey = "b"\nlabel = "B"\nparent = "a"\n',
        ["[[territory]]", "cycle", "a -> b -> a"],
    ),
    ('[[territory]]\nkey = "a"\nlabel = "A"\nparent = "a"\n', ["cycle", "a -> a"]),
    ('[[family]]\nkey = "Coopératives"\nlabel = "C"\n', ["key 'Coopératives'", "lower-case"]),
    ('[[family]]\nkey = "a"\nlabel = "  "\n', ["entry 1 ('a')", "label is empty"]),
    ('[[family]]\nkey = "a"\nlabel = "A"\nsynonyms = ["--"]\n', ["synonym '--'", "no letter"]),
]


@pytest.mark.parametrize(("text", "fragments"), INVALID)
def test_invalid_vocabulary_names_file_entry_and_reason(
    tmp_path: Path, text: str, fragments: list[str]
) -> None:
    with pytest.raises(InvalidVocabulary) as info:
        load_text(tmp_path, text)
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'vocabulary.toml'}: ")
    for fragment in fragments:
        assert fragment in message


def test_problems_report_shared_names_short_synonyms_and_empty_fields(tmp_path: Path) -> None:
    vocab = load_text(
        tmp_path,
        '[[family]]\nkey = "cooperatives"\nlabel = "Coopératives"\nsynonyms = ["SCOP", "X"]\n'
        '[[family]]\nkey = "scop"\nlabel = "Cooperatives"\n',
    )
    problems = "\n".join(vocab.problems())
    assert "'cooperatives' belongs to several terms: cooperatives (key/label), scop (label)" in (
        problems
    )
    assert "'scop' belongs to several terms: cooperatives (synonym), scop (key)" in problems
    assert "synonym 'X' is a single character" in problems
    assert "no terms for field 'territory'" in problems


def test_unknown_field_is_an_invalid_tag() -> None:
    with pytest.raises(InvalidTag, match="'familly' is not a controlled tag field.*family"):
        VOCAB.resolve("familly", "SCOP")
    with pytest.raises(InvalidTag):
        VOCAB.terms("title")


# --- resolving -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("family", "cooperatives", "cooperatives"),  # key
        ("family", "Coopératives", "cooperatives"),  # label
        ("family", "cooperatives ", "cooperatives"),
        ("family", "COOPERATIVES", "cooperatives"),  # case and accents
        ("family", "URSCOP", "cooperatives"),  # synonym
        ("family", "urscop", "cooperatives"),
        ("family", "Mutualite", "mutuelles"),
        ("territory", "Finistere", "finistere"),
        ("territory", "ille et vilaine", "ille-et-vilaine"),  # separators
        ("territory", "Conseil general d’Ille-et-Vilaine", "ille-et-vilaine"),
        ("territory", "cg35", "ille-et-vilaine"),  # letters and digits apart
        ("territory", "CG-35", "ille-et-vilaine"),
        ("kind", "étude", "study"),
        ("mission", "Représentation de l’ESS", "representation"),
        ("language", "Français", "fr"),
    ],
)
def test_resolve_by_key_label_or_synonym(field: str, value: str, key: str) -> None:
    term = VOCAB.resolve(field, value)
    assert term is not None
    assert term.key == key


@pytest.mark.parametrize(
    ("field", "value"),
    [("family", "cooperative"), ("family", "Finistère"), ("territory", "CG 350"), ("kind", "")],
)
def test_resolve_unknown_is_none(field: str, value: str) -> None:
    assert VOCAB.resolve(field, value) is None


def test_keys_win_over_labels_and_synonyms(tmp_path: Path) -> None:
    vocab = load_text(
        tmp_path,
        '[[source]]\nkey = "internal"\nlabel = "Interne"\n'
        '[[source]]\nkey = "observatory"\nlabel = "Internal"\nsynonyms = ["interne"]\n',
    )
    assert vocab.resolve("source", "internal").key == "internal"
    assert vocab.resolve("source", "Interne").key == "internal"


@pytest.mark.parametrize(
    ("field", "typo", "expected"),
    [
        ("family", "cooperative", "cooperatives"),
        ("family", "Coopérativs", "cooperatives"),
        ("family", "asociations", "associations"),
        ("territory", "ile-et-vilaine", "ille-et-vilaine"),
        ("territory", "Finistre", "finistere"),
        ("kind", "Etudes", "study"),
    ],
)
def test_closest_suggests_the_intended_key_first(field: str, typo: str, expected: str) -> None:
    assert VOCAB.closest(field, typo)[0] == expected


def test_closest_returns_distinct_keys_and_nothing_for_nonsense() -> None:
    found = VOCAB.closest("territory", "Rennes", n=2)
    assert found[0] == "rennes"
    assert len(found) == len(set(found)) <= 2
    assert VOCAB.closest("family", "zzzzzzzz") == []


# --- trees ---------------------------------------------------------------------------------


def test_ancestors_go_up_to_the_root() -> None:
    assert VOCAB.ancestors("territory", "rennes") == (
        "pays-de-rennes",
        "ille-et-vilaine",
        "bretagne",
        "france",
    )
    assert VOCAB.ancestors("territory", "france") == ()
    assert VOCAB.ancestors("territory", "atlantis") == ()  # a key removed from the vocabulary


def test_descendants_include_every_level_below() -> None:
    assert VOCAB.descendants("territory", "bretagne") == {
        "ille-et-vilaine",
        "finistere",
        "pays-de-rennes",
        "rennes",
    }
    assert VOCAB.descendants("territory", "ille-et-vilaine") == {"pays-de-rennes", "rennes"}
    assert VOCAB.descendants("territory", "rennes") == frozenset()
    assert VOCAB.descendants("family", "cooperatives") == frozenset()


# --- finding synonyms in text --------------------------------------------------------------

FOUND = [
    # (text, field, key, occurrences)
    ("Le réseau URSCOP de Bretagne", "family", "cooperatives", 1),
    ("les SCOP et les SCIC", "family", "cooperatives", 2),
    ("statut SCOP-SA, (SCOP).", "family", "cooperatives", 2),
    ("financé par le CG 35", "territory", "ille-et-vilaine", 1),
    ("financé par le CG35 et le CG-35", "territory", "ille-et-vilaine", 2),
    ("en Ille et Vilaine", "territory", "ille-et-vilaine", 1),
    ("en ILLE-ET-\nVILAINE", "territory", "ille-et-vilaine", 1),
    ("le Conseil général d’Ille-et-Vilaine", "territory", "ille-et-vilaine", 1),
    ("le conseil general d'ille-et-vilaine", "territory", "ille-et-vilaine", 1),
    ("la mutualité, la Mutualite, la MUTUALITÉ", "family", "mutuelles", 3),
    ("le comité de pilotage du 3 mai", "instance", "steering-committee", 1),
    ("le Finistère et le finistere", "territory", "finistere", 2),
    ("Rennes Métropole, Rennes-Metropole", "territory", "pays-de-rennes", 2),
]


@pytest.mark.parametrize(("text", "field", "key", "count"), FOUND)
def test_find_in_text_finds_synonyms(text: str, field: str, key: str, count: int) -> None:
    assert VOCAB.find_in_text(text).get(field, {}).get(key) == count


NOT_FOUND = [
    # (text, field): the field must have no hit
    ("la SCOPE du projet", "family"),  # a longer word
    ("les scop et la Scop", "family"),  # acronyms keep their case
    ("XSCOP et SCOPS", "family"),
    ("le CG 350 et le CG 3", "territory"),
    ("le CG35A", "territory"),
    ("Ille.et.Vilaine", "territory"),  # dots are not separators
    ("la mutualitéfrançaise", "family"),
    ("Coopératives et Bretagne", "family"),  # labels are not searched, only synonyms
    ("cooperatives", "family"),  # nor keys
]


@pytest.mark.parametrize(("text", "field"), NOT_FOUND)
def test_find_in_text_rejects_partial_words_and_wrong_case(text: str, field: str) -> None:
    assert field not in VOCAB.find_in_text(text)


def test_overlapping_synonyms_count_once_for_the_longest() -> None:
    found = VOCAB.find_in_text("Le Conseil général d’Ille-et-Vilaine (CG 35) à Rennes")
    assert found == {"territory": {"ille-et-vilaine": 2}}


def test_find_in_text_on_empty_vocabulary_and_text(tmp_path: Path) -> None:
    assert load_text(tmp_path, "").find_in_text("SCOP") == {}
    assert VOCAB.find_in_text("") == {}


def test_find_in_text_is_fast_on_megabytes() -> None:
    # Generous bound: measured about 0.09 s per million characters; a plain alternation of
    # synonyms took over 10 times as long.
    paragraph = (
        "L’économie sociale et solidaire en Ille et Vilaine : les SCOP, la mutualité, "
        "le comité de pilotage et les structures du territoire. "
    ) * 20
    text = "\n".join([paragraph] * 700)  # about 2 million characters
    VOCAB.find_in_text("warm up")
    # CPU time of this process: the same on a loaded machine, where wall-clock time is not.
    started = time.process_time()
    found = VOCAB.find_in_text(text)
    elapsed = time.process_time() - started
    assert found["family"]["cooperatives"] == 14_000
    assert elapsed < 2.0, f"find_in_text took {elapsed:.2f} s of CPU on {len(text):,} characters"


@given(st.text())
def test_find_in_text_and_resolve_never_raise(text: str) -> None:
    found = VOCAB.find_in_text(text)
    assert all(field in CONTROLLED_FIELDS for field in found)
    for field in ("family", "territory"):
        term = VOCAB.resolve(field, text)
        assert term is None or term.field == field
        assert len(VOCAB.closest(field, text)) <= 3


@given(st.text(), st.text())
def test_a_synonym_between_spaces_is_always_found(before: str, after: str) -> None:
    found = VOCAB.find_in_text(f"{before} URSCOP {after}")
    assert found["family"]["cooperatives"] >= 1
