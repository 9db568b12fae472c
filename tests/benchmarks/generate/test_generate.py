"""The benchmark's synthetic library: files our extractors read as written, valid sidecars,
the same bytes for the same seed, and a 1% change that never writes into the cache."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from benchmarks import generate as gen
from benchmarks.generate import documents, lexicon
from benchmarks.queries import FtsSearcher, Query, fts_match, percentile
from indexer.extract import default_registry
from kb.settings import DEFAULT_VOCABULARY
from kb.sidecar import read_sidecar
from kb.tags import tags_from_sidecar
from kb.vocabulary import Vocabulary

SIZE = 16


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return gen.generate(SIZE, root=tmp_path_factory.mktemp("cache"), workers=1)


def _manifest(cache: Path) -> dict[str, object]:
    return json.loads((cache / "manifest.json").read_text())


def test_every_file_reads_back_with_its_pages_title_and_accents(cache: Path) -> None:
    registry = default_registry()
    lexicon.use(lexicon.Lexicon.load(cache / "lexicon.txt"))
    terms = documents.Terms.load()
    files = _manifest(cache)["files"]
    assert {row["format"] for row in files} >= {"pdf", "docx", "txt"}  # type: ignore[index]
    for row in files:  # type: ignore[attr-defined]
        number = int(Path(row["name"]).name.split("-", 1)[0])
        spec = documents.spec(number, terms)
        document = registry.extract(cache / "library" / row["name"])
        words = lexicon.WORD_RE.findall(documents.pages_of(spec, terms)[0].paragraphs[0])
        text = document.text
        if spec.damaged:  # StandardEncoding damage: é is Ø until repair
            text = text.replace("Ø", "é").replace("Ł", "è").replace("Œ", "ê")
        assert all(w in text for w in words if "’" not in w), row["name"]
        if spec.format == "pdf":
            assert len(document.sections) == spec.pages
            assert document.title == spec.title
        if spec.format == "docx":
            assert document.title == spec.title
            assert len(document.sections) == spec.pages + 1  # the title, then one per heading


def test_sidecars_hold_only_vocabulary_values(cache: Path) -> None:
    vocabulary = Vocabulary.load(DEFAULT_VOCABULARY)
    sidecars = sorted((cache / "library").rglob("*.meta.toml"))
    assert sidecars
    for path in sidecars:
        tags, warnings = tags_from_sidecar(read_sidecar(path), vocabulary, str(path))
        assert not warnings, (path, warnings)
        assert {t.field for t in tags} >= {"kind", "family", "territory", "visibility"}


def test_same_seed_same_bytes(cache: Path, tmp_path: Path) -> None:
    again = gen.generate(SIZE, root=tmp_path, workers=1)

    def digest(folder: Path) -> dict[str, str]:
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((folder / "library").rglob("*"))
            if p.is_file()
        }

    assert digest(again) == digest(cache)


def test_a_change_replaces_the_linked_file_and_leaves_the_cache_alone(
    cache: Path, tmp_path: Path
) -> None:
    source = tmp_path / "source"
    shutil.copytree(cache / "library", source, copy_function=os.link)
    row = _manifest(cache)["files"][0]  # type: ignore[index]
    original = (cache / "library" / row["name"]).read_bytes()
    number = int(Path(row["name"]).name.split("-", 1)[0])
    gen.change_document(cache, source, row["name"], number)
    assert (cache / "library" / row["name"]).read_bytes() == original
    assert (source / row["name"]).read_bytes() != original


def test_fts_baseline_matches_words_phrases_and_filters(tmp_path: Path) -> None:
    import sqlite3

    assert fts_match('pôle "économie sociale" ESS') == '"économie sociale" OR "pôle" OR "ESS"'
    path = tmp_path / "fts.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE VIRTUAL TABLE fts USING fts5(title, content,
            tokenize = "unicode61 remove_diacritics 2");
        CREATE TABLE tags (doc INTEGER, field TEXT, value TEXT);
        INSERT INTO fts (rowid, title, content) VALUES (1, 't', 'L''économie sociale'),
            (2, 't', 'economie du Finistère');
        INSERT INTO tags VALUES (1, 'visibility', 'public'), (2, 'visibility', 'public'),
            (2, 'territory', 'finistere');
        """
    )
    db.commit()
    db.close()
    fts = FtsSearcher(path)
    try:
        assert fts.search(Query("1 word", "economie")) == 2
        assert fts.search(Query("phrase", '"economie sociale"')) == 1
        assert fts.search(Query("filter", "économie", {"territory": ("finistere",)})) == 1
    finally:
        fts.close()
    assert percentile([3.0, 1.0, 2.0, 4.0], 0.5) == 2.0
    assert percentile([float(i) for i in range(1, 101)], 0.95) == 95.0
