"""The API's response bodies: stable field names, ISO 8601 dates, an example each.

Tag values are vocabulary keys (stable, ASCII: "ille-et-vilaine"); `GET /vocabulary` gives
their French labels. File names are names only, never where the server keeps the files.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from indexer.query import MAX_QUERY_LENGTH

ID_EXAMPLE = "3f9a1c0b7e"
TAGS_EXAMPLE = {
    "kind": ["etude"],
    "family": ["cooperatives", "associations"],
    "territory": ["pays-de-rennes"],
    "mission": ["developpement"],
    "status": ["validated"],
    "visibility": ["public"],
}


HIT_EXAMPLE = {
    "id": ID_EXAMPLE,
    "title": "Étude de faisabilité d'un pôle ESS sur le Pays de Rennes",
    "score": 12.4,
    "year": 2008,
    "file": "etude-pole-ess-rennes-v4.pdf",
    "tags": TAGS_EXAMPLE,
    "snippets": [{
        "text": "Le pôle ESS aura pour mission le développement de l'économie sociale",
        "highlights": [[55, 63]],
        "page": 12,
        "heading": "Les missions du pôle",
    }],
}
TAG_EXAMPLE = {
    "field": "territory", "value": "pays-de-rennes", "label": "Pays de Rennes",
    "origin": "sidecar", "effective": True,
}


def _examples(*examples: Any) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class ErrorResponse(BaseModel):
    """Every error: a stable code for programs, a French-or-English sentence for people."""

    model_config = _examples(
        {"error": "not_found", "detail": "no document with id '3f9a1c0b7e'"},
        {"error": "invalid_parameter", "detail": "size: Input should be less than or equal "
         "to 100 (got '500')"},
    )
    error: str = Field(description="Machine-readable code, e.g. not_found, invalid_tag.")
    detail: str = Field(description="What went wrong and, when it helps, what to do.")


# --- search -------------------------------------------------------------------------------


class SnippetOut(BaseModel):
    model_config = _examples(HIT_EXAMPLE["snippets"][0])  # type: ignore[index]
    text: str = Field(description="An excerpt of the document's text around matched words.")
    highlights: list[tuple[int, int]] = Field(
        description="[start, end) character offsets of the matched words in `text`."
    )
    page: int | None = Field(description="Page of the excerpt (PDF), when known.")
    heading: str | None = Field(description="Heading of the section holding the excerpt.")


class HitOut(BaseModel):
    model_config = _examples(HIT_EXAMPLE)
    id: str
    title: str
    score: float = Field(description="Relevance (BM25F); 0 when sorted by date without text.")
    year: int | None
    file: str | None = Field(description="The original file's name (GET /documents/{id}/file).")
    tags: dict[str, list[str]] = Field(description="Effective tags: field -> vocabulary keys.")
    snippets: list[SnippetOut]


class SearchOut(BaseModel):
    model_config = _examples({
        "query": "économie sociale",
        "total": 1,
        "page": 1,
        "size": 10,
        "last_page": 1,
        "hits": [HIT_EXAMPLE],
        "facets": {"family": {"cooperatives": 1, "associations": 1}},
        "suggestion": None,
        "warnings": [],
    })
    query: str
    total: int = Field(description="Matching documents the caller may see, on every page.")
    page: int
    size: int
    last_page: int = Field(
        description="The last page holding hits (1 when there are none). A `page` past it "
        "answers 200 with no hits and a warning naming the last page."
    )
    hits: list[HitOut]
    facets: dict[str, dict[str, int]] = Field(
        description="Per tag field, documents per value among all matches (not just this page)."
    )
    suggestion: str | None = Field(
        description="A corrected query when the words are not in the library, else null."
    )
    warnings: list[str] = Field(
        description="What was done to read a malformed or too long query (e.g. an unclosed "
        f"quote, a query cut to its first {MAX_QUERY_LENGTH} characters), and a `page` past "
        "the last page."
    )


class SimilarOut(BaseModel):
    model_config = _examples({"like": ID_EXAMPLE, "total": 1, "hits": [HIT_EXAMPLE]})
    like: str = Field(description="The document the hits are like.")
    total: int = Field(description="Documents sharing words with it that the caller may see.")
    hits: list[HitOut] = Field(description="The closest, best first.")


# --- documents ----------------------------------------------------------------------------


class TagEvidenceOut(BaseModel):
    reason: str = Field(
        description='What sufficed for an automatic tag ("title", "first page", "N mentions", '
        '"slides", "parts: N lines", "model 0.82"), or where a title or a date was read '
        '("largest type on page 1", "stated on page 1", "file name").'
    )
    mentions: int = Field(description="Names of the term found in the text.")
    words: list[str] = Field(description="The names as written (at most 5).")
    pages: list[int] = Field(description="Pages holding them (paged formats).")


class TagOut(BaseModel):
    model_config = _examples(TAG_EXAMPLE)
    field: str
    value: str = Field(description="A vocabulary key for controlled fields, else the text.")
    label: str | None = Field(description="French label of a controlled value.")
    origin: str = Field(
        description="Where the tag comes from, lowest priority first: derived (defaults, file "
        "name), properties (the file's metadata), auto (words found in the text), sidecar "
        "(the .meta.toml file), curator (corrected in the catalog)."
    )
    effective: bool = Field(
        description="Whether this tag is in force: per field, the highest origin wins."
    )
    evidence: TagEvidenceOut | None = Field(
        default=None,
        description="For an automatic tag: the words and pages of the text that set it.",
    )


class ExtractionOut(BaseModel):
    extracted_at: datetime | None
    encoding: str | None = Field(description="Text encoding detected (text formats).")
    repairs: dict[str, int] = Field(description="Text damage repaired, per kind of repair.")


MEMBERSHIP_EXAMPLE = {
    "id": "pole-ess-rennes",
    "name": "Pôle ESS du Pays de Rennes",
    "note": "La version finale de l'étude, à lire en premier",
}


class MembershipOut(BaseModel):
    """A collection that holds the document, with the curator's note on it there."""

    model_config = _examples(MEMBERSHIP_EXAMPLE)
    id: str = Field(description="Collection id (GET /collections/{id}).")
    name: str
    note: str = Field(description="The curator's note on this document in this collection.")


