"""DOCX: python-docx opens the package; we walk its XML for text in document order.

Walking the XML ourselves (rather than Paragraph.text) keeps tables where they stand, reads
hyperlinks, content controls and text boxes, skips deleted text and field codes, and is
several times faster: python-docx read 14.9k paragraphs/s, raw lxml 137k/s
(docs/dependency-facts.md).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from indexer.extract import sniff, zipguard
from indexer.extract.base import ExtractedDocument, Limits
from indexer.extract.common import DocumentBuilder, fail, split_list
from indexer.extract.dates import to_iso
from indexer.extract.safexml import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_P, _TBL, _TR, _TC, _T = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("t")
_TAB, _BR, _CR = _w("tab"), _w("br"), _w("cr")
_NO_BREAK_HYPHEN = _w("noBreakHyphen")
_TXBX_CONTENT = _w("txbxContent")
_ALTERNATE = f"{{{MC}}}AlternateContent"
_CHOICE = f"{{{MC}}}Choice"
# Properties, deleted or moved-away text, field codes, and the fallback copy of drawings
# (mc:Fallback repeats the text of mc:Choice).
_SKIPPED = frozenset(
    {
        _w("pPr"),
        _w("rPr"),
        _w("tblPr"),
        _w("trPr"),
        _w("tcPr"),
        _w("sectPr"),
        _w("del"),
        _w("delText"),
        _w("moveFrom"),
        _w("instrText"),
        _w("delInstrText"),
        _w("sdtPr"),
        _w("sdtEndPr"),
        f"{{{MC}}}Fallback",
    }
)
_HEADING_NAME = re.compile(r"^(?:heading|titre)\s*(\d)$", re.I)
_TITLE_NAMES = frozenset({"title", "titre"})
_NOTE_SEPARATORS = frozenset({"separator", "continuationSeparator", "continuationNotice"})
_MAX_STYLE_CHAIN = 20
_WORD_DEFAULT_SIZE = 20  # half-points: 10 pt, where the file sets no default
_TITLE_MIN_RATIO = 1.15  # times the body's size: a title set in larger type
_TITLE_MAX_CHARS = 200


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None


class DocxExtractor:
    """application/vnd.openxmlformats-officedocument.wordprocessingml.document."""

    media_types = frozenset({sniff.DOCX})

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        # Vet the container before python-docx reads every part into memory.
        zipguard.open_zip(path, limits, "DOCX").close()
        document = _open(path)
        builder = DocumentBuilder(path, sniff.DOCX, limits)
        walker = _Walker(_heading_levels(document))
        furniture = _parts(document, (RT.HEADER,)), _parts(document, (RT.FOOTER,))
        builder.add(_plain_text(furniture[0], walker.levels))
        walker.blocks(document.element.body)
        for heading, text in walker.sections:
            builder.add(text, heading=heading)
        builder.add(_notes(document, walker.levels))
        builder.add(_plain_text(furniture[1], walker.levels))
        return _with_core_properties(builder, document, walker)


def _open(path: Path) -> Any:
    try:
        return docx.Document(str(path))
    except TimeoutError:  # a caller's time limit (an OSError): not a file problem
        raise
    except PackageNotFoundError as exc:
        raise fail(path, f"not a valid DOCX file ({exc})") from exc
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError) as exc:
        raise fail(path, f"corrupt DOCX ({type(exc).__name__}: {exc})") from exc


def _with_core_properties(
    builder: DocumentBuilder, document: Any, walker: _Walker
) -> ExtractedDocument:
    fallback_title = walker.title
    opening = walker.opening_title(_default_size(document))
    shown_title = walker.title or walker.heading1 or opening
    source = (
        "Title style" if walker.title
        else "Heading 1 style" if walker.heading1 or not opening
        else "largest type at the start"
    )  # fmt: skip
    package = document.part.package
    # Without a core-properties part python-docx invents one ("Word Document", "python-docx"):
    # read it only when the file has its own.
    if not any(rel.reltype == RT.CORE_PROPERTIES for rel in package.rels.values()):
        return builder.build(
            title=fallback_title, shown_title=shown_title, shown_title_source=source
        )
    core = document.core_properties
    properties = {
        "subject": core.subject,
        "category": core.category,
        "last_modified_by": core.last_modified_by,
        "content_status": core.content_status,
        "identifier": core.identifier,
        "version": core.version,
    }
    return builder.build(
        title=core.title or fallback_title,
        authors=split_list(core.author),
        created=to_iso(core.created),
        modified=to_iso(core.modified),
        language=core.language,
        keywords=split_list(core.keywords, ",;"),
        description=core.comments or core.subject,
        properties=properties,
        shown_title=shown_title,
        shown_title_source=source,
    )


def _default_size(document: Any) -> int:
    """The document's default type size in half-points (its docDefaults, else Word's)."""
    path = "/".join(_w(n) for n in ("docDefaults", "rPrDefault", "rPr", "sz"))
    el = document.styles.element.find(path)
    value = el.get(_w("val")) if el is not None else None
    return int(value) if value and value.isdigit() else _WORD_DEFAULT_SIZE


def _paragraph_size(p: Any) -> int | None:
    """The largest type size a paragraph sets directly (half-points), or None."""
    sizes = [el.get(_w("val")) or "" for el in p.iter(_w("sz"))]
    return max((int(v) for v in sizes if v.isdigit()), default=None)


def _heading_levels(document: Any) -> dict[str, int]:
    """Style id -> heading level (0 for Title) for every paragraph style that is a heading.

    A style is a heading if its name is 'heading N' / 'Titre N' (Word stores built-in names in
    English, some tools the localised ones) or if it, or a style it is based on, sets an
    outline level.
    """
    styles: dict[str, _Style] = {}
    for el in document.styles.element.iterchildren(_w("style")):
        if el.get(_w("type")) not in (None, "paragraph"):
            continue
        style_id = el.get(_w("styleId"))
        if not style_id:
            continue
        name_el, based_el = el.find(_w("name")), el.find(_w("basedOn"))
        styles[style_id] = _Style(
            name=(name_el.get(_w("val")) or "") if name_el is not None else "",
            based_on=based_el.get(_w("val")) if based_el is not None else None,
            outline=_outline(el.find(_w("pPr"))),
        )
    levels = {}
    for style_id, style in styles.items():
        level = _style_level(style_id, style, styles)
        if level is not None:
            levels[style_id] = level
    return levels


def _style_level(style_id: str, style: _Style, styles: dict[str, _Style]) -> int | None:
    for candidate in (style.name, style_id):
        match = _HEADING_NAME.match(candidate.strip())
        if match is not None:
            return int(match.group(1))
        if candidate.strip().lower() in _TITLE_NAMES:
            return 0
    current: _Style | None = style
    for _ in range(_MAX_STYLE_CHAIN):
        if current is None:
            break
        if current.outline is not None:
            return current.outline + 1
        current = styles.get(current.based_on) if current.based_on else None
    return None


def _outline(ppr: Any) -> int | None:
    """The outline level a w:pPr sets (0-8), or None (absent, or 9 = body text)."""
    if ppr is None:
        return None
    el = ppr.find(_w("outlineLvl"))
    value = el.get(_w("val")) if el is not None else None
    if value is None or not value.isdigit() or int(value) > 8:
        return None
    return int(value)


def _parts(document: Any, reltypes: tuple[str, ...]) -> list[Any]:
    """Root elements of the parts the main document points to with `reltypes`, by name."""
    found = []
    rels = sorted(document.part.rels.values(), key=lambda r: str(getattr(r, "target_ref", "")))
    for rel in rels:
        if rel.reltype not in reltypes or rel.is_external:
            continue
        part = rel.target_part
        element = getattr(part, "element", None)
        if element is None:
            try:
                element = parse_xml(part.blob)
            except etree.XMLSyntaxError:
                continue
        found.append(element)
    return found


def _plain_text(roots: list[Any], levels: dict[str, int]) -> str:
    """The text of header or footer parts, each distinct text once."""
    seen: dict[str, None] = {}
    for root in roots:
        walker = _Walker(levels)
        walker.blocks(root)
        text = "\n".join(t for _, t in walker.sections).strip()
        if text:
            seen.setdefault(text, None)
    return "\n".join(seen)


def _notes(document: Any, levels: dict[str, int]) -> str:
    """Footnotes and endnotes, in order, without the separator pseudo-notes."""
    texts: list[str] = []
    for root in _parts(document, (RT.FOOTNOTES, RT.ENDNOTES)):
        for note in root:
            if note.get(_w("type")) in _NOTE_SEPARATORS:
                continue
            walker = _Walker(levels)
            walker.blocks(note)
            texts.extend(t for _, t in walker.sections if t)
    return "\n".join(texts)


class _Walker:
    """Walks body-level XML into (heading, text) sections. Recursion depth is bounded by
    libxml2's nesting limit (256 levels), far below Python's."""

    def __init__(self, levels: dict[str, int]) -> None:
        self.levels = levels
        self.sections: list[tuple[str | None, str]] = []
        self.title: str | None = None  # the first paragraph in the Title style
        self.heading1: str | None = None  # the first in Heading 1
        # The first paragraph with text and its type size; characters per size.
        self.first: tuple[str, int | None] | None = None
        self.sizes: Counter[int | None] = Counter()
        self._heading: str | None = None
        self._lines: list[str] = []

    def blocks(self, parent: Any) -> None:
        for child in parent:
            self.block(child)
        self._flush()

    def block(self, el: Any) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            return
        if tag == _P:
            self.paragraph(el)
        elif tag == _TBL:
            self._lines.extend(self.table(el))
        elif tag == _ALTERNATE:
            choice = el.find(_CHOICE)
            if choice is not None:
                for child in choice:
                    self.block(child)
        else:
            # Content controls (w:sdt), custom XML, smart tags: look inside.
            for child in el:
                self.block(child)

    def paragraph(self, p: Any) -> None:
        pending: list[str] = []
        parts: list[str] = []
        self._runs(p, parts, pending)
        text = "".join(parts).strip()
        level = self._level(p)
        if level is not None and text:
            heading = " ".join(text.split())
            if level == 0 and self.title is None:
                self.title = heading
            elif level == 1 and self.heading1 is None:
                self.heading1 = heading
            self._flush()
            self._heading = heading
        if text:
            self._lines.append(text)
            size = _paragraph_size(p)
            self.sizes[size] += len(text)
            if self.first is None:
                self.first = (" ".join(text.split()), size)
        self._lines.extend(pending)

    def opening_title(self, default: int) -> str | None:
        """The first paragraph when it is set clearly larger than most of the text (a
        cover's title typed in 18 pt bold without a style), else None."""
        text, size = self.first or ("", None)
        if size is None:
            return None
        by_size: Counter[int] = Counter()
        for found, chars in self.sizes.items():
            by_size[default if found is None else found] += chars
        body = by_size.most_common(1)[0][0]
        if size < body * _TITLE_MIN_RATIO or len(text) > _TITLE_MAX_CHARS:
            return None
        return text

    def _level(self, p: Any) -> int | None:
        ppr = p.find(_w("pPr"))
        if ppr is None:
            return None
        direct = _outline(ppr)
        if direct is not None:
            return direct + 1
        style = ppr.find(_w("pStyle"))
        style_id = style.get(_w("val")) if style is not None else None
        return self.levels.get(style_id) if style_id else None

    def table(self, tbl: Any) -> list[str]:
        rows = []
        for tr in tbl.iterchildren(_TR):
            cells = []
            for tc in tr.iterchildren(_TC):
                inner = _Walker(self.levels)
                inner.blocks(tc)
                cells.append(" ".join(t for _, t in inner.sections).replace("\n", " "))
            rows.append("\t".join(cells).strip())
        return rows

    def _runs(self, el: Any, parts: list[str], pending: list[str]) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag == _T:
                parts.append(child.text or "")
            elif tag == _TAB:
                parts.append("\t")
            elif tag in (_BR, _CR):
                parts.append("\n")
            elif tag == _NO_BREAK_HYPHEN:
                parts.append("-")
            elif tag == _TXBX_CONTENT:
                inner = _Walker(self.levels)
                inner.blocks(child)
                pending.extend(t for _, t in inner.sections if t)
            elif tag == _ALTERNATE:
                choice = child.find(_CHOICE)
                if choice is not None:
                    self._runs(choice, parts, pending)
            else:
                # Runs, hyperlinks, fields, inline content controls, insertions: look inside.
                self._runs(child, parts, pending)

    def _flush(self) -> None:
        text = "\n".join(line for line in self._lines if line)
        if text or self._heading:
            self.sections.append((self._heading, text))
        self._lines = []
        self._heading = None
