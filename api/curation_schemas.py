"""Request and response bodies of the curation endpoints (collections, tags, status,
submissions, audit). Same conventions as `api.schemas`: stable names, ISO 8601 dates,
vocabulary keys for tag values."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas import ID_EXAMPLE
from kb.curation.corrections import WORKFLOW_FIELDS
from kb.vocabulary import FIELDS

STRICT = ConfigDict(extra="forbid")
CORRECTED = tuple(f for f in FIELDS if f not in WORKFLOW_FIELDS)  # the workflow sets status
# No control characters (C0, DEL, C1): in names, ids and values none at all; in longer texts
# (descriptions, notes, comments) tabs and line ends are fine.
ONE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*$"
TEXT = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"
Value = Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=ONE_LINE)]


# --- collections ------------------------------------------------------------------------------


class CollectionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "pole-ess-rennes", "name": "Pôle ESS du Pays de Rennes",
        "description": "Le dossier de l'étude de faisabilité", "visibility": "public",
        "revision": 4, "documents": 7, "created_at": "2024-05-02T09:14:03Z",
        "updated_at": "2024-05-03T10:00:00Z",
    }]})
    id: str = Field(description="Stable id, made from the first name.")
    name: str
    description: str
    visibility: str = Field(description="public, network or internal.")
    revision: int = Field(description="Bumped on every change; also the ETag (\"r4\").")
    documents: int = Field(description="Documents in it that the caller may see.")
    created_at: datetime
    updated_at: datetime


class EntryOut(BaseModel):
    position: int = Field(description="1 for the first, as the caller sees the list.")
    document_id: str
    title: str
    year: int | None
    kind: str | None
    note: str = Field(description="The curator's note on this document in this collection.")
    added_at: datetime


class CollectionDetailOut(CollectionOut):
    entries: list[EntryOut]


class CollectionsOut(BaseModel):
    collections: list[CollectionOut]
    total: int = Field(description="Collections the caller may see, all pages.")
    page: int
    size: int


class CollectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "Groupe de travail circuits courts", "description": "Lectures du groupe",
        "visibility": "network",
    }]})
    name: str = Field(min_length=1, max_length=200, pattern=ONE_LINE)
    description: str = Field(default="", max_length=5000, pattern=TEXT)
    visibility: str = Field(default="internal", max_length=100)
    id: str | None = Field(default=None, min_length=1, max_length=64,
                           pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
                           description="Default: made from the name (pole-ess-rennes).")


class CollectionPatch(BaseModel):
    model_config = STRICT
    name: str | None = Field(default=None, min_length=1, max_length=200, pattern=ONE_LINE)
    description: str | None = Field(default=None, max_length=5000, pattern=TEXT)
    visibility: str | None = Field(default=None, max_length=100)


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "document_id": ID_EXAMPLE, "note": "À lire avant la réunion du 12", "position": 1,
    }]})
    document_id: str = Field(min_length=1, max_length=100, pattern=ONE_LINE)
    note: str = Field(default="", max_length=5000, pattern=TEXT)
    position: int | None = Field(default=None, ge=1, le=1_000_000,
                                 description="1: first; default: at the end.")


class EntryPatch(BaseModel):
    model_config = STRICT
    note: str | None = Field(default=None, max_length=5000, pattern=TEXT)
    position: int | None = Field(default=None, ge=1, le=1_000_000)


# A document id in a list: printable ASCII without the characters JSON escapes, so that the
# longest list a schema allows fits the 1 MB body limit (10,000 x 68 bytes), never a 413.
ListedId = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                            pattern=r"^[!#-\[\]-~]+$")]
MAX_ORDER = 10_000


class OrderIn(BaseModel):
    model_config = STRICT
    documents: list[ListedId] = Field(
        min_length=1, max_length=MAX_ORDER,
        description="Every document of the collection, once, in order (an empty collection "
        "has nothing to reorder).")


# --- tags and status ----------------------------------------------------------------------------


class TagOriginOut(BaseModel):
    field: str
    value: str
    origin: str = Field(description="derived, properties, auto, sidecar or curator.")


class TagsOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": ID_EXAMPLE, "revision": 5, "state": "active",
        "tags": {"family": ["cooperatives"], "status": ["submitted"]},
        "corrections": {"family": ["cooperatives"]},
        "tag_origins": [{"field": "family", "value": "cooperatives", "origin": "curator"}],
    }]})
    id: str
    revision: int = Field(description="Send it back as If-Match: \"r5\" with a change.")
    state: str = Field(description="active, or missing when its files are gone.")
    tags: dict[str, list[str]] = Field(description="Effective tags: field -> values.")
    corrections: dict[str, list[str]] = Field(description="The curators' values, per field.")
    tag_origins: list[TagOriginOut]


class ValuesIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"values": ["cooperatives", "associations"]}]})
    values: list[Value] = Field(min_length=1, max_length=50,
                                description="Vocabulary keys, French labels or synonyms.")


class SuggestionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "document_id": ID_EXAMPLE, "field": "territory", "value": "lorient",
        "reason": "1 mention", "mentions": 1, "words": ["Lorient"], "pages": [3],
    }]})
    document_id: str
    field: str
    value: str = Field(description="A vocabulary key.")
    reason: str = Field(description="What the text gives: '1 mention', ...")
    mentions: int
    words: list[str] = Field(description="The names found, as written.")
    pages: list[int] = Field(description="The pages holding them.")


class SuggestionsOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"suggestions": [{
        "document_id": ID_EXAMPLE, "field": "territory", "value": "lorient",
        "reason": "1 mention", "mentions": 1, "words": ["Lorient"], "pages": [3],
    }]}]})
    suggestions: list[SuggestionOut] = Field(
        description="Tags the evidence suggests but does not set: never used by filters or "
        "facets until a curator accepts them.")


class SuggestionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"field": "territory", "value": "lorient"}]})
    field: str = Field(min_length=1, max_length=40, pattern=ONE_LINE)
    value: Value


class CorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document_id: str = Field(min_length=1, max_length=100, pattern=ONE_LINE)
    field: Literal[CORRECTED] = Field(  # type: ignore[valid-type]
        description="family, territory, mission, kind...")
    operation: Literal["set", "add", "remove", "clear"] = Field(
        description="As PUT (set), POST (add), DELETE (remove) on /documents/{id}/tags/"
        "{field}, and DELETE /documents/{id}/corrections/{field} (clear).")
    values: list[Value] = Field(default=[], max_length=50,
                                description="Vocabulary keys, labels or synonyms (not for "
                                "clear).")
    revision: int | None = Field(default=None, ge=1, description="The revision read: the "
                                 "change is refused for this document if it changed since.")


class CorrectionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"changes": [
        {"document_id": ID_EXAMPLE, "field": "family", "operation": "add",
         "values": ["cooperatives"]},
        {"document_id": "9bc1d2e3f4", "field": "territory", "operation": "set",
         "values": ["Pays de Rennes"], "revision": 4},
    ]}]})
    changes: list[CorrectionIn] = Field(min_length=1, max_length=200)


class CorrectionOut(BaseModel):
    document_id: str
    ok: bool
    revision: int | None = Field(description="The document's revision after the change.")
    tags: dict[str, list[str]] | None = Field(description="Its effective tags after it.")
    error: str | None = Field(description="Why it was refused: an error code (not_found, "
                              "precondition_failed, invalid_tag...).")
    detail: str | None


class CorrectionsOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "changed": 1, "refused": 1, "results": [
            {"document_id": ID_EXAMPLE, "ok": True, "revision": 6,
             "tags": {"family": ["associations", "cooperatives"]}, "error": None,
             "detail": None},
            {"document_id": "9bc1d2e3f4", "ok": False, "revision": None, "tags": None,
             "error": "precondition_failed", "detail": "document 9bc1d2e3f4 changed since "
             "you read it: it is at revision 5, you sent 4; read it again and redo your "
             "change"}]}]})
    changed: int
    refused: int
    results: list[CorrectionOut]


class StatusStepOut(BaseModel):
    at: datetime
    actor: str
    role: str | None
    before: str | None = Field(alias="from")
    after: str = Field(alias="to")
    comment: str | None

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class StatusOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": ID_EXAMPLE, "revision": 6, "status": "rejected",
        "allowed": ["draft", "submitted"],
        "history": [{"at": "2024-05-03T10:00:00Z", "actor": "conseil-scientifique",
                     "role": "council", "from": "submitted", "to": "rejected",
                     "comment": "Méthodologie à préciser"}],
    }]})
    id: str
    revision: int
    status: str = Field(description="draft, submitted, validated or rejected.")
    allowed: list[str] = Field(description="Where it may go next (by some role).")
    history: list[StatusStepOut] = Field(description="Past steps, newest first.")


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"status": "rejected", "comment": "Méthodologie à préciser"}]})
    status: str = Field(min_length=1, max_length=100)
    comment: str | None = Field(default=None, max_length=2000, pattern=TEXT,
                                description="Why; required to reject.")


# --- audit, retag --------------------------------------------------------------------------------


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor: str = Field(description="Token name, or the local user for the command line.")
    role: str | None
    via: str = Field(description="api or cli.")
    action: str = Field(description="tag.set, status.validated, collection.add, ...")
    target: str = Field(description="document, collection, submission or vocabulary.")
    target_id: str | None
    document_id: str | None
    before: Any = Field(description="The values before the change (null: none).")
    after: Any = Field(description="The values after the change (null: none).")
    comment: str | None


class AuditOut(BaseModel):
    entries: list[AuditEntryOut]
    total: int = Field(description="Entries matching the filters, all pages.")
    page: int
    size: int
    limit: int = Field(description="Deprecated: size.")
    offset: int = Field(description="Deprecated: (page - 1) * size.")


class RetagOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"documents": 240,
                                                               "changed": 12}]})
    documents: int
    changed: int = Field(description="Documents whose automatic tags changed.")


# --- submissions ----------------------------------------------------------------------------------


class SubmissionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 12, "submitter": "reseau-finistere", "file_name": "diagnostic-2011.pdf",
        "size": 482133, "media_type": "application/pdf", "document_id": ID_EXAMPLE,
        "state": "ingested", "error": None,
        "metadata": {"title": ["Diagnostic ESS du Pays de Brest"], "kind": ["etude"]},
        "submitted_at": "2024-05-03T10:00:00Z",
    }]})
    id: int
    submitter: str
    file_name: str
    size: int
    media_type: str
    document_id: str | None = Field(description="The document it became (null if it failed).")
    state: str = Field(description="ingested, or failed (the file is kept for the curators).")
    error: str | None = Field(description="Why the file could not be read.")
    metadata: dict[str, list[str]]
    submitted_at: datetime


class SubmissionsOut(BaseModel):
    submissions: list[SubmissionOut]
    total: int = Field(description="Submissions listed, all pages.")
    page: int
    size: int
