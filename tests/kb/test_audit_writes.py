"""The audit trail of the commands that write to a library: `kb ingest`, `kb reindex`,
`kb prune`. Each run is an entry, each document it changes is an entry, and what a prune
deletes (documents, their files and tags, their places in collections) stays readable in
`kb log` afterwards.

A real library under tmp_path, driven through `kb` itself.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kb import audit
from kb.actors import Actor
from kb.cli import cli
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from tests.conftest import write

# End-to-end: real libraries ingested through `kb` (make check leaves them to make test).
pytestmark = pytest.mark.slow

ETUDE = "# Étude du pôle ESS\n\nL'économie sociale du Pays de Rennes.\n"
BILAN = "# Bilan annuel\n\nLe bilan des mutuelles de santé.\n"
NOTE = "# Note\n\nUne note sur les coopératives du Finistère.\n"
ANCIEN = "# Ancien compte rendu\n\nUn compte rendu de la réunion de 2006.\n"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, Path]:
    docs = tmp_path / "docs"
    write(docs / "etude.md", ETUDE)
    write(docs / "bilan.md", BILAN)
    write(docs / "note.md", NOTE)
    write(docs / "note.md.meta.toml", 'family = ["cooperatives"]\n')
    write(docs / "ancien.md", ANCIEN)
    return {"docs": docs, "library": tmp_path / "lib"}


def kb(env: dict[str, Path], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--library", str(env["library"]), *args])
    return result.exit_code, result.stdout, result.stderr


def log(env: dict[str, Path], *args: str) -> list[dict[str, Any]]:
    code, out, err = kb(env, "log", "--json", "--limit", "1000", *args)
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def ids(env: dict[str, Path]) -> dict[str, str]:
    with Library.open(env["library"], DEFAULT_VOCABULARY) as library:
        return {Path(p.path).name: doc.id for doc in library.catalog.documents()
                for p in library.catalog.paths_of(doc.id)}


def ingested(env: dict[str, Path]) -> str:
    code, out, err = kb(env, "ingest", "--workers", "1", str(env["docs"]))
    assert code == 0, out + err
    return out


def test_an_ingest_run_is_an_entry_and_each_new_document_too(env: dict[str, Path]) -> None:
    ingested(env)
    entries = log(env)
    run = entries[0]
    assert (run["action"], run["target"], run["via"], run["role"]) == (
        "ingest", "library", "cli", "admin")
    assert run["actor"] and run["document_id"] is None
    assert run["after"]["roots"] == [str(env["docs"])]
    assert run["after"]["counts"] == {"added": 4, "updated": 0, "moved": 0, "duplicates": 0,
                                      "unchanged": 0,
                                      "missing": 0, "failed": 0, "failed_before": 0,
                                      "skipped": 0}
    added = {e["document_id"]: e for e in entries if e["action"] == "ingest.add"}
    assert set(added) == set(ids(env).values())
    note = added[ids(env)["note.md"]]
    assert note["after"]["file"] == str(env["docs"] / "note.md")
    assert note["after"]["media_type"] == "text/markdown"
    assert note["after"]["tags"]["family"] == ["cooperatives"]
    assert note["after"]["tags"]["title"] == ["Note"]
    # Nothing changed, nothing but the run is recorded.
    ingested(env)
    again = log(env)
    assert len(again) == len(entries) + 1
    assert again[0]["action"] == "ingest" and again[0]["after"]["counts"]["unchanged"] == 4


def test_changes_found_by_an_ingest_carry_before_and_after(env: dict[str, Path]) -> None:
    ingested(env)
    known = ids(env)
    write(env["docs"] / "bilan.md", BILAN + "\nAvec les comptes de 2008.\n")
    write(env["docs"] / "note.md.meta.toml", 'family = ["mutuelles"]\nkind = "etude"\n')
    (env["docs"] / "etude.md").rename(env["docs"] / "etude-pole-ess.md")
    (env["docs"] / "ancien.md").unlink()
    ingested(env)

    updated = log(env, "--document", known["bilan.md"])[0]
    assert updated["action"] == "ingest.update"
    assert updated["before"]["content_hash"] != updated["after"]["content_hash"]
    assert updated["before"]["size"] < updated["after"]["size"]
    assert updated["before"]["tags"] == {} and updated["after"]["tags"] == {}  # same tags

    (retag,) = [e for e in log(env, "--document", known["note.md"]) if e["action"] != "ingest.add"]
    assert retag["action"] == "ingest.retag"
    # "Note" titles it: automatic kind note, which the sidecar's kind now overrides.
    assert retag["before"] == {"tags": {"family": ["cooperatives"], "kind": ["note"]}}
    assert retag["after"] == {"tags": {"family": ["mutuelles"], "kind": ["etude"]},
                              "sidecar": str(env["docs"] / "note.md.meta.toml")}

    etude = log(env, "--document", known["etude.md"])
    assert [e["action"] for e in etude[:2]] == ["ingest.file_gone", "ingest.move"]
    assert etude[0]["before"] == {"files": [str(env["docs"] / "etude.md")]}
    assert etude[1]["after"]["file"] == str(env["docs"] / "etude-pole-ess.md")

    (gone, _added) = log(env, "--document", known["ancien.md"])
    assert gone["action"] == "ingest.missing"
    assert gone["before"] == {"state": "active", "files": [str(env["docs"] / "ancien.md")]}
    assert gone["after"] == {"state": "missing"}
    assert log(env)[0]["after"]["counts"] == {"added": 0, "updated": 2, "moved": 1,
                                              "duplicates": 0, "unchanged": 0, "missing": 1,
                                              "failed": 0,
                                              "failed_before": 0, "skipped": 0}


def test_a_file_back_after_it_went_missing_is_recorded(env: dict[str, Path]) -> None:
    ingested(env)
    ancien = ids(env)["ancien.md"]
    kept = env["docs"].parent / "ancien.md"
    shutil.move(env["docs"] / "ancien.md", kept)
    ingested(env)
    shutil.move(kept, env["docs"] / "ancien.md")
    ingested(env)
    back = log(env, "--document", ancien)[0]
    assert back["action"] == "ingest.move"
    assert back["before"] == {"state": "missing"}
    assert back["after"] == {"file": str(env["docs"] / "ancien.md"), "state": "active"}


def test_prune_records_what_it_deletes_including_collection_entries(
    env: dict[str, Path],
) -> None:
    ingested(env)
    known = ids(env)
    ancien, etude = known["ancien.md"], known["etude.md"]
    assert kb(env, "collection", "create", "Lectures", "--id", "lectures")[0] == 0
    assert kb(env, "collection", "add", "lectures", etude, ancien, "-n", "à relire")[0] == 0
    assert kb(env, "collection", "create", "Archives", "--id", "archives")[0] == 0
    assert kb(env, "collection", "add", "archives", ancien)[0] == 0
    revision = json.loads(kb(env, "collection", "show", "lectures", "--json")[1])["revision"]
    (env["docs"] / "ancien.md").unlink()
    ingested(env)

    code, out, _ = kb(env, "prune")
    assert code == 0 and "pruned 1" in out and ancien in out
    # The cascade removed its collection entries; the trail says which.
    shown = json.loads(kb(env, "collection", "show", "lectures", "--json")[1])
    assert [e["document_id"] for e in shown["entries"]] == [etude]
    assert shown["revision"] == revision + 1
    prune = log(env)[0]
    assert prune["action"] == "prune" and prune["target"] == "library"
    assert prune["before"] == {
        "documents": [ancien],
        "files": [str(env["docs"] / "ancien.md")],
        "collection_entries": [{"collection": "archives", "document": ancien},
                               {"collection": "lectures", "document": ancien}],
    }
    deleted = log(env, "--action", "prune.delete")
    assert len(deleted) == 1 and deleted[0]["document_id"] == ancien
    assert deleted[0]["before"]["tags"]["title"] == ["Ancien compte rendu"]
    assert deleted[0]["before"]["files"] == [str(env["docs"] / "ancien.md")]
    assert deleted[0]["before"]["collections"] == [
        {"collection": "archives", "name": "Archives", "position": 1, "note": ""},
        {"collection": "lectures", "name": "Lectures", "position": 2, "note": "à relire"},
    ]
    removal = log(env, "--collection", "lectures")[0]
    assert (removal["action"], removal["document_id"]) == ("collection.remove", ancien)
    assert removal["before"] == {"position": 2, "note": "à relire"}
    assert "pruned" in removal["comment"]

    # The plain `kb log` shows the prune and what went, newest first, and the ingests.
    code, out, _ = kb(env, "log")
    lines = out.splitlines()
    assert "  prune  library" in lines[0]
    assert ancien in lines[1] and "lectures" in lines[1] and "archives" in lines[1]
    assert any("  ingest  library" in line for line in lines)
    assert any(f"prune.delete  document {ancien}" in line for line in lines)
    # A second prune finds nothing and records nothing.
    count = len(log(env))
    assert "pruned 0" in kb(env, "prune")[1]
    assert len(log(env)) == count


def test_reindex_is_recorded(env: dict[str, Path]) -> None:
    ingested(env)
    code, out, _ = kb(env, "reindex", "-q")
    assert code == 0
    entry = log(env)[0]
    assert (entry["action"], entry["target"], entry["after"]) == (
        "reindex", "library", {"documents": 4})


def test_the_library_names_the_actor_it_is_given(env: dict[str, Path]) -> None:
    someone = Actor("reseau-brest", "network", "api")
    with Library.open(env["library"], DEFAULT_VOCABULARY) as library:
        ingest(library, [env["docs"]], IngestOptions(workers=1), actor=someone)
        (env["docs"] / "ancien.md").unlink()
        ingest(library, [env["docs"]], IngestOptions(workers=1), actor=someone)
        library.prune(actor=someone)
        entries = audit.entries(library.catalog, limit=1000)
    assert {(e.actor, e.role, e.via) for e in entries} == {("reseau-brest", "network", "api")}
    assert [e.action for e in entries if e.target == "library"] == ["prune", "ingest", "ingest"]


def test_log_of_a_pruned_document_by_its_id(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "note.txt").write_text("Note sur les fondations en Bretagne.\n", encoding="utf-8")
    runner = CliRunner()
    base = ["--library", str(tmp_path / "lib")]
    assert runner.invoke(cli, [*base, "ingest", "-q", "--workers", "1", str(docs)]).exit_code == 0
    found = runner.invoke(cli, [*base, "search", "fondations", "--json"]).stdout
    doc_id = json.loads(found)["hits"][0]["id"]
    (docs / "note.txt").unlink()
    runner.invoke(cli, [*base, "ingest", "-q", "--workers", "1", str(docs)])
    assert runner.invoke(cli, [*base, "prune"]).exit_code == 0
    result = runner.invoke(cli, [*base, "log", "--document", doc_id])
    assert result.exit_code == 0, result.output
    assert "prune.delete" in result.output and "ingest.add" in result.output
