"""A document's reference in French (ISO 690), its `citation_*` meta tags and JSON-LD.

Built from the export's `Reference` (kb.curation.citations), so a page, its RIS, BibTeX and
CSL-JSON say the same thing. The `citation_*` tags are those Zotero's browser connector and
Google Scholar read (Highwire Press names), as HAL and DSpace pages carry them.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from kb.curation.citations import REPORT, Reference

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
# Whose documents these are when the document itself names no organisation.
OBSERVATORY = "Observatoire régional de l'ESS en Bretagne"


def _is_person(author: str) -> bool:
    family, comma, given = author.partition(",")
    return bool(comma and family.strip() and given.strip())


def iso690_author(author: str) -> str:
    """"DUPONT, Jean" for a person written "Dupont, Jean"; an organisation in capitals."""
    if _is_person(author):
        family, _, given = author.partition(",")
        return f"{family.strip().upper()}, {given.strip()}"
    return author.strip().upper()


def iso690(ref: Reference, consulted: date) -> Markup:
    """The reference in the French ISO 690 style, title in italics, as HTML:
    AUTEUR. *Titre* [type]. Année. Disponible à l'adresse : URL (consulté le 2 décembre 2026)."""
    parts: list[str] = []
    if ref.authors:
        parts.append(escape("; ".join(iso690_author(a) for a in ref.authors)) + ".")
    title = f"<i>{escape(ref.title or 'Sans titre')}</i>"
    if ref.kind_label:
        title += f" [{escape(ref.kind_label.lower())}]"
    parts.append(title + ".")
    if ref.date_parts:
        parts.append(f"{ref.date_parts[0]}.")
    else:
        parts.append("[s. d.].")
    when = f"{consulted.day} {MONTHS[consulted.month - 1]} {consulted.year}"
    parts.append(f"Disponible à l'adresse : {escape(ref.url)} (consulté le {when}).")
    return Markup(" ".join(str(p) for p in parts))


def institution(ref: Reference, source: str | None) -> str | None:
    """The organisation that issued the document: its first author that is not a person,
    else the observatory for its own documents (source internal)."""
    for author in ref.authors:
        if not _is_person(author):
            return author.strip()
    return OBSERVATORY if source == "internal" else None


def meta_tags(ref: Reference, source: str | None, pdf_url: str | None) -> list[tuple[str, str]]:
    """(name, content) of the `citation_*` meta tags."""
    tags = [("citation_title", ref.title)]
    tags += [("citation_author", a) for a in ref.authors]
    if ref.date_parts:
        tags.append(("citation_publication_date", "/".join(
            f"{p:02d}" if i else str(p) for i, p in enumerate(ref.date_parts))))
    issuer = institution(ref, source)
    if issuer:
        name = ("citation_technical_report_institution" if ref.citation_type == REPORT
                else "citation_publisher")
        tags.append((name, issuer))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    if ref.language:
        tags.append(("citation_language", ref.language))
    if ref.keywords:
        tags.append(("citation_keywords", "; ".join(ref.keywords)))
    tags.append(("citation_abstract_html_url", ref.url))
    return tags


def json_ld(ref: Reference, source: str | None, file_url: str | None) -> Markup:
    """schema.org JSON-LD, safe inside a <script> element (`file_url` None: no file to
    point at)."""
    kind = "Report" if ref.citation_type == REPORT else "CreativeWork"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": ref.url,
        "url": ref.url,
        "name": ref.title,
    }
    if ref.authors:
        data["author"] = [
            {"@type": "Person", "name": a} if _is_person(a)
            else {"@type": "Organization", "name": a}
            for a in ref.authors
        ]
    if ref.date_parts:
        data["datePublished"] = "-".join(
            f"{p:02d}" if i else str(p) for i, p in enumerate(ref.date_parts))
    if ref.language:
        data["inLanguage"] = ref.language
    if ref.kind_label:
        data["genre"] = ref.kind_label
    if ref.keywords:
        data["keywords"] = list(ref.keywords)
    if ref.summary:
        data["abstract"] = ref.summary
    issuer = institution(ref, source)
    if issuer:
        data["publisher"] = {"@type": "Organization", "name": issuer}
    if file_url is not None:
        data["encoding"] = {"@type": "MediaObject", "contentUrl": file_url,
                            "encodingFormat": ref.media_type}
    return script_json(data)


# Characters that may change how an HTML parser reads a <script> element's content ("</",
# "<!--", "]]>"), and the two line separators older JavaScript parsers refused in strings,
# as JSON escapes: the parsed JSON is exactly the data.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                   0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(data: Any) -> Markup:
    """`data` as JSON that is safe inside a <script type="...json"> element, whatever its
    strings hold (e.g. a title with "</script>" or "<!--<script>")."""
    return Markup(json.dumps(data, ensure_ascii=False, indent=1).translate(_SCRIPT_ESCAPES))
