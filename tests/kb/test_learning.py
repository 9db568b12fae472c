"""Learning from the curators (`kb.learning`): a model trained on the library's curated
documents suggests, with its confidence, what the vocabulary's rules cannot see; it is a
file of the library, backed up and restored, and a server retrains it in the background.

A real library of small text files whose sidecars carry the curators' families. The two
topics are told apart by words that no synonym of the vocabulary holds, so only the model
can find them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb import learning
from kb.actors import Actor
from kb.cli import cli
from kb.curation import corrections
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from kb.vocabulary import Vocabulary
from tests.conftest import write

# End-to-end: real libraries ingested through `kb` (make check leaves them to make test).
pytestmark = pytest.mark.slow

TOPICS = {
    "cooperatives": "sociétaires parts sociales gérance assemblée des associés réserves "
    "impartageables salariés associés capital variable dividendes plafonnés",
    "mutuelles": "adhérents complémentaire santé cotisations prévoyance remboursements "
    "garanties solidarité entre générations tiers payant frais de soins",
}
COMMON = "structure territoire emploi projet année bilan rapport activité partenaires"


def text_about(topic: str, seed: int) -> str:
    rng = random.Random(seed)
    words = TOPICS[topic].split() * 3 + COMMON.split()
    return " ".join(rng.choice(words) for _ in range(300)) + ".\n"


@pytest.fixture
def curated(tmp_path: Path) -> tuple[CliRunner, list[str], Path]:
    docs = tmp_path / "docs"
    for n in range(24):
        topic = "cooperatives" if n % 2 else "mutuelles"
        write(docs / f"doc{n:02}.txt", f"Document {n}\n\n" + text_about(topic, n))
        write(docs / f"doc{n:02}.txt.meta.toml", f'family = ["{topic}"]\n')
    runner = CliRunner()
    library = ["--library", str(tmp_path / "lib")]
    assert runner.invoke(cli, [*library, "ingest", "--workers", "1", str(docs)]).exit_code == 0
    return runner, library, tmp_path


def suggested(runner: CliRunner, library: list[str], doc_id: str) -> list[dict[str, object]]:
    shown = json.loads(runner.invoke(cli, [*library, "show", doc_id, "--json"]).stdout)
    return shown["suggestions"]


def test_the_model_suggests_what_the_curators_taught_it(
    curated: tuple[CliRunner, list[str], Path],
) -> None:
    runner, library, root = curated
    learnt = runner.invoke(cli, [*library, "learn"])
    assert learnt.exit_code == 0, learnt.output
    assert "family: 2 values from 24 documents" in learnt.output
    write(root / "new" / "sante.txt", "Nouveau\n\n" + text_about("mutuelles", 99))
    assert runner.invoke(cli, [*library, "ingest", str(root / "new")]).exit_code == 0
    found = json.loads(runner.invoke(cli, [*library, "search", "Nouveau", "--json"]).stdout)
    doc_id = found["hits"][0]["id"]
    offered = suggested(runner, library, doc_id)
    assert [(s["field"], s["value"]) for s in offered] == [("family", "mutuelles")]
    reason = str(offered[0]["reason"])
    assert reason.startswith("model ") and float(reason.split()[1]) >= learning.MIN_CONFIDENCE
    # A suggestion, not a tag: the family is not set until a curator accepts it.
    shown = json.loads(runner.invoke(cli, [*library, "show", doc_id, "--json"]).stdout)
    assert "family" not in shown["effective"]
    # The model is a file of the library: backed up, and restored with it.
    backup = root / "backup"
    assert runner.invoke(cli, [*library, "backup", str(backup)]).exit_code == 0
    assert (backup / "model" / "tags.joblib").is_file()
    restored = ["--library", str(root / "restored")]
    assert runner.invoke(cli, [*restored, "restore", str(backup)]).exit_code == 0
    assert learning.load(root / "restored") is not None


def test_no_model_without_enough_curated_documents(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.txt", text_about("mutuelles", 1))
    write(tmp_path / "docs" / "a.txt.meta.toml", 'family = ["mutuelles"]\n')
    runner = CliRunner()
    library = ["--library", str(tmp_path / "lib")]
    assert runner.invoke(cli, [*library, "ingest", str(tmp_path / "docs")]).exit_code == 0
    learnt = runner.invoke(cli, [*library, "learn"])
    assert learnt.exit_code == 0 and "no model" in learnt.output
    assert not learning.model_path(tmp_path / "lib").exists()


def test_a_server_retrains_the_model_as_the_decisions_grow(
    curated: tuple[CliRunner, list[str], Path],
) -> None:
    _runner, _library, root = curated
    vocabulary = Vocabulary.load(DEFAULT_VOCABULARY)
    refresh = learning.ModelRefresh(root / "lib", vocabulary, every=0.05)
    refresh.start()
    try:
        assert not refresh.trained.wait(0.5)  # sidecars alone: no curator's decision yet
        with Library.open(root / "lib", vocabulary) as library:
            ids = [d.id for d in library.catalog.documents()][: learning.REFRESH_AFTER]
            for doc_id in ids:
                corrections.add_tags(library, doc_id, "territory", ["bretagne"], Actor.local())
        assert refresh.trained.wait(30)
    finally:
        refresh.stop()
    model = learning.load(root / "lib")
    assert model is not None and model.decisions == learning.REFRESH_AFTER
