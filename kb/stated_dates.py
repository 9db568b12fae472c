"""A document's date: the one it states, else its file's when plausible, else none.

A date the document states on its first page or in its title ("Compte rendu de la réunion
du 14 mars 2013", "Publication : février 2023", a date line "Rennes, le 3 juin 2009") comes
first; a date in the middle of a sentence ("la loi du 31 juillet 2014") is not the
document's. Phrases are found by a regular expression and read by dateparser (French,
absolute dates only: "hier" or "lundi dernier" are never read, a year is required). The
file's creation date is used only when plausible: not the moment of the ingest or of a
conversion, not a template's date older than the dates the text itself gives. Otherwise
no date: a wrong year misleads a researcher's filter, a missing one does not.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import dateparser

from indexer.extract.base import ExtractedDocument
from indexer.extract.sniff import MARKDOWN
from kb.tags import Sourced

log = logging.getLogger(__name__)

_MONTHS = (
    r"janvier|janv|f[ée]vrier|f[ée]vr?|mars|avril|avr|mai|juin|juillet|juil|ao[uû]t|"
    r"septembre|sept|octobre|oct|novembre|nov|d[ée]cembre|d[ée]c"
)
_DAY = r"1er|[12]\d|3[01]|0?[1-9]"
_YEAR = r"(?:19|20)\d\d"
_PHRASE = re.compile(
    rf"\b(?:(?P<day>{_DAY})\s+)?(?P<month>{_MONTHS})\.?\s+(?P<year>{_YEAR})\b"
    rf"|\b(?P<nday>{_DAY})[/.](?P<nmonth>0?[1-9]|1[0-2])[/.](?P<nyear>{_YEAR})\b"
    # ISO, as web pages print a post's date ("2021-02-12"); never a span "2021-2022".
    rf"|(?<![\d-])(?P<iyear>{_YEAR})-(?P<imonth>0[1-9]|1[0-2])-(?P<iday>0[1-9]|[12]\d|3[01])"
    rf"(?![\d-])",
    re.IGNORECASE,
)
# What introduces the date of a meeting or of a publication, just before the date.
_CUE = re.compile(
    r"(?:\b(?:r[ée]union|s[ée]ance|assembl[ée]e(?:\s+g[ée]n[ée]rale)?|comit[ée]|conseil|"
    r"copil|bureau|rencontre|journ[ée]e|s[ée]minaire|atelier|compte[- ]rendu|proc[èe]s[- ]"
    r"verbal|relev[ée] de d[ée]cisions)\b[^.,;\n]{0,60}?\b(?:du|le|en date du)"
    r"|\b(?:forum|colloque|conf[ée]rence|rencontres?|journ[ée]es?|s[ée]minaire|assises)\b"
    r"[^.;\n]{0,80}?\s[–—-]"
    r"|\b(?:publication|publi[ée]e?|parution|paru|[ée]dition|mise à jour|mis à jour|version|"
    r"date|r[ée]dig[ée]e?|r[ée]alis[ée]e?|fait|[ée]tabli|adopt[ée]e?|valid[ée]e?)\b"
    r"\s*(?:le|en|du|:|-|–)?)\s*(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)?\s*$",
    re.IGNORECASE,
)
# A date after these is a text's reference, not the document's date.
_REFERENCE = re.compile(
    r"\b(?:loi|d[ée]cret|arr[êe]t[ée]|ordonnance|circulaire|directive|n°|no)\b[^\n]{0,40}$",
    re.IGNORECASE,
)
# A date after these is planned, not the document's ("l'atelier prévu le 24 janvier").
_PLANNED = re.compile(
    r"\b(?:pr[ée]vue?s?|prochaine?s?|aura lieu|se tiendra|se r[ée]unira|report[ée]e?)\b",
    re.IGNORECASE,
)
_DATE_LINE_WORDS = 4  # besides the date: "Rennes, le", "Fait à Saint-Brieuc, le"
_COVER_LINES = 3  # the lines of a cover that may hold its year, the title's aside
_COVER_WORDS = 3  # a name and the year: "Vigiliantes 2022", "CRES Bretagne 2015"
_TOP_LINES = 15  # a date line counts among the first lines of the first page
_FIRST_PAGE_CHARS = 3_000  # the first page of a format without pages
_TEXT_DATES_CHARS = 20_000  # where the text's own dates are looked for (template check)
_RECENT = dt.timedelta(days=1)  # a file date this close to the ingest is a handling date
_TEMPLATE_GAP = dt.timedelta(days=365)  # a creation date this far before the text's dates
_SETTINGS = {
    "PREFER_DATES_FROM": "past",
    "REQUIRE_PARTS": ["year"],
    "PARSERS": ["absolute-time"],
    "DATE_ORDER": "DMY",
    "RETURN_AS_TIMEZONE_AWARE": False,
}
# Producers of PDFs that convert or print a finished file: with CreationDate == ModDate the
# date is the conversion's, not the text's.
_CONVERTERS = re.compile(
    r"ghostscript|libreoffice|openoffice|pdfcreator|print to pdf|microsoft: print|wkhtmltopdf|"
    r"skia|quartz|cairo|pdftk|qpdf|itext|chrom|pdf24|dopdf|novapdf|cutepdf|bullzip|primopdf|"
    r"nitro|pdfsharp|reportlab|pandoc|prince|weasyprint|mac os x .* quartz",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StatedDate:
    """A date phrase found in a text, read as an ISO date of the precision it gives."""

    iso: str  # "2013-03-14" or "2023-02"
    quote: str  # the phrase as written
    start: int  # offset in the text
    end: int


def choose_date(document: ExtractedDocument, title: str, ingested: dt.datetime) -> Sourced | None:
    """The document's date and where it was read, or None when nothing plausible says it.

    `ingested` is the moment of the ingest (aware or naive UTC): file dates within a day of
    it are taken for the moment of a conversion, a copy or the ingest itself.
    """
    today = ingested.date()
    for found in stated_dates(title, today):
        if _introduced(title, found) or is_date_line(title):
            return Sourced(found.iso, "stated in the title", found.quote)
    page, text = _first_page(document)
    for found in stated_dates(text, today):
        if _introduced(text, found) or _on_a_date_line(text, found):
            where = f"stated on page {page}" if page else "stated at the start of the text"
            return Sourced(found.iso, where, found.quote, page)
    if document.media_type == MARKDOWN and document.created:
        # A page's front matter `date` is its author's: the day the site shows it was posted.
        return Sourced(document.created, "front matter date", document.created)
    for found in stated_dates(title, today):  # a date anywhere in a title is the document's
        return Sourced(found.iso, "stated in the title", found.quote)
    year = _year_of_title(title, today)
    if year is not None:
        return Sourced(year, "year in the title", year)
    year = _year_on_the_cover(text, title, today)
    if year is not None:
        where = f"year on page {page}" if page else "year at the start of the text"
        return Sourced(year, where, year, page)
    return _property_date(document, ingested)


def _year_on_the_cover(text: str, title: str, today: dt.date) -> str | None:
    """The year of a short line among the first lines, under or above the title: a
    cover's "Vigiliantes 2022", "CRES Bretagne – 2015" (a name and the one year)."""
    lines = [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()]
    folded_title = " ".join(title.split()).casefold()
    others = [ln for ln in lines[: _COVER_LINES + 1] if ln.casefold() != folded_title]
    for line in others[:_COVER_LINES]:
        words = [w for w in re.split(r"[\s–—-]+", line) if w]
        years = _TITLE_YEAR.findall(line)
        if len(years) == 1 and len(words) <= _COVER_WORDS and not _YEAR_SPAN.search(line):
            rest = [w for w in words if w != years[0]]
            if rest and all(w[0].isalpha() for w in rest) and int(years[0]) <= today.year:
                return years[0]
    return None


