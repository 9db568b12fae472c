"""PPTX (PowerPoint 2007+): lxml over the package, one Section per slide, numbered from 1.

A slide's section holds its title (also its heading), then the text of its shapes in the
order of the slide's shape tree (text frames, groups, tables), then its speaker notes.
Slide numbers and dates drawn by placeholders are left out: they are not the slide's text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from indexer.extract import zipguard
from indexer.extract.base import ExtractedDocument, Limits
from indexer.extract.common import DocumentBuilder
from indexer.extract.ooxml import MC_NS, REL_NS, Package, core_properties
from indexer.extract.sniff import PPTX

P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_NOTES_TYPE = "/notesSlide"

_SP, _GRP, _FRAME = f"{{{P_NS}}}sp", f"{{{P_NS}}}grpSp", f"{{{P_NS}}}graphicFrame"
_TX_BODY, _PH = f"{{{P_NS}}}txBody", f"{{{P_NS}}}ph"
_A_P, _A_T, _A_BR = f"{{{A_NS}}}p", f"{{{A_NS}}}t", f"{{{A_NS}}}br"
_A_TBL, _A_TR, _A_TC = f"{{{A_NS}}}tbl", f"{{{A_NS}}}tr", f"{{{A_NS}}}tc"
_A_TX_BODY = f"{{{A_NS}}}txBody"
_ALTERNATE, _CHOICE = f"{{{MC_NS}}}AlternateContent", f"{{{MC_NS}}}Choice"
_TITLES = frozenset({"title", "ctrTitle"})
# Placeholders whose text PowerPoint fills in itself (slide number, date) or that show the
# slide's picture on a notes page.
_SLIDE_SKIPPED = frozenset({"sldNum", "dt"})
_NOTES_KEPT = frozenset({"body"})


class PptxExtractor:
    """application/vnd.openxmlformats-officedocument.presentationml.presentation."""

    media_types = frozenset({PPTX})

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        builder = DocumentBuilder(path, PPTX, limits)
        with zipguard.open_zip(path, limits, "PPTX") as archive:
            package = Package(path, archive, limits, "PPTX")
            presentation = package.xml("ppt/presentation.xml", builder, required=True)
            rels = package.relationships("ppt/presentation.xml", builder)
            slides = [
                rels[rel_id][1]
                for sld in presentation.iter(f"{{{P_NS}}}sldId")
                if (rel_id := sld.get(f"{{{REL_NS}}}id")) in rels
            ]
            if len(slides) > limits.max_pages:
                builder.warn(
                    f"only the first {limits.max_pages:,} of {len(slides):,} slides read "
                    "(max_pages)"
                )
            for number, part in enumerate(slides[: limits.max_pages], start=1):
                if builder.budget.exhausted:
                    builder.budget.truncated = True
                    break
                title, text = _slide(package, part, builder)
                builder.add(text, page=number, heading=title)
            info = core_properties(package, builder)
        info.setdefault("properties", {})["pages"] = str(len(slides))
        if not info.get("title"):
            first = next((s.heading for s in builder.sections if s.heading), None)
            info["title"] = first
        return builder.build(**info)


def _slide(package: Package, part: str, builder: DocumentBuilder) -> tuple[str | None, str]:
    """(title, text) of one slide: title first, the other shapes, then the speaker notes."""
    root = package.xml(part, builder)
    if root is None:
        return None, ""
    titles: list[str] = []
    blocks: list[str] = []
    _shapes(root.find(f"{{{P_NS}}}cSld/{{{P_NS}}}spTree"), titles, blocks, _SLIDE_SKIPPED, None)
    for kind, target in package.relationships(part, builder).values():
        if kind.endswith(_NOTES_TYPE):
            notes = package.xml(target, builder)
            if notes is not None:
                tree = notes.find(f"{{{P_NS}}}cSld/{{{P_NS}}}spTree")
                _shapes(tree, [], blocks, frozenset(), _NOTES_KEPT)
    title = " ".join(" ".join(titles).split()) or None
    return title, "\n".join([*titles, *blocks])


def _shapes(
    tree: Any,
    titles: list[str],
    blocks: list[str],
    skipped: frozenset[str],
    kept: frozenset[str] | None,
) -> None:
    """Text of the shapes under `tree`, in order: titles to `titles`, the rest to `blocks`.

    `skipped`: placeholder types left out; `kept`: if given, the only placeholder types read
    (notes pages keep their body and drop the slide image, header, footer...).
    """
    if tree is None:
        return
    for shape in tree:
        tag = shape.tag
        if tag == _ALTERNATE:
            choice = shape.find(_CHOICE)
            if choice is not None:
                _shapes(choice, titles, blocks, skipped, kept)
        elif tag == _GRP:
            _shapes(shape, titles, blocks, skipped, kept)
        elif tag == _SP:
            placeholder = next(shape.iter(_PH), None)
            kind = None if placeholder is None else placeholder.get("type", "body")
            if kind in skipped or (kept is not None and kind not in kept):
                continue
            text = _paragraphs(shape.find(_TX_BODY))
            if text:
                (titles if kind in _TITLES else blocks).append(text)
        elif tag == _FRAME and kept is None:
            for table in shape.iter(_A_TBL):
                blocks.extend(_table(table))


def _paragraphs(body: Any) -> str:
    if body is None:
        return ""
    lines = []
    for paragraph in body.iter(_A_P):
        parts = []
        for el in paragraph.iter(_A_T, _A_BR):
            parts.append("\n" if el.tag == _A_BR else (el.text or ""))
        lines.append("".join(parts).strip())
    return "\n".join(line for line in lines if line)


def _table(table: Any) -> list[str]:
    rows = []
    for row in table.iter(_A_TR):
        cells = [
            _paragraphs(cell.find(_A_TX_BODY)).replace("\n", " ")
            for cell in row.iter(_A_TC)
            if cell.get("hMerge") != "1" and cell.get("vMerge") != "1"
        ]
        line = "\t".join(cells).strip()
        if line:
            rows.append(line)
    return rows
