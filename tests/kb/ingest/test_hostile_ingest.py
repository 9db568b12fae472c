"""Bad input at the batch level: every bad file is reported with a reason, the good files are
indexed, nothing hangs, and what was indexed before stays."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.scan import scan
from tests.conftest import write

GOOD = "Compte rendu du comité de pilotage de l'observatoire régional de l'ESS en Bretagne.\n"


def zip_bomb_docx(path: Path) -> Path:
    """A DOCX whose document.xml inflates 1000-fold (64 MiB of zeros in 64 KB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):
                member.write(chunk)
    path.write_bytes(buffer.getvalue())
    return path


def test_named_pipe_and_outside_symlink_are_skipped_without_blocking(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "good.txt", GOOD)
    os.mkfifo(docs / "pipe.txt")
    secret = write(tmp_path / "outside" / "secret.txt", "SECRET-MARKER\n")
    (docs / "link.txt").symlink_to(secret)
    (docs / "loop").symlink_to(docs)
    inside = write(docs / "inner" / "note.txt", GOOD + "note interne\n")
    (docs / "alias.txt").symlink_to(inside)
    found = scan([docs])
    reasons = {Path(s.given).name: s.reason for s in found.skipped}
    assert "named pipe" in reasons["pipe.txt"]
    assert "outside the ingested folder" in reasons["link.txt"]
    assert "loop" in reasons
    assert {Path(c.path).name for c in found.candidates} == {"good.txt", "note.txt", "alias.txt"}


@pytest.mark.slow
def test_mixed_folder_of_good_and_hostile_files(library: Library, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "good.txt", GOOD)
    write(
        docs / "good.html",
        "<html><head><title>Bon</title></head><body><p>Pôle ESS de "
        "Rennes et coopératives.</p></body></html>",
    )
    ingest(library, [docs], IngestOptions(workers=2))
    assert library.search("comité").total == 1

    (docs / "empty.txt").write_bytes(b"")
    (docs / "random.pdf").write_bytes(os.urandom(20_000))
    (docs / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    (docs / "notzip.docx").write_bytes(b"PK\x03\x04 this is not really a zip archive")
    zip_bomb_docx(docs / "bomb.docx")
    write(
        docs / "xxe.xhtml",
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM '
        f'"file://{tmp_path}/outside.txt">]><html xmlns="http://www.w3.org/1999/xhtml">'
        "<body><p>avant &x; après</p></body></html>",
    )
    write(tmp_path / "outside.txt", "LEAKED-MARKER")
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    write(
        docs / "laughs.xhtml",
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY l0 "lol">'
        f'{laughs}]><html xmlns="http://www.w3.org/1999/xhtml"><body><p>&l9;</p></body></html>',
    )
    write(docs / "deep.html", "<div>" * 100_000 + "profond" + "</div>" * 100_000)
    os.mkfifo(docs / "pipe.pdf")

    report = ingest(library, [docs], IngestOptions(workers=2))
    failed = {Path(p.path).name: p.reason for p in report.failed}
    skipped = {Path(p.path).name: p.reason for p in report.skipped}
    assert {"empty.txt", "random.pdf", "truncated.pdf", "notzip.docx", "bomb.docx"} <= set(failed)
    assert "empty" in failed["empty.txt"]
    assert "pipe.pdf" in skipped
    assert all(reason for reason in failed.values())
    # What was indexed before stays, and nothing leaked from outside the folder.
    assert library.search("comité").total == 1
    assert library.search("LEAKED-MARKER").total == 0
    assert library.search("lol").total == 0 or "laughs.xhtml" in failed


def test_kbignore_keeps_named_files_out(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "good.txt", GOOD)
    write(docs / "README.md", "# Ce dossier\n")
    write(docs / "sub" / "brouillon.tmp.txt", GOOD)
    write(docs / ".kbignore", "# not documents\nREADME.md\n*.tmp.txt\n")
    assert [Path(c.path).name for c in scan([docs]).candidates] == ["good.txt"]


@pytest.mark.slow
def test_50_mb_single_line_is_truncated_not_fatal(library: Library, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    phrase = "économie sociale et solidaire en Bretagne "
    with open(docs / "line.txt", "w", encoding="utf-8") as handle:
        handle.write(phrase * (50_000_000 // len(phrase.encode())))
    report = ingest(library, [docs], IngestOptions(workers=1))
    assert report.added == 1 and report.failed == ()
    (doc,) = library.catalog.documents()
    assert any("truncated" in w for w in doc.report["warnings"])
    assert library.search("solidaire").total == 1
