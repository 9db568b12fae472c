"""The hits of a page: each engine address made a `SearchHit` from its stored document.

A document stores what a hit shows as JSON (`STORED_FIELDS`: id, title, tags, year, the
table of its sections) and its text (`STORED_TEXT`), read only for the snippets
(`indexer.snippets`). A hit's score is shown as the tier (how many of the query's words
the document holds) plus the relevance inside the tier.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import tantivy

from indexer.compile import TIER
from indexer.query import nodes as wq
from indexer.query.tiers import tier_relevance
from indexer.requests import SearchHit
from indexer.schema import STORED_FIELDS, STORED_TEXT
from indexer.snippets import Snippet, query_terms, snippets_of


def build_hits(searcher: tantivy.Searcher, query: wq.Node,
               found: Sequence[tuple[float, Any]], snippets: int,
               found_terms: set[str] | None = None) -> tuple[SearchHit, ...]:  # fmt: skip
    """The hits of `found` ((score, address) in the page's order), each with up to
    `snippets` snippets of the words `query` looks for; the terms the snippets found are
    added to `found_terms` (`indexer.snippets.snippets_of`)."""
    wanted = query_terms(query) if snippets > 0 else None
    hits = []
    for score, address in found:
        doc = searcher.doc(address)
        shown = shown_fields(doc)
        found_snippets: tuple[Snippet, ...] = ()
        if wanted:
            found_snippets = snippets_of(stored_text(doc), shown.get("sections") or [],
                                         wanted, snippets, found_terms)  # fmt: skip
        hits.append(
            SearchHit(
                id=shown["id"],
                score=round(shown_score(float(score)), 4),
                title=shown.get("title") or "",
                tags={k: tuple(v) for k, v in (shown.get("tags") or {}).items()},
                year=shown.get("year"),
                snippets=found_snippets,
            )
        )
    return tuple(hits)


def shown_fields(doc: tantivy.Document) -> dict[str, Any]:
    """What a hit shows of a document (stored as JSON)."""
    return dict(json.loads(bytes(doc.get_first(STORED_FIELDS) or b"{}")))


def stored_text(doc: tantivy.Document) -> str:
    """A document's text: its sections joined (`indexer.prepare.join_sections`)."""
    return bytes(doc.get_first(STORED_TEXT) or b"").decode("utf-8")


def shown_score(score: float) -> float:
    """A score as hits show it: the tier (words held) plus the relevance inside it."""
    if score < TIER:
        return score
    tier = int(score // TIER)
    return tier + tier_relevance(score - tier * TIER)


__all__ = ["build_hits", "shown_fields", "shown_score", "stored_text"]
