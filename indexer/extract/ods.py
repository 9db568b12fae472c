"""ODS (OpenDocument spreadsheet): one Section per sheet, headed by the sheet's name.

lxml over content.xml and meta.xml inside the zip guard, like ODT. An ODS cell stores the
text it displays (a number as formatted, a date as shown) beside its value: that text is
what is indexed. Cells are read row by row, the non-empty cells of a row joined by tabs;
repeated rows and columns (how ODS stores runs of identical cells) are read once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from indexer.extract import zipguard
from indexer.extract.base import ExtractedDocument, Limits
from indexer.extract.common import DocumentBuilder, fail
from indexer.extract.odt import OFFICE_NS, TABLE_NS, Walker, parse_part, read_meta
from indexer.extract.sniff import ODS

_TABLE = f"{{{TABLE_NS}}}table"
_ROW = f"{{{TABLE_NS}}}table-row"
_CELL = f"{{{TABLE_NS}}}table-cell"
_NAME = f"{{{TABLE_NS}}}name"
# Containers of rows: header rows, row groups.
_ROW_GROUPS = frozenset(
    f"{{{TABLE_NS}}}{name}"
    for name in ("table-header-rows", "table-rows", "table-row-group")
)


class OdsExtractor:
    """application/vnd.oasis.opendocument.spreadsheet."""

    media_types = frozenset({ODS})

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        builder = DocumentBuilder(path, ODS, limits)
        with zipguard.open_zip(path, limits, "ODS") as archive:
            names = set(archive.namelist())
            if "content.xml" not in names:
                raise fail(path, "not a valid ODS file: no content.xml in the archive")
            content = parse_part(path, archive, "content.xml", limits, builder, label="ODS")
            meta = None
            if "meta.xml" in names:
                meta = parse_part(path, archive, "meta.xml", limits, builder, False, "ODS")
        spreadsheet = content.find(f"{{{OFFICE_NS}}}body/{{{OFFICE_NS}}}spreadsheet")
        sheets = [t for t in spreadsheet if t.tag == _TABLE] if spreadsheet is not None else []
        for sheet in sheets:
            if builder.budget.exhausted:
                builder.budget.truncated = True
                break
            builder.add("\n".join(_rows(sheet, builder)), heading=sheet.get(_NAME))
        info = read_meta(meta)
        info.setdefault("properties", {})["sheets"] = str(len(sheets))
        return builder.build(**info)


def _rows(parent: Any, builder: DocumentBuilder) -> list[str]:
    lines: list[str] = []
    size = 0
    for child in parent:
        if builder.budget.used + size > builder.budget.limit:
            break  # the builder cuts and warns; no need to read further
        if child.tag in _ROW_GROUPS:
            lines.extend(_rows(child, builder))
        elif child.tag == _ROW:
            cells = [_cell_text(cell) for cell in child if cell.tag == _CELL]
            line = "\t".join(c for c in cells if c)
            if line:
                lines.append(line)
                size += len(line) + 1
    return lines


def _cell_text(cell: Any) -> str:
    walker = Walker()
    walker.blocks(cell)
    return " ".join(text for _, text in walker.sections if text).replace("\n", " ").strip()
