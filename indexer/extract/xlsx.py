"""XLSX (Excel 2007+): openpyxl in read-only mode, one Section per sheet headed by its name.

Cells are read row by row (the non-empty cells of a row joined by tabs), as Excel shows
them to a French reader: the cached result of a formula rather than the formula, numbers
with the decimals, percent sign and thousands grouping of their number format, a comma
as the decimal mark and a space between thousands ("45 000", "12,5 %"), dates as
dd/mm/yyyy. The container is vetted by the zip guard first; openpyxl parses the sheets
with defusedxml (it picks it up when installed), so a DTD or an entity is refused.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path
from typing import Any

import openpyxl

from indexer.extract import zipguard
from indexer.extract.base import ExtractedDocument, Limits
from indexer.extract.common import DocumentBuilder, fail, split_list
from indexer.extract.dates import to_iso
from indexer.extract.sniff import XLSX

_DECIMALS = re.compile(r"\.(0+)")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


class XlsxExtractor:
    """application/vnd.openxmlformats-officedocument.spreadsheetml.sheet."""

    media_types = frozenset({XLSX})

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        zipguard.open_zip(path, limits, "XLSX").close()
        builder = DocumentBuilder(path, XLSX, limits)
        # Our own handle: openpyxl leaves its file open when loading fails.
        with path.open("rb") as fh, warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not read: not our concern.
            warnings.simplefilter("ignore")
            try:
                book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
            except TimeoutError:
                raise
            except Exception as exc:  # openpyxl raises many types on damaged files
                raise fail(path, f"corrupt XLSX ({type(exc).__name__}: {exc})") from exc
            try:
                sheets = book.worksheets
                for sheet in sheets:
                    if builder.budget.exhausted:
                        builder.budget.truncated = True
                        break
                    builder.add("\n".join(_rows(sheet, builder)), heading=sheet.title)
                info = _properties(book)
            except TimeoutError:
                raise
            except Exception as exc:
                raise fail(path, f"corrupt XLSX ({type(exc).__name__}: {exc})") from exc
            finally:
                book.close()
        info["properties"]["sheets"] = str(len(sheets))
        return builder.build(**info)


def _rows(sheet: Any, builder: DocumentBuilder) -> list[str]:
    lines: list[str] = []
    size = 0
    for row in sheet.iter_rows():
        cells = [display(cell.value, getattr(cell, "number_format", None)) for cell in row]
        line = "\t".join(c for c in cells if c)
        if line:
            lines.append(line)
            size += len(line) + 1
            if builder.budget.used + size > builder.budget.limit:
                break  # the builder cuts and warns; no need to read further
    return lines


def display(value: object, number_format: str | None) -> str:
    """A cell's value as Excel shows it to a French reader (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float):
        return _number(value, number_format or "General")
    return str(value).strip()


def _number(value: float, number_format: str) -> str:
    section = _QUOTED.sub("", number_format.split(";", 1)[0])
    if section.lower() in ("general", "@", ""):
        text = f"{value:.10g}" if isinstance(value, float) else str(value)
        return text.replace(".", ",")
    percent = "%" in section
    if percent:
        value = value * 100
    match = _DECIMALS.search(section)
    decimals = len(match.group(1)) if match else 0
    grouped = "," in section.split(".", 1)[0]
    text = f"{value:,.{decimals}f}" if grouped else f"{value:.{decimals}f}"
    text = text.replace(",", " ").replace(".", ",")
    if percent:
        text += " %"
    if "€" in number_format:
        text += " €"
    return text


def _properties(book: Any) -> dict[str, Any]:
    props = book.properties
    return {
        "title": props.title,
        "authors": split_list(props.creator),
        "created": to_iso(props.created),
        "modified": to_iso(props.modified),
        "language": props.language,
        "keywords": split_list(props.keywords, ",;"),
        "description": props.description or props.subject,
        "properties": {
            "subject": props.subject,
            "category": props.category,
            "last_modified_by": props.lastModifiedBy,
        },
    }
