"""`kb submit`: a document sent in from the command line, through the library's file store."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.curation.submissions import safe_file_name
from tests.conftest import write


def kb(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--library", str(tmp_path / "lib"), *args])
    return result.exit_code, result.stdout, result.stderr


def test_kb_submit_stores_ingests_and_hides_until_published(tmp_path: Path) -> None:
    doc = write(tmp_path / "in" / "diagnostic.md",
                "# Diagnostic\n\nLes coopératives du Morbihan et la CRESS.\n")
    code, out, err = kb(tmp_path, "submit", str(doc), "--title", "Diagnostic du Morbihan",
                        "--kind", "Étude", "--territory", "morbihan", "--author", "A. Martin",
                        "--json")
    assert code == 0, out + err
    sub = json.loads(out)
    assert sub["state"] == "ingested" and sub["file_name"] == "diagnostic.md"
    stored = tmp_path / "lib" / "files" / sub["content_hash"] / "diagnostic.md"
    assert stored.read_bytes() == doc.read_bytes()
    code, out, _ = kb(tmp_path, "show", sub["document_id"], "--json")
    shown = json.loads(out)
    assert shown["effective"]["status"] == ["submitted"]
    assert shown["effective"]["visibility"] == ["internal"]
    assert shown["effective"]["title"] == ["Diagnostic du Morbihan"]
    assert {"field": "kind", "value": "etude", "origin": "curator"} in shown["tags"]
    code, out, _ = kb(tmp_path, "submissions")
    assert "diagnostic.md" in out and sub["document_id"] in out
    code, _, err = kb(tmp_path, "submit", str(doc), "--title", "Encore", "--kind", "etude")
    assert code == 1 and "already in the library" in err
    code, out, _ = kb(tmp_path, "log", "--action", "submission", "--json")
    assert [e["document_id"] for e in json.loads(out)] == [sub["document_id"]]


def test_a_hostile_file_is_reported_and_kept(tmp_path: Path) -> None:
    bomb = tmp_path / "in" / "rapport.docx"
    bomb.parent.mkdir(parents=True)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * 5_000_000 + "</w:document>")
    code, _, err = kb(tmp_path, "submit", str(bomb), "--title", "Rapport", "--kind", "note")
    assert code == 1
    assert "could not be read" in err and "kept for the curators" in err
    assert len(list((tmp_path / "lib" / "files").glob("*/rapport.docx"))) == 1
    code, out, _ = kb(tmp_path, "submissions", "--json")
    (failed,) = json.loads(out)
    assert failed["state"] == "failed" and failed["document_id"] is None and failed["error"]


def test_unknown_metadata_is_refused_before_anything_is_stored(tmp_path: Path) -> None:
    doc = write(tmp_path / "in" / "note.txt", "Une note.\n")
    code, _, err = kb(tmp_path, "submit", str(doc), "--title", "Note", "--kind", "notte")
    assert code == 1 and "closest: note" in err
    assert not list((tmp_path / "lib").glob("files/*/*"))


@pytest.mark.parametrize(("given", "safe"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\x\\rapport final.pdf", "rapport final.pdf"),
    (".cache.pdf", "cache.pdf"),
    ("..", "document"),
    ("", "document"),
    ("a\x00b\nc.txt", "abc.txt"),
    ("é" * 300 + ".pdf", "é" * 116 + ".pdf"),
])
def test_safe_file_name(given: str, safe: str) -> None:
    assert safe_file_name(given) == safe
