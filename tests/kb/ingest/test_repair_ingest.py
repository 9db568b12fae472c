"""Repair through the whole pipeline: damaged files are found by their accented words, the
extraction report counts the repairs, and --no-repair indexes the raw text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kb.ingest import IngestOptions, ingest
from kb.library import Library

DAMAGED = Path(__file__).parents[2] / "fixtures" / "repair" / "damaged"


def test_damaged_documents_are_found_by_their_accented_words(
    library: Library, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(DAMAGED / "compte_rendu_copil.standard_encoding.txt", docs / "copil.txt")
    raw = (docs / "copil.txt").read_text(encoding="utf-8")
    assert "Ø" in raw  # the fixture is damaged: "rØunion", "prØparØe"...
    report = ingest(library, [docs], IngestOptions(workers=1))
    assert report.failed == ()
    (doc,) = library.catalog.documents()
    assert doc.report["repairs"]["standard_encoding"] > 0
    text = "\n".join(s.text for s in library.catalog.sections(doc.id))
    assert "Ø" not in text
    assert library.search("réunion").total == 1
    assert library.search("reunion").total == 1


def test_no_repair_indexes_the_raw_text(library: Library, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(DAMAGED / "compte_rendu_copil.standard_encoding.txt", docs / "copil.txt")
    ingest(library, [docs], IngestOptions(workers=1, repair=False))
    (doc,) = library.catalog.documents()
    assert doc.report["repairs"] == {}
    assert "Ø" in "\n".join(s.text for s in library.catalog.sections(doc.id))


def test_tex_accents_shadowed_runs_and_controls_are_repaired_and_shown(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kb.cli import cli

    docs = tmp_path / "docs"
    docs.mkdir()
    text = (
        "Bilan du comité de du comité de pilotagepilotage\n"
        "Phase 1 Phase 1 \ufffd\ufffd mars 2009mars 2009\n"
        "La r´ef´erence de la m´ethode est d´ecrite `a la page 3.\n"
    )
    (docs / "bilan.txt").write_bytes(text.encode("utf-8") * 3 + b"\x00\x0cFin du compte rendu.")
    runner = CliRunner()
    library = ["--library", str(tmp_path / "lib")]
    result = runner.invoke(cli, [*library, "ingest", "--workers", "1", str(docs)])
    assert result.exit_code == 0, result.output
    found = json.loads(
        runner.invoke(cli, [*library, "search", "référence méthode décrite", "--json"]).stdout
    )
    assert found["total"] == 1
    shown = runner.invoke(cli, [*library, "show", found["hits"][0]["id"]])
    assert shown.exit_code == 0, shown.output
    repairs = next(line for line in shown.stdout.splitlines() if "repairs:" in line)
    for name in ("doubled_text", "replacement_characters", "spacing_accents"):
        assert name in repairs
    assert "2 control characters (NUL, ESC, form feed...) removed" in shown.stdout
