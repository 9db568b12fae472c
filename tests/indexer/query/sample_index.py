"""The small index the query tests search (nine documents, `DOCS`), and how they ask it:
the parsed query as the search box's fields give it, and what the index's search finds."""

from __future__ import annotations

from hypothesis import strategies as st

from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument, SearchPage, SearchRequest
from indexer.messages import Message
from indexer.query import ParsedQuery, parse_query
from indexer.query import nodes as wq
from indexer.schema import QUERY_FIELD_KINDS

TEXT_FIELDS = {"title": 3.0, "content": 1.0}
TAG_FIELDS = {
    "family": "family",
    "territory": "territory_path",
    "year": "year",
    "title": "title",
}
FILLER = "rapport annuel activité bilan comptes assemblée générale conseil " * 8

# id: (title, content, family, territory_path, year)
DOCS = {
    "all": ("Rapport annuel", f"{FILLER} économie sociale Rennes {FILLER}", "", "", 2001),
    "rennes": ("Rennes", "Rennes Rennes métropole, Rennes ville.", "", "", 2002),
    "eco": ("Économie", "L’économie, encore l'économie.", "", "", 2003),
    "social": ("Sociale", "La question sociale.", "", "", 2004),
    "coop": (
        "Les coopératives",
        "Les coopératives d’activités et d'emploi du Finistère",
        "cooperatives",
        "france,bretagne,finistere",
        2005,
    ),
    "mutuelles": (
        "Données sur les mutuelles",
        "Les mutuelles de santé en Ille-et-Vilaine, aujourd’hui.",
        "mutuelles",
        "france,bretagne,ille-et-vilaine",
        2010,
    ),
    "eco-sante": ("Note", "L'économie de la santé", "associations", "france,bretagne", 2008),
    "sante-eco": ("Note", "La santé de l'économie", "associations", "france", 2009),
    "coeur": ("Pôle", "Au cœur du pôle ESS des Côtes-d'Armor", "", "france,bretagne", 2007),
}


def said(warnings: tuple[Message, ...]) -> tuple[str, ...]:
    """The warnings as the command line says them (English)."""
    return tuple(str(w) for w in warnings)


def sample_document(doc_id: str, title: str, content: str, family: str, territory: str,
              year: int) -> IndexDocument:  # fmt: skip
    path = tuple(t for t in territory.split(",") if t)
    tags = {"family": (family,)} if family else {}
    return IndexDocument(doc_id, 1, title, (Section(content, 1),), tags,
                         territory_path=path, year=year)  # fmt: skip


def parse(text: str, searcher: object = None, **kwargs: object) -> ParsedQuery:
    """The parsed query, as the search box's fields give it."""
    return parse_query(
        text,
        kinds=QUERY_FIELD_KINDS,
        text_fields=TEXT_FIELDS,
        tag_fields=TAG_FIELDS,
        **kwargs,  # type: ignore[arg-type]
    )


def run(index: FullTextIndex, text: str, **kwargs: object) -> SearchPage:
    kwargs.setdefault("size", 1000)
    kwargs.setdefault("snippets", 0)
    kwargs.setdefault("suggest", False)
    return index.search(SearchRequest(text, **kwargs))  # type: ignore[arg-type]


def ids(index: FullTextIndex, text: str, **kwargs: object) -> list[str]:
    """Document ids in rank order (what the index's search finds for `text`)."""
    return [hit.id for hit in run(index, text, **kwargs).hits]


def found(index: FullTextIndex, text: str, **kwargs: object) -> set[str]:
    return set(ids(index, text, **kwargs))


def leaves(node: wq.Node) -> list[wq.Node]:
    children = wq.subqueries(node)
    if not children:
        return [node]
    return [leaf for child in children for leaf in leaves(child)]


def top_scores(index: FullTextIndex, text: str, limit: int) -> list[tuple[str, float]]:
    return [(hit.id, hit.score) for hit in run(index, text, size=limit).hits]


# Pieces of queries, the syntax's and others, for the property tests.
FRAGMENTS = st.sampled_from(
    ["économie", "santé", "le", "OR", "OU", "AND", "ET", "NOT", "|", "&", "-", "+", "(", ")",
     '"', "«", "»", "“", "*", "~", "~2", "~9", ":", "title:", "family:", "year:", "territory:",
     "foo:", "2008", "..", ">", "<=", "ille-et-vilaine", "l’", "aujourd'hui", " ", "\x00",
     "\ud800", "\u0301", "ﬁ", "œ", "**", "a"]
)  # fmt: skip
