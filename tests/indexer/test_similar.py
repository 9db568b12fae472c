"""Similar documents on a real index: a near copy first, the document itself and hidden
documents never, and only the document's opening read."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from indexer.errors import NotFound
from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument
from indexer.similar import SIMILAR_TEXT_CHARS

WORDS = (
    "coopérative", "mutuelle", "association", "fondation", "bretagne", "rennes", "emploi",
    "territoire", "insertion", "recyclerie", "énergie", "bois", "chantier", "solidarité",
    "financement", "bénévoles", "salariés", "gouvernance", "sociétaire",
)  # fmt: skip


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _write(index: FullTextIndex, bodies: list[str], first: int) -> None:
    with index.writer() as writer:
        for n, body in enumerate(bodies, start=first):
            writer.upsert(IndexDocument(f"d{n}", 1, f"d{n}", (Section(body, 1),), {}))


def build(tmp_path: Path, bodies: list[str]) -> FullTextIndex:
    index = FullTextIndex.create(tmp_path / "index")
    # Two commits: two segments, as a real library has. (One function per writer block:
    # a writer left bound to a name keeps the index lock, see tests/indexer/test_engine.py.)
    half = len(bodies) // 2
    _write(index, bodies[:half], 0)
    _write(index, bodies[half:], half)
    return index


def test_a_near_copy_comes_first_and_the_document_itself_never(tmp_path: Path) -> None:
    rng = random.Random(7)
    bodies = [text(rng, rng.randint(20, 300)) for _ in range(12)]
    original = text(rng, 200)
    words = original.split()
    copy = " ".join(words[:150] + ["révision"] + words[151:])  # one word changed
    index = build(tmp_path, [original, *bodies, copy])
    try:
        page = index.similar("d0", size=5)
        assert page.hits[0].id == f"d{len(bodies) + 1}"
        assert "d0" not in {h.id for h in page.hits}
        assert page.total <= len(bodies) + 1 and len(page.hits) == 5
        scores = [h.score for h in page.hits]
        assert scores == sorted(scores, reverse=True)
    finally:
        index.close()


def test_hidden_documents_are_never_shown_nor_revealed(tmp_path: Path) -> None:
    rng = random.Random(9)
    original = text(rng, 120)
    index = FullTextIndex.create(tmp_path / "index")
    public, internal = {"visibility": ("public",)}, {"visibility": ("internal",)}
    with index.writer() as writer:
        writer.upsert(IndexDocument("pub", 1, "pub", (Section(original, 1),), public))
        writer.upsert(IndexDocument("copy", 1, "copy", (Section(original, 1),), internal))
        writer.upsert(IndexDocument("other", 1, "other", (Section(text(rng, 60), 1),), public))
    seen = frozenset({"public"})
    try:
        assert [h.id for h in index.similar("pub").hits][0] == "copy"  # all: the CLI
        shown = index.similar("pub", visibilities=seen)
        assert [h.id for h in shown.hits] == ["other"] and shown.total == 1
        with pytest.raises(NotFound) as hidden:
            index.similar("copy", visibilities=seen)
        with pytest.raises(NotFound) as absent:
            index.similar("nowhere", visibilities=seen)
        assert str(hidden.value).replace("copy", "x") == str(absent.value).replace("nowhere", "x")
    finally:
        index.close()


def test_only_the_opening_of_a_long_document_makes_its_query(tmp_path: Path) -> None:
    rng = random.Random(3)
    opening, others = WORDS[:9], WORDS[9:]
    far = " périphérique" * 50  # past the opening: never read
    long_body = " ".join(rng.choice(opening) for _ in range(200)) + " " + "x" * SIMILAR_TEXT_CHARS
    index = build(tmp_path, [
        long_body + far,
        "périphérique " * 5 + " ".join(rng.choice(others) for _ in range(30)),
        " ".join(rng.choice(opening) for _ in range(40)),
    ])  # fmt: skip
    assert [h.id for h in index.similar("d0", size=5).hits] == ["d2"]
    index.close()
