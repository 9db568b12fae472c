"""Citation formats that reference managers import as they stand: RIS, BibTeX, CSL-JSON.

Checked against what Zotero's importers read (its RIS, BibTeX and CSL JSON translators):

- RIS (written with `rispy`): TY from the document kind (RPRT -> report, SLIDE ->
  presentation, ELEC -> web page, THES -> thesis; never GEN, which Zotero reads as a
  journal article), TI, AU as "Family, Given" or the whole name of an organisation (no
  comma: Zotero keeps it as one name), PY and DA, UR, KW (one line per tag: Zotero tags),
  AB, LA, M3 (the kind's label: Zotero's report type), PB (publisher: Zotero's
  institution of a report), N1 (a curator's note: a Zotero note, only when asked).
  CRLF line ends, no record counter lines.
- BibTeX (written with `bibtexparser`): @techreport for reports, @misc for presentations
  and web pages, @phdthesis/@mastersthesis; UTF-8 values, LaTeX specials escaped, an
  organisation's name braced so that it stays one author; keywords comma-separated (Zotero
  tags), a curator's note as `annote` (a Zotero note). `langid` (the babel name, `french`)
  tells biblatex and pandoc that the title is not English, so they keep its case; words
  with a capital after the title's first letter are braced too ({Rennes}, {ESS}), which
  every BibTeX processor keeps as written. `date` holds the full ISO date (biblatex,
  pandoc), `year` the year (BibTeX); the publisher is a report's `institution` (Zotero:
  publisher) or a misc entry's `publisher`.
- CSL-JSON (plain JSON, no library needed): only types Zotero's CSL JSON importer accepts
  (report, speech, webpage, thesis); authors as family/given or literal; issued as
  date-parts (year, month, day as far as known); URL; genre (the kind's label); publisher;
  keyword (comma-separated, the CSL variable for tags).

The URL of every reference is the document's public page (`{public_url}/notice/{id}`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import bibtexparser
import rispy
from bibtexparser import model
from rispy.writer import RisWriter

from indexer.text import fold


@dataclass(frozen=True)
class CitationType:
    csl: str
    ris: str
    bibtex: str


REPORT = CitationType("report", "RPRT", "techreport")
SPEECH = CitationType("speech", "SLIDE", "misc")
WEBPAGE = CitationType("webpage", "ELEC", "misc")
THESIS = CitationType("thesis", "THES", "phdthesis")
MASTERS = CitationType("thesis", "THES", "mastersthesis")

# Kind keys of the vocabulary -> citation type. Every kind of the observatory (frameworks,
# guides, studies, notes, terms of reference, minutes, working papers, newsletters) is grey
# literature published by an institution: a report, its kind becoming the report type.
# The thesis keys are there for kinds curators may add to the vocabulary.
KIND_TYPES: Mapping[str, CitationType] = {
    "presentation": SPEECH,
    "these": THESIS,
    "memoire": MASTERS,
}
WEB_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Language keys of the vocabulary -> babel/polyglossia names (BibTeX `langid`).
LANGIDS: Mapping[str, str] = {"fr": "french", "en": "english", "br": "breton", "de": "german",
                              "es": "spanish", "it": "italian"}


@dataclass(frozen=True)
class Reference:
    """What an export says about one document."""

    id: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    date: str | None  # ISO: 2008, 2008-03 or 2008-03-14
    kind: str | None  # vocabulary key
    kind_label: str | None
    media_type: str
    summary: str | None
    language: str | None
    url: str  # the document's public page
    file_url: str  # its original file
    tags: Mapping[str, tuple[str, ...]]  # controlled field -> keys
    labels: Mapping[str, tuple[str, ...]]  # controlled field -> French labels
    keywords: tuple[str, ...]  # French labels of its family, territory, mission, instance
    note: str | None = None  # a curator's note (collection entry), only when asked for
    publisher: tuple[str, ...] = ()  # who published it (sidecar, or the observatory's bodies)

    @property
    def citation_type(self) -> CitationType:
        if self.kind is not None and self.kind in KIND_TYPES:
            return KIND_TYPES[self.kind]
        if self.kind is None and self.media_type in WEB_MEDIA_TYPES:
            return WEBPAGE
        return REPORT

    @property
    def date_parts(self) -> list[int]:
        """[year, month, day] as far as known; [] when undated."""
        if self.date and re.fullmatch(r"\d{4}(-\d{2}){0,2}", self.date):
            return [int(p) for p in self.date.split("-")]
        return [self.year] if self.year else []


# --- CSL-JSON ----------------------------------------------------------------------------------


def csl_json(references: Sequence[Reference]) -> str:
    return json.dumps([csl_item(r) for r in references], ensure_ascii=False, indent=2) + "\n"


def csl_item(ref: Reference) -> dict[str, object]:
    item: dict[str, object] = {"id": ref.id, "type": ref.citation_type.csl, "title": ref.title}
    if ref.authors:
        item["author"] = [_csl_name(a) for a in ref.authors]
    if ref.date_parts:
        item["issued"] = {"date-parts": [ref.date_parts]}
    if ref.kind_label and ref.citation_type in (REPORT, THESIS, MASTERS, SPEECH):
        item["genre"] = ref.kind_label
    if ref.summary:
        item["abstract"] = ref.summary
    if ref.language:
        item["language"] = ref.language
    if ref.publisher:
        item["publisher"] = "; ".join(ref.publisher)
    item["URL"] = ref.url
    if ref.keywords:
        item["keyword"] = ", ".join(ref.keywords)
    if ref.note:
        item["note"] = ref.note
    return item


def _csl_name(author: str) -> dict[str, str]:
    family, given = _split_name(author)
    return {"family": family, "given": given} if given else {"literal": family}


# --- RIS -----------------------------------------------------------------------------------


class _Writer(RisWriter):
    """RIS as reference managers expect it: no "1." counter line before each record, CRLF."""

    NEWLINE = "\r\n"

    def set_header(self, count: int) -> str:
        return ""


def ris(references: Sequence[Reference]) -> str:
    return rispy.dumps([ris_record(r) for r in references], implementation=_Writer)


def ris_record(ref: Reference) -> dict[str, object]:
    """rispy's field names (see rispy.TAG_KEY_MAPPING) -> values, in RIS order."""
    record: dict[str, object] = {
        "type_of_reference": ref.citation_type.ris,
        "title": _line(ref.title),
    }
    if ref.authors:
        record["authors"] = [_line(a) for a in ref.authors]
    parts = ref.date_parts
    if parts:
        record["year"] = str(parts[0])
        if len(parts) > 1:
            record["date"] = "/".join(f"{p:02d}" for p in parts) + "/" * (4 - len(parts))
    if ref.kind_label:
        record["type_of_work"] = _line(ref.kind_label)
    if ref.summary:
        record["abstract"] = _line(ref.summary)
    if ref.language:
        record["language"] = ref.language
    if ref.publisher:
        record["publisher"] = _line("; ".join(ref.publisher))
    record["urls"] = [ref.url]
    if ref.keywords:
        record["keywords"] = [_line(k) for k in ref.keywords]
    if ref.note:
        record["notes"] = [_line(ref.note)]
    return record


