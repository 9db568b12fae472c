"""Images (PNG, JPEG, TIFF) are documents too: scanned pages read by OCR, a page per frame.

Pillow checks the image's size from its header before decoding anything (an image whose
pixels would pass the limit is refused, not decoded), then each frame (a multi-page TIFF
has several) is turned to 8-bit gray, scaled down if it is larger than an A3 page at 300
dpi, and read by Tesseract. Without Tesseract an image fails with the packages to install.
"""

from __future__ import annotations

import warnings
from functools import partial
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from indexer.extract.base import ExtractedDocument, Limits
from indexer.extract.common import DocumentBuilder, fail
from indexer.extract.ocr import INSTALL_HINT, MAX_PIXELS, Ocr, PageReader
from indexer.extract.sniff import JPEG, PNG, TIFF

# Refused outright past this (a 20,000 x 20,000 scan); below it, big frames are scaled down.
MAX_DECODED_PIXELS = 400_000_000
_LABELS = {PNG: "PNG", JPEG: "JPEG", TIFF: "TIFF"}
MEDIA_TYPES = tuple(_LABELS)


class ImageExtractor:
    """One of image/png, image/jpeg, image/tiff, through OCR."""

    def __init__(self, ocr: Ocr | None, media_type: str) -> None:
        self.ocr = ocr
        self.media_type = media_type
        self.media_types = frozenset({media_type})

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        kind = f"{_LABELS[self.media_type]} image ({self.media_type})"
        if self.ocr is None:
            raise fail(path, f"a {kind} has text only through OCR, which needs Tesseract "
                             f"({INSTALL_HINT})")
        with warnings.catch_warnings():
            # Pillow warns (DecompressionBombWarning) where we refuse or scale ourselves.
            warnings.simplefilter("ignore")
            try:
                image = Image.open(path)
            except Image.DecompressionBombError as exc:
                raise fail(path, f"image too large to read ({exc})") from exc
            except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
                # Pillow's message names the file's path: say it without.
                raise fail(path, f"corrupt or unreadable {kind}") from None
            with image:
                builder = DocumentBuilder(path, self.media_type, limits)
                frames = getattr(image, "n_frames", 1)
                width, height = image.size
                if width * height > MAX_DECODED_PIXELS:
                    raise fail(path, f"image too large to read ({width} x {height} pixels)")
                if frames > limits.max_pages:
                    builder.warn(f"only the first {limits.max_pages:,} of {frames:,} pages "
                                 "read (max_pages)")
                with PageReader(self.ocr, limits.max_ocr_seconds, path) as reader:
                    for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                        if number > limits.max_pages:
                            break
                        if frame.width * frame.height > MAX_DECODED_PIXELS:  # frames differ
                            raise fail(path, f"image too large to read (page {number}: "
                                             f"{frame.width} x {frame.height} pixels)")
                        text = reader.read_pgm(partial(_gray_pgm, frame, shown=path), number)
                        if text:
                            builder.add(text, page=number)
        notes, properties = reader.log.notes(self.ocr.languages, limits.max_ocr_seconds)
        for note in notes:
            builder.warn(note)
        if not builder.sections:
            why = "; ".join(notes) if reader.log.failed or reader.log.skipped else "no text"
            raise fail(path, f"OCR found no text in the image ({why})")
        properties["pages"] = str(frames)
        return builder.build(properties=properties)


def _gray_pgm(frame: Image.Image, out: Path, shown: Path) -> Path:
    try:
        gray = frame.convert("L")
        pixels = gray.width * gray.height
        if pixels > MAX_PIXELS:
            ratio = (MAX_PIXELS / pixels) ** 0.5
            gray = gray.resize((max(int(gray.width * ratio), 1), max(int(gray.height * ratio), 1)))
        gray.save(out, format="PPM")
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow's errors on damaged data
        raise fail(shown, f"corrupt image ({type(exc).__name__})") from exc
    return out
