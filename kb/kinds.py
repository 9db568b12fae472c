"""A document's kind from what it is, never from a phrase it mentions in passing.

Board minutes that say "état des lieux" are not a study, and an article that mentions a
"cahier des charges" is not a call for tender. So the kind comes, in this order of trust,
from:

1. the form: a deck (PPTX, ODP, PPT), or a PDF whose pages read as slides (most pages
   short: `SLIDE_WORDS` words or fewer), is a `presentation`;
2. the title: a kind's label or one of its synonyms opens the title ("Compte rendu de la
   réunion du 14 mars 2013", "Diagnostic de l'ESS à Saint-Malo"), or a synonym that is not
   weak stands in it ("Cadre de référence stratégique de l'observatoire");
3. the document's parts: lines that open with one of the kind's `markers` (vocabulary
   file) used as a label or a heading — "Ordre du jour", "Présents :", "Excusés :" make
   minutes; "Objet de la consultation", "Livrables", "Critères de sélection" a call for
   tender — at least `min_markers` distinct lines; where two kinds qualify, the one with
   the most lines over its minimum wins.

Otherwise the document gets no kind. And none at all for a document that names nothing of
the observatory's ground (no territory, family, mission or instance by a name that is not
weak): the slides of a software manual are a presentation, but not one for this catalogue.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from indexer.extract.base import Section
from indexer.text import fold
from kb.tags import TagEvidence
from kb.vocabulary import Term, Vocabulary

DECKS = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.presentation",
        "application/vnd.ms-powerpoint",
    }
)
PAGED = frozenset({"application/pdf"})
# A slide holds a title and a few bullets; a page of a report 250 words and more.
SLIDE_WORDS = 110
MIN_SLIDES = 5  # a 2-page flyer is not a deck
SLIDE_SHARE = 0.7  # of the pages, at most SLIDE_WORDS words each
# A heading is short and does not end a sentence; a label is followed by ':' or a number.
MAX_HEADING_WORDS = 10
MAX_LABEL_CHARS = 60
MAX_LABEL_EXTRA_WORDS = 3  # "Absents excusés", "Critères de sélection des offres"
COVER_LINES = 8
COVER_SECTIONS = 3
MAX_COVER_WORDS = 20
# Kinds that only the form decides: a title opening with their label is no evidence.
FORM_KINDS = frozenset({"presentation"})
MAX_EVIDENCE = 5
LONG_DOCUMENT_PAGES = 5  # past this, a document's parts are not all on one page
MAX_QUOTE = 60  # characters of a part's line kept as evidence

_WORD = re.compile(r"\w+")
_TITLE_PARTS = re.compile(r"\s[:\u2013\u2014|-]\s|\s*:\s|,\s")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[^\W\d_])")
_ARTICLE = re.compile(r"^(?:(?:un|une|le|la|les|l|cette|ce)\s)")
_LEAD = re.compile(r"^[\W\d_]*?(?=[^\W\d_])")  # bullets, numbering, dashes before the words


@dataclass(frozen=True)
class _Found:
    key: str
    reason: str
    words: tuple[str, ...]
    pages: tuple[int, ...]
    score: float


def kind_evidence(
    vocab: Vocabulary, title: str, sections: Sequence[Section], media_type: str
) -> TagEvidence | None:
    """The kind the document's form, title or parts show, with why; None when unclear."""
    terms = {t.key: t for t in vocab.terms("kind")}
    found = (
        _from_form(sections, media_type, terms)
        or _from_title(title, sections, terms.values())
        or _from_parts(sections, terms.values())
    )
    if found is None:
        return None
    return TagEvidence("kind", found.key, found.reason, len(found.words), found.words,
                       found.pages)  # fmt: skip


def _from_form(
    sections: Sequence[Section], media_type: str, terms: dict[str, Term]
) -> _Found | None:
    if "presentation" not in terms:
        return None
    if media_type in DECKS:
        return _Found("presentation", "slides", (), (), 1.0)
    if media_type not in PAGED:
        return None
    words: dict[int, int] = {}
    for section in sections:
        if section.page is not None:
            words[section.page] = words.get(section.page, 0) + len(_WORD.findall(section.text))
    if len(words) < MIN_SLIDES:
        return None
    short = sorted(page for page, n in words.items() if n <= SLIDE_WORDS)
    if len(short) < SLIDE_SHARE * len(words) or statistics.median(words.values()) > SLIDE_WORDS:
        return None
    return _Found("presentation", f"slides: {len(short)} of {len(words)} pages", (), (), 1.0)


def _from_title(title: str, sections: Sequence[Section], terms: Iterable[Term]) -> _Found | None:
    """A kind named where the document says what it is: each part of its title ("Les
    mutuelles de santé dans le Morbihan – étude sectorielle") and each short line of its
    cover ("Note thématique de l'observatoire", "Étude réalisée par la CPCA")."""
    places = [("title", part) for part in _TITLE_PARTS.split(title)]
    places += [
        ("cover", part) for line in _cover_lines(sections) for part in _TITLE_PARTS.split(line)
    ]
    for place, text in places:
        words = _ARTICLE.sub("", _normal(text))
        if not words:
            continue
        for term in terms:
            # "Présentation de l'association" describes it; only the form makes slides.
            names = term.synonyms if term.key in FORM_KINDS else (term.label, *term.synonyms)
            for name in names:
                if place == "cover" and name in term.weak:  # a word alone, not in the title
                    continue
                inside = place == "title" and name in term.synonyms and name not in term.weak
                if _opens(words, _normal(name)) or (
                    inside and f" {_normal(name)} " in f" {words} "
                ):
                    return _Found(term.key, place, (name,), (), 1.0)
    return None


