"""OCR of page images with Tesseract (the `tesseract` command, French and English models).

Each page image is a grayscale PGM we write ourselves (from a PDF page rendered by
pypdfium2, or an image decoded by Pillow), read by one `tesseract IMAGE stdout -l fra+eng
tsv` run, whose TSV output gives every word with its confidence (0-100). The binary is
called directly rather than through a wrapper library: one command line and a TSV parser
are all there is to it, and `processes.run_tool` keeps it under the worker's limits.

A word is not indexed when Tesseract's confidence in it (0-100) is under
MIN_WORD_CONFIDENCE *and* it has fewer than MIN_LETTERS letters or digits: the "words"
Tesseract reads in speckles, stamps and signature scribbles are such short scraps ("E",
"=", "a", "la’", scored 0-23 on a test page with a scribble, a stamp and 4,000 speckles),
while a confidence alone would also drop real words: on the clean rendered test page it
scored the correctly read "d'étape" 0. A page whose mean word confidence is under
LOW_PAGE_CONFIDENCE is reported as read badly.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.errors import ExtractionFailed
from indexer.extract.common import display_name, fail
from indexer.extract.processes import private_folder, run_tool

LANGUAGES = "fra+eng"
MIN_WORD_CONFIDENCE = 30.0
MIN_LETTERS = 3
LOW_PAGE_CONFIDENCE = 60.0
DPI = 300
MAX_PIXELS = 40_000_000  # an A3 page at 300 dpi is 17 MP; bigger pages are scaled down
PACKAGES = "tesseract-ocr tesseract-ocr-fra"
INSTALL_HINT = f"apt-get install {PACKAGES}"
_FRA_HINT = "apt-get install tesseract-ocr-fra"
_FEW_WORDS = 5


def find_tesseract() -> str | None:
    return shutil.which("tesseract")


@functools.cache
def installed_languages(tesseract: str) -> str:
    """LANGUAGES, less the models `tesseract --list-langs` does not list ('eng' if none is)."""
    try:
        done = run_tool([tesseract, "--list-langs"], env={"PATH": os.defpath},
                        cwd=Path("/"), timeout=30)
        listed = {line.strip() for line in done.stdout.decode("utf-8", "replace").splitlines()[1:]}
    except (OSError, subprocess.TimeoutExpired):
        listed = set()
    wanted = [lang for lang in LANGUAGES.split("+") if lang in listed]
    return "+".join(wanted) or "eng"


@dataclass(frozen=True)
class OcrPage:
    """What Tesseract read on one page image."""

    text: str
    confidence: float | None  # mean confidence of the kept words; None: no words
    words: int  # words kept
    dropped: int  # scraps under MIN_WORD_CONFIDENCE, not indexed


@dataclass(frozen=True)
class Ocr:
    """Tesseract, found at `tesseract`, reading `languages`."""

    tesseract: str
    languages: str = LANGUAGES

    def read(self, image: Path, timeout: float, *, shown: Path) -> OcrPage:
        """Read one page image; raises ExtractionFailed naming `shown` if Tesseract fails
        or runs past `timeout` seconds."""
        env = {
            "PATH": os.defpath,
            "OMP_THREAD_LIMIT": "1",  # one core per worker: threads only add contention
            "LC_ALL": "C",
            "HOME": str(image.parent),
        }
        command = [self.tesseract, str(image), "stdout", "-l", self.languages, "tsv"]
        try:
            done = run_tool(command, env=env, cwd=image.parent, timeout=max(timeout, 1.0))
        except subprocess.TimeoutExpired:
            raise fail(shown, f"OCR took longer than {timeout:.0f} s") from None
        if done.returncode != 0:
            message = " ".join(done.stderr.decode("utf-8", "replace").split())[-300:]
            raise fail(shown, f"Tesseract failed (exit status {done.returncode}: {message})")
        return parse_tsv(done.stdout.decode("utf-8", errors="replace"))


def parse_tsv(tsv: str) -> OcrPage:
    """An OcrPage from Tesseract's TSV: words joined by spaces, a line per line, a blank
    line between paragraphs; low-confidence scraps left out and counted (module docstring)."""
    lines: list[str] = []
    current: list[str] = []
    where: tuple[str, ...] | None = None
    paragraph: tuple[str, ...] | None = None
    confidences: list[float] = []
    dropped = 0
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        try:
            confidence = float(cols[10])
        except ValueError:
            continue
        if not text or confidence < 0:
            continue
        if confidence < MIN_WORD_CONFIDENCE and sum(c.isalnum() for c in text) < MIN_LETTERS:
            dropped += 1
            continue
        line_key = tuple(cols[1:5])
        if line_key != where:
            if current:
                lines.append(" ".join(current))
            if paragraph is not None and line_key[:3] != paragraph:
                lines.append("")
            current, where, paragraph = [], line_key, line_key[:3]
        current.append(text)
        confidences.append(confidence)
    if current:
        lines.append(" ".join(current))
    mean = sum(confidences) / len(confidences) if confidences else None
    return OcrPage("\n".join(lines), mean, len(confidences), dropped)


@dataclass
class OcrLog:
    """What OCR did across a document's pages, for its warnings and properties."""

    pages: dict[int, OcrPage] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)  # pages left for lack of time
    failed: dict[int, str] = field(default_factory=dict)  # page -> why Tesseract failed
    started: float = field(default_factory=time.monotonic)

    def notes(self, languages: str, budget: float) -> tuple[list[str], dict[str, str]]:
        """(warnings, properties) that say which pages were read by OCR and how well."""
        if not self.pages and not self.skipped and not self.failed:
            return [], {}
        warnings: list[str] = []
        properties: dict[str, str] = {}
        if self.pages:
            kept = [p for p in self.pages.values() if p.confidence is not None]
            words = sum(p.words for p in kept)
            mean = sum((p.confidence or 0.0) * p.words for p in kept) / words if words else 0.0
            numbers = _ranges(self.pages)
            missing = "" if "fra" in languages else ", French model missing: " + _FRA_HINT
            warnings.append(
                f"{'page' if len(self.pages) == 1 else 'pages'} {numbers} read by OCR (Tesseract "
                f"{languages}{missing}): mean word confidence {mean:.0f}%"
            )
            properties["ocr_pages"] = numbers
            properties["ocr_confidence"] = f"{mean:.1f}"
            for number, page in sorted(self.pages.items()):
                if page.confidence is None:
                    warnings.append(f"page {number}: OCR found no words")
                elif page.confidence < LOW_PAGE_CONFIDENCE or page.dropped:
                    low = " (low)" if page.confidence < LOW_PAGE_CONFIDENCE else ""
                    warnings.append(
                        f"page {number}: OCR confidence {page.confidence:.0f}%{low}, "
                        f"{_plural(page.dropped, 'scrap')} under {MIN_WORD_CONFIDENCE:.0f}% "
                        "not indexed"
                    )
        for number, reason in sorted(self.failed.items()):
            warnings.append(f"page {number}: OCR failed ({reason})")
        if self.skipped:
            warnings.append(
                f"{'page' if len(self.skipped) == 1 else 'pages'} {_ranges(self.skipped)} not "
                f"read by OCR: the time budget of {budget:.0f} s was spent (max_ocr_seconds)"
            )
            properties["ocr_skipped_pages"] = _ranges(self.skipped)
        return warnings, properties


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _ranges(numbers: Iterable[int]) -> str:
    """'1-3, 5' for [1, 2, 3, 5]."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    start = prev = None
    for n in ordered:
        if prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}-{prev}")
    return ", ".join(parts)


def write_pgm(path: Path, width: int, height: int, stride: int, pixels: bytes) -> Path:
    """A binary PGM (P5) of 8-bit gray rows that are `stride` bytes apart in `pixels`."""
    with path.open("wb") as fh:
        fh.write(f"P5\n{width} {height}\n255\n".encode("ascii"))
        if stride == width:
            fh.write(pixels[: width * height])
        else:
            view = memoryview(pixels)
            for row in range(height):
                fh.write(view[row * stride : row * stride + width])
    return path


class PageReader:
    """OCR of one document's pages within a time budget, in a private temporary folder.

    Use as a context manager; `log` says afterwards what was read, skipped and how well.
    """

    def __init__(self, ocr: Ocr, budget: float, shown: Path) -> None:
        self.ocr = ocr
        self.budget = budget
        self.shown = shown
        self.log = OcrLog()
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> PageReader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def read_pgm(self, write: Callable[[Path], Path], number: int) -> str | None:
        """OCR text of page `number`, whose image `write(path)` writes; None when the time
        budget is spent or Tesseract fails on it (logged as skipped or failed)."""
        remaining = self.budget - (time.monotonic() - self.log.started)
        if remaining <= 0:
            self.log.skipped.append(number)
            return None
        if self._folder is None:  # made on the first page to read: most PDFs need none
            self._folder = private_folder("kb-ocr-")
        image = write(Path(self._folder.name) / f"page-{number}.pgm")
        try:
            page = self.ocr.read(image, remaining, shown=self.shown)
        except ExtractionFailed as exc:
            # One page Tesseract cannot read (or that takes too long) spoils only itself.
            self.log.failed[number] = str(exc).removeprefix(f"{display_name(self.shown)}: ")
            return None
        finally:
            image.unlink(missing_ok=True)
        self.log.pages[number] = page
        return page.text

    def read_pdf_page(self, pdf: Any, index: int) -> str | None:
        """OCR text of page `index` (0-based) of an open pypdfium2 document, or None."""
        return self.read_pgm(lambda path: render_pdf_page(pdf, index, path), index + 1)


def render_pdf_page(pdf: Any, index: int, path: Path) -> Path:
    """Page `index` of `pdf` rendered in gray at DPI (less if it would pass MAX_PIXELS)."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        scale = DPI / 72
        pixels = width * height * scale * scale
        if pixels > MAX_PIXELS:
            scale *= (MAX_PIXELS / pixels) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            return write_pgm(path, bitmap.width, bitmap.height, bitmap.stride,
                             bytes(bitmap.buffer))
        finally:
            bitmap.close()
    finally:
        page.close()


def image_only(pdf: Any, index: int, text: str) -> bool:
    """True when page `index` has (next to) no text and an image covering half of it: a
    scan with a stamped page number or a few words of a text layer left by a scanner."""
    if len(text.split()) > _FEW_WORDS:
        return False
    page = pdf[index]
    try:
        width, height = page.get_size()
        area = max(width * height, 1.0)
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            try:
                # pypdfium2 5.x name (4.x called it get_pos): bounds in page coordinates.
                left, bottom, right, top = obj.get_bounds()
            except pdfium.PdfiumError:  # an object PDFium cannot place covers nothing
                continue
            if (right - left) * (top - bottom) >= area / 2:
                return True
        return False
    finally:
        page.close()
