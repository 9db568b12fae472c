"""PDF: text page by page with pypdfium2; document info with pypdf; pypdf text as fallback.

pypdfium2 (PDFium) gives the faithful text: pypdf lost the word spaces of a real LaTeX PDF
and is 6-13x slower (docs/dependency-facts.md; scripts/measure_pdf.py re-measures). pypdf stays the
reference for the document information dictionary and reads the files PDFium refuses.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.extract import sniff
from indexer.extract.base import ExtractedDocument, Limits
from indexer.extract.common import DocumentBuilder, display_name, fail, split_list
from indexer.extract.dates import to_iso
from indexer.extract.ocr import INSTALL_HINT, Ocr, PageReader, image_only

logger = logging.getLogger(__name__)

# PDFium marks a hyphen it removed at a line end with U+FFFE and joins the lines; put back
# what the page shows, as pypdf does, and leave de-hyphenation to the repair stage.
_PDFIUM_LINE_HYPHEN = ("\ufffe", "-\n")
_INFO_KEYS = {
    "title": "/Title",
    "author": "/Author",
    "subject": "/Subject",
    "keywords": "/Keywords",
    "creator": "/Creator",
    "producer": "/Producer",
    "created": "/CreationDate",
    "modified": "/ModDate",
}
_PDFIUM_KEYS = {
    "title": "Title",
    "author": "Author",
    "subject": "Subject",
    "keywords": "Keywords",
    "creator": "Creator",
    "producer": "Producer",
    "created": "CreationDate",
    "modified": "ModDate",
}


class _PasswordRequired(Exception):
    """The PDF cannot be opened without a user password."""


class _Unreadable(Exception):
    """A backend could not read the PDF; the message says why."""


@dataclass
class _Pages:
    """What reading the pages found."""

    count: int = 0
    with_text: int = 0
    info: dict[str, str] = field(default_factory=dict)
    shown_title: str | None = None  # the largest type on page 1


# The largest type on page 1 is its title when it stands out from the body text and reads
# as words; a first page in one size, or whose largest type is a page number or a single
# letter of a logo, shows no title this way.
_TITLE_SCAN_CHARS = 4_000  # a cover's title comes early; a dense page 1 is not read further
_TITLE_MIN_RATIO = 1.15  # times the body size
_TITLE_MIN_LETTERS = 4
_TITLE_MAX_CHARS = 200
_COVER_LETTERS = 400  # letters on a page 1 that is a cover (a title, a date, a publisher)
_SAME_SIZE = 0.02  # sizes this close are one type (two lines of a title measure 59.5, 59.6)


class PdfExtractor:
    """application/pdf: one Section per page with text, numbered from 1.

    With `ocr`, a page without a text layer (or with only a scanned image and a few words)
    is rendered and read by Tesseract, within Limits.max_ocr_seconds per document.
    """

    media_types = frozenset({sniff.PDF})

    def __init__(self, ocr: Ocr | None = None) -> None:
        self.ocr = ocr

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        builder = DocumentBuilder(path, sniff.PDF, limits)
        reader = PageReader(self.ocr, limits.max_ocr_seconds, path) if self.ocr else None
        with warnings.catch_warnings(), reader or contextlib.nullcontext():
            # Both libraries may warn about damaged files; what matters is reported below.
            warnings.simplefilter("ignore")
            pages = self._read_pages(path, limits, builder, reader)
            info = _pypdf_info(path) or pages.info
        ocr_notes, ocr_properties = (
            reader.log.notes(reader.ocr.languages, limits.max_ocr_seconds) if reader else ([], {})
        )
        for note in ocr_notes:
            builder.warn(note)
        if pages.count == 0:
            raise fail(path, "damaged PDF: it has no pages")
        if pages.with_text == 0:
            if reader is None:
                raise fail(path, f"no text layer (scanned?); to read it by OCR: {INSTALL_HINT}")
            if reader.log.skipped and not reader.log.pages:
                raise fail(path, "no text layer, and the OCR time budget (max_ocr_seconds) "
                                 "was spent before any page was read")
            failed = "; ".join(f"page {n}: {why}" for n, why in sorted(reader.log.failed.items()))
            raise fail(path, "no text layer, and OCR found no text on its pages"
                             + (f" ({failed})" if failed else ""))
        if pages.with_text < pages.count:
            hint = f" (to read them by OCR: {INSTALL_HINT})" if reader is None else ""
            builder.warn(
                f"{pages.count - pages.with_text} of {pages.count} pages have no text{hint}"
            )
        properties = {
            key: info.get(key) for key in ("subject", "creator", "producer") if info.get(key)
        }
        properties.update(ocr_properties)
        properties["pages"] = str(pages.count)
        return builder.build(
            title=info.get("title"),
            authors=split_list(info.get("author")),
            created=to_iso(info.get("created")),
            modified=to_iso(info.get("modified")),
            language=info.get("language"),
            keywords=split_list(info.get("keywords"), ",;"),
            description=info.get("subject"),
            properties=properties,
            shown_title=pages.shown_title,
            shown_title_source="largest type on page 1",
        )

    def _read_pages(
        self, path: Path, limits: Limits, builder: DocumentBuilder, reader: PageReader | None
    ) -> _Pages:
        try:
            return _pdfium_pages(path, limits, builder, reader)
        except _PasswordRequired:
            raise fail(path, "encrypted PDF (password required)") from None
        except _Unreadable as pdfium_error:
            logger.info("%s: PDFium failed (%s); trying pypdf", display_name(path), pdfium_error)
            try:
                pages = _pypdf_pages(path, limits, builder)
            except _PasswordRequired:
                raise fail(path, "encrypted PDF (password required)") from None
            except _Unreadable as pypdf_error:
                raise fail(
                    path,
                    f"damaged PDF: {_damage(str(pdfium_error))}, no page could be read",
                    f"pdfium: {pdfium_error}; pypdf: {pypdf_error}",
                ) from None
            builder.warn(f"read with pypdf: PDFium could not ({pdfium_error})")
            return pages


def _pdfium_pages(
    path: Path, limits: Limits, builder: DocumentBuilder, reader: PageReader | None
) -> _Pages:
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise _PasswordRequired from exc
        raise _Unreadable(_pdfium_reason(exc)) from exc
    try:
        result = _Pages(count=len(pdf))
        if result.count == 0:
            raise _Unreadable("no pages")
        for index in range(_page_limit(result.count, limits, builder)):
            if builder.budget.exhausted:
                builder.budget.truncated = True
                break
            try:
                text, chars, shown = _pdfium_page_text(pdf, index)
                if index == 0:
                    result.shown_title = shown
            except pdfium.PdfiumError as exc:
                builder.warn(f"page {index + 1} unreadable ({exc})")
                continue
            if reader is not None and (chars == 0 or image_only(pdf, index, text)):
                read = reader.read_pdf_page(pdf, index)
                if read is not None:
                    text, chars = read, len(read.strip())
            if chars:
                result.with_text += 1
            builder.add(text.replace(*_PDFIUM_LINE_HYPHEN), page=index + 1)
        result.info = _pdfium_info(pdf)
        return result
    finally:
        pdf.close()


def _pdfium_page_text(pdf: Any, index: int) -> tuple[str, int, str | None]:
    """The page's text, its character count and, for page 1, its largest type."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            chars = textpage.count_chars()
            text = textpage.get_text_range() if chars > 0 else ""
            shown = _largest_type(textpage, chars) if index == 0 and chars > 0 else None
            return text, chars, shown
        finally:
            textpage.close()
    finally:
        page.close()


