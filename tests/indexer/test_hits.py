"""The hits of a page (`indexer.hits`) from a real index's stored documents: what a hit
shows, its snippets placed on their page, its score shown as tier plus relevance."""

from __future__ import annotations

from pathlib import Path

import tantivy

from indexer.compile import TIER
from indexer.extract.base import Section
from indexer.hits import build_hits, shown_fields, shown_score, stored_text
from indexer.index import FullTextIndex, IndexDocument
from indexer.prepare import join_sections
from indexer.query import nodes as wq
from indexer.query.tiers import tier_relevance

PAGES = (
    Section("Le comité de pilotage se réunit deux fois par an.", 1),
    Section("La recyclerie du pays de Rennes emploie douze salariés en insertion.", 2),
)


def test_a_hit_shows_its_stored_fields_and_snippets_on_their_page(tmp_path: Path) -> None:
    index = FullTextIndex.create(tmp_path / "index")
    try:
        with index.writer() as writer:
            writer.upsert(IndexDocument("r1", 3, "La recyclerie", PAGES,
                                        {"family": ("associations",)}, year=2009))  # fmt: skip
        searcher = index._view().searcher
        found = searcher.search(tantivy.Query.all_query(), limit=1).hits
        doc = searcher.doc(found[0][1])
        assert stored_text(doc) == join_sections(PAGES)[0]
        assert shown_fields(doc)["revision"] == 3

        wanted = wq.Term("content", "recycler")
        (hit,) = build_hits(searcher, wanted, [(2.5, found[0][1])], snippets=2)
        assert (hit.id, hit.title, hit.year, hit.score) == ("r1", "La recyclerie", 2009, 2.5)
        assert hit.tags == {"family": ("associations",)}
        (snippet,) = hit.snippets
        assert snippet.page == 2
        assert [snippet.text[s:e] for s, e in snippet.highlights] == ["recyclerie"]

        (bare,) = build_hits(searcher, wanted, [(2.5, found[0][1])], snippets=0)
        assert bare.snippets == () and bare.id == "r1"
    finally:
        index.close()


def test_a_score_shows_its_tier_then_the_relevance_inside_it() -> None:
    assert shown_score(3.25) == 3.25  # under one tier: BM25 alone
    two_words = shown_score(2 * TIER + 7.5)
    assert two_words == 2 + tier_relevance(7.5) and 2 < two_words < 3
    assert shown_score(2 * TIER + 1.0) < two_words < shown_score(3 * TIER)
