"""Tags: normalizing values, the origins of tags, and which ones win."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract.base import ExtractedDocument, Section
from kb.errors import InvalidTag
from kb.tags import (
    Tag,
    TagWarning,
    derived_tags,
    effective,
    normalize,
    tags_from_properties,
    tags_from_sidecar,
    tags_from_text,
)
from kb.vocabulary import Vocabulary

VOCAB = Vocabulary.load(Path(__file__).parents[1] / "fixtures" / "vocab" / "vocabulary.toml")


def values(tags: list[Tag], field: str) -> list[str]:
    return [t.value for t in tags if t.field == field]


# --- normalize -----------------------------------------------------------------------------


def test_controlled_values_become_keys() -> None:
    tags, warnings = normalize(
        "family", ["Coopératives", "SCOP", " mutualite ", "cooperatives"], VOCAB, "sidecar", "s"
    )
    assert tags == [Tag("family", "cooperatives", "sidecar"), Tag("family", "mutuelles", "sidecar")]
    assert warnings == []


def test_unknown_controlled_values_are_dropped_with_a_warning() -> None:
    tags, warnings = normalize("family", ["cooperative"], VOCAB, "sidecar", "etude.pdf.meta.toml")
    assert tags == []
    assert warnings == [
        TagWarning("etude.pdf.meta.toml", "family", "cooperative", ("cooperatives",))
    ]
    assert (
        str(warnings[0])
        == "etude.pdf.meta.toml: unknown family 'cooperative' (closest: cooperatives)"
    )
    _, warnings = normalize("territory", ["Atlantide"], VOCAB, "sidecar", "x")
    # None is close: the values there are, when they are few enough to read.
    assert str(warnings[0]) == ("x: unknown territory 'Atlantide' (allowed: france, bretagne, "
                                "ille-et-vilaine, finistere, pays-de-rennes, rennes)")


def test_free_fields_are_kept_as_given() -> None:
    tags, _ = normalize("title", ["  Étude  de\nfaisabilité "], VOCAB, "curator", "s")
    assert tags == [Tag("title", "Étude de faisabilité", "curator")]
    tags, _ = normalize("authors", ["B. Martin", "", "A. Durand"], VOCAB, "curator", "s")
    assert values(tags, "authors") == ["B. Martin", "A. Durand"]
    tags, _ = normalize("summary", ["Ligne 1\nLigne 2 "], VOCAB, "curator", "s")
    assert values(tags, "summary") == ["Ligne 1\nLigne 2"]


@pytest.mark.parametrize("year", ["2008", "1900", "2100"])
def test_valid_years(year: str) -> None:
    assert normalize("year", [year], VOCAB, "sidecar", "s") == ([Tag("year", year, "sidecar")], [])


@pytest.mark.parametrize("year", ["08", "20008", "1899", "2101", "deux", "２００８"])
def test_invalid_years_warn(year: str) -> None:
    tags, warnings = normalize("year", [year], VOCAB, "sidecar", "s")
    assert tags == []
    assert str(warnings[0]) == f"s: invalid year {year!r} (expected 4 digits between 1900 and 2100)"


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("2008-03-14", "2008-03-14"),
        ("2008-03", "2008-03"),
        ("2008", "2008"),
        ("2008-03-14T10:22:00+01:00", "2008-03-14"),
        ("2008-03-14 10:22", "2008-03-14"),
    ],
)
def test_dates_are_iso_and_give_a_year(raw: str, date: str) -> None:
    tags, warnings = normalize("date", [raw], VOCAB, "properties", "s")
    assert tags == [Tag("date", date, "properties"), Tag("year", "2008", "properties")]
    assert warnings == []


@pytest.mark.parametrize("raw", ["14/03/2008", "2008-13-01", "2008-02-30", "1601-01-01", "hier"])
def test_invalid_dates_warn(raw: str) -> None:
    tags, warnings = normalize("date", [raw], VOCAB, "properties", "s")
    assert tags == []
    assert str(warnings[0]) == f"s: invalid date {raw!r} (expected an ISO date such as 2008-03-14)"


def test_unknown_field_and_origin_raise() -> None:
    with pytest.raises(InvalidTag, match="s: unknown field 'familly' .closest: family"):
        normalize("familly", ["SCOP"], VOCAB, "sidecar", "s")
    with pytest.raises(ValueError, match="unknown tag origin 'manual'"):
        normalize("family", ["SCOP"], VOCAB, "manual", "s")


# --- origins ---------------------------------------------------------------------------------


def document(**properties: object) -> ExtractedDocument:
    return ExtractedDocument(
        media_type="application/pdf", sections=(Section("texte", page=1),), **properties
    )


def test_tags_from_properties() -> None:
    doc = document(
        title="Microsoft Word - etude_pole_ESS.doc",
        authors=("B. Martin; A. Durand", "CRES"),
        created="2008-03-14T10:22:00Z",
        language="fr-FR",
        description="Étude de faisabilité d'un pôle ESS.",
        keywords=("SCOP, Rennes", "économie", "public", "Conseil scientifique"),
    )
    tags, warnings = tags_from_properties(doc, VOCAB, "etude.pdf")
    assert warnings == []
    assert {t.origin for t in tags} == {"properties"}
    # Title and date are weighed against the document's own (tests/kb/test_titles_dates.py).
    assert values(tags, "title") == values(tags, "date") == values(tags, "year") == []
    assert values(tags, "authors") == ["B. Martin", "A. Durand", "CRES"]
    assert values(tags, "language") == ["fr"]
    assert values(tags, "summary") == ["Étude de faisabilité d'un pôle ESS."]
    assert values(tags, "family") == ["cooperatives"]
    assert values(tags, "territory") == ["rennes"]
    assert values(tags, "instance") == ["scientific-council"]
    assert values(tags, "visibility") == []  # a keyword never publishes a document


def test_bad_properties_warn_and_empty_properties_give_nothing() -> None:
    doc = document(language="xx-YY")
    tags, warnings = tags_from_properties(doc, VOCAB, "old.doc")
    assert tags == []
    assert [str(w) for w in warnings] == ["old.doc: unknown language 'xx' (allowed: fr, br, en)"]
    assert tags_from_properties(document(), VOCAB, "x.pdf") == ([], [])


def test_tags_from_text_rank_by_frequency_and_skip_decisions() -> None:
    text = (
        "La SCOP, l’URSCOP et la mutualité en Finistère et en Ille-et-Vilaine (CG 35). "
        "Validé par le conseil scientifique ; observatoire ; en français."
    )
    tags = tags_from_text(text, VOCAB)
    assert {t.origin for t in tags} == {"auto"}
    assert values(tags, "family") == ["cooperatives", "mutuelles"]
    assert values(tags, "territory") == ["ille-et-vilaine", "finistere"]
    assert values(tags, "instance") == ["scientific-council"]
    # Status, visibility, source and language are never set from a text.
    assert {t.field for t in tags} == {"family", "territory", "instance"}
    # Past the first page a single mention is not evidence enough: two are.
    later = tags_from_text("mot " * 1000 + text, VOCAB)
    assert values(later, "family") == ["cooperatives"]  # SCOP and URSCOP
    assert values(later, "territory") == ["ille-et-vilaine"]  # Ille-et-Vilaine and CG 35
    assert values(later, "instance") == []


def test_tags_from_sidecar() -> None:
    sidecar = {
        "family": ("SCOP", "Associations"),
        "territory": ("Pays de Rennes", "Atlantide"),
        "date": ("2008-03-14",),
        "title": ("Étude",),
    }
    tags, warnings = tags_from_sidecar(sidecar, VOCAB, "a.pdf.meta.toml")
    assert tags == [
        Tag("family", "cooperatives", "sidecar"),
        Tag("family", "associations", "sidecar"),
        Tag("territory", "pays-de-rennes", "sidecar"),
        Tag("date", "2008-03-14", "sidecar"),
        Tag("year", "2008", "sidecar"),
        Tag("title", "Étude", "sidecar"),
    ]
    assert [str(w) for w in warnings] == [
        "a.pdf.meta.toml: unknown territory 'Atlantide' (allowed: france, bretagne, "
        "ille-et-vilaine, finistere, pays-de-rennes, rennes)"]


def test_a_sidecar_year_wins_over_its_date() -> None:
    tags, _ = tags_from_sidecar({"date": ("2007-11-02",), "year": ("2008",)}, VOCAB, "s")
    assert values(tags, "year") == ["2008"]
    assert values(tags, "date") == ["2007-11-02"]


# --- effective -------------------------------------------------------------------------------


def test_effective_takes_the_highest_origin_per_field() -> None:
    tags = [
        Tag("title", "etude pole", "derived"),
        Tag("visibility", "public", "derived"),
        Tag("family", "cooperatives", "auto"),
        Tag("family", "mutuelles", "auto"),
        Tag("territory", "rennes", "auto"),
        Tag("family", "associations", "sidecar"),
        Tag("title", "Étude de faisabilité", "properties"),
        Tag("territory", "finistere", "curator"),
        Tag("visibility", "internal", "sidecar"),
    ]
    assert effective(tags) == {
        "family": ("associations",),  # the sidecar replaces the automatic families
        "territory": ("finistere",),
        "visibility": ("internal",),
        "title": ("Étude de faisabilité",),
    }
    assert list(effective(tags)) == ["family", "territory", "visibility", "title"]


def test_effective_keeps_order_removes_duplicates_and_one_value_when_single() -> None:
    tags = [
        Tag("family", "mutuelles", "auto"),
        Tag("family", "cooperatives", "auto"),
        Tag("family", "mutuelles", "auto"),
        Tag("kind", "study", "auto"),
        Tag("kind", "minutes", "auto"),
        Tag("authors", "B", "properties"),
        Tag("authors", "A", "properties"),
    ]
    assert effective(tags) == {
        "family": ("mutuelles", "cooperatives"),
        "kind": ("study",),
        "authors": ("B", "A"),
    }
    assert effective([]) == {}
    with pytest.raises(ValueError, match="unknown tag origin"):
        effective([Tag("family", "x", "robot")])


# --- derived ---------------------------------------------------------------------------------


def test_derived_defaults() -> None:
    tags = derived_tags({"visibility": "public", "status": "draft", "source": ""})
    assert tags == [Tag("visibility", "public", "derived"), Tag("status", "draft", "derived")]
    with pytest.raises(InvalidTag, match="unknown field 'visibilty'"):
        derived_tags({"visibilty": "public"})