def _largest_type(textpage: Any, count: int) -> str | None:
    """The text set in the largest font size of the page, if it stands out as a title.

    Sizes come from PDFium per character (points, text matrix applied); spaces and line
    breaks PDFium adds have no size of their own and join the runs around them. The largest
    size whose text has a few letters wins; it must be clearly larger than the body's size
    (the size most characters have), and short enough to be a title.
    """
    raw = textpage.raw
    scanned = min(count, _TITLE_SCAN_CHARS)
    codes = [pdfium_c.FPDFText_GetUnicode(raw, i) for i in range(scanned)]
    text = [chr(code) if 0 < code < 0x110000 else " " for code in codes]
    sizes = [pdfium_c.FPDFText_GetFontSize(raw, i) for i in range(scanned)]
    if max((z for z, ch in zip(sizes, text, strict=True) if ch.isalnum()), default=0) <= 1.0:
        # Some producers set every font at size 1 and scale it by the text matrix, which
        # this size leaves out: the characters' boxes still show the type's real size.
        sizes = [_box_height(raw, i) for i in range(scanned)]
    chars = [(ch, 0.0 if ch.isspace() else round(z, 1)) for ch, z in zip(text, sizes, strict=True)]
    weight: dict[float, int] = {}
    for char, size in chars:
        if char.isalnum():
            weight[size] = weight.get(size, 0) + 1
    if len(weight) < 2:
        return None
    body = max(weight, key=lambda size: weight[size])
    # A cover holds little text: its largest type is the title even where most of it is.
    cover = sum(weight.values()) < _COVER_LETTERS
    for size in sorted(weight, reverse=True)[:3]:
        if size < body * _TITLE_MIN_RATIO and not cover:
            return None
        runs: list[str] = []
        current: list[str] = []
        for char, char_size in chars:
            if char.isspace() or char == "\ufffe":
                if current:
                    current.append(" ")
            elif abs(char_size - size) <= max(0.25, size * _SAME_SIZE):
                current.append(char)
            elif current:
                runs.append("".join(current))
                current = []
        if current:
            runs.append("".join(current))
        title = " ".join(" ".join(runs).split())
        if sum(c.isalpha() for c in title) >= _TITLE_MIN_LETTERS:
            return title if len(title) <= _TITLE_MAX_CHARS else None
    return None