class DocumentOut(BaseModel):
    model_config = _examples({
        "id": ID_EXAMPLE,
        "title": "Étude de faisabilité d'un pôle ESS sur le Pays de Rennes",
        "authors": ["Collège coopératif de Bretagne"],
        "summary": None,
        "year": 2008,
        "date": "2008-03-14",
        "media_type": "application/pdf",
        "size": 482133,
        "files": ["etude-pole-ess-rennes-v4.pdf"],
        "pages": 48,
        "sections": 48,
        "characters": 91234,
        "tags": TAGS_EXAMPLE,
        "tag_origins": [TAG_EXAMPLE],
        "added_at": "2024-05-02T09:14:03Z",
        "updated_at": "2024-05-02T09:14:03Z",
        "extraction": {"extracted_at": "2024-05-02T09:14:03Z", "encoding": None,
                       "repairs": {"mojibake": 3}},
        "collections": [MEMBERSHIP_EXAMPLE],
    })
    id: str
    title: str
    authors: list[str]
    summary: str | None
    year: int | None
    date: str | None = Field(description="ISO 8601 date (or year-month, or year) of the text.")
    media_type: str
    size: int = Field(description="Size of the original file in bytes.")
    files: list[str] = Field(description="Names of the files holding this content.")
    pages: int = Field(description="Pages with text (0 for formats without pages).")
    sections: int
    characters: int
    tags: dict[str, list[str]] = Field(description="Effective tags: field -> values.")
    tag_origins: list[TagOut] = Field(description="Every tag from every origin.")
    added_at: datetime
    updated_at: datetime
    extraction: ExtractionOut
    collections: list[MembershipOut] = Field(
        description="The collections holding this document that the caller may see (the "
        "portal: public ones), by name."
    )


class SectionOut(BaseModel):
    page: int | None
    heading: str | None
    text: str


class TextOut(BaseModel):
    model_config = _examples({
        "id": ID_EXAMPLE,
        "title": "Étude de faisabilité d'un pôle ESS sur le Pays de Rennes",
        "pages": 48,
        "sections": [{"page": 1, "heading": None, "text": "Étude de faisabilité..."}],
    })
    id: str
    title: str
    pages: int = Field(description="Pages with text in the whole document.")
    sections: list[SectionOut] = Field(
        description="The repaired text in reading order: one section per page for PDFs, per "
        "heading for other formats."
    )


# --- vocabulary ---------------------------------------------------------------------------


class TermOut(BaseModel):
    key: str
    label: str
    synonyms: list[str]
    count: int = Field(
        description="Documents the caller may see that a filter on this term finds (for a "
        "territory, those tagged with it or with a place below it)."
    )
    children: list[TermOut]


class FieldOut(BaseModel):
    name: str = Field(description="Query parameter / tag field name.")
    label: str
    terms: list[TermOut] = Field(description="Top-level terms; children nest below.")


class VocabularyOut(BaseModel):
    model_config = _examples({
        "documents": 42,
        "fields": [{
            "name": "territory",
            "label": "Territoire",
            "terms": [{
                "key": "bretagne", "label": "Bretagne", "synonyms": ["Région Bretagne"],
                "count": 30,
                "children": [{"key": "ille-et-vilaine", "label": "Ille-et-Vilaine",
                              "synonyms": ["CG 35"], "count": 12, "children": []}],
            }],
        }],
    })
    documents: int = Field(description="Documents the caller may see.")
    fields: list[FieldOut]


# --- health -------------------------------------------------------------------------------


class ComponentOut(BaseModel):
    state: str = Field(description="ok, catching_up (index), outdated or unavailable.")
    detail: str | None = None


class LastIngestOut(BaseModel):
    started_at: datetime
    finished_at: datetime


class HealthOut(BaseModel):
    model_config = _examples({
        "status": "ok",
        "documents": 42,
        "catalog": {"state": "ok", "detail": None},
        "index": {"state": "ok", "detail": None},
        "last_ingest": {"started_at": "2024-05-02T09:10:00Z",
                        "finished_at": "2024-05-02T09:14:03Z"},
    })
    status: str = Field(description="ok, or degraded when searches cannot be answered.")
    documents: int = Field(description="Documents the caller may see (0 while the index is "
                           "unavailable).")
    catalog: ComponentOut
    index: ComponentOut
    last_ingest: LastIngestOut | None
