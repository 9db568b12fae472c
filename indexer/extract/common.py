"""What every extractor does to the text a library hands back: clean it, bound it, package it."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from indexer.errors import DETAILS, ExtractionFailed
from indexer.extract.base import ExtractedDocument, Limits, Section

logger = logging.getLogger(__name__)

MB = 1024 * 1024

# C0 controls other than tab and newline, DEL, and the two non-characters: they carry no text,
# and a NUL in particular breaks downstream stores. Form feed and vertical tab mean a break.
_BREAKS = re.compile(r"\r\n?|[\f\v\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
# Lone surrogates cannot be encoded to UTF-8 and would fail the index writer.
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """NFC-normalise, turn every line break into `\\n` and drop control characters.

    Does nothing else: repairing mojibake, hyphenation or doubled titles is a later stage.
    """
    text = _BREAKS.sub("\n", text)
    text = _CONTROLS.sub("", text)
    text = _SURROGATES.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text)


def clean_value(value: object) -> str | None:
    """A metadata value as clean one-line text, or None when it is empty."""
    if value is None:
        return None
    text = " ".join(clean_text(str(value)).split())
    return text or None


def split_list(value: object, separators: str = ";") -> tuple[str, ...]:
    """Split a metadata value on `separators` into clean, distinct, non-empty items."""
    text = clean_value(value)
    if text is None:
        return ()
    parts = re.split("[" + re.escape(separators) + "]", text)
    return unique(parts)


def unique(items: Iterable[str | None]) -> tuple[str, ...]:
    """Clean, non-empty items in first-seen order, without duplicates."""
    seen: dict[str, None] = {}
    for item in items:
        text = clean_value(item)
        if text is not None and text not in seen:
            seen[text] = None
    return tuple(seen)


def display_name(path: Path) -> str:
    """The file name used in error messages."""
    return path.name or str(path)


def fail(path: Path, reason: str, detail: str | None = None) -> ExtractionFailed:
    """An ExtractionFailed whose message is '<file name>: <reason>', with the libraries'
    own messages (`detail`) after `kb.errors.DETAILS`: a reason says what is wrong with
    the file in plain words, the details are for whoever debugs it."""
    tail = f"{DETAILS}{detail}" if detail else ""
    return ExtractionFailed(f"{display_name(path)}: {reason}{tail}")


def megabytes(size: float) -> str:
    """A byte count for a human, in MB: '250.3 MB', '200 MB', '0.010 MB'."""
    value = size / MB
    if value == int(value):
        return f"{value:.0f} MB"
    return f"{value:.1f} MB" if value >= 1 else f"{value:.3f} MB"


@dataclass
class TextBudget:
    """Counts characters against `Limits.max_text_chars` so an extractor can stop early."""

    limit: int
    used: int = 0
    truncated: bool = False

    @property
    def exhausted(self) -> bool:
        return self.used >= self.limit

    def take(self, text: str) -> str:
        """The part of `text` that still fits; marks the budget truncated when it cuts."""
        room = self.limit - self.used
        if len(text) > room:
            text = text[: max(room, 0)]
            self.truncated = True
        self.used += len(text)
        return text

    def warning(self) -> str:
        return f"text truncated to {self.limit:,} characters (limit max_text_chars)"


@dataclass
class DocumentBuilder:
    """Collects sections and metadata, then builds a clean, bounded ExtractedDocument."""

    path: Path
    media_type: str
    limits: Limits
    sections: list[Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    budget: TextBudget = field(init=False)

    def __post_init__(self) -> None:
        self.budget = TextBudget(self.limits.max_text_chars)

    def add(self, text: str, *, page: int | None = None, heading: str | None = None) -> None:
        """Add one section; its text is cleaned, stripped and cut to what the budget allows.

        Empty sections are dropped (a page without text keeps its number for the others).
        """
        if self.budget.exhausted:
            self.budget.truncated = self.budget.truncated or bool(text.strip())
            return
        # Cut before cleaning so a huge text is not cleaned only to be thrown away.
        room = self.budget.limit - self.budget.used + 1024
        if len(text) > room:
            text = text[:room]
            self.budget.truncated = True
        body = self.budget.take(clean_text(text).strip())
        if body:
            self.sections.append(Section(text=body, page=page, heading=clean_value(heading)))

    def warn(self, message: str) -> None:
        logger.debug("%s: %s", display_name(self.path), message)
        if message not in self.warnings:
            self.warnings.append(message)

    def build(
        self,
        *,
        title: object = None,
        authors: Iterable[str | None] = (),
        created: str | None = None,
        modified: str | None = None,
        language: object = None,
        keywords: Iterable[str | None] = (),
        description: object = None,
        encoding: str | None = None,
        properties: Mapping[str, object] | None = None,
        shown_title: object = None,
        shown_title_source: str | None = None,
    ) -> ExtractedDocument:
        """The finished document; raises ExtractionFailed('...: no text found') if it has none."""
        if not self.sections:
            raise fail(self.path, "no text found")
        warnings = list(self.warnings)
        if self.budget.truncated:
            warnings.append(self.budget.warning())
        props: dict[str, str] = {}
        for key, value in (properties or {}).items():
            text = clean_value(value)
            if text is not None:
                props[key] = text
        return ExtractedDocument(
            media_type=self.media_type,
            sections=tuple(self.sections),
            title=clean_value(title),
            authors=unique(authors),
            created=created,
            modified=modified,
            language=clean_value(language),
            keywords=unique(keywords),
            description=clean_value(description),
            encoding=encoding,
            warnings=tuple(warnings),
            properties=props,
            shown_title=(shown := clean_value(shown_title)),
            shown_title_source=shown_title_source if shown else None,
        )