def _year_of_title(title: str, today: dt.date) -> str | None:
    """The one year a title names ("Rapport annuel 2023", "Bilan 2025"), not a span of
    years ("Programme 2021-2027") nor a year to come ("Plan climat 2030")."""
    years = _TITLE_YEAR.findall(title)
    if len(years) != 1 or _YEAR_SPAN.search(title):
        return None
    return years[0] if 1900 <= int(years[0]) <= today.year else None


_TITLE_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/.-])")
_YEAR_SPAN = re.compile(r"(?:19|20)\d\d\s*(?:-|–|à|/)\s*(?:19|20)?\d\d")


def stated_dates(text: str, today: dt.date) -> Iterator[StatedDate]:
    """The absolute dates written in `text` (French), in order, none after `today`."""
    for match in _PHRASE.finditer(text):
        if match["iyear"]:  # dateparser would read it too, but it is ISO already
            iso: str | None = _valid_iso(match["iyear"], match["imonth"], match["iday"])
        else:
            iso = _read(match.group(0), bool(match["day"] or match["nday"]))
        if iso is not None and iso <= today.isoformat():
            yield StatedDate(iso, match.group(0), match.start(), match.end())


def _valid_iso(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:  # "2021-02-30"
        return None


def is_date_line(line: str) -> bool:
    """Whether a line is a date with at most a place and "le" around it ("Rennes, le 3
    juin 2009", "Mars 2015", "14/03/2013")."""
    match = _PHRASE.search(line)
    if match is None:
        return False
    rest = (line[: match.start()] + " " + line[match.end() :]).replace(",", " ")
    return len(rest.split()) <= _DATE_LINE_WORDS


def _introduced(text: str, found: StatedDate) -> bool:
    before = text[max(0, found.start - 120) : found.start]
    line = before.rsplit("\n", 1)[-1]
    return (
        _CUE.search(line) is not None
        and _REFERENCE.search(line) is None
        and _PLANNED.search(line) is None
    )


def _on_a_date_line(text: str, found: StatedDate) -> bool:
    """Whether the date stands on a line of its own near the top (a cover's or a letter's
    date); a table's row ("Fin des entretiens<tab>31 janvier 2008") is not one."""
    start = text.rfind("\n", 0, found.start) + 1
    if sum(1 for line in text[:start].splitlines() if line.strip()) >= _TOP_LINES:
        return False
    end = text.find("\n", found.end)
    line = text[start : end if end >= 0 else len(text)]
    return (
        "\t" not in line
        and " | " not in line
        and _REFERENCE.search(line[: found.start - start]) is None
        and is_date_line(line)
    )


def _first_page(document: ExtractedDocument) -> tuple[int | None, str]:
    """Page 1 of a paged document, else the first characters of the text (header first)."""
    pages = [s.text for s in document.sections if s.page == 1]
    if pages:
        return 1, "\n".join(pages)
    return None, document.text[:_FIRST_PAGE_CHARS]


def _property_date(document: ExtractedDocument, ingested: dt.datetime) -> Sourced | None:
    created = _moment(document.created)
    if created is None or document.created is None:
        return None
    now = ingested.replace(tzinfo=None) if ingested.tzinfo is None else ingested
    if _near(created, now):
        log.debug("file date %s is the ingest's or a copy's: not used", document.created)
        return None
    producer = document.properties.get("producer", "")
    if (
        producer
        and _CONVERTERS.search(producer)
        and document.modified is not None
        and _moment(document.modified) == created
    ):
        log.debug("file date %s is a conversion's (%s): not used", document.created, producer)
        return None
    text_dates = [d.iso for d in stated_dates(document.text[:_TEXT_DATES_CHARS], ingested.date())]
    latest = max(text_dates, default=None)
    if latest is not None and created.date() < _first_day(latest) - _TEMPLATE_GAP:
        # A draft's creation date precedes the dates it plans by months, not by years.
        log.debug("file date %s is older than the text's dates: a template's", document.created)
        return None
    return Sourced(document.created, "file properties")


def _first_day(iso: str) -> dt.date:
    year, month, day = (iso.split("-") + ["1", "1"])[:3]
    return dt.date(int(year), int(month), int(day))


def _moment(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", value)  # "2008", "2008-03"
    if match is None:
        return None
    try:
        return dt.datetime(int(match[1]), int(match[2] or 1), 1)
    except ValueError:
        return None


def _near(moment: dt.datetime, now: dt.datetime) -> bool:
    if (moment.tzinfo is None) != (now.tzinfo is None):
        moment, now = moment.replace(tzinfo=None), now.replace(tzinfo=None)
    return moment > now - _RECENT


@functools.lru_cache(maxsize=4096)
def _read(phrase: str, has_day: bool) -> str | None:
    moment = dateparser.parse(phrase, languages=["fr"], settings=_SETTINGS)
    if moment is None:
        return None
    return moment.date().isoformat() if has_day else f"{moment.year:04d}-{moment.month:02d}"
