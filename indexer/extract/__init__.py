"""Extraction: one extractor per format behind one small interface, chosen by sniffing.

    registry = default_registry()
    document = registry.extract(path, limits)   # ExtractedDocument
    sniff(path)                                 # 'application/pdf', 'text/html', ...

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
