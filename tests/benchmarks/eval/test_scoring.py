"""The arithmetic behind the gold-catalogue figures of `make eval`, on a tiny hand-made case,
and the rules the committed gold file keeps (its documents stay out of the unit suite)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.eval import catalogue, gold
from benchmarks.eval.scoring import (
    Counts,
    Expected,
    Found,
    accuracy,
    normalise_title,
    tag_counts,
    title_right,
    year_right,
)

ROOT = Path(__file__).resolve().parents[3]


def test_titles_compare_without_case_typography_or_spacing_but_with_accents() -> None:
    assert normalise_title("  L’ÉTUDE  « pôle ESS » : bilan.") == 'l\'étude"pôle ess":bilan'
    assert title_right(Expected("Compte rendu – réunion du 14 mars", None), Found(
        "compte rendu - réunion du 14\u00a0mars", None))  # fmt: skip
    assert title_right(Expected("Où en est-on ?", None), Found("Où en est-on?", None))
    assert not title_right(Expected("Étude", None), Found("Etude", None))
    assert not title_right(Expected("Bilan 2023", None), Found(None, None))


def test_no_year_is_right_only_where_the_curator_gave_none() -> None:
    assert year_right(Expected("t", None), Found("t", None))
    assert not year_right(Expected("t", None), Found("t", 2025))
    assert not year_right(Expected("t", 2015), Found("t", None))
    assert year_right(Expected("t", 2015), Found("t", 2015))


def test_precision_and_recall_per_field_over_documents() -> None:
    pairs = [
        (Expected("a", None, {"territory": frozenset({"rennes"}), "kind": frozenset({"etude"})}),
         Found("a", None, {"territory": frozenset({"rennes", "vannes"})})),
        (Expected("b", None, {"territory": frozenset({"brest", "bretagne"})}),
         Found("b", None, {"territory": frozenset({"brest"}), "kind": frozenset({"note"})})),
        (Expected("c", None, {}), Found("c", None, {})),
    ]  # fmt: skip
    counts = tag_counts(pairs, ("territory", "kind", "mission"))
    assert counts["territory"] == Counts(right=2, wrong=1, missed=1)
    assert counts["territory"].precision == pytest.approx(2 / 3)
    assert counts["territory"].recall == pytest.approx(2 / 3)
    assert counts["kind"] == Counts(right=0, wrong=1, missed=1)
    assert (counts["kind"].precision, counts["kind"].recall) == (0.0, 0.0)
    # Nothing found and nothing expected: no figure, not a perfect one.
    assert (counts["mission"].precision, counts["mission"].recall) == (None, None)
    assert accuracy([True, False, True, True]) == 0.75 and accuracy([]) is None


def test_the_score_table_counts_wrong_titles_years_and_tags() -> None:
    doc = gold.GoldDocument(
        id="d1", repo="o/r", commit="c", path="x/rapport01.pdf", sha256="s", format="pdf",
        expected=Expected("Rapport d'activité", 2015, {"family": frozenset({"associations"})}),
        note="",
    )  # fmt: skip
    found = Found("rapport01 pdf", 2015, {"family": frozenset({"associations", "cooperatives"})})
    result = catalogue.score([(doc, found)])
    assert result["all"]["title"] == 0.0 and result["all"]["year"] == 1.0
    assert result["all"]["tags"]["family"]["precision"] == 0.5
    assert result["wrong_titles"] == [{"id": "d1", "expected": "Rapport d'activité",
                                       "found": "rapport01 pdf"}]  # fmt: skip
    assert result["wrong_tags"] == {"family:cooperatives": 1}


def test_the_score_lists_each_documents_tag_errors_and_the_halves_of_the_gold_file() -> None:
    def doc(number: int, territory: set[str]) -> gold.GoldDocument:
        return gold.GoldDocument(
            id=f"d{number}", repo="o/r", commit="c", path=f"d{number}.md", sha256="s",
            format="markdown", expected=Expected("t", None, {"territory": frozenset(territory)}),
            note="",
        )  # fmt: skip

    ancestors = {"territory": {"rennes": frozenset({"bretagne", "france"})}}
    pairs = [
        (doc(1, {"rennes"}), Found("t", None, {"territory": frozenset({"rennes", "bretagne"})})),
        (doc(2, {"france"}), Found("t", None, {"territory": frozenset({"brest"})})),
        (doc(3, set()), Found("t", None, {})),
    ]  # fmt: skip
    result = catalogue.score(pairs, ancestors, positions={"d1": 1, "d2": 2, "d3": 3})
    # Bretagne above the curator's Rennes is implied, not wrong.
    assert result["tag_errors"] == [
        {"id": "d2", "wrong": ["territory:brest"], "missed": ["territory:france"]}
    ]
    halves = result["by_position"]
    assert (halves["odd"]["documents"], halves["even"]["documents"]) == (2, 1)
    assert halves["odd"]["tags"]["territory"]["recall"] == 1.0
    assert halves["even"]["tags"]["territory"]["recall"] == 0.0


def test_the_committed_gold_file_keeps_its_rules() -> None:
    keys = catalogue.vocabulary_keys(ROOT / "corpus" / "vocabulary.toml")
    documents = gold.load(vocabulary=keys)
    assert len(documents) >= 100
    assert all(len(d.commit) == 40 and len(d.sha256) == 64 and d.note for d in documents)


def test_a_gold_entry_missing_a_decision_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gold.toml"
    path.write_text(
        '[[document]]\nid = "a"\nrepo = "o/r"\ncommit = "c"\npath = "p.pdf"\nsha256 = "s"\n'
        'format = "pdf"\ntitle = "T"\nkind = "none"\nnote = "n"\n',
        "utf-8",
    )
    with pytest.raises(gold.GoldError, match="'year' is missing"):
        gold.load(path)
    path.write_text(path.read_text("utf-8") + 'year = "none"\nterritory = ["atlantis"]\n', "utf-8")
    with pytest.raises(gold.GoldError, match=r"territory \['atlantis'\] not in the vocabulary"):
        gold.load(path, {"territory": {"rennes"}})


def test_documents_are_laid_out_under_their_original_name_and_checked(tmp_path: Path) -> None:
    ready = tmp_path / "ready" / "d1"
    ready.mkdir(parents=True)
    (ready / "Bilan 2021.pdf").write_bytes(b"%PDF-1.4 real")
    doc = gold.GoldDocument(
        id="d1", repo="o/r", commit="c", path="assets/Bilan 2021.pdf",
        sha256=gold.sha256_of(ready / "Bilan 2021.pdf"), format="pdf",
        expected=Expected("Bilan", None), note="",
    )  # fmt: skip
    changed = gold.GoldDocument(**{**doc.__dict__, "id": "d2"})
    present, missing = gold.build([doc, changed], tmp_path / "cache", [tmp_path / "ready"])
    assert present == [doc]
    assert (tmp_path / "cache" / "d1" / "Bilan 2021.pdf").read_bytes() == b"%PDF-1.4 real"
    assert len(missing) == 1 and missing[0].startswith("d2: not in")
    (tmp_path / "cache" / "gone").mkdir()  # an entry no longer in the gold file
    assert gold.build([doc], tmp_path / "cache", [tmp_path / "ready"])[0] == [doc]
    assert not (tmp_path / "cache" / "gone").exists()
    (ready / "Bilan 2021.pdf").write_bytes(b"%PDF-1.4 changed")
    (tmp_path / "cache" / "d1" / "Bilan 2021.pdf").unlink()
    present, missing = gold.build([doc], tmp_path / "cache", [tmp_path / "ready"])
    assert present == [] and "SHA-256 differs" in missing[0]


def test_a_place_above_one_the_curator_set_is_implied_not_wrong() -> None:
    # The curator sets the most precise places; the tree adds those above them.
    above = {"territory": {"rennes": frozenset({"ille-et-vilaine", "bretagne"})}}
    expected = Expected("T", None, {"territory": frozenset({"rennes"})})
    found = Found("T", None, {"territory": frozenset({"rennes", "bretagne", "brest"})})
    counts = tag_counts([(expected, found)], ["territory"], above)["territory"]
    assert (counts.right, counts.wrong, counts.missed) == (1, 1, 0)  # brest alone is wrong
    # A place above is no find of the curator's more precise place.
    less = Found("T", None, {"territory": frozenset({"bretagne"})})
    counts = tag_counts([(expected, less)], ["territory"], above)["territory"]
    assert (counts.right, counts.wrong, counts.missed) == (0, 0, 1)
