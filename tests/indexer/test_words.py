"""The word store behind "did you mean" and `word~` (indexer.words), on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.words import WordStore, visibility_key


@pytest.fixture
def store(tmp_path: Path) -> WordStore:
    return WordStore(tmp_path / "words.sqlite")


def test_counts_documents_per_visibility(store: WordStore) -> None:
    store.apply({
        "d1": ("public", frozenset({"economie", "sociale"})),
        "d2": ("internal", frozenset({"economie", "secret"})),
        "d3": (visibility_key(["network", "public"]), frozenset({"economie"})),
    })  # fmt: skip
    assert store.documents_with("economie", None) == 3
    assert store.documents_with("economie", frozenset({"public"})) == 2
    assert store.documents_with("secret", frozenset({"public", "network"})) == 0
    assert store.documents_with("secret", frozenset({"internal"})) == 1
    assert store.documents_with("absent", None) == 0
    assert len(store) == 3


def test_rewriting_a_document_is_idempotent_and_takes_its_old_words_out(
    store: WordStore,
) -> None:
    store.apply({"d1": ("public", frozenset({"economie", "sociale"}))})
    store.apply({"d1": ("public", frozenset({"economie", "sociale"}))})  # a replayed batch
    assert store.documents_with("economie", None) == 1
    store.apply({"d1": ("internal", frozenset({"economie", "solidaire"}))})
    assert store.documents_with("sociale", None) == 0
    assert store.documents_with("economie", frozenset({"public"})) == 0
    assert store.documents_with("solidaire", frozenset({"internal"})) == 1
    store.apply({"d1": None})
    assert store.documents_with("economie", None) == 0
    assert len(store) == 0


def test_words_within_an_edit_distance(store: WordStore) -> None:
    words = {"cooperative", "cooperatives", "corporative", "solidaire", "coop", "zcooperative"}
    store.apply({"d": ("public", frozenset(words))})
    assert store.within("cooperatve", 1) == {"cooperative"}
    assert store.within("cooperatve", 2) == {"cooperative", "cooperatives"}
    # prefix=1: the first letter is kept, as Whoosh's FuzzyTerm does
    assert "zcooperative" not in store.within("cooperative", 1)
    assert store.within("solidaire", 0) == {"solidaire"}


def test_a_second_connection_sees_committed_words(tmp_path: Path) -> None:
    writer, reader = WordStore(tmp_path / "w.sqlite"), WordStore(tmp_path / "w.sqlite")
    assert reader.documents_with("economie", None) == 0
    writer.apply({"d": ("public", frozenset({"economie"}))})
    assert reader.documents_with("economie", None) == 1


def test_a_reader_library_follows_the_words_through_a_reindex(tmp_path: Path) -> None:
    # Two processes on one library, as `kb serve` and `kb ingest` / `kb reindex` are.
    from kb.ingest import IngestOptions, ingest
    from kb.library import Library
    from kb.settings import DEFAULT_VOCABULARY
    from tests.conftest import write

    folder = tmp_path / "docs"
    write(folder / "a.txt", "La mutualisation des moyens entre structures.")
    writer = Library.open(tmp_path / "library", DEFAULT_VOCABULARY)
    reader = Library.open(tmp_path / "library", DEFAULT_VOCABULARY)
    try:
        ingest(writer, [folder], IngestOptions(workers=1))
        assert reader.search("mutualisaton").suggestion == "mutualisation"
        assert reader.search("cooperatve").suggestion is None  # and kept in its cache
        write(folder / "b.txt", "Une coopérative d'habitants à Rennes.")
        ingest(writer, [folder], IngestOptions(workers=1))
        # A new index directory, words.sqlite included, whose commit number starts again:
        # the same number as the reader's, which must still see the swap.
        writer.reindex()
        assert reader.search("cooperatve").suggestion == "coopérative"
    finally:
        writer.close()
        reader.close()
