"""RTF read natively with striprtf: text by paragraph, accents decoded from the document's
code page (\\ansicpg, font charsets) and its \\u escapes.

RTF carries no page layout of its own; its text is one section (a \\page break starts a new
paragraph). scripts/measure_rtf.py compares this reader with the LibreOffice conversion.
"""

from __future__ import annotations

from pathlib import Path

from striprtf.striprtf import rtf_to_text

from indexer.extract.base import ExtractedDocument, Limits
from indexer.extract.common import DocumentBuilder, fail
from indexer.extract.sniff import RTF

# RTF is 7-bit text; a file much larger than its text is mostly pictures, which striprtf
# would still scan: bound what is read.
_MAX_RTF_BYTES = 50 * 1024 * 1024


class RtfExtractor:
    """application/rtf."""

    media_types = frozenset({RTF})

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        builder = DocumentBuilder(path, RTF, limits)
        data = path.read_bytes()
        if len(data) > _MAX_RTF_BYTES:
            raise fail(path, f"RTF file too large to read natively ({len(data):,} bytes)")
        try:
            text = rtf_to_text(data.decode("latin-1"), errors="replace")
        except (ValueError, LookupError, IndexError, RecursionError) as exc:
            raise fail(path, f"corrupt RTF ({type(exc).__name__}: {exc})") from exc
        builder.add(text)
        return builder.build()
