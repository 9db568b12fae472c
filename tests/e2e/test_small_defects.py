"""Small things a new user met: plurals, UTF-8 JSON, the id prefix minimum, unknown documents
in `kb log`, hidden files listed as skipped, `kb serve` on a taken port."""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.app import create_app
from kb.cli import cli
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tokens import create_token
from tests.api.api_site import TestClient

# End-to-end: real libraries ingested through `kb` (make check leaves them to make test).
pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "library"


def kb(library: Path, *args: str, vocabulary: Path = DEFAULT_VOCABULARY) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["--library", str(library), "--vocabulary", str(vocabulary), *args]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.output, result.exception)
    return result.exit_code, result.output


def ingested(tmp_path: Path) -> tuple[Path, str]:
    shutil.copytree(FIXTURES, tmp_path / "docs")
    library = tmp_path / "library"
    code, out = kb(library, "ingest", "--workers", "1", str(tmp_path / "docs"))
    assert code == 0, out
    code, out = kb(library, "search", "faisabilité", "--json")
    return library, json.loads(out)["hits"][0]["id"]


def test_json_is_written_as_utf8_not_escaped(tmp_path: Path) -> None:
    library, _ = ingested(tmp_path)
    code, out = kb(library, "search", "faisabilité", "--json")
    assert "Étude de faisabilité" in out and "\\u00" not in out


def test_an_id_prefix_too_short_says_the_minimum(tmp_path: Path) -> None:
    library, etude = ingested(tmp_path)
    code, out = kb(library, "show", etude[:2])
    assert code == 1 and "at least 4 characters" in out, out
    code, out = kb(library, "show", etude[:4])
    assert code == 0, out


def test_kb_log_of_an_unknown_document_is_an_error(tmp_path: Path) -> None:
    library, etude = ingested(tmp_path)
    code, out = kb(library, "log", "--document", "3f2a0000")
    assert code == 1 and "no document with id '3f2a0000'" in out, out
    code, out = kb(library, "log", "--document", etude)
    assert code == 0


def test_plurals(tmp_path: Path) -> None:
    library, etude = ingested(tmp_path)
    kb(library, "collection", "create", "Lectures")
    kb(library, "collection", "add", "lectures", etude)
    code, out = kb(library, "collection", "list")
    assert "(1 document," in out, out
    code, out = kb(library, "collection", "show", "lectures")
    assert "1 document" in out and "1 documents" not in out, out
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "note.txt").write_text("Une note.")
    (folder / "note.txt.meta.toml").write_text('kind = "pas-un-type"\n')
    code, out = kb(library, "check", str(folder))
    assert code == 1 and "1 problem " in out, out


def test_hidden_files_and_folders_are_listed_as_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "config").write_text("[core]")
    (folder / ".brouillon.txt").write_text("Un brouillon caché.")
    (folder / "note.txt").write_text("Une note sur l'économie sociale.")
    (folder / ".kbignore").write_text("*.tmp\n")
    (folder / "x.tmp").write_text("ignored on purpose")
    code, out = kb(tmp_path / "library", "ingest", "--workers", "1", str(folder))
    assert code == 0, out
    assert "added 1," in out and "skipped 2" in out, out
    assert "skipped: " in out and ".brouillon.txt: hidden file" in out, out
    assert ".git: hidden folder" in out and "config" not in out, out
    assert "kbignore" not in out and "x.tmp" not in out  # what the user asked to ignore


