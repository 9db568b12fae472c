"""What an extractor is and what it returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Section:
    """A run of text: one page of a paged format, or a part under one heading otherwise."""

    text: str
    page: int | None = None  # 1-based page number, for formats that have pages
    heading: str | None = None  # nearest heading above the text, for formats without pages


@dataclass(frozen=True)
class ExtractedDocument:
    """The text of a file, in reading order, and what the file says about itself."""

    media_type: str
    sections: tuple[Section, ...]
    title: str | None = None
    authors: tuple[str, ...] = ()
    created: str | None = None  # ISO 8601 date or datetime, as found in the file
    modified: str | None = None
    language: str | None = None  # as declared by the file (e.g. "fr", "fr-FR")
    keywords: tuple[str, ...] = ()
    description: str | None = None
    encoding: str | None = None  # for text formats: the encoding used to decode
    warnings: tuple[str, ...] = ()  # non-fatal problems worth reporting
    properties: Mapping[str, str] = field(default_factory=dict)  # other raw properties
    # The title the document shows (largest type on page 1, Title style, <h1>...), and
    # where on the document it was read, e.g. "largest type on page 1".
    shown_title: str | None = None
    shown_title_source: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile file from exhausting memory or time."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_uncompressed_bytes: int = 300 * 1024 * 1024  # total inside a DOCX/ODT zip
    max_compression_ratio: float = 200.0  # per zip member; zip bombs run far above
    max_text_chars: int = 5_000_000  # about 2,000 pages; longer text is truncated, with a warning
    max_pages: int = 5_000
    # External tools, inside the extraction worker's own time limit (120 s by default):
    max_conversion_seconds: float = 90.0  # one LibreOffice conversion
    max_ocr_seconds: float = 90.0  # OCR of one document; later pages are skipped, reported


class Extractor(Protocol):
    """Turns a file of one of its media types into an ExtractedDocument.

    Raises ExtractionFailed with a reason a user understands (encrypted, corrupt, no text
    layer, ...). Must never follow external references (entities, DTDs, links).
    """

    media_types: frozenset[str]

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument: ...
