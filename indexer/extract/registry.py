"""Choosing the extractor for a file by its sniffed media type, and running it safely."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import KbError, UnsupportedFormat
from indexer.extract import sniff as sniffing
from indexer.extract.base import ExtractedDocument, Extractor, Limits
from indexer.extract.common import display_name, fail, megabytes
from indexer.extract.convert import find_soffice
from indexer.extract.docx import DocxExtractor
from indexer.extract.html import HtmlExtractor, XhtmlExtractor
from indexer.extract.image import MEDIA_TYPES as IMAGE_TYPES
from indexer.extract.image import ImageExtractor
from indexer.extract.legacy import ROUTES, LibreOfficeExtractor
from indexer.extract.ocr import Ocr, find_tesseract, installed_languages
from indexer.extract.odp import OdpExtractor
from indexer.extract.ods import OdsExtractor
from indexer.extract.odt import OdtExtractor
from indexer.extract.pdf import PdfExtractor
from indexer.extract.pptx import PptxExtractor
from indexer.extract.rtf import RtfExtractor
from indexer.extract.text import MarkdownExtractor, PlainTextExtractor
from indexer.extract.xlsx import XlsxExtractor
from indexer.messages import _

logger = logging.getLogger(__name__)

DEFAULT_LIMITS = Limits()

# Sniffing results that only mean "no known format recognised".
_UNRECOGNISED = frozenset({sniffing.OCTET, sniffing.TEXT, sniffing.MARKDOWN})
# What a suffix promises, to tell "a broken PDF" from "some other kind of file": the label,
# the promised type, the sniffed types that mean "broken" and why.
_CLAIMED = {
    ".pdf": ("PDF", sniffing.PDF, _UNRECOGNISED, "no %PDF header"),
    ".docx": ("DOCX", sniffing.DOCX, _UNRECOGNISED | {sniffing.ZIP}, "not a zip archive"),
    ".odt": ("ODT", sniffing.ODT, _UNRECOGNISED | {sniffing.ZIP}, "not a zip archive"),
    ".pptx": ("PPTX", sniffing.PPTX, _UNRECOGNISED | {sniffing.ZIP}, "not a zip archive"),
    ".xlsx": ("XLSX", sniffing.XLSX, _UNRECOGNISED | {sniffing.ZIP}, "not a zip archive"),
    ".odp": ("ODP", sniffing.ODP, _UNRECOGNISED | {sniffing.ZIP}, "not a zip archive"),
    ".ods": ("ODS", sniffing.ODS, _UNRECOGNISED | {sniffing.ZIP}, "not a zip archive"),
}
_LABELS = {
    sniffing.PDF: "PDF",
    sniffing.DOCX: "DOCX",
    sniffing.ODT: "ODT",
    sniffing.PPTX: "PPTX",
    sniffing.XLSX: "XLSX",
    sniffing.ODP: "ODP",
    sniffing.ODS: "ODS",
    sniffing.ODG: "ODG",
    sniffing.RTF: "RTF",
    sniffing.MSWORD: "DOC",
    sniffing.PPT: "PPT",
    sniffing.XLS: "XLS",
    sniffing.WORDPERFECT: "WPD",
    sniffing.PNG: "PNG",
    sniffing.JPEG: "JPEG",
    sniffing.TIFF: "TIFF",
    sniffing.HTML: "HTML",
    sniffing.XHTML: "XHTML",
    sniffing.TEXT: "text",
    sniffing.MARKDOWN: "Markdown",
}


@dataclass(frozen=True)
class _Entry:
    priority: int
    order: int
    extractor: Extractor


class ExtractorRegistry:
    """Media type -> extractor. Picklable, so it can be sent to worker processes.

    For a media type, the extractor with the highest priority wins; among equal priorities
    the one registered last wins, so registering at priority 0 overrides a default.
    """

    def __init__(self) -> None:
        self._entries: list[_Entry] = []

    def register(self, extractor: Extractor, priority: int = 0) -> None:
        """Add `extractor` for every media type in its `media_types`."""
        self._entries.append(_Entry(priority, len(self._entries), extractor))

    def media_types(self) -> frozenset[str]:
        """Every media type some registered extractor takes."""
        return frozenset(t for entry in self._entries for t in entry.extractor.media_types)

    def extractor_for(self, media_type: str) -> Extractor | None:
        """The extractor that would handle `media_type`, or None."""
        candidates = [e for e in self._entries if media_type in e.extractor.media_types]
        if not candidates:
            return None
        return max(candidates, key=lambda e: (e.priority, e.order)).extractor

    def extract(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> ExtractedDocument:
        """Sniff `path`, pick its extractor and return what it extracted.

        Raises UnsupportedFormat (naming the detected type) when no extractor takes the file,
        ExtractionFailed('<file name>: <reason>') when it cannot be read; never anything else
        for bad input.
        """
        path = Path(path)
        name = display_name(path)
        media_type = self._check_and_sniff(path, limits)
        self._check_claim(path, media_type)
        extractor = self.extractor_for(media_type)
        if extractor is None:
            raise self._unsupported(path, media_type)
        logger.debug("%s: %s -> %s", name, media_type, type(extractor).__name__)
        try:
            return extractor.extract(path, limits)
        except (KbError, TimeoutError):
            # TimeoutError: the caller's own time limit (kb's workers set one), not ours.
            raise
        except MemoryError as exc:
            raise fail(path, "out of memory while extracting") from exc
        except RecursionError as exc:
            raise fail(path, "structure nested too deeply") from exc
        except Exception as exc:
            # An extractor is meant to translate its library's errors; this is the backstop
            # that keeps one hostile file from taking down a whole ingest.
            logger.exception("%s: unexpected error in %s", name, type(extractor).__name__)
            raise fail(
                path, f"unexpected error in {type(extractor).__name__}: {type(exc).__name__}: {exc}"
            ) from exc

    def _check_and_sniff(self, path: Path, limits: Limits) -> str:
        try:
            if path.is_dir():
                raise fail(path, "is a directory, not a file")
            size = path.stat().st_size
            if size == 0:
                raise fail(path, "empty file")
            if size > limits.max_file_bytes:
                raise fail(
                    path,
                    f"file too large ({megabytes(size)}, limit {megabytes(limits.max_file_bytes)})",
                )
            return sniffing.sniff(path)
        except TimeoutError:
            raise
        except FileNotFoundError as exc:
            raise fail(path, "file not found") from exc
        except OSError as exc:
            raise fail(path, f"cannot read file: {exc.strerror or exc}") from exc

    def _check_claim(self, path: Path, media_type: str) -> None:
        """A .pdf/.docx/.odt whose content matches no known format is broken, not 'text'."""
        claimed = _CLAIMED.get(path.suffix.lower())
        if claimed is None:
            return
        label, claimed_type, broken, reason = claimed
        if media_type not in broken or claimed_type not in self.media_types():
            return
        if media_type == sniffing.ZIP:
            reason = f"a zip archive without the parts of a {label} document"
        raise fail(path, f"not a valid {label} file: {reason} (content detected as {media_type})")

    def _unsupported(self, path: Path, media_type: str) -> UnsupportedFormat:
        supported = sorted(_LABELS.get(t, t) for t in self.media_types())
        return UnsupportedFormat(_(
            "{name}: unsupported format: detected type {media_type} (supported: {supported})",
            name=display_name(path), media_type=media_type, supported=", ".join(supported)))


@dataclass(frozen=True)
class Tools:
    """The optional programs extraction uses: None when not installed."""

    soffice: str | None = None  # LibreOffice: legacy office files
    tesseract: str | None = None  # Tesseract: scanned pages and images

    @classmethod
    def find(cls) -> Tools:
        """The tools found on PATH."""
        return cls(soffice=find_soffice(), tesseract=find_tesseract())


def default_registry(tools: Tools | None = None) -> ExtractorRegistry:
    """A fresh registry with every built-in extractor registered at priority 0.

    `tools`: the optional programs to use (default: those found on PATH). Without
    LibreOffice, legacy office files fail with the package to install; without Tesseract,
    scanned pages and images do.
    """
    tools = Tools.find() if tools is None else tools
    ocr = Ocr(tools.tesseract, installed_languages(tools.tesseract)) if tools.tesseract else None
    pdf = PdfExtractor(ocr)
    pptx, odp, ods = PptxExtractor(), OdpExtractor(), OdsExtractor()
    readers: dict[str, Extractor] = {"pdf": pdf, "pptx": pptx, "odp": odp, "ods": ods}
    registry = ExtractorRegistry()
    for media_type, route in ROUTES.items():
        if media_type != sniffing.RTF:  # read natively: see RtfExtractor
            reader = readers[route.target]
            registry.register(LibreOfficeExtractor(media_type, tools.soffice, reader))
    for media_type in IMAGE_TYPES:
        registry.register(ImageExtractor(ocr, media_type))
    for extractor in (
        pdf,
        RtfExtractor(),
        DocxExtractor(),
        OdtExtractor(),
        pptx,
        XlsxExtractor(),
        odp,
        OdpExtractor(sniffing.ODG),
        ods,
        HtmlExtractor(),
        XhtmlExtractor(),
        PlainTextExtractor(),
        MarkdownExtractor(),
    ):
        registry.register(extractor)
    return registry
