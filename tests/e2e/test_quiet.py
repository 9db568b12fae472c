"""Quiet, plain output: an ingest of damaged PDFs prints the summary and one plain line per
failure; the libraries' own lines (pypdf's "EOF marker not found", its exceptions) and
messages only with -v. Run as a real process: the extraction workers write to the same
terminal, which CliRunner would not see."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.settings import DEFAULT_VOCABULARY

pytestmark = pytest.mark.slow  # the kb command in subprocesses

EXTRACT = Path(__file__).parents[1] / "fixtures" / "extract"
BROKEN = ("corrompu.pdf", "aleatoire.pdf", "rapport-protege.pdf")
NOISE = ("EOF marker", "startxref", "PdfReadError", "PdfStreamError", "pdfium", "Traceback",
         "WARNING", "Warning")


def damaged_folder(root: Path) -> Path:
    folder = root / "pdfs"
    folder.mkdir()
    for name in BROKEN:
        shutil.copy(EXTRACT / name, folder / name)
    # Cut short: no EOF marker, no cross-reference table (pypdf logs about both).
    (folder / "tronque.pdf").write_bytes((EXTRACT / "rapport.pdf").read_bytes()[:3000])
    shutil.copy(EXTRACT / "rapport.pdf", folder / "rapport.pdf")  # one that works
    return folder


def kb(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kb", "--library", str(root / "library"), "--vocabulary",
         str(DEFAULT_VOCABULARY), *args],
        capture_output=True, text=True, timeout=300,
    )


def test_ingest_prints_only_the_summary_and_one_plain_line_per_failure(tmp_path: Path) -> None:
    folder = damaged_folder(tmp_path)
    done = kb(tmp_path, "ingest", "--workers", "2", str(folder))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        line for line in done.stdout.splitlines() if line.startswith("added 1, ")]
    failures = done.stderr.splitlines()
    assert len(failures) == 4, done.stderr
    assert all(line.startswith("failed: ") for line in failures), done.stderr
    for noise in NOISE:
        assert noise not in done.stdout + done.stderr, noise
    damaged = [line for line in failures if "tronque.pdf" in line or "corrompu.pdf" in line]
    assert all("damaged PDF: its table of contents is broken" in line
               and line.endswith("no page could be read") for line in damaged), damaged


def test_verbose_shows_the_libraries_messages(tmp_path: Path) -> None:
    folder = damaged_folder(tmp_path)
    done = kb(tmp_path, "-v", "ingest", "--workers", "1", str(folder))
    assert "EOF marker not found" in done.stderr
    assert "— details: pdfium: Data format error; pypdf: " in done.stderr


def test_extract_says_what_is_wrong_in_plain_words(tmp_path: Path) -> None:
    folder = damaged_folder(tmp_path)
    done = kb(tmp_path, "extract", str(folder / "tronque.pdf"))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Error: damaged PDF: its table of contents is broken (a truncated or damaged file), "
        "no page could be read")
    verbose = kb(tmp_path, "-v", "extract", str(folder / "tronque.pdf"))
    assert "EOF marker not found" in verbose.stderr and "details: pdfium" in verbose.stderr
