"""A document's page (`/notice/{id}`): metadata with each tag's origin, its collections,
its text page by page, the original file, similar documents, and how to cite it.

Every route checks first that the visitor may see the document (`visible_document`, as the
API does): a hidden document answers the same 404 page as a missing one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.deps import GateDep, curation_scope, visible_document
from api.routes import documents
from api.routes.search import still_visible
from api.schemas import TagEvidenceOut
from api.web import citation
from api.web.common import (
    FIELD_LABELS,
    ORIGIN_LABELS,
    PageRoute,
    Visitor,
    french,
    heading_anchor,
    highlight,
    label,
    page,
    query_string,
    visitor_of,
)
from api.web.evidence_text import evidence_fr
from api.web.vocabulary_tree import term_tree
from indexer.marks import marks, searched
from indexer.messages import _
from indexer.query import MAX_QUERY_LENGTH
from kb.actors import AUDITORS, CURATORS, VALIDATORS
from kb.curation import exports, workflow
from kb.curation.citations import Reference
from kb.curation.corrections import WORKFLOW_FIELDS, tag_state
from kb.documents import current_file
from kb.errors import Forbidden, NotFound
from kb.library import Library
from kb.tags import TagEvidence
from kb.vocabulary import MULTI_VALUED

router = APIRouter(route_class=PageRoute, include_in_schema=False)

SIMILAR = 5
CITE_FORMATS = {"ris": "RIS", "bibtex": "BibTeX", "csl-json": "CSL-JSON"}
# Tag fields a curator corrects on the page (status goes through the workflow): the kind
# first, as in the exports' columns.
EDITABLE = tuple(f for f in exports.CSV_TAG_FIELDS if f not in WORKFLOW_FIELDS)
STEP_LABELS = {"submitted": "Soumettre au conseil scientifique", "validated": "Valider",
               "rejected": "Refuser", "draft": "Remettre en brouillon"}


def export_links(path: str, pairs: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(format name, URL) for each format the pages export (api/web/export_pages.py),
    with `pairs` (a search's state) kept in the URL."""
    kept = list(pairs)
    return [(name, path + query_string([*kept, ("format", key)]))
            for key, name in CITE_FORMATS.items()]


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def page_reference(library: Library, request: Request, doc_id: str) -> Reference:
    """The export's reference, pointing at this page rather than at the API."""
    base = base_url(request)
    ref = exports.reference(library, doc_id, base)
    return replace(ref, url=f"{base}/notice/{quote(doc_id)}",
                   file_url=f"{base}/notice/{quote(doc_id)}/fichier")


@router.get("/notice/{doc_id}")
def document_page(doc_id: str, request: Request, gate: GateDep) -> Response:
    q = (request.query_params.get("q") or "")[:MAX_QUERY_LENGTH]  # what the search read
    message = request.query_params.get("ok")
    with gate.use() as library:
        visitor = visitor_of(request, library)
        doc = visible_document(library, visitor.caller, doc_id)
        context = notice_context(library, request, visitor, doc.id, q)
    notice = MESSAGES.get(message or "")
    context["message"] = french(notice) if notice is not None else None
    return page(request, "document.html", context, visitor=visitor)


MESSAGES = {
    "etiquettes": _("The correction is saved."),
    "statut": _("The document's status has changed."),
    "suggestion": _("The decision on the suggested tag is saved."),
}