def _line(text: str) -> str:
    """One RIS line holds one value: newlines would start bogus tags."""
    return " ".join(text.split())


# --- BibTeX --------------------------------------------------------------------------------


def bibtex(references: Sequence[Reference]) -> str:
    library = bibtexparser.Library()
    keys: set[str] = set()
    for ref in references:
        library.add(bibtex_entry(ref, keys))
    return bibtexparser.write_string(library)


def bibtex_entry(ref: Reference, taken: set[str] | None = None) -> model.Entry:
    """An entry whose key is author-or-title word, year and id start (unique in `taken`)."""
    kind = ref.citation_type
    fields: list[tuple[str, str]] = [("title", protect_capitals(_tex(ref.title)))]
    if ref.authors:
        fields.append(("author", " and ".join(_bib_name(a) for a in ref.authors)))
    parts = ref.date_parts
    if parts:
        fields.append(("year", str(parts[0])))
        fields.append(("date", "-".join([str(parts[0]), *(f"{p:02d}" for p in parts[1:])])))
    if ref.publisher:
        field = {"techreport": "institution", "phdthesis": "school",
                 "mastersthesis": "school"}.get(kind.bibtex, "publisher")
        fields.append((field, " and ".join("{" + _tex(p) + "}" for p in ref.publisher)))
    if ref.kind_label:
        field = "howpublished" if kind.bibtex == "misc" else "type"
        fields.append((field, _tex(ref.kind_label)))
    if ref.summary:
        fields.append(("abstract", _tex(ref.summary)))
    if ref.language:
        fields.append(("langid", LANGIDS.get(ref.language, ref.language)))
        fields.append(("language", LANGIDS.get(ref.language, ref.language)))
    fields.append(("url", _braces_ok(ref.url)))
    if ref.keywords:
        fields.append(("keywords", _tex(", ".join(ref.keywords))))
    if ref.note:
        fields.append(("annote", _tex(ref.note)))
    key = _key(ref, taken if taken is not None else set())
    return model.Entry(kind.bibtex, key, [model.Field(k, v) for k, v in fields])