def _cover_lines(sections: Sequence[Section]) -> list[str]:
    """The short lines that open the document, up to its first line of running text: its
    cover, or the head of its first page."""
    lines: list[str] = []
    for section in sections[:COVER_SECTIONS]:
        for raw in section.text.splitlines():
            line = _LEAD.sub("", raw.strip(), count=1)
            if len(_WORD.findall(line)) > MAX_COVER_WORDS or len(lines) == COVER_LINES:
                return lines
            if line:
                lines.append(line)
    return lines


def _from_parts(sections: Sequence[Section], terms: Iterable[Term]) -> _Found | None:
    parts = list(_parts(sections))
    page_count = len({s.page for s in sections if s.page is not None})
    best: _Found | None = None
    for term in terms:
        if not term.markers:
            continue
        by_first_word = _by_first_word([_normal(m) for m in term.markers])
        found: dict[str, _Part] = {}
        named: set[str] = set()  # the markers the parts open with
        numbered = True  # every part a numbered item ("Critère 3")
        for part in parts:
            if part.text in found:
                continue
            marker = next((m for m in _candidates(part, by_first_word) if _names_part(part, m)),
                          None)  # fmt: skip
            if marker is not None:
                found[part.text] = part
                named.add(marker)
                numbered = numbered and _numbered(part, marker)
        minimum = term.min_markers or 1
        if len(found) < minimum or not _a_form(found, named, numbered, page_count, minimum):
            continue
        score = len(found) / minimum
        if best is None or score > best.score:
            pages = tuple(sorted({p.page for p in found.values() if p.page is not None}))
            words = tuple(p.raw[:MAX_QUOTE] for p in list(found.values())[:MAX_EVIDENCE])
            best = _Found(term.key, f"parts: {len(found)} lines", words, pages[:20], score)
    return best


def _by_first_word(markers: list[str]) -> dict[str, list[tuple[int, str]]]:
    """The markers by their first word, each with its place in the list: a part can only be
    named by a marker that starts as it does, and a document has thousands of parts."""
    out: dict[str, list[tuple[int, str]]] = {}
    for place, marker in enumerate(markers):
        if marker:
            out.setdefault(marker.split(" ", 1)[0], []).append((place, marker))
    return out


def _candidates(part: _Part, by_first_word: dict[str, list[tuple[int, str]]]) -> list[str]:
    """The markers that may name the part (it or its label starts with their first word),
    in the vocabulary's order."""
    found = by_first_word.get(part.text.split(" ", 1)[0], [])
    if part.label:
        found = found + by_first_word.get(part.label.split(" ", 1)[0], [])
    return [marker for _, marker in sorted(set(found))]


@dataclass(frozen=True)
class _Part:
    """A line, or a sentence within one, in the form markers are compared in."""

    text: str  # folded words
    raw: str  # as written, for the evidence
    label: str | None  # the folded words before a colon ("presents" of "Présents : ..."))
    heading: bool  # a short line of its own that does not end a sentence
    page: int | None


def _parts(sections: Sequence[Section]) -> Iterable[_Part]:
    for section in sections:
        if section.heading:
            yield _Part(_normal(section.heading), section.heading, None, True, section.page)
        for raw in section.text.splitlines():
            line = _LEAD.sub("", raw.strip(), count=1)
            if not line:
                continue
            sentences = _SENTENCE.split(line)
            short = len(sentences) == 1 and len(_WORD.findall(line)) <= MAX_HEADING_WORDS
            is_heading = short and not line.endswith(".")
            for number, sentence in enumerate(sentences):
                colon = sentence.find(":", 0, MAX_LABEL_CHARS)
                label = _normal(sentence[:colon]) if colon > 0 else None
                first = is_heading and number == 0
                yield _Part(_normal(sentence), sentence, label, first, section.page)


def _a_form(
    found: dict[str, _Part], named: set[str], numbered: bool, pages: int, minimum: int
) -> bool:
    """Whether the parts found make the document's form: as many different parts as the
    kind asks ("Ordre du jour", "Présents", "Excusés"; not "Méthode en cascade" and "Méthode
    du tourniquet" for two), or numbered items of one ("Critère 1", "Critère 2");
    not one heading repeated ("Résultats du trimestre 3", "... 4") nor the rows of a table on
    one page of a long document."""
    if len(named) < minimum and not numbered:
        return False
    on = {p.page for p in found.values() if p.page is not None}
    return not (pages > LONG_DOCUMENT_PAGES and len(on) == 1)


def _numbered(part: _Part, marker: str) -> bool:
    rest = part.text[len(marker) :].split()
    return bool(rest and rest[0].isdigit())


def _names_part(part: _Part, marker: str) -> bool:
    """The part opens with the marker as a label ("Excusés : ...", "Critères de sélection
    : ..."), as a numbered item ("Critère 3 ...") or as a short heading ("Calendrier
    prévisionnel")."""
    if part.label is not None and _opens(part.label, marker):
        return len(part.label.split()) <= len(marker.split()) + MAX_LABEL_EXTRA_WORDS
    if not _opens(part.text, marker):
        return False
    return part.heading or _numbered(part, marker)


def _opens(text: str, name: str) -> bool:
    return bool(name) and (text == name or text.startswith(name + " "))


def _normal(text: str) -> str:
    """Folded words apart, one space: how titles, names and lines are compared."""
    return " ".join(_WORD.findall(fold(text).replace("_", " ")))