def test_serve_refuses_a_taken_port_before_announcing_it(tmp_path: Path) -> None:
    library, _ = ingested(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out = kb(library, "serve", "--port", str(port))
    assert code == 1 and f"cannot serve on 127.0.0.1:{port}" in out, out
    assert "serving" not in out


def test_a_copy_of_an_ingested_file_is_a_duplicate_not_a_move(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    original = folder / "etude.txt"
    original.write_text("Étude sur les coopératives du Pays de Rennes.")
    library = tmp_path / "library"
    assert kb(library, "ingest", "--workers", "1", str(folder))[0] == 0
    shutil.copy(original, folder / "copie.txt")
    code, out = kb(library, "ingest", "--workers", "1", str(folder))
    assert code == 0, out
    assert "moved 0, duplicates 1," in out, out
    assert f"duplicate: {folder / 'copie.txt'}: duplicate of {original}" in out, out
    code, out = kb(library, "search", "coopératives", "--json")
    (hit,) = json.loads(out)["hits"]
    code, out = kb(library, "show", hit["id"], "--json")
    assert {str(original), str(folder / "copie.txt")} <= set(out_paths(out)), out
    code, out = kb(library, "log", "--document", hit["id"], "--json")
    assert json.loads(out)[0]["action"] == "ingest.duplicate", out
    # Once the first is gone, the same content somewhere else is a move again.
    original.unlink()
    os.rename(folder / "copie.txt", folder / "deplace.txt")
    code, out = kb(library, "ingest", "--workers", "1", str(folder))
    assert "moved 1, duplicates 0," in out, out


def out_paths(shown: str) -> list[str]:
    found = json.loads(shown)
    return [p["path"] if isinstance(p, dict) else p for p in found.get("paths", found.get(
        "files", []))]


def test_strict_checks_the_tags_of_unchanged_files(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note.txt").write_text("Une note sur l'économie sociale.")
    (folder / "note.txt.meta.toml").write_text('family = ["pas-une-famille"]\n')
    (folder / "propre.txt").write_text("Une autre note.")
    library = tmp_path / "library"
    code, out = kb(library, "ingest", "--workers", "1", str(folder))
    assert code == 0 and "added 2," in out and "pas-une-famille" in out, out
    code, out = kb(library, "ingest", "--workers", "1", "--strict", str(folder))
    assert code == 1 and "unchanged 2," in out and "failed 1" in out, out
    assert "failed: " in out and "note.txt" in out and "pas-une-famille" in out, out
    # Not remembered as a failure: a lenient run is as before.
    code, out = kb(library, "ingest", "--workers", "1", str(folder))
    assert code == 0 and "unchanged 2," in out and "failed 0" in out, out
    (folder / "note.txt.meta.toml").write_text('family = ["cooperatives"]\n')
    code, out = kb(library, "ingest", "--workers", "1", "--strict", str(folder))
    assert code == 0 and "updated 1," in out, out
    code, out = kb(library, "ingest", "--workers", "1", "--strict", str(folder))
    assert code == 0 and "unchanged 2," in out, out


def test_control_characters_are_refused_in_every_name(tmp_path: Path) -> None:
    library, etude = ingested(tmp_path)
    code, out = kb(library, "collection", "create", "Lectures\x00cachées")
    assert code == 1 and "control characters are not allowed" in out, out
    code, out = kb(library, "token", "create", "--role", "admin", "--name", "a\x07b")
    assert code == 1 and "control characters" in out, out
    with Library.open(library, DEFAULT_VOCABULARY) as lib:
        secret = create_token(lib.catalog, "admin", "admin")[1]
    auth = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(Settings(library=library))) as client:
        for body in ({"name": "Lectures\x00"}, {"name": "Lectures", "description": "a\x1bb"}):
            answer = client.post("/api/v1/collections", json=body, headers=auth)
            assert answer.status_code == 422, answer.text
        answer = client.post("/api/v1/collections/none/documents", headers=auth,
                             json={"document_id": etude, "note": "\x00"})
        assert answer.status_code == 422, answer.text
        answer = client.put(f"/api/v1/documents/{etude}/tags/title", headers=auth,
                            json={"values": ["Titre\x00"]})
        assert answer.status_code == 422, answer.text
        answer = client.post("/api/v1/documents", headers=auth,
                             files={"file": ("note.txt", b"Une note.")},
                             data={"title": "Note", "kind": "note", "authors": "A\x00B"})
        assert answer.status_code == 422 and "control characters" in answer.text, answer.text
