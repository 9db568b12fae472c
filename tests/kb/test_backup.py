"""`kb backup` and `kb restore`: a backup taken while `kb serve` answers and `kb ingest`
writes, the library deleted, restored, and every correction, collection and audit entry
back, searchable."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from tests.e2e.test_crash import make_folder

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "library"


def kb(library: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["--library", str(library), "--vocabulary", str(DEFAULT_VOCABULARY), *args]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.output, result.exception)
    return result.exit_code, result.output


def curated_library(root: Path) -> tuple[Path, dict[str, str]]:
    """The API fixtures ingested, then a curator's work: a correction, a collection with a
    note, a status change, a submission (in the file store)."""
    shutil.copytree(FIXTURES, root / "docs")
    library = root / "library"
    assert kb(library, "ingest", "--workers", "1", str(root / "docs"))[0] == 0
    with Library.open(library, DEFAULT_VOCABULARY) as lib:
        ids = {Path(p.path).name: d.id for d in lib.catalog.documents()
               for p in lib.catalog.paths_of(d.id)}
    etude = ids["etude-pole-ess.md"]
    for args in (
        ("tag", "set", etude, "kind", "termes-de-reference"),
        ("collection", "create", "Pôle ESS : lectures", "-d", "Groupe de travail"),
        ("collection", "add", "pole-ess-lectures", etude, "--note", "À lire d'abord"),
        ("status", etude, "submitted"),
    ):
        code, out = kb(library, *args)
        assert code == 0, (args, out)
    (root / "diagnostic.txt").write_text("Diagnostic de l'économie sociale du Morbihan.\n")
    code, out = kb(library, "submit", str(root / "diagnostic.txt"), "--title",
                   "Diagnostic du Morbihan", "--kind", "etude")
    assert code == 0, out
    return library, ids


def curation_rows(library: Path) -> dict[str, list[tuple[object, ...]]]:
    db = sqlite3.connect(library / "catalog.sqlite")
    try:
        return {
            "corrections": db.execute(
                "SELECT document_id, field, value FROM tags WHERE origin = 'curator'"
                " ORDER BY 1, 2, 3").fetchall(),
            "collections": db.execute(
                "SELECT c.id, c.name, e.document_id, e.note FROM collections c"
                " JOIN collection_entries e ON e.collection_id = c.id ORDER BY 1, 3").fetchall(),
            "audit": db.execute(
                "SELECT id, actor, action, target_id, before, after FROM audit"
                " WHERE action NOT LIKE 'ingest%' ORDER BY id").fetchall(),
            "submissions": db.execute("SELECT stored FROM submissions").fetchall(),
        }
    finally:
        db.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def health(port: int) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10) as answer:
            return json.load(answer)  # type: ignore[no-any-return]
    except OSError:
        return None


def catalog_count(library: Path) -> int:
    db = sqlite3.connect(library / "catalog.sqlite", timeout=30)
    try:
        return int(db.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        db.close()


@pytest.mark.slow
def test_backup_under_load_then_restore(tmp_path: Path) -> None:
    library, ids = curated_library(tmp_path)
    before = curation_rows(library)
    make_folder(tmp_path / "more", 3000)
    kb_args = [sys.executable, "-m", "kb", "--library", str(library), "--vocabulary",
               str(DEFAULT_VOCABULARY)]
    port = free_port()
    server = subprocess.Popen([*kb_args, "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    ingest = subprocess.Popen([*kb_args, "ingest", "-q", "--workers", "1",
                               str(tmp_path / "more")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    backup_dir = tmp_path / "backups" / "today"
    try:
        deadline = time.monotonic() + 60
        while not health(port):
            assert server.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        while catalog_count(library) < 200:  # the ingest is well under way
            assert ingest.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        code, out = kb(library, "backup", str(backup_dir))
        assert code == 0, out
        assert "verified" in out
        assert ingest.poll() is None, "the backup should have run beside the ingest"
        assert health(port)["catalog"]["state"] == "ok"
    finally:
        for process in (ingest, server):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["counts"]["documents"] >= 200
    shutil.rmtree(library)

    code, out = kb(library, "restore", str(backup_dir))
    assert code == 0, out
    assert curation_rows(library) == before
    for (stored,) in before["submissions"]:
        assert (library / stored).is_file()
    assert (library / "vocabulary.toml").read_bytes() == DEFAULT_VOCABULARY.read_bytes()
    stats = json.loads(kb(library, "stats", "--json")[1])
    assert stats["out_of_index"] == 0
    assert stats["indexed"] == stats["documents"]
    assert stats["documents"] + stats["missing"] == manifest["counts"]["documents"]
    # Searches work and find the curators' correction.
    code, out = kb(library, "search", "", "--kind", "termes-de-reference", "--json")
    assert [h["id"] for h in json.loads(out)["hits"]] == [ids["etude-pole-ess.md"]]
    code, out = kb(library, "search", "marqueur0", "--json")
    assert json.loads(out)["total"] == 1
    code, out = kb(library, "collection", "show", "pole-ess-lectures")
    assert "À lire d'abord" in out


def test_restore_refuses_a_non_empty_target_and_a_damaged_backup(tmp_path: Path) -> None:
    library, _ = curated_library(tmp_path)
    backup_dir = tmp_path / "backup"
    assert kb(library, "backup", str(backup_dir))[0] == 0
    code, out = kb(library, "backup", str(backup_dir))
    assert code == 1 and "not empty" in out, out
    assert kb(library, "backup", str(backup_dir), "--force")[0] == 0

    code, out = kb(library, "restore", str(backup_dir))
    assert code == 1 and "not empty" in out and "--force" in out, out
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("not a library")
    code, out = kb(other, "restore", str(backup_dir), "--force")
    assert code == 1 and "not a kb library" in out, out
    assert (other / "notes.txt").exists()
    kb(library, "tag", "set", next(iter(_ids(library))), "kind", "etude")
    code, out = kb(library, "restore", str(backup_dir), "--force")
    assert code == 0, out

    segment = next(p for p in (backup_dir / "index").iterdir() if p.suffix == ".store")
    data = bytearray(segment.read_bytes())
    data[len(data) // 2] ^= 0xFF
    segment.write_bytes(bytes(data))
    code, out = kb(tmp_path / "fresh", "restore", str(backup_dir))
    assert code == 1 and "damaged" in out and segment.name in out, out
    assert not (tmp_path / "fresh").exists()


def _ids(library: Path) -> list[str]:
    with Library.open(library, DEFAULT_VOCABULARY) as lib:
        return [d.id for d in lib.catalog.documents(state="active")]
