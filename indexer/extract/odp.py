"""ODP and ODG (OpenDocument presentations and drawings): one Section per slide or page.

lxml over content.xml and meta.xml inside the zip guard, like ODT, whose paragraph walker
reads the text of each shape. A slide's section holds its title (also its heading), its
other shapes in document order, then its speaker notes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from indexer.extract import zipguard
from indexer.extract.base import ExtractedDocument, Limits
from indexer.extract.common import DocumentBuilder, fail
from indexer.extract.odt import DRAW_NS, OFFICE_NS, Walker, parse_part, read_meta
from indexer.extract.sniff import ODG, ODP

PRESENTATION_NS = "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
_PAGE = f"{{{DRAW_NS}}}page"
_NOTES = f"{{{PRESENTATION_NS}}}notes"
_CLASS = f"{{{PRESENTATION_NS}}}class"
_THUMBNAIL = f"{{{DRAW_NS}}}page-thumbnail"
# Text LibreOffice fills in itself on each slide.
_SKIPPED_CLASSES = frozenset({"page-number", "date-time"})
_LABELS = {ODP: "ODP", ODG: "ODG"}


class OdpExtractor:
    """application/vnd.oasis.opendocument.presentation (or, given, .graphics)."""

    def __init__(self, media_type: str = ODP) -> None:
        self.media_type = media_type
        self.media_types = frozenset({media_type})

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        media_type = self.media_type
        label = _LABELS.get(media_type, "ODP")
        builder = DocumentBuilder(path, media_type, limits)
        with zipguard.open_zip(path, limits, label) as archive:
            names = set(archive.namelist())
            if "content.xml" not in names:
                raise fail(path, f"not a valid {label} file: no content.xml in the archive")
            content = parse_part(path, archive, "content.xml", limits, builder, label=label)
            meta = None
            if "meta.xml" in names:
                meta = parse_part(path, archive, "meta.xml", limits, builder, False, label)
        body = content.find(f"{{{OFFICE_NS}}}body")
        pages = list(body.iter(_PAGE)) if body is not None else []
        if len(pages) > limits.max_pages:
            builder.warn(
                f"only the first {limits.max_pages:,} of {len(pages):,} slides read (max_pages)"
            )
        for number, page in enumerate(pages[: limits.max_pages], start=1):
            if builder.budget.exhausted:
                builder.budget.truncated = True
                break
            title, text = _slide(page)
            builder.add(text, page=number, heading=title)
        info = read_meta(meta)
        info.setdefault("properties", {})["pages"] = str(len(pages))
        if not info.get("title"):
            info["title"] = next((s.heading for s in builder.sections if s.heading), None)
        return builder.build(**info)


def _slide(page: Any) -> tuple[str | None, str]:
    titles: list[str] = []
    blocks: list[str] = []
    notes: list[str] = []
    for shape in page:
        if not isinstance(shape.tag, str) or shape.tag == _THUMBNAIL:
            continue
        if shape.tag == _NOTES:
            for part in shape:
                if (
                    isinstance(part.tag, str)
                    and part.tag != _THUMBNAIL
                    and part.get(_CLASS) not in _SKIPPED_CLASSES
                ):
                    notes.append(_text(part))
            continue
        kind = shape.get(_CLASS)
        if kind in _SKIPPED_CLASSES:
            continue
        (titles if kind == "title" else blocks).append(_text(shape))
    title = " ".join(" ".join(titles).split()) or None
    return title, "\n".join(t for t in (*titles, *blocks, *notes) if t)


def _text(shape: Any) -> str:
    walker = Walker()
    walker.blocks([shape])
    return "\n".join(text for _, text in walker.sections if text)
