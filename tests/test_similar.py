"""Similar documents: the key words of a document weighed as Whoosh weighs them, with the
library frequencies cached per index generation, and only the document's opening read."""

from __future__ import annotations

import random
from pathlib import Path

from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument
from indexer.lru import LruCache
from indexer.similar import SIMILAR_TEXT_CHARS, key_terms

WORDS = (
    "coopérative", "mutuelle", "association", "fondation", "bretagne", "rennes", "emploi",
    "territoire", "insertion", "recyclerie", "énergie", "bois", "chantier", "solidarité",
    "financement", "bénévoles", "salariés", "gouvernance", "sociétaire",
)  # fmt: skip


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def build(tmp_path: Path, bodies: list[str]) -> FullTextIndex:
    index = FullTextIndex.create(tmp_path / "index")
    with index.writer() as writer:  # two commits: two segments, as a real library has
        for n, body in enumerate(bodies[: len(bodies) // 2]):
            writer.upsert(IndexDocument(f"d{n}", 1, f"d{n}", (Section(body, 1),), {}))
    with index.writer() as writer:
        for n, body in enumerate(bodies[len(bodies) // 2 :], start=len(bodies) // 2):
            writer.upsert(IndexDocument(f"d{n}", 1, f"d{n}", (Section(body, 1),), {}))
    return index


def test_key_terms_are_whooshs_with_or_without_the_cache(tmp_path: Path) -> None:
    rng = random.Random(7)
    bodies = [text(rng, rng.randint(20, 300)) for _ in range(12)]
    index = build(tmp_path, bodies)
    searcher = index.searcher()
    frequencies: LruCache[str, float] = LruCache(1000)
    for body in [*bodies, "rien de connu ici", ""]:
        expected = searcher.key_terms_from_text("content", body, numterms=10)
        assert key_terms(searcher.reader(), "content", body, 10) == expected
        assert key_terms(searcher.reader(), "content", body, 10, frequencies) == expected
    best = key_terms(searcher.reader(), "content", bodies[0], 1)[0][0]
    assert frequencies.get(best) is not None  # remembered for the next page
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