def notice_context(library: Library, request: Request, visitor: Visitor, doc_id: str,
                   q: str) -> dict[str, Any]:
    """Everything the document's page shows (also used to show a refused edit again)."""
    view = library.show(doc_id)
    out = documents.document_out(library, view, curation_scope(visitor.caller))
    ref = page_reference(library, request, doc_id)
    source = (view.effective.get("source") or (None,))[0]
    pdf = view.document.media_type == "application/pdf"
    file_url = f"{base_url(request)}/notice/{quote(doc_id)}/fichier"
    # A file deleted or moved since its ingest: the page says so and offers no download
    # (nor points Zotero at it), rather than a button that leads to an error.
    available = current_file(view.document, view.paths) is not None
    twins = twin_files(library, doc_id, visitor.caller.visibilities)
    words = searched(q) if q else (frozenset(), ())
    sections = []
    seen_pages: set[int] = set()
    seen_headings: set[str] = set()
    for s in library.documents.sections(doc_id):
        anchor = None
        if s.page is not None and s.page not in seen_pages:
            seen_pages.add(s.page)
            anchor = f"page-{s.page}"
        elif s.page is None and s.heading and s.heading not in seen_headings:
            seen_headings.add(s.heading)
            anchor = heading_anchor(s.heading)
        sections.append({"page": s.page, "heading": s.heading, "anchor": anchor,
                         "html": highlight(s.text, marks(s.text, words))})
    similar = [
        {"url": f"/notice/{quote(h.id)}", "title": h.title or "(sans titre)", "year": h.year}
        for h in library.similar(doc_id, visibilities=visitor.caller.visibilities,
                                 size=SIMILAR).hits
        if still_visible(visitor.caller, h)
    ]
    tags = [
        {"field": t.field, "value": t.value, "label": t.label or t.value,
         "origin": ORIGIN_LABELS.get(t.origin, t.origin), "effective": t.effective,
         "evidence": _evidence_line(t.evidence)}
        for t in out.tag_origins if t.field != "summary"
    ]
    context: dict[str, Any] = {
        "doc": out,
        "q": q,
        "q_string": query_string([("q", q)] if q else []),
        "kind": label(library, "kind", out.tags["kind"][0]) if out.tags.get("kind") else None,
        "labels": {f: [label(library, f, v) for v in vs] for f, vs in out.tags.items()},
        "tags": tags,
        "sections": sections,
        "similar": similar,
        "file_url": file_url,
        "file_available": available,
        "file_inline": pdf,
        "reference": citation.iso690(ref, datetime.now(UTC).date()),
        "cite_formats": CITE_FORMATS,
        # Zotero saves the PDF: this document's own, else a twin's (the same text).
        "meta_tags": citation.meta_tags(ref, source, file_url if pdf and available else next(
            (base_url(request) + f["url"] for f in twins if f["inline"]), None)),
        "json_ld": citation.json_ld(ref, source, file_url if available else None),
        "status_labels": {t.key: t.label for t in library.vocabulary.terms("status")},
        "twin_files": twins,
    }
    if visitor.curates:
        context.update(curation_context(library, visitor, doc_id))
    return context


def _evidence_line(found: TagEvidenceOut | None) -> str:
    if found is None:
        return ""
    return evidence_fr(TagEvidence("", "", found.reason, found.mentions or 0,
                                   tuple(found.words), tuple(found.pages)))  # fmt: skip


def twin_files(library: Library, doc_id: str, visibilities: frozenset[str] | None
               ) -> list[dict[str, Any]]:
    """The same text in other files (`kb.twins`) that the visitor may see: one document,
    each of its files downloadable from its page."""
    out = []
    for twin_id in library.documents.twins(doc_id, visibilities):
        twin = library.documents.get(twin_id)
        if twin is None:
            continue
        # One read of its files: the one served is the one named.
        found = current_file(twin, library.documents.present_files(twin_id))
        if found is None:
            continue
        out.append({"url": f"/notice/{quote(twin_id)}/fichier", "name": found.path.name,
                    "format": found.path.suffix.lstrip(".").upper() or twin.media_type,
                    "inline": twin.media_type == "application/pdf"})
    return out