def _key(ref: Reference, taken: set[str]) -> str:
    source = ref.authors[0] if ref.authors else ref.title
    words = re.findall(r"[a-z0-9]+", fold(_split_name(source)[0]))
    word = next((w for w in words if len(w) > 3), words[0] if words else "ref")
    year = str(ref.date_parts[0]) if ref.date_parts else "nd"
    key = f"{word[:20]}{year}-{ref.id[:6]}"
    n = 1
    while key in taken:
        n += 1
        key = f"{word[:20]}{year}-{ref.id[:6]}-{n}"
    taken.add(key)
    return key


def _bib_name(author: str) -> str:
    family, given = _split_name(author)
    if given:
        return _tex(f"{family}, {given}")
    return "{" + _tex(family) + "}"  # an organisation: one name, never "Bretagne, Collège"


_TEX_SPECIALS = re.compile(r"([&%$#_])")
# A word: letters and digits, with inner apostrophes and hyphens (d'Armor, Côtes-d'Armor).
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def protect_capitals(title: str) -> str:
    """Brace every word holding a capital, except the title's first word when only its
    first letter is one: "Étude sur le Pays de Rennes" -> "Étude sur le {Pays} de {Rennes}".

    Styles that change a title's case (sentence case for English entries) leave braced
    words alone, so proper nouns and acronyms ({ESS}, {SCIC}) survive whatever the style.
    Text already inside braces is left as it is.
    """
    out: list[str] = []
    depth = 0
    first = True
    last = 0
    for match in _WORD.finditer(title):
        before = title[last:match.start()]
        depth += before.count("{") - before.count("}")
        out.append(before)
        word = match.group()
        capital = any(c.isupper() for c in (word[1:] if first else word))
        out.append("{" + word + "}" if capital and depth == 0 else word)
        first = False
        last = match.end()
    out.append(title[last:])
    return "".join(out)


def _tex(text: str) -> str:
    """A BibTeX value: one line, LaTeX specials escaped, braces balanced."""
    text = " ".join(_braces_ok(text.replace("\\", "/")).split())
    return _TEX_SPECIALS.sub(r"\\\1", text)


def _braces_ok(text: str) -> str:
    """`text` if its braces balance, else without braces: an unbalanced brace ends a BibTeX
    value early (even escaped, BibTeX counts it)."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth == 0:
        return text
    return text.replace("{", "").replace("}", "")


# --- names -------------------------------------------------------------------------------


def _split_name(author: str) -> tuple[str, str]:
    """("Dupont", "Jean") for "Dupont, Jean"; (name, "") for anything else, taken whole:
    "Collège coopératif de Bretagne" must not become Bretagne, Collège coopératif de."""
    family, comma, given = author.partition(",")
    if comma and family.strip() and given.strip() and "," not in given:
        return family.strip(), given.strip()
    return author.strip(), ""
