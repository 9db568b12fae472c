"""ODT (OpenDocument text): lxml over content.xml, styles.xml and meta.xml, inside the zip guard."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree

from indexer.extract import sniff, zipguard
from indexer.extract.base import ExtractedDocument, Limits
from indexer.extract.common import DocumentBuilder, fail
from indexer.extract.dates import to_iso
from indexer.extract.safexml import depth_exceeded, entity_text, local_name, xml_parser

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
DRAW_NS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
META_NS = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
DC_NS = "http://purl.org/dc/elements/1.1/"
SVG_NS = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"

_WHITESPACE = re.compile(r"[ \t\r\n]+")
# Generated or hidden content: indexes repeat the headings, tracked changes hold deleted text,
# annotations are reviewers' comments, image titles are not body text, forms and
# declarations carry no text.
_SKIPPED = frozenset(
    {
        f"{{{TEXT_NS}}}table-of-content",
        f"{{{TEXT_NS}}}alphabetical-index",
        f"{{{TEXT_NS}}}illustration-index",
        f"{{{TEXT_NS}}}table-index",
        f"{{{TEXT_NS}}}object-index",
        f"{{{TEXT_NS}}}user-index",
        f"{{{TEXT_NS}}}bibliography",
        f"{{{TEXT_NS}}}tracked-changes",
        f"{{{TEXT_NS}}}sequence-decls",
        f"{{{TEXT_NS}}}variable-decls",
        f"{{{TEXT_NS}}}user-field-decls",
        f"{{{TEXT_NS}}}note-citation",
        f"{{{OFFICE_NS}}}annotation",
        f"{{{OFFICE_NS}}}annotation-end",
        f"{{{OFFICE_NS}}}forms",
        f"{{{TEXT_NS}}}soft-page-break",
        f"{{{TABLE_NS}}}covered-table-cell",
        f"{{{SVG_NS}}}title",
        f"{{{SVG_NS}}}desc",
    }
)
_P = f"{{{TEXT_NS}}}p"
_H = f"{{{TEXT_NS}}}h"
_TABLE = f"{{{TABLE_NS}}}table"
_ROW = f"{{{TABLE_NS}}}table-row"
_CELL = f"{{{TABLE_NS}}}table-cell"
_S = f"{{{TEXT_NS}}}s"
_TAB = f"{{{TEXT_NS}}}tab"
_LINE_BREAK = f"{{{TEXT_NS}}}line-break"
_NOTE_BODY = f"{{{TEXT_NS}}}note-body"
_TEXT_BOX = f"{{{DRAW_NS}}}text-box"
_MAX_SPACES = 1000
_KEPT_SPACE = "\x00"
_SPACE_RUN = re.compile(" {2,}")


class OdtExtractor:
    """application/vnd.oasis.opendocument.text."""

    media_types = frozenset({sniff.ODT})

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        builder = DocumentBuilder(path, sniff.ODT, limits)
        with zipguard.open_zip(path, limits, "ODT") as archive:
            names = set(archive.namelist())
            if "content.xml" not in names:
                raise fail(path, "not a valid ODT file: no content.xml in the archive")
            content = parse_part(path, archive, "content.xml", limits, builder)
            styles = meta = None
            if "styles.xml" in names:
                styles = parse_part(path, archive, "styles.xml", limits, builder, required=False)
            if "meta.xml" in names:
                meta = parse_part(path, archive, "meta.xml", limits, builder, required=False)
        walker = Walker(title_styles(content))
        body = content.find(f"{{{OFFICE_NS}}}body/{{{OFFICE_NS}}}text")
        walker.blocks(body if body is not None else content)
        for heading, text in walker.sections:
            builder.add(text, heading=heading)
        if styles is not None:
            builder.add(page_furniture(styles))
        info = read_meta(meta)
        shown = walker.title or walker.heading1
        source = "Title style" if walker.title else "Heading 1 style"
        return builder.build(**info, shown_title=shown, shown_title_source=source)


def title_styles(content: Any) -> frozenset[str]:
    """Paragraph style names that are the Title style: "Title" (LibreOffice's name in any
    language) and the automatic styles derived from it (a title the author reformatted)."""
    names = {"Title", "Titre"}
    for style in content.iter(f"{{{STYLE_NS}}}style"):
        if style.get(f"{{{STYLE_NS}}}parent-style-name") in names:
            name = style.get(f"{{{STYLE_NS}}}name")
            if name:
                names.add(name)
    return frozenset(names)


def parse_part(
    path: Path,
    archive: Any,
    name: str,
    limits: Limits,
    builder: DocumentBuilder,
    required: bool = True,
    label: str = "ODT",
) -> Any:
    """The root of the XML member `name`; a malformed optional member is a warning."""
    data = zipguard.read_member(path, archive, name, limits)
    parser = xml_parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if required:
            raise fail(path, f"corrupt {label}: {name} is not well-formed XML ({exc})") from exc
        builder.warn(f"{name} skipped: not well-formed XML ({exc})")
        return None
    if depth_exceeded(parser):
        builder.warn(f"{name}: elements nested deeper than 256 levels were dropped")
    return root


def page_furniture(styles: Any) -> str:
    """Text of the headers and footers of the master pages, each distinct text once."""
    seen: dict[str, None] = {}
    for master in styles.iter(f"{{{STYLE_NS}}}master-page"):
        for part in master:
            if local_name(part.tag).startswith(("header", "footer")):
                walker = Walker()
                walker.blocks(part)
                text = "\n".join(t for _, t in walker.sections).strip()
                if text:
                    seen.setdefault(text, None)
    return "\n".join(seen)


def read_meta(meta: Any) -> dict[str, Any]:
    """Keyword arguments for DocumentBuilder.build from meta.xml (all absent if None)."""
    if meta is None:
        return {}
    office = meta.find(f"{{{OFFICE_NS}}}meta")
    if office is None:
        return {}

    def value(ns: str, name: str) -> str | None:
        el = office.find(f"{{{ns}}}{name}")
        return "".join(el.itertext()) if el is not None else None

    properties: dict[str, object] = {}
    for user in office.iter(f"{{{META_NS}}}user-defined"):
        key = user.get(f"{{{META_NS}}}name")
        if key:
            properties[key] = "".join(user.itertext())
    subject = value(DC_NS, "subject")
    if subject:
        properties["subject"] = subject
    generator = value(META_NS, "generator")
    if generator:
        properties["generator"] = generator
    creator = value(DC_NS, "creator")
    if creator:
        properties["last_modified_by"] = creator
    return {
        "title": value(DC_NS, "title"),
        "authors": [value(META_NS, "initial-creator"), creator],
        "created": to_iso(value(META_NS, "creation-date")),
        "modified": to_iso(value(DC_NS, "date")),
        "language": value(DC_NS, "language"),
        "keywords": ["".join(k.itertext()) for k in office.iter(f"{{{META_NS}}}keyword")],
        "description": value(DC_NS, "description") or subject,
        "properties": properties,
    }


class Walker:
    """Walks office:text into (heading, text) sections. Recursion depth is bounded by
    libxml2's own nesting limit (256), far below Python's."""

    def __init__(self, title_styles: frozenset[str] = frozenset()) -> None:
        self.sections: list[tuple[str | None, str]] = []
        self.title_styles = title_styles
        self.title: str | None = None  # the first paragraph in the Title style
        self.heading1: str | None = None  # the first heading of outline level 1
        self._heading: str | None = None
        self._lines: list[str] = []

    def blocks(self, parent: Any) -> None:
        """Block-level children of `parent`: headings, paragraphs, lists, tables, sections."""
        for child in parent:
            self.block(child)
        self._flush()

    def block(self, el: Any) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            return
        if tag == _H:
            pending: list[str] = []
            text = self.inline(el, pending)
            self._flush()
            self._heading = " ".join(text.split()) or None
            if self.heading1 is None and el.get(f"{{{TEXT_NS}}}outline-level", "1") == "1":
                self.heading1 = self._heading
            self._lines.append(text)
            self._lines.extend(pending)
        elif tag == _P:
            pending = []
            text = self.inline(el, pending)
            if self.title is None and el.get(f"{{{TEXT_NS}}}style-name") in self.title_styles:
                self.title = " ".join(text.split()) or None
            self._lines.append(text)
            self._lines.extend(pending)
        elif tag == _TABLE:
            self._lines.extend(self.table(el))
        else:
            # Lists, list items, sections, table wrappers, frames: look inside.
            for child in el:
                self.block(child)

    def table(self, table: Any) -> list[str]:
        rows = []
        for row in table.iter(_ROW):
            if _nearest_table(row) is not table:
                continue  # a row of a nested table: it is read inside its cell
            cells = []
            for cell in row:
                if cell.tag == _CELL:
                    inner = Walker()
                    inner.blocks(cell)
                    cells.append(" ".join(t for _, t in inner.sections).replace("\n", " "))
            rows.append("\t".join(cells).strip())
        return rows

    def inline(self, el: Any, pending: list[str]) -> str:
        """Text of a paragraph; notes and text boxes inside it go to `pending` paragraphs.

        XML whitespace collapses to one space across element boundaries (ODF 1.2, 6.1.2);
        the spaces text:s asks for are kept, through a placeholder XML text cannot contain.
        """
        parts: list[str] = []
        self._inline(el, parts, pending)
        text = _SPACE_RUN.sub(" ", "".join(parts)).strip(" ")
        return text.replace(_KEPT_SPACE, " ")

    def _inline(self, el: Any, parts: list[str], pending: list[str]) -> None:
        if el.text:
            parts.append(_WHITESPACE.sub(" ", el.text))
        for child in el:
            tag = child.tag
            if isinstance(child, etree._Entity):
                parts.append(entity_text(child))
            elif not isinstance(tag, str) or tag in _SKIPPED:
                pass
            elif tag == _S:
                count = child.get(f"{{{TEXT_NS}}}c") or "1"
                parts.append(_KEPT_SPACE * min(int(count) if count.isdigit() else 1, _MAX_SPACES))
            elif tag == _TAB:
                parts.append("\t")
            elif tag == _LINE_BREAK:
                parts.append("\n")
            elif tag in (_NOTE_BODY, _TEXT_BOX):
                inner = Walker()
                inner.blocks(child)
                pending.extend(t for _, t in inner.sections)
            else:
                self._inline(child, parts, pending)
            if child.tail:
                parts.append(_WHITESPACE.sub(" ", child.tail))

    def _flush(self) -> None:
        text = "\n".join(line for line in self._lines if line)
        if text or self._heading:
            self.sections.append((self._heading, text))
        self._lines = []
        self._heading = None


def _nearest_table(el: Any) -> Any:
    parent = el.getparent()
    while parent is not None and parent.tag != _TABLE:
        parent = parent.getparent()
    return parent