def _box_height(raw: Any, index: int) -> float:
    box = pdfium_c.FS_RECTF()
    if not pdfium_c.FPDFText_GetLooseCharBox(raw, index, ctypes.byref(box)):
        return 0.0
    return float(box.top - box.bottom)


# What PDFium's load errors mean for the file, in plain words.
_DAMAGE = {
    "Data format error": "its table of contents is broken (a truncated or damaged file)",
    "File not found or could not be opened": "it could not be opened",
    "Page not found or content error": "its pages cannot be found",
    "Unsupported security scheme": "it is protected in a way that cannot be read",
}


def _damage(pdfium_reason: str) -> str:
    return _DAMAGE.get(pdfium_reason, "its structure cannot be read")


def _pdfium_reason(exc: Exception) -> str:
    # "Failed to load document (PDFium: Data format error)." -> "Data format error"
    text = str(exc)
    if "(PDFium: " in text:
        text = text.split("(PDFium: ", 1)[1].split(")", 1)[0]
    return text


def _pdfium_info(pdf: Any) -> dict[str, str]:
    try:
        raw = pdf.get_metadata_dict(skip_empty=True)
    except (pdfium.PdfiumError, UnicodeDecodeError, ValueError):
        return {}
    info = {key: raw[name] for key, name in _PDFIUM_KEYS.items() if raw.get(name)}
    language = _pdfium_language(pdf)
    if language:
        info["language"] = language
    return info


def _pdfium_language(pdf: Any) -> str | None:
    """The catalog's /Lang entry, read through PDFium's C API (no helper exists for it)."""
    size = pdfium_c.FPDFCatalog_GetLanguage(pdf.raw, None, 0)
    if size <= 2:
        return None
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_c.FPDFCatalog_GetLanguage(pdf.raw, buffer, size)
    return bytes(buffer)[: size - 2].decode("utf-16-le", errors="replace").strip() or None


def _page_limit(count: int, limits: Limits, builder: DocumentBuilder) -> int:
    if count > limits.max_pages:
        builder.warn(f"only the first {limits.max_pages:,} of {count:,} pages read (max_pages)")
        return limits.max_pages
    return count


def _pypdf_pages(path: Path, limits: Limits, builder: DocumentBuilder) -> _Pages:
    # pypdf raises a wide range of exception types on damaged files (PdfReadError, KeyError,
    # TypeError, ValueError, RecursionError...): any of them means "pypdf cannot read it".
    try:
        with path.open("rb") as fh:
            reader = _pypdf_reader(fh)
            result = _Pages(count=len(reader.pages))
            for index in range(_page_limit(result.count, limits, builder)):
                if builder.budget.exhausted:
                    builder.budget.truncated = True
                    break
                try:
                    text = reader.pages[index].extract_text() or ""
                except TimeoutError:
                    raise
                except Exception as exc:
                    builder.warn(f"page {index + 1} unreadable ({exc})")
                    continue
                if text.strip():
                    result.with_text += 1
                builder.add(text, page=index + 1)
            return result
    except (_PasswordRequired, _Unreadable, TimeoutError):
        raise
    except Exception as exc:
        raise _Unreadable(f"{type(exc).__name__}: {exc}") from exc


def _pypdf_reader(fh: Any) -> pypdf.PdfReader:
    """An opened (decrypted, if the user password is empty) reader; raises _PasswordRequired."""
    reader = pypdf.PdfReader(fh, strict=False)
    if reader.is_encrypted:
        try:
            decrypted = reader.decrypt("")
        except (pypdf.errors.DependencyError, NotImplementedError) as exc:
            raise _Unreadable(f"encryption not supported by pypdf ({exc})") from exc
        if decrypted == pypdf.PasswordType.NOT_DECRYPTED:
            raise _PasswordRequired
    return reader


def _pypdf_info(path: Path) -> dict[str, str]:
    """The document information dictionary and /Lang, as text; {} if pypdf cannot read them.

    Metadata is a bonus: any failure here only means falling back to what PDFium read.
    """
    try:
        with path.open("rb") as fh:
            reader = _pypdf_reader(fh)
            info: Any = reader.metadata or {}
            found: dict[str, str] = {}
            for key, name in _INFO_KEYS.items():
                value = info.get(name)
                value = value.get_object() if hasattr(value, "get_object") else value
                if value is not None and str(value).strip():
                    found[key] = str(value)
            root: Any = reader.trailer["/Root"].get_object()
            language = root.get("/Lang")
            if language is not None:
                found["language"] = str(language.get_object())
            return found
    except TimeoutError:
        raise
    except Exception as exc:
        logger.debug("%s: pypdf could not read the document info (%s)", path.name, exc)
        return {}
