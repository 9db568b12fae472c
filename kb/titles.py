"""A document's title, from what it shows before what its file says about itself.

In order of trust (a curator's or sidecar's title ranks above all of these, as tags):
the title the document shows (largest type on page 1 of a PDF, the Title or Heading 1
style of a DOCX, `<h1>` then `<title>` of a page, a Markdown heading), the heading it opens
with, a letter's "Objet :" line, the first line of a text when it reads as a title, the
file's title property when it is not a file name, a program's or a template's, the first
line of a word-processed file without styles, and the file's name last, accents kept.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import PurePath

from indexer.extract.base import ExtractedDocument
from indexer.extract.sniff import DOCX, MSWORD, ODT, RTF, TEXT
from indexer.text import fold
from kb.stated_dates import is_date_line
from kb.tags import Sourced

log = logging.getLogger(__name__)

MAX_TITLE = 200  # a longer "heading" is a paragraph taken for a title
_OPENING_CHARS = 1_000  # text before a heading that still "opens" the document
_FIRST_LINE_MAX = 150
_FIRST_LINE_WORDS = 20

_WORD_PROCESSED = frozenset({DOCX, ODT, MSWORD, RTF})
# "04_", "2 - ", "3.", "SP0_" before a file's title
_NUMBERING = re.compile(r"^[A-Z]{0,3}\d{1,3}\s*[_.)-]\s*")
# A letter's subject: "Objet : recours gracieux contre le PA …" among its first lines.
_OBJECT_LINE = re.compile(r"^\s*(?:Objet|OBJET)\s*:\s*(\S.*)$")
_LETTER_LINES = 40
_WRAPPED_CHARS = 60  # an object line this long may go on onto the next line
_WRAP_WORDS = 4  # ... a short one that ends its phrase
_CONFIRMED_MIN_WORDS = 3  # a metadata title confirmed by page 1: a few words, not "Note"
_CARRYING_LINES = 40  # the lines of page 1 where a title property is looked for
# An emoji or a bullet before a title, or what is left of one a font could not map ("��").
_LEADING_MARKS = re.compile(r"^[^\w\s«\"'(\[]+\s*")
_OFFICE_PREFIX = re.compile(r"^microsoft (?:office )?(?:word|powerpoint|excel)\s*-\s*", re.I)
_FILE_SUFFIX = re.compile(r"\.(?:docx?|pptx?|xlsx?|odt|odp|ods|rtf|pdf|txt|html?|md)$", re.I)
# "rapport01", "note3", "Document1", "v2": letters and digits glued together, as in file
# names; French ordinals ("1er", "2e", "XXIe") are words of a title.
_GLUED = re.compile(r"[^\W\d_]\d|\d(?!(?:er|re|e|ème|eme|nd|nde)\b)[^\W\d_]", re.I)
# Titles office software or a template writes when the author gave none, and programs'
# names (folded: lower case, no accents).
_PLACEHOLDERS = frozenset(
    {
        "presentation powerpoint",
        "powerpoint presentation",
        "diapositive 1",
        "document",
        "untitled",
        "sans titre",
        "titre",
        "title",
        "titre du document",
        "titre de la presentation",
        "titre du rapport",
        "votre titre",
        "inserer le titre",
        "insert title",
        "click to add title",
        "cliquez pour ajouter un titre",
        "modele",
        "modele de document",
        "template",
        "normal",
        "microsoft word",
        "microsoft powerpoint",
        "microsoft excel",
        "libreoffice",
        "openoffice",
        "writer",
        "impress",
        "adobe acrobat",
        "acrobat pdfmaker",
    }
)


# Headings of a document's parts, never its title (folded).
_PART_HEADINGS = frozenset(
    {
        "introduction",
        "sommaire",
        "table des matieres",
        "preambule",
        "presentation",
        "avant-propos",
        "contexte",
        "resume",
        "synthese",
        "conclusion",
        "annexes",
        "ordre du jour",
    }
)


def choose_title(document: ExtractedDocument, file_name: str) -> Sourced:
    """The document's title and where it was read, by the order of trust above.

    Never fails: a file name always gives a title (the name itself if its stem is empty).
    """
    confirmed = _confirmed_property_title(document)
    if confirmed:
        return Sourced(confirmed, "file metadata, on page 1")
    shown = _usable(document.shown_title)
    source = document.shown_title_source or "document heading"
    # A first Heading 1 is the title only when the document opens with it: "1. Contexte"
    # after two pages of text is a chapter's.
    if shown and (source != "Heading 1 style" or _opening_heading(document) == shown):
        return Sourced(shown, source)
    opening = _usable(_opening_heading(document))
    if opening:
        return Sourced(opening, "first heading of the document")
    subject = _usable(letter_subject(_first_page_text(document)))
    if subject:
        return Sourced(subject, "object line of the letter")
    if document.media_type == TEXT:
        line = first_line_title(document.text)
        if line:
            return Sourced(line, "first line of the text")
    metadata = property_title(document.title)
    if metadata:
        return Sourced(metadata, "file metadata")
    if document.media_type in _WORD_PROCESSED:
        # A letter or a form typed without styles ("LETTRE DE MISSION" on its first line)
        # still shows its title better than its file name ("Exemple_LM_beta.docx").
        line = _usable(first_line_title(document.text))
        if line:
            return Sourced(line, "first line of the text")
    return Sourced(title_from_file_name(file_name), "file name")


def property_title(title: str | None) -> str | None:
    """A file's title property, or None when it looks like a file name, a program's name or
    a template's placeholder ("rapport01.pdf", "Microsoft Word - note3.doc", "Document1",
    "Bilan 2025 site_ok", "Présentation PowerPoint")."""
    text = " ".join((title or "").split())
    if not text:
        return None
    if (
        _OFFICE_PREFIX.match(text)  # a printer driver's "program - file name"
        or _FILE_SUFFIX.search(text)
        or "_" in text
        or "/" in text
        or "\\" in text
        or _GLUED.search(text)
        or fold(text) in _PLACEHOLDERS
        or sum(c.isalpha() for c in text) < 3
    ):
        log.debug("ignoring title property %r: a file name, program or placeholder", title)
        return None
    return _usable(text)


def _confirmed_property_title(document: ExtractedDocument) -> str | None:
    """The file's title property, freed of what a printer driver or a file name wraps it
    in ("Microsoft Word - 04_Monter son premier Open Lab.docx"), when page 1 (or the start
    of the text) says it too: the author's title, confirmed, over a running header in
    larger type ("Créer des services publics numériques innovants", the course's name)."""
    raw = " ".join((document.title or "").split())
    cleaned = _FILE_SUFFIX.sub("", _OFFICE_PREFIX.sub("", raw))
    cleaned = " ".join(_NUMBERING.sub("", cleaned).replace("_", " ").split())
    words = _plain_words(cleaned)
    if len(words.split()) < _CONFIRMED_MIN_WORDS or not _usable(cleaned):
        return None
    if f" {words} " in f" {_plain_words(document.shown_title or '')} ":  # shown: its source
        return None
    first = document.sections[0].text[:_OPENING_CHARS * 3] if document.sections else ""
    line = _line_carrying(first, words)
    if line:
        return line
    return cleaned if f" {words} " in f" {_plain_words(first)} " else None


def _line_carrying(text: str, words: str) -> str | None:
    """The line of `text` that writes the title property `words`, as the page writes it: a
    file name cannot hold "1/2" ("1:2"), nor often the whole title ("Trouver ses premiers
    utilisateurs" for "…utilisateurs : l'objectif n°1 d'une Startup d'Etat"); a line that
    only begins the property is the title without a file name's additions ("… 1:2")."""
    for raw in text.splitlines()[:_CARRYING_LINES]:
        line = first_line_title(raw)
        if not line:
            continue
        said = _plain_words(line)
        if (
            said == words
            or said.startswith(words + " ")
            or (words.startswith(said + " ") and len(said.split()) >= _CONFIRMED_MIN_WORDS)
        ):
            return _usable(line)
    return None


def _plain_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


def first_line_title(text: str) -> str | None:
    """The first non-empty line of a text when it reads as a title: short, a few words,
    not ending with a period (a sentence) nor a colon, and not a date line."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = " ".join(line.split())
    if (
        not line
        or len(line) > _FIRST_LINE_MAX
        or len(line.split()) > _FIRST_LINE_WORDS
        or line.endswith((".", ":", ";", ","))
        or sum(c.isalpha() for c in line) < 3
        or is_date_line(line)
    ):
        return None
    return line


def letter_subject(text: str) -> str | None:
    """What a letter's "Objet :" line says, with the short line it wraps onto ("… au
    bénéfice de Terra" / "Développement"), first letter in capitals; None without one."""
    lines = text.splitlines()
    for number, raw in enumerate(lines[:_LETTER_LINES]):
        match = _OBJECT_LINE.match(raw)
        if match is None:
            continue
        subject = " ".join(match.group(1).split())
        following = lines[number + 1].strip() if number + 1 < len(lines) else ""
        if (
            len(subject) >= _WRAPPED_CHARS
            and not subject.endswith((".", ":", ";"))
            and 0 < len(following.split()) <= _WRAP_WORDS
            and ":" not in following
        ):
            subject = f"{subject} {following}"
        return subject[:1].upper() + subject[1:] if subject else None
    return None


def _first_page_text(document: ExtractedDocument) -> str:
    pages = [s.text for s in document.sections if s.page == 1]
    return "\n".join(pages) if pages else document.text[: _OPENING_CHARS * 3]


def title_from_file_name(file_name: str) -> str:
    """The file name's stem as a title: dashes and underscores as spaces, accents and case
    kept ("Compte_rendu_réunion-Lorient.txt" -> "Compte rendu réunion Lorient")."""
    name = unicodedata.normalize("NFC", PurePath(file_name).name)
    return " ".join(re.sub(r"[-_]+", " ", PurePath(name).stem).split()) or name


def _opening_heading(document: ExtractedDocument) -> str | None:
    """The first heading, when little text comes before it (the document opens with it)."""
    before = 0
    for section in document.sections:
        if section.heading:
            return section.heading
        before += len(section.text)
        if before > _OPENING_CHARS:
            return None
    return None


def _usable(title: str | None) -> str | None:
    """The title with single spaces, or None if empty, too long, a part's heading, or
    scattered letters (the large type of a scanned form: "G O S S S é é")."""
    text = _LEADING_MARKS.sub("", " ".join((title or "").split()))
    if not text or len(text) > MAX_TITLE or fold(text).strip(" .:") in _PART_HEADINGS:
        return None
    words = text.split()
    if len(words) >= 3 and sum(len(w) == 1 for w in words) * 2 > len(words):
        return None
    return text
