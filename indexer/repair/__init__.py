"""Text repair: extracted text made to read as its author wrote it, before indexing.

Each repair is detected from evidence in the text and applied only where the evidence is
(see the module of each). The order matters:

1. what hides characters from the decoders goes first: line breaks, control characters,
   soft hyphens inside words, decomposed accents, ligatures, runs of spaces; then doubled
   titles, whose two copies are still damaged alike;
2. decoders: UTF-8 read as Latin-1 (ftfy), then StandardEncoding mojibake, then TeX's
   spacing accents ("r´ef´erence"), the last two decided once for the whole document;
   Unicode forms and doubled titles again where they decoded something;
3. across pages (paged documents only): running headers, footers and page numbers, before
   any line is joined to another;
4. words hyphenated at line ends (then doubled titles and decoders again on what the joins
   brought together), spaces and runs of blank lines.

Steps 2 to 4 repeat until nothing changes, so repair is idempotent: repairing repaired
text changes nothing.

`changes` maps a repair name to the number of changes it made; a repair that changed
nothing is absent. What is counted: `whitespace` runs of spaces, line ends and blank lines
tidied; `control_characters`, `soft_hyphens`, `ligatures`, `compatibility_characters`
characters removed or replaced; `unicode_normalization` characters composed;
`doubled_text` copies removed; `utf8_as_latin1` words decoded; `standard_encoding`
characters restored; `replacement_characters` U+FFFD read from their place (in text
without other damage); `spacing_accents` letters composed; `running_headers` and
`page_numbers` lines removed; `hyphenation` words joined.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass

from indexer.extract.base import ExtractedDocument
from indexer.repair import accents, doubling, encoding, furniture, layout, mojibake

__all__ = ["REPAIR_NAMES", "RepairedDocument", "repair_document", "repair_text"]

log = logging.getLogger(__name__)

# Bound on the rounds run until nothing changes; real documents settle in one or two.
_MAX_ROUNDS = 4

# Every name `changes` may hold, in pipeline order.
REPAIR_NAMES = (
    layout.WHITESPACE,
    layout.CONTROLS,
    layout.SOFT_HYPHENS,
    layout.NORMALIZATION,
    layout.LIGATURES,
    layout.COMPATIBILITY,
    doubling.NAME,
    encoding.NAME,
    mojibake.NAME,
    mojibake.REPLACEMENTS,
    accents.NAME,
    furniture.HEADERS,
    furniture.PAGE_NUMBERS,
    layout.HYPHENATION,
)


@dataclass(frozen=True)
class RepairedDocument:
    """A document whose text was repaired, and the number of changes made by repair name."""

    document: ExtractedDocument
    changes: Mapping[str, int]


def repair_text(text: str) -> tuple[str, Mapping[str, int]]:
    """Repair one text on its own; returns the text and the changes by repair name.

    Evidence (StandardEncoding damage, the words used to decide hyphenation) comes from
    this text only. Never raises on any `str`.
    """
    changes: Counter[str] = Counter()
    texts = _repair([text], None, changes)
    return texts[0], _as_changes(changes)


def repair_document(doc: ExtractedDocument) -> RepairedDocument:
    """Repair the text, title and headings of `doc`; returns a new document and the changes.

    Evidence is taken from the whole document. When every section has a page number, the
    running headers, footers and page numbers repeated across pages are removed too. The
    other fields of `doc` are kept as they are.
    """
    changes: Counter[str] = Counter()
    headings = sorted({s.heading for s in doc.sections if s.heading is not None})
    extras = [*headings, *([doc.title] if doc.title is not None else [])]
    pages = [section.page for section in doc.sections]
    paged = [page for page in pages if page is not None]
    repaired = _repair(
        [*(section.text for section in doc.sections), *extras],
        paged if paged and len(paged) == len(pages) else None,
        changes,
    )
    texts, extras = repaired[: len(doc.sections)], repaired[len(doc.sections) :]
    new_headings = dict(zip(headings, extras[: len(headings)], strict=True))
    sections = tuple(
        dataclasses.replace(
            section,
            text=text,
            heading=new_headings[section.heading] if section.heading is not None else None,
        )
        for section, text in zip(doc.sections, texts, strict=True)
    )
    title = extras[-1] if doc.title is not None else None
    result = _as_changes(changes)
    if result:
        log.debug("repaired %s document: %s", doc.media_type, result)
    return RepairedDocument(dataclasses.replace(doc, sections=sections, title=title), result)


def _repair(texts: list[str], pages: list[int] | None, changes: Counter[str]) -> list[str]:
    """The pipeline over the texts of one document; the first len(pages) texts are pages."""
    texts = [_clean_characters(text, changes) for text in texts]
    texts = _decode(texts, changes)
    # The document's words decide whether a word broken at a line end keeps its hyphen.
    vocabulary = _Vocabulary(texts)
    # Until nothing changes, for idempotence: removing furniture brings new lines to the
    # edges of pages, joining lines brings letters together for the decoders (and a decoded
    # letter can end a line with a broken word), and joins move lines to the edges again.
    for _ in range(_MAX_ROUNDS):
        before = texts
        if pages is not None:
            page_texts, removed = furniture.remove_furniture(
                list(zip(pages, texts[: len(pages)], strict=True))
            )
            texts = [*page_texts, *texts[len(pages) :]]
            changes.update(removed)
        joined = [_join_lines(text, vocabulary, changes) for text in texts]
        if joined != texts:
            joined = _decode(joined, changes)
        texts = joined
        if texts == before:
            break
    return [_tidy_whitespace(text, changes) for text in texts]


def _tidy_whitespace(text: str, changes: Counter[str]) -> str:
    """Last step: spaces left where soft hyphens or lines were removed, and blank lines."""
    text = _count(changes, layout.WHITESPACE, layout.collapse_spaces(text))
    return _count(changes, layout.WHITESPACE, layout.collapse_blank_lines(text))


def _clean_characters(text: str, changes: Counter[str]) -> str:
    """Step 1: what hides characters from the decoders, and doubled runs."""
    text = _normalize_forms(text, changes)
    text = _count(changes, layout.WHITESPACE, layout.collapse_spaces(text))
    # Before the decoders: a glyph drawn twice is damaged twice alike, but decoding a run
    # from its neighbours could tell the copies apart ("dd��aaccttiioonn").
    return _count(changes, doubling.NAME, doubling.fix_doubling(text))


def _decode(texts: list[str], changes: Counter[str]) -> list[str]:
    """Step 2: UTF-8 mojibake, then StandardEncoding damage decided over all the texts."""
    # Until nothing changes: a letter one decoder restores can complete a sequence the other
    # reads ("Ł‰" -> "è‰", UTF-8 mojibake for "ȉ"), and repair must be idempotent.
    for _ in range(_MAX_ROUNDS):
        before = texts
        texts = [_count(changes, encoding.NAME, encoding.fix_utf8_as_latin1(t)) for t in texts]
        damaged = any(mojibake.is_damaged(text) for text in texts)
        texts = [
            _count(changes, mojibake.NAME, mojibake.fix_standard_encoding(text, damaged))
            for text in texts
        ]
        texts = [
            _count(changes, mojibake.REPLACEMENTS, mojibake.fix_replacements(text))
            for text in texts
        ]
        spaced = accents.is_damaged(texts)
        texts = [
            _count(changes, accents.NAME, accents.compose_accents(text, spaced)) for text in texts
        ]
        # Decoded text may come out with controls, decomposed or with ligatures of its own,
        # and a decoded capital can make a copy read as a title ("˙a va ˙a va").
        texts = [_normalize_forms(text, changes) for text in texts]
        if texts == before:
            break
        texts = [
            _count(changes, doubling.NAME, doubling.fix_doubling(text, frozenset(old.split("\n"))))
            if text != old
            else text
            for text, old in zip(texts, before, strict=True)
        ]
    return texts


def _normalize_forms(text: str, changes: Counter[str]) -> str:
    """Characters no decoder should see, and Unicode forms (decoders can produce them too:
    ftfy reads "À\x80" as the overlong UTF-8 form of a NUL)."""
    rare = layout.has_rare_characters(text)
    if rare:
        text = _count(changes, layout.WHITESPACE, layout.normalize_newlines(text))
        text = _count(changes, layout.CONTROLS, layout.remove_controls(text))
        text = _count(changes, layout.SOFT_HYPHENS, layout.remove_soft_hyphens(text))
    text = _count(changes, layout.NORMALIZATION, layout.normalize_nfc(text))
    if rare:
        text = _count(changes, layout.LIGATURES, layout.expand_ligatures(text))
        text = _count(changes, layout.COMPATIBILITY, layout.fold_fullwidth(text))
    return text


def _join_lines(text: str, vocabulary: Callable[[], Set[str]], changes: Counter[str]) -> str:
    """Step 4: words hyphenated at line ends (blank lines are collapsed after)."""
    joined, hyphenations, soft = layout.fix_hyphenation(text, vocabulary)
    changes[layout.HYPHENATION] += hyphenations
    changes[layout.SOFT_HYPHENS] += soft
    # Soft hyphens were kept at line ends for the join; any left joins nothing, and may
    # leave a space at a line end.
    joined = _count(changes, layout.SOFT_HYPHENS, layout.remove_all_soft_hyphens(joined))
    joined = _count(changes, layout.WHITESPACE, layout.collapse_spaces(joined))
    if joined != text:  # a title broken at a line end shows its copy once joined
        # The lines the joins left as they were came out of fix_doubling already.
        clean = frozenset(text.split("\n"))
        joined = _count(changes, doubling.NAME, doubling.fix_doubling(joined, clean))
    return joined


def _count(changes: Counter[str], name: str, result: tuple[str, int]) -> str:
    text, count = result
    if count:
        changes[name] += count
    return text


class _Vocabulary:
    """The words of a document's texts, computed once and only if a hyphenation needs it."""

    def __init__(self, texts: list[str]) -> None:
        self._texts = texts
        self._words: Set[str] | None = None

    def __call__(self) -> Set[str]:
        if self._words is None:
            words: set[str] = set()
            for text in self._texts:
                words |= layout.words_of(text)
            self._words = words
        return self._words


def _as_changes(changes: Counter[str]) -> dict[str, int]:
    return {name: changes[name] for name in REPAIR_NAMES if changes[name] > 0}
