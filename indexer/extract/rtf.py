"""RTF read natively with striprtf: text by paragraph, accents decoded from the document's
code page (\\ansicpg, font charsets) and its \\u escapes.

RTF carries no page layout of its own; its text is one section (a \\page break starts a new
paragraph). scripts/measure_rtf.py compares this reader with the LibreOffice conversion.
"""

from __future__ import annotations

import re
from pathlib import Path

from striprtf.striprtf import rtf_to_text

from indexer.extract.base import ExtractedDocument, Limits
from indexer.extract.common import DocumentBuilder, fail, split_list
from indexer.extract.sniff import RTF

# RTF is 7-bit text; a file much larger than its text is mostly pictures, which striprtf
# would still scan: bound what is read.
_MAX_RTF_BYTES = 50 * 1024 * 1024
_INFO_SCAN = 64 * 1024  # the {\\info} group sits in the header


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
        raw = data.decode("latin-1")
        info = {key: _info(raw, key) for key in ("title", "author", "subject", "keywords")}
        return builder.build(
            title=info["title"],
            authors=split_list(info["author"]),
            keywords=split_list(info["keywords"], ",;"),
            description=info["subject"],
        )


def _info(raw: str, key: str) -> str | None:
    """A field of the {\\info} group ({\\title ...}) as text (code page 1252), or None."""
    match = re.search(r"\{\\" + key + r"\s([^{}]*)\}", raw[:_INFO_SCAN])
    if match is None:
        return None
    try:
        return rtf_to_text(r"{\rtf1\ansi " + match.group(1) + "}", errors="replace").strip() or None
    except (ValueError, LookupError, IndexError, RecursionError):
        return None
