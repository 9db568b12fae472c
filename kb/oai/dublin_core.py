"""Simple Dublin Core (`oai_dc`) of a document, from what the exports say of it.

The mapping (each tag field's element is declared in `indexer.fields.TABLE`, and a test
holds this module to it): title; creator per author; date (ISO, as precise as known); type,
the kind's French label and the DCMI type `Text`; subject, the French labels of its
families, missions and instances; coverage, its territories' labels; publisher (a
`publisher` tag, else the observatory's bodies for its own documents); language;
description (its summary); format (media type); identifier, its public page; relation, its
file.
"""

from __future__ import annotations

from lxml import etree

from indexer.fields import TABLE
from kb.curation.citations import Reference

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
# The fields of `indexer.fields.TABLE` whose French labels are a subject, or a coverage;
# the other elements the table names are written one by one below.
SUBJECT_FIELDS = tuple(f.name for f in TABLE if f.dublin_core == "subject")
COVERAGE_FIELDS = tuple(f.name for f in TABLE if f.dublin_core == "coverage")
DCMI_TEXT = "Text"


def dublin_core(ref: Reference) -> etree._Element:
    """The `<oai_dc:dc>` element of one reference."""
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS,
                                                      "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def add(name: str, value: str | None, lang: str | None = None) -> None:
        text = " ".join((value or "").split())
        if not text:
            return
        element = etree.SubElement(root, f"{{{DC_NS}}}{name}")
        element.text = _xml_safe(text)
        if lang:
            element.set(XML_LANG, lang)

    language = ref.language
    add("title", ref.title, language)
    for author in ref.authors:
        add("creator", author)
    for field in SUBJECT_FIELDS:
        for label in ref.labels.get(field, ()):
            add("subject", label, "fr")
    add("description", ref.summary, language)
    for publisher in ref.publisher:
        add("publisher", publisher)
    add("date", ref.date or (str(ref.year) if ref.year else None))
    add("type", ref.kind_label, "fr")
    add("type", DCMI_TEXT)
    add("format", ref.media_type)
    add("identifier", ref.url)
    add("language", language)
    add("relation", ref.file_url)
    for field in COVERAGE_FIELDS:
        for label in ref.labels.get(field, ()):
            add("coverage", label, "fr")
    return root


def _xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold (control characters from old files)."""
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20 and c not in "\ufffe\uffff")