def curation_context(library: Library, visitor: Visitor, doc_id: str) -> dict[str, Any]:
    """The correction forms' choices (vocabulary, French labels) and the workflow's steps."""
    doc = library.documents.get(doc_id)
    assert doc is not None
    state = tag_state(library, doc)
    fields = []
    for name in EDITABLE:
        if name not in library.vocabulary.fields:
            continue
        fields.append({
            "name": name,
            "multiple": name in MULTI_VALUED,
            "tree": term_tree(library.vocabulary, name),
            "checked": set(state.effective.get(name, ())),
            "current": [label(library, name, v) for v in state.effective.get(name, ())],
        })
    status = workflow.status_of(list(state.tags))
    steps = [
        {"to": to, "label": STEP_LABELS.get(to, to)}
        for (frm, to), (roles, _doing) in workflow.TRANSITIONS.items()
        if frm == status and visitor.role in roles
    ]
    offered = [
        {"field": e.field, "value": e.value, "field_label": FIELD_LABELS.get(e.field, e.field),
         "label": label(library, e.field, e.value), "evidence": evidence_fr(e)}
        for e in library.documents.suggestions(doc.id)
    ] if visitor.role in CURATORS else []  # fmt: skip
    return {"revision": state.revision, "edit_fields": fields, "status": status,
            "suggestions": offered,
            "all_collections": library.collections.listing(),
            "steps": steps, "may_correct": visitor.role in CURATORS,
            "may_validate": visitor.role in VALIDATORS}


@router.get("/notice/{doc_id}/fichier")
def document_file(doc_id: str, request: Request, gate: GateDep) -> Response:
    """The original file through the API's own route (ETag, ranges, headers of
    `api.security`): inline for a PDF, as a download otherwise."""
    with gate.use() as library:
        visitor = visitor_of(request, library)
    response = documents.get_file(doc_id, request, visitor.caller, gate)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


router.add_api_route("/notice/{doc_id}/fichier", document_file, methods=["HEAD"],
                     include_in_schema=False)


@router.get("/notice/{doc_id}/citer/{fmt}")
def cite(doc_id: str, fmt: str, request: Request, gate: GateDep) -> Response:
    """The reference as a file for Zotero and the like: RIS, BibTeX or CSL-JSON."""
    if fmt not in CITE_FORMATS:
        raise NotFound(_("no citation format {fmt!r}; formats are {formats}", fmt=fmt[:20],
                         formats=", ".join(CITE_FORMATS)))
    with gate.use() as library:
        visitor = visitor_of(request, library)
        doc = visible_document(library, visitor.caller, doc_id)
        result = exports.render([page_reference(library, request, doc.id)], fmt)
    return Response(
        result.text.encode("utf-8"),
        media_type=result.format.media_type,
        headers={"Content-Disposition":
                 f'attachment; filename="{result.file_name("reference-" + doc.id)}"',
                 "Cache-Control": "private, no-cache"},
    )


@router.get("/notice/{doc_id}/historique")
def history_page(doc_id: str, request: Request, gate: GateDep) -> Response:
    """The audit trail of one document: who changed what, when (administrators)."""
    with gate.use() as library:
        visitor = visitor_of(request, library)
        doc = visible_document(library, visitor.caller, doc_id)
        if visitor.role not in AUDITORS:
            raise Forbidden(_("reading the audit trail needs an administrator's token"))
        title = (library.show(doc.id).effective.get("title") or ("",))[0]
        entries = [
            {"at": e.at.replace("T", " ")[:19], "actor": e.actor, "role": e.role,
             "via": e.via, "action": _action(e.action), "before": _short(e.before),
             "after": _short(e.after), "comment": e.comment}
            for e in library.audit.entries(document=doc.id, limit=500)
        ]
    return page(request, "history.html", {"doc_id": doc.id, "title": title,
                                          "entries": entries}, visitor=visitor)


ACTION_LABELS = {
    "tag": "Correction d'étiquette", "status": "Circuit de validation",
    "collection": "Collection", "ingest": "Ingestion", "submission": "Dépôt",
    "prune": "Suppression",
}


def _action(action: str) -> str:
    """"Correction d'étiquette (tag.set)": the family in French, the exact action beside."""
    family = action.split(".", 1)[0]
    return f"{ACTION_LABELS[family]} ({action})" if family in ACTION_LABELS else action


def _short(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k} : {_short(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_short(v) for v in value)
    return str(value)


