"""Exports of a collection or of a search: CSV, JSON, BibTeX, RIS, CSL-JSON.

What is exported comes from the catalog (the source of truth), for the documents the
caller may see, in the collection's order or the search's. Each reference carries the URL
of the document's public page (`{public_url}/notice/{id}`), so that a citation manager
links back to the library, and its file's (`{public_url}/documents/{id}/file`).

The curators' notes on a collection's entries are internal working notes that a
bibliography style would print: they are exported only when asked for (`with_notes`).
A document without a `publisher` tag that is not marked external (`source`) is the
observatory's own: its publisher is the two bodies that run the observatory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass

from indexer.fields import TABLE, TAG_FIELDS
from indexer.messages import _
from kb.collections import Collection
from kb.curation import citations
from kb.curation.citations import Reference
from kb.errors import KbError
from kb.library import Library
from kb.tags import effective

MAX_EXPORT = 1000  # documents in one export of a search
# The fields of `indexer.fields.TABLE` whose labels are a reference's keywords.
KEYWORD_FIELDS = tuple(f.name for f in TABLE if f.keyword)
# Who publishes the observatory's own documents: the bodies that run it.
OBSERVATORY_PUBLISHERS = ("CRES Bretagne", "Collège coopératif de Bretagne")
# A column per controlled field, the kind first (what the reference is), then in the
# table's order.
CSV_TAG_FIELDS = ("kind", *(name for name in TAG_FIELDS if name != "kind"))


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    extension: str
    render: Callable[[Sequence[Reference]], str]


@dataclass(frozen=True)
class Export:
    """An export ready to write or send."""

    text: str
    format: ExportFormat
    count: int

    def file_name(self, stem: str) -> str:
        return f"{stem}.{self.format.extension}"


def _csv(references: Sequence[Reference]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", "title", "authors", "year", "date", "publisher", *CSV_TAG_FIELDS,
                     "summary", "url", "file_url", "note"])
    for ref in references:
        writer.writerow([
            ref.id, ref.title, "; ".join(ref.authors), ref.year or "", ref.date or "",
            "; ".join(ref.publisher),
            *("; ".join(ref.labels.get(f, ())) for f in CSV_TAG_FIELDS),
            ref.summary or "", ref.url, ref.file_url, ref.note or "",
        ])
    # A byte-order mark: spreadsheet software then reads the accents as UTF-8.
    return "\ufeff" + out.getvalue()


def _json(references: Sequence[Reference]) -> str:
    items = []
    for ref in references:
        item = asdict(ref)
        item["tags"] = {k: list(v) for k, v in ref.tags.items()}
        item["labels"] = {k: list(v) for k, v in ref.labels.items()}
        item["citation_type"] = ref.citation_type.csl
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


FORMATS: Mapping[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("csv", "text/csv; charset=utf-8", "csv", _csv),
        ExportFormat("json", "application/json", "json", _json),
        ExportFormat("bibtex", "application/x-bibtex; charset=utf-8", "bib", citations.bibtex),
        ExportFormat("ris", "application/x-research-info-systems; charset=utf-8", "ris",
                     citations.ris),
        ExportFormat("csl-json", "application/vnd.citationstyles.csl+json", "json",
                     citations.csl_json),
    )
}


def export_format(name: str) -> ExportFormat:
    """The format called `name` (csv, json, bibtex, ris, csl-json); KbError otherwise."""
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise KbError(_("unknown export format {name!r}; formats are {formats}",
                        name=name[:40], formats=', '.join(FORMATS))) from None


def render(references: Sequence[Reference], fmt: str | ExportFormat) -> Export:
    chosen = fmt if isinstance(fmt, ExportFormat) else export_format(fmt)
    return Export(chosen.render(references), chosen, len(references))


def page_url(public_url: str, doc_id: str) -> str:
    """The document's public page."""
    return f"{public_url.rstrip('/')}/notice/{doc_id}"


def file_url(public_url: str, doc_id: str) -> str:
    """The document's original file."""
    return f"{public_url.rstrip('/')}/documents/{doc_id}/file"


def reference(library: Library, doc_id: str, public_url: str, note: str | None = None
              ) -> Reference:
    """What an export says about one document, from the catalog."""
    doc = library.catalog.document(doc_id)
    if doc is None:
        raise KbError(_("no document with id {doc_id!r}", doc_id=doc_id))
    tags = effective(library.catalog.tags(doc_id))
    vocabulary = library.vocabulary
    controlled = {f: v for f, v in tags.items() if f in vocabulary.fields}
    labels = {
        f: tuple(_label(library, f, v) for v in values) for f, values in controlled.items()
    }
    year = (tags.get("year") or (None,))[0]
    kind = (tags.get("kind") or (None,))[0]
    publisher = tags.get("publisher", ())
    if not publisher and "external" not in tags.get("source", ()):
        publisher = OBSERVATORY_PUBLISHERS
    return Reference(
        id=doc.id,
        title=(tags.get("title") or ("",))[0],
        authors=tags.get("authors", ()),
        year=int(year) if year and year.isdigit() else None,
        date=(tags.get("date") or (None,))[0],
        kind=kind,
        kind_label=_label(library, "kind", kind) if kind else None,
        media_type=doc.media_type,
        summary=(tags.get("summary") or (None,))[0],
        language=(tags.get("language") or (None,))[0],
        url=page_url(public_url, doc.id),
        file_url=file_url(public_url, doc.id),
        tags=controlled,
        labels=labels,
        keywords=tuple(k for f in KEYWORD_FIELDS for k in labels.get(f, ())),
        note=note or None,
        publisher=tuple(publisher),
    )


def collection_references(
    library: Library, ref: str, *, scope: frozenset[str] | None, public_url: str,
    with_notes: bool = False,
) -> tuple[Collection, list[Reference]]:
    """The collection (NotFound if hidden) and its documents in `scope`, in order, with the
    curators' notes if `with_notes`."""
    collection = library.collections.get(ref, scope)
    entries = library.collections.visible_entries(collection.id, scope)
    return collection, [
        reference(library, e.document_id, public_url, e.note if with_notes else None)
        for e in entries
    ]


def search_references(
    library: Library,
    text: str,
    filters: Mapping[str, tuple[str, ...]] | None = None,
    *,
    scope: frozenset[str] | None,
    public_url: str,
    sort: str = "relevance",
    limit: int = MAX_EXPORT,
) -> list[Reference]:
    """The documents a search finds among `scope`, best first (at most `limit`)."""
    if not 1 <= limit <= MAX_EXPORT:
        raise KbError(_("limit: 1 to {max_export} documents", max_export=MAX_EXPORT))
    results = library.search(
        text, filters, visibilities=scope, size=limit, sort=sort, snippets=0, suggest=False
    )
    found = []
    for hit in results.hits:
        doc = library.catalog.document(hit.id)
        # The index may lag a visibility change by one commit: the catalog decides.
        if doc is not None and library.documents.visible_to(doc, scope):
            found.append(reference(library, doc.id, public_url))
    return found


def _label(library: Library, field: str, key: str) -> str:
    term = library.vocabulary.get(field, key)
    return term.label if term is not None else key
