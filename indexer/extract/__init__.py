"""Extraction: one extractor per format behind one small interface, chosen by sniffing.

    registry = default_registry()               # with the optional tools found on PATH
    registry = default_registry(Tools())        # without LibreOffice and Tesseract
    document = registry.extract(path, limits)   # ExtractedDocument
    sniff(path)                                 # 'application/pdf', 'text/html', ...

Legacy office files go through a LibreOffice conversion (legacy.py, convert.py), scanned
pages and images through Tesseract (ocr.py, image.py); without the tool, such a file fails
with the Debian package to install.

`registry.extract` raises only UnsupportedFormat (with the detected type) or
ExtractionFailed('<file name>: <reason>') for bad input.
"""

from indexer.extract.base import ExtractedDocument, Extractor, Limits, Section
from indexer.extract.registry import ExtractorRegistry, Tools, default_registry
from indexer.extract.sniff import sniff

__all__ = [
    "ExtractedDocument",
    "Extractor",
    "ExtractorRegistry",
    "Limits",
    "Section",
    "Tools",
    "default_registry",
    "sniff",
]
