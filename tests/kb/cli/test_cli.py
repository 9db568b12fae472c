"""The `kb` command end to end, through click's runner, on a real library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from tests.conftest import write

# End-to-end: real libraries through `kb` and the API (make check leaves them to make test).
pytestmark = pytest.mark.slow

ETUDE = """# Étude de faisabilité d'un pôle ESS

L'économie sociale et solidaire du Pays de Rennes réunit cinquante structures.
La SCIC est envisagée comme statut juridique du pôle.
"""


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    write(folder / "etude.md", ETUDE)
    write(folder / "etude.md.meta.toml", 'kind = "etude"\nterritory = ["pays-de-rennes"]\n')
    write(folder / "finistere.txt", "Diagnostic de l'économie sociale dans le Finistère.\n")
    return folder


def kb(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, ["--library", str(tmp_path / "lib"), *args])
    return result.exit_code, result.stdout, result.stderr


def test_ingest_then_search_with_territory_filter(tmp_path: Path, docs: Path) -> None:
    code, out, _ = kb(tmp_path, "ingest", "--workers", "1", str(docs))
    assert code == 0, out
    assert "added 2" in out
    code, out, _ = kb(tmp_path, "search", "économie sociale", "--territory", "ille-et-vilaine")
    assert code == 0
    assert "Étude de faisabilité" in out and "Finistère" not in out
    code, out, _ = kb(tmp_path, "search", "economie", "--json")
    payload = json.loads(out)
    assert payload["total"] == 2
    hit = payload["hits"][0]
    assert {"id", "title", "path", "score", "tags"} <= set(hit)
    assert {h["path"] for h in payload["hits"]} == {
        str(docs / "etude.md"),
        str(docs / "finistere.txt"),
    }


def test_ingest_exit_status_is_1_when_a_file_fails(tmp_path: Path, docs: Path) -> None:
    (docs / "casse.pdf").write_bytes(b"%PDF-1.4\n garbage")
    code, out, err = kb(tmp_path, "ingest", "--workers", "1", str(docs))
    assert code == 1
    assert "added 2" in out and "failed 1" in out
    assert "casse.pdf" in err


def test_unknown_tag_value_warns_and_strict_fails(tmp_path: Path, docs: Path) -> None:
    write(docs / "etude.md.meta.toml", 'family = ["cooperative"]\n')
    code, out, err = kb(tmp_path, "ingest", "--workers", "1", str(docs))
    assert code == 0
    assert "family" in err and "cooperative" in err and "cooperatives" in err
    code, out, err = kb(tmp_path, "--library", str(tmp_path / "strict"), "ingest", "--strict",
                        "--workers", "1", str(docs))
    assert code == 1 and "cooperatives" in err


def test_show_says_where_each_tag_came_from(tmp_path: Path, docs: Path) -> None:
    kb(tmp_path, "ingest", "--workers", "1", str(docs))
    _, out, _ = kb(tmp_path, "search", "SCIC", "--json")
    doc_id = json.loads(out)["hits"][0]["id"]
    code, out, _ = kb(tmp_path, "show", doc_id, "--json")
    assert code == 0
    shown = json.loads(out)
    origins = {(t["field"], t["value"]): t["origin"] for t in shown["tags"]}
    assert origins[("kind", "etude")] == "sidecar"
    assert origins[("family", "cooperatives")] == "auto"  # "SCIC" in the text
    assert shown["paths"] == [{"path": str(docs / "etude.md"), "state": "present"}]
    code, out, _ = kb(tmp_path, "show", doc_id)
    assert "sidecar" in out and "auto" in out


def test_show_unknown_id_is_a_one_line_error(tmp_path: Path, docs: Path) -> None:
    kb(tmp_path, "ingest", "--workers", "1", str(docs))
    code, out, err = kb(tmp_path, "show", "nope")
    assert code == 1
    assert err.strip() == "Error: no document with id 'nope'"


def test_search_without_a_library_says_how_to_make_one(tmp_path: Path) -> None:
    code, _, err = kb(tmp_path, "search", "économie")
    assert code == 1 and "kb ingest" in err and "Traceback" not in err


def test_extract_prints_pages_and_raw_text(tmp_path: Path) -> None:
    damaged = write(tmp_path / "deck.txt", "la 3Łme rØunion d\ufffdØtape doit Œtre prØparØe\n")
    code, out, _ = kb(tmp_path, "extract", str(damaged))
    assert code == 0 and "la 3ème réunion d’étape doit être préparée" in out
    code, out, _ = kb(tmp_path, "extract", "--raw", str(damaged))
    assert "rØunion" in out


def test_stats_check_reindex_prune(tmp_path: Path, docs: Path, vocabulary_path: Path) -> None:
    kb(tmp_path, "ingest", "--workers", "1", str(docs))
    code, out, _ = kb(tmp_path, "stats", "--json")
    stats = json.loads(out)
    assert (code, stats["documents"], stats["indexed"]) == (0, 2, 2)
    code, out, _ = kb(tmp_path, "check", str(docs))
    assert code == 0, out
    write(docs / "finistere.txt.meta.toml", 'territory = ["finistére-nord"]\n')
    code, out, err = kb(tmp_path, "check", str(docs))
    assert code == 1 and "finistere" in err
    code, out, _ = kb(tmp_path, "reindex", "-q")
    assert code == 0 and "reindexed 2" in out
    (docs / "finistere.txt").unlink()
    kb(tmp_path, "ingest", "--workers", "1", str(docs))
    code, out, _ = kb(tmp_path, "prune")
    assert code == 0 and "pruned 1" in out


def test_index_of_another_schema_asks_for_reindex(tmp_path: Path, docs: Path) -> None:
    kb(tmp_path, "ingest", "--workers", "1", str(docs))
    version = tmp_path / "lib" / "index" / "kb-index.json"
    version.write_text('{"schema_version": 0}')
    code, _, err = kb(tmp_path, "search", "économie")
    assert code == 1 and "kb upgrade" in err
    assert (tmp_path / "lib" / "index").exists()  # never wiped
    code, out, _ = kb(tmp_path, "reindex", "-q")
    assert code == 0
    code, out, _ = kb(tmp_path, "search", "économie", "--json")
    assert json.loads(out)["total"] == 2
