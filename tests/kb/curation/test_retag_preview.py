"""`kb check --tags`: what a change of the vocabulary would do to the library's automatic
tags, before `kb retag` applies it; nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.settings import DEFAULT_VOCABULARY
from tests.conftest import write

# End-to-end: real libraries ingested through `kb` (make check leaves them to make test).
pytestmark = pytest.mark.slow

TEXT = (
    "# Les circuits courts dans le pays de Ploërmel\n\n"
    "L'ESS en Bretagne : le pays de Ploërmel et ses AMAP. Ploërmel accueille un marché.\n"
)


def test_a_vocabulary_change_is_previewed_then_applied_by_retag(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "circuits.md", TEXT)
    # Ingest and retag read the same title, the sidecar's: they agree on what it gives.
    write(
        tmp_path / "docs" / "circuits.md.meta.toml",
        'title = "Compte rendu de la réunion des AMAP du pays de Ploërmel"\n',
    )
    runner = CliRunner()
    library = ["--library", str(tmp_path / "lib")]
    assert runner.invoke(cli, [*library, "ingest", str(tmp_path / "docs")]).exit_code == 0
    unchanged = runner.invoke(cli, [*library, "check", "--tags"])
    assert unchanged.exit_code == 0
    assert "kb retag would change no automatic tag (1 document)" in unchanged.output
    # A curator gives "Ploërmel" to Vannes (say, a wrong edit): the preview says so.
    vocabulary = DEFAULT_VOCABULARY.read_text(encoding="utf-8")
    assert 'synonyms = ["Vannes"' in vocabulary
    edited = write(
        tmp_path / "vocabulary.toml",
        vocabulary.replace('synonyms = ["Vannes"', 'synonyms = ["Ploërmel", "Vannes"'),
    )
    with_edit = [*library, "--vocabulary", str(edited)]
    preview = runner.invoke(cli, [*with_edit, "check", "--tags"])
    assert preview.exit_code == 0, preview.output
    assert "kb retag would change the automatic tags of 1 of 1 document:" in preview.output
    line = next(x for x in preview.output.splitlines() if x.strip().startswith("territory  Vannes"))
    assert "+1" in line and "(1 shown" in line
    found = json.loads(runner.invoke(cli, [*library, "search", "Ploërmel", "--json"]).stdout)
    doc_id = found["hits"][0]["id"]
    shown = json.loads(runner.invoke(cli, [*library, "show", doc_id, "--json"]).stdout)
    assert "vannes" not in shown["effective"].get("territory", [])  # nothing written
    assert runner.invoke(cli, [*with_edit, "retag"]).exit_code == 0
    shown = json.loads(runner.invoke(cli, [*with_edit, "show", doc_id, "--json"]).stdout)
    assert "vannes" in shown["effective"]["territory"]
    assert shown["effective"]["kind"] == ["compte-rendu"]  # from the sidecar's title
    after = runner.invoke(cli, [*with_edit, "check", "--tags"])
    assert "would change no automatic tag" in after.output
