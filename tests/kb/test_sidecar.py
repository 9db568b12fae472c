"""Sidecar files (`<document>.meta.toml`) and the check of every curated source."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.check import Problem, check_sources
from kb.errors import InvalidSidecar
from kb.sidecar import is_sidecar, read_sidecar, sidecar_path

VOCABULARY = Path(__file__).parents[1] / "fixtures" / "vocab" / "vocabulary.toml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_sidecar_path_and_is_sidecar() -> None:
    assert sidecar_path(Path("a/etude.pdf")) == Path("a/etude.pdf.meta.toml")
    assert sidecar_path(Path("notes")) == Path("notes.meta.toml")
    assert is_sidecar(Path("a/etude.pdf.meta.toml"))
    assert not is_sidecar(Path("a/etude.pdf"))
    assert not is_sidecar(Path("a/.meta.toml"))
    assert not is_sidecar(Path("a/etude.toml"))


def test_read_sidecar_returns_strings_in_file_order(tmp_path: Path) -> None:
    path = write(
        tmp_path / "etude.pdf.meta.toml",
        "title = '  Étude de faisabilité  '\n"
        'family = ["cooperatives", "Associations", "cooperatives", " "]\n'
        'territory = "Pays de Rennes"\n'
        "date = 2008-03-14\n"
        "year = 2008\n"
        'authors = ["Collège coopératif de Bretagne"]\n'
        "mission = []\n",
    )
    assert read_sidecar(path) == {
        "title": ("Étude de faisabilité",),
        "family": ("cooperatives", "Associations"),
        "territory": ("Pays de Rennes",),
        "date": ("2008-03-14",),
        "year": ("2008",),
        "authors": ("Collège coopératif de Bretagne",),
        "mission": (),
    }


def test_read_sidecar_accepts_iso_strings_and_datetimes(tmp_path: Path) -> None:
    path = write(tmp_path / "a.meta.toml", 'date = 2008-03-14T10:30:00Z\nyear = "2008"\n')
    assert read_sidecar(path) == {"date": ("2008-03-14",), "year": ("2008",)}
    path = write(tmp_path / "b.meta.toml", 'date = "2008-03"\nyear = [2008]\n')
    assert read_sidecar(path) == {"date": ("2008-03",), "year": ("2008",)}
    assert read_sidecar(write(tmp_path / "c.meta.toml", "")) == {}


BAD = [
    # (sidecar text, fragments of the message after "<path>: ")
    ('family = "cooperatives"\ntitle = \n', ["invalid TOML", "line 2"]),
    ('familly = "cooperatives"\n', ["unknown field 'familly'", "closest: family"]),
    ('teritory = "Bretagne"\n', ["unknown field 'teritory'", "closest: territory"]),
    ("[family]\nkey = 'cooperatives'\n", ["family must be a string", "not a table"]),
    ("year = true\n", ["year must be a year", "not a boolean (true)"]),
    ("year = 2008.5\n", ["year must be a year", "not a number (2008.5)"]),
    ("date = 10:30:00\n", ["date must be a date", "not a date or time (10:30:00)"]),
    ("title = 3\n", ["title must be a string", "not a number (3)"]),
    ("family = [['a']]\n", ["family must be a string", "not a nested list"]),
    ('title = ["Un", "Deux"]\n', ["title takes one value, got 2", "'Un', 'Deux'"]),
    ("year = [2007, 2008]\n", ["year takes one value, got 2"]),
]


@pytest.mark.parametrize(("text", "fragments"), BAD)
def test_bad_sidecars_name_the_file_and_field(
    tmp_path: Path, text: str, fragments: list[str]
) -> None:
    path = write(tmp_path / "etude.pdf.meta.toml", text)
    with pytest.raises(InvalidSidecar) as info:
        read_sidecar(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    for fragment in fragments:
        assert fragment in message


def test_unreadable_sidecars(tmp_path: Path) -> None:
    with pytest.raises(InvalidSidecar, match="missing.meta.toml: cannot read"):
        read_sidecar(tmp_path / "missing.meta.toml")
    latin1 = tmp_path / "x.meta.toml"
    latin1.write_bytes("title = 'Étude'\n".encode("latin-1"))
    with pytest.raises(InvalidSidecar, match="not UTF-8"):
        read_sidecar(latin1)


# --- check_sources -------------------------------------------------------------------------


def test_check_sources_is_empty_when_all_is_well(tmp_path: Path) -> None:
    library = tmp_path / "library"
    write(library / "etude.txt", "texte")
    write(library / "etude.txt.meta.toml", 'family = "SCOP"\nterritory = "Ille et Vilaine"\n')
    assert check_sources(VOCABULARY, [library]) == []


def test_check_sources_reports_every_sidecar_problem(tmp_path: Path) -> None:
    library = tmp_path / "library"
    write(library / "a.txt", "texte")
    bad_value = write(
        library / "a.txt.meta.toml", 'family = ["cooperative", "SCOP"]\nyear = "20008"\n'
    )
    write(library / "sub" / "b.txt", "texte")
    bad_toml = write(library / "sub" / "b.txt.meta.toml", "family = \n")
    orphan = write(library / "sub" / "renamed.pdf.meta.toml", 'kind = "étude"\n')
    write(library / ".git" / "c.txt.meta.toml", "not even toml\n")  # hidden folders skipped
    problems = check_sources(VOCABULARY, [library, tmp_path / "nowhere"])
    messages = [str(p) for p in problems]
    assert messages == [
        f"{bad_value}: unknown family 'cooperative' (closest: cooperatives)",
        f"{bad_value}: invalid year '20008' (expected 4 digits between 1900 and 2100)",
        messages[2],
        f"{orphan}: no document 'renamed.pdf' next to this sidecar (renamed?)",
        f"{tmp_path / 'nowhere'}: no such folder",
    ]
    assert problems[2].source == str(bad_toml)
    assert problems[2].message.startswith("invalid TOML")
    assert "line 1" in problems[2].message


def test_check_sources_reports_a_broken_vocabulary_and_still_parses_sidecars(
    tmp_path: Path,
) -> None:
    vocabulary = write(
        tmp_path / "vocabulary.toml", '[[family]]\nkey = "a"\nlabel = "A"\nparent = "b"\n'
    )
    library = tmp_path / "library"
    write(library / "a.txt", "texte")
    sidecar = write(library / "a.txt.meta.toml", 'famly = "a"\n')
    problems = check_sources(vocabulary, [library])
    assert problems[0].source == str(vocabulary)
    assert "unknown parent 'b'" in problems[0].message
    assert str(problems[1]).startswith(f"{sidecar}: unknown field 'famly'")
    assert len(problems) == 2


def test_check_sources_reports_soft_vocabulary_problems(tmp_path: Path) -> None:
    vocabulary = tmp_path / "vocabulary.toml"
    shutil.copy(VOCABULARY, vocabulary)
    with vocabulary.open("a", encoding="utf-8") as handle:
        handle.write('\n[[family]]\nkey = "scop"\nlabel = "SCOP"\n')
    problems = check_sources(vocabulary, [])
    assert problems == [
        Problem(
            str(vocabulary),
            "[[family]] the name 'scop' belongs to several terms: "
            "cooperatives (synonym), scop (key/label)",
        )
    ]
