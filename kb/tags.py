"""Tags: where each tag of a document comes from, and which ones win.

A document's tags come from several origins, lowest priority first: defaults and the file
name ("derived"), the file's own properties ("properties"), synonyms found in its text
("auto"), its sidecar file ("sidecar") and corrections made in the catalog ("curator").
Every tag is kept with its origin; `effective` picks, per field, the values of the highest
origin that has any. Automatic tags keep their evidence (`TagEvidence`: the names found
and their pages), which the catalog stores beside them.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from indexer.extract.base import ExtractedDocument
from indexer.fields import TABLE
from indexer.messages import Message, _
from kb.choices import allowed_keys, unknown_field, unknown_term
from kb.errors import InvalidTag
from kb.mentions import Mention
from kb.vocabulary import (
    CONTROLLED_FIELDS,
    FIELDS,
    MULTI_VALUED,
    EvidenceRule,
    Vocabulary,
)

log = logging.getLogger(__name__)

ORIGINS = ("derived", "properties", "auto", "sidecar", "curator")  # lowest priority first
_PRIORITY = {origin: rank for rank, origin in enumerate(ORIGINS)}

# Fields that keywords and text may set: they describe what a document is about. Status
# and visibility are decisions (a text saying "validé" is not validated by the scientific
# council, and a keyword must never publish a document); source and language are not
# matters of vocabulary in a text.
AUTO_FIELDS = tuple(f.name for f in TABLE if f.auto)
# The fields whose names in a text are evidence; a kind comes from the document's form,
# title and parts instead (`kb.kinds`): "état des lieux" in board minutes makes no study.
MENTION_FIELDS = tuple(f for f in AUTO_FIELDS if f != "kind")

YEAR_RANGE = (1900, 2100)


@dataclass(frozen=True)
class Tag:
    """One value of one field for a document, with where it comes from."""

    field: str
    value: str  # a term key for controlled fields, the text itself for free ones
    origin: str


@dataclass(frozen=True)
class TagWarning:
    """A value that was dropped: not in the vocabulary, or not a valid year or date."""

    source: str  # the file (document or sidecar) the value came from
    field: str
    value: str
    closest: tuple[str, ...] = ()

    allowed: tuple[str, ...] = ()  # the field's keys, said when none is close

    @property
    def message(self) -> Message:
        """The warning without its source: "unknown family 'cooperative' (closest: ...)"."""
        if self.field == "year":
            low, high = YEAR_RANGE
            return _("invalid year {value!r} (expected 4 digits between {low} and {high})",
                     value=self.value, low=low, high=high)
        if self.field == "date":
            return _("invalid date {value!r} (expected an ISO date such as 2008-03-14)",
                     value=self.value)
        return unknown_term(self.field, self.value, self.closest, self.allowed)

    @property
    def sourced(self) -> Message:
        """The warning with the file it is about."""
        return _("{source}: {message}", source=self.source, message=self.message)

    def __str__(self) -> str:
        return str(self.sourced)


def normalize(
    field: str, values: Iterable[str], vocab: Vocabulary, origin: str, source: str
) -> tuple[list[Tag], list[TagWarning]]:
    """Tags for raw values of one field, and warnings for the values dropped.

    Controlled fields: each value (key, label or synonym) becomes its term key; an unknown
    one is dropped with a TagWarning naming the closest keys. Free fields are kept stripped
    (titles and authors with single spaces), empty values dropped. `year` must be 4 digits
    in YEAR_RANGE; `date` must be ISO (2008, 2008-03, 2008-03-14, or a datetime, cut to its
    date) and also yields a `year` tag. Duplicates are removed, order is kept.
    Raises InvalidTag for a field that does not exist, ValueError for an unknown origin.
    """
    return _normalize(field, values, vocab, origin, source, derive_year=True)


def tags_from_properties(
    doc: ExtractedDocument, vocab: Vocabulary, source: str
) -> tuple[list[Tag], list[TagWarning]]:
    """Tags (origin "properties") from what a file says about itself.

    Authors (split on ";"), language ("fr-FR" -> "fr"), description -> summary. The title
    and the date are not taken here: `kb.titles` and `kb.stated_dates` weigh them against
    what the document shows (`described_tags`). Keywords (also split on "," and
    ";") that resolve to a term of a descriptive field (AUTO_FIELDS) become that tag; other
    keywords are ignored without a warning, as keywords are free text.
    """
    tags: list[Tag] = []
    warnings: list[TagWarning] = []

    def add(field: str, values: Iterable[str]) -> None:
        found, dropped = normalize(field, values, vocab, "properties", source)
        tags.extend(found)
        warnings.extend(dropped)

    add("authors", [part for author in doc.authors for part in author.split(";")])
    if doc.language:
        add("language", [re.split(r"[-_]", doc.language.strip())[0].lower()])
    if doc.description:
        add("summary", [doc.description])
    for keyword in (k for raw in doc.keywords for k in re.split(r"[,;]", raw)):
        for field in AUTO_FIELDS:
            term = vocab.resolve(field, keyword)
            if term is not None:
                tags.append(Tag(field, term.key, "properties"))
    return _unique(tags), warnings


@dataclass(frozen=True)
class TagEvidence:
    """Why an automatic tag was set: what the text says, and where."""

    field: str
    value: str
    reason: str  # "title", "first page" or "N mentions"
    mentions: int  # names of the term found (weak ones included)
    words: tuple[str, ...]  # the names as written, distinct, at most MAX_EVIDENCE_WORDS
    pages: tuple[int, ...]  # pages holding them, ascending, at most MAX_EVIDENCE_PAGES


MAX_EVIDENCE_WORDS = 5
MAX_SUGGESTIONS = 5  # a field's suggestions for one document: a curator reads them all
MAX_EVIDENCE_PAGES = 20


def auto_tags(
    mentions: Iterable[Mention], vocab: Vocabulary
) -> tuple[list[Tag], list[TagEvidence]]:
    """Tags (origin "auto") for the terms the text gives evidence of, with that evidence.

    Only descriptive fields named in the text (MENTION_FIELDS; the kind: `kb.kinds`). A
    term is tagged when the vocabulary's rule for it (`Vocabulary.evidence_rule`) is met:
    one of its names that is not weak stands in the title or the document's head (its
    first HEAD_CHARS characters), or twice on its first page; or its names are found
    `min_mentions` times, one of them at least not weak; or `weak_min_mentions` times,
    weak ones alone. A weak name in the
    title counts only in a document that names some term by a name that is not weak: in
    "Diagnostic de l'ESS à Rennes" the ESS context says what "diagnostic" means; in "Outils
    de diagnostic réseau" nothing does. Per field the terms named most often come first,
    so a single-valued field keeps the best supported one.
    """
    chosen, _ = weigh_mentions(mentions, vocab)
    return [Tag(e.field, e.value, "auto") for e in chosen], chosen


def weigh_mentions(
    mentions: Iterable[Mention],
    vocab: Vocabulary,
    length: int | None = None,
    on_ground: bool = False,
    own: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[list[TagEvidence], list[TagEvidence]]:
    """The evidence of each term named in the text, split in two: what tags the document
    (`auto_tags`'s rule), and what is real but not enough, a name that is not weak found
    below the rule: a suggestion for curators (`kb.suggestions`), at most
    MAX_SUGGESTIONS a field, the most named first. `length`: the document's words, when
    known: weak names alone must then be the rule's `weak_density` a thousand words (28
    "associations" in a 35,000-word software manual are not what it is about).
    `on_ground`: the document's title and start use the observatory's ground words
    (`Vocabulary.on_ground`), which give a weak name in its title its meaning as a name
    of another term does: "Compte rendu du conseil d'administration de l'association".
    `own`: (field, key) of the terms whose own documents' words the text uses
    (`Vocabulary.own_documents`): a weak name of one in the document's head counts as in
    its title (the minutes of the "Association des amis du Salève")."""
    by_term: dict[tuple[str, str], list[Mention]] = {}
    for mention in mentions:
        if mention.field in MENTION_FIELDS:
            by_term.setdefault((mention.field, mention.key), []).append(mention)
    in_context = on_ground or any(not m.weak for found in by_term.values() for m in found)
    named: dict[str, int] = {}  # per field, the terms named by a name that is not weak
    for (field, _key), found in by_term.items():
        named[field] = named.get(field, 0) + any(not m.weak for m in found)
    compared = _compared(by_term, vocab)
    chosen: list[TagEvidence] = []
    below: list[TagEvidence] = []
    for (field, key), found in by_term.items():
        beside = named[field] - any(not m.weak for m in found) > 0
        reason = _reason(found, vocab.evidence_rule(field, key), in_context, length, beside)
        if reason is None and (field, key) in own and any(m.place == "head" for m in found):
            reason = "head, with the words of its own documents"
        strong = sum(not m.weak for m in found)
        count = f"{len(found)} mention{'s' if len(found) > 1 else ''}"
        if reason not in (None, "title") and (field, key) in compared:
            reason, strong = None, 1  # real evidence, for curators to judge
            count += ", compared with " + ", ".join(compared[(field, key)])
        if reason is None and not strong:
            continue
        words = tuple(dict.fromkeys(m.words for m in found))[:MAX_EVIDENCE_WORDS]
        pages = tuple(sorted({m.page for m in found if m.page is not None}))
        evidence = TagEvidence(field, key, reason or count, len(found), words,
                               pages[:MAX_EVIDENCE_PAGES])  # fmt: skip
        (chosen if reason else below).append(evidence)
    order = {field: n for n, field in enumerate(AUTO_FIELDS)}
    for found_list in (chosen, below):
        found_list.sort(key=lambda e: (order[e.field], -e.mentions, e.value))
    kept: dict[str, int] = {}
    suggested = []
    for evidence in below:
        kept[evidence.field] = kept.get(evidence.field, 0) + 1
        if kept[evidence.field] <= MAX_SUGGESTIONS:
            suggested.append(evidence)
    return chosen, suggested


def _compared(
    by_term: Mapping[tuple[str, str], list[Mention]], vocab: Vocabulary
) -> dict[tuple[str, str], tuple[str, ...]]:
    """The terms compared with the document's subject, each with the subject's terms: in a
    field whose rule sets `title_subject`, the terms the title names are the subject, and
    another term named fewer times than each of them is only compared with it. "De la
    startup d'État à la Fondation" names SCICs tab by tab beside foundations: it is about
    foundations."""
    subjects: dict[str, dict[str, int]] = {}
    for (field, key), found in by_term.items():
        if any(m.place == "title" for m in found) and vocab.evidence_rule(field, key).title_subject:
            subjects.setdefault(field, {})[key] = len(found)
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for (field, key), found in by_term.items():
        titled = subjects.get(field, {})
        if key not in titled and any(len(found) < n for n in titled.values()):
            out[(field, key)] = tuple(sorted(titled))
    return out


def _reason(
    found: list[Mention],
    rule: EvidenceRule,
    in_context: bool,
    length: int | None = None,
    beside: bool = False,
) -> str | None:
    strong = sum(not m.weak for m in found)
    if any(m.place == "title" and (in_context or not m.weak) for m in found):
        return "title"
    # Named once on the first page is "in passing" unless it is in the document's head.
    first_page = [m for m in found if m.place in ("head", "first page") and not m.weak]
    if any(m.place == "head" for m in first_page) or len(first_page) >= 2:
        return "first page"
    if strong and len(found) >= rule.min_mentions:
        return f"{len(found)} mentions"
    if strong and beside and rule.beside_min_mentions and len(found) >= rule.beside_min_mentions:
        return f"{len(found)} mention{'s' if len(found) > 1 else ''}, beside another term"
    dense = length is None or len(found) * 1000 >= rule.weak_density * length
    if len(found) >= rule.weak_min_mentions and dense:
        return f"{len(found)} mentions"
    return None


def tags_from_text(text: str, vocab: Vocabulary) -> list[Tag]:
    """`auto_tags` of a text without title or pages."""
    return auto_tags(vocab.find_mentions("", [(text, None)]), vocab)[0]


def tags_from_sidecar(
    values: Mapping[str, tuple[str, ...]], vocab: Vocabulary, source: str
) -> tuple[list[Tag], list[TagWarning]]:
    """Tags (origin "sidecar") from the values `read_sidecar` returned.

    A `date` yields a `year` only when the sidecar gives no `year` of its own.
    """
    tags: list[Tag] = []
    warnings: list[TagWarning] = []
    has_year = bool(values.get("year"))
    for field, field_values in values.items():
        found, dropped = _normalize(
            field, field_values, vocab, "sidecar", source, derive_year=not has_year
        )
        tags.extend(found)
        warnings.extend(dropped)
    return _unique(tags), warnings


def effective(tags: Iterable[Tag]) -> dict[str, tuple[str, ...]]:
    """Per field, the values of the highest-priority origin that has any for that field.

    A higher origin replaces the lower ones, it does not add to them (a sidecar's families
    replace the automatic ones). Single-valued fields keep their first value; order is
    kept, duplicates removed. Fields come in FIELDS order, then any others.
    Raises ValueError for a tag of unknown origin.
    """
    best: dict[str, int] = {}
    values: dict[tuple[str, int], list[str]] = {}
    for tag in tags:
        rank = _rank(tag.origin)
        best[tag.field] = max(rank, best.get(tag.field, rank))
        kept = values.setdefault((tag.field, rank), [])
        if tag.value not in kept:
            kept.append(tag.value)
    ordered = [f for f in FIELDS if f in best] + [f for f in best if f not in FIELDS]
    result: dict[str, tuple[str, ...]] = {}
    for field in ordered:
        chosen = values[(field, best[field])]
        result[field] = tuple(chosen if field in MULTI_VALUED else chosen[:1])
    return result


@dataclass(frozen=True)
class Sourced:
    """A title or a date chosen for a document, and where it was read."""

    value: str
    source: str  # "largest type on page 1", "file metadata", "stated on page 1", ...
    quote: str | None = None  # the words as written, for a date read in the text
    page: int | None = None


# Sources that are the file's properties (origin "properties"); any other is the document's.
FILE_SOURCES = frozenset({"file metadata", "file properties"})


def described_tags(
    title: Sourced | None, date: Sourced | None, vocab: Vocabulary, source: str
) -> tuple[list[Tag], list[TagWarning], list[TagEvidence]]:
    """Tags for the chosen title and date, with where each came from as its evidence.

    Origin "properties" when the file's properties gave the value, "derived" when the
    document's own text or its file name did. A date also gives its year, with the same
    evidence. The evidence's reason is the source, its words the quote.
    """
    tags: list[Tag] = []
    warnings: list[TagWarning] = []
    evidence: list[TagEvidence] = []
    for field, chosen in (("title", title), ("date", date)):
        if chosen is None:
            continue
        origin = "properties" if chosen.source in FILE_SOURCES else "derived"
        found, dropped = normalize(field, [chosen.value], vocab, origin, source)
        tags.extend(found)
        warnings.extend(dropped)
        words = (chosen.quote,) if chosen.quote else ()
        pages = (chosen.page,) if chosen.page else ()
        evidence.extend(TagEvidence(t.field, t.value, chosen.source, 0, words, pages)
                        for t in found)  # fmt: skip
    return tags, warnings, evidence


def derived_tags(defaults: Mapping[str, str]) -> list[Tag]:
    """Tags (origin "derived") every document gets: the defaults (e.g. {"visibility":
    "public", "status": "draft"}), taken as given: they are keys. Raises InvalidTag for a
    default on a field that does not exist."""
    tags = []
    for field, value in defaults.items():
        _check_field(field, "defaults")
        if value.strip():
            tags.append(Tag(field, value.strip(), "derived"))
    return tags


# --- helpers ---------------------------------------------------------------------------------


def _normalize(
    field: str,
    values: Iterable[str],
    vocab: Vocabulary,
    origin: str,
    source: str,
    *,
    derive_year: bool,
) -> tuple[list[Tag], list[TagWarning]]:
    _check_field(field, source)
    _rank(origin)
    tags: list[Tag] = []
    warnings: list[TagWarning] = []
    for raw in values:
        value = raw.strip()
        if not value:
            continue
        if field in CONTROLLED_FIELDS:
            term = vocab.resolve(field, value)
            if term is None:
                closest = tuple(vocab.closest(field, value))
                allowed = () if closest else allowed_keys(vocab, field)
                warnings.append(TagWarning(source, field, value, closest, allowed))
            else:
                tags.append(Tag(field, term.key, origin))
        elif field == "year":
            if _valid_year(value):
                tags.append(Tag("year", value, origin))
            else:
                warnings.append(TagWarning(source, "year", value))
        elif field == "date":
            date = _iso_date(value)
            if date is None:
                warnings.append(TagWarning(source, "date", value))
            else:
                tags.append(Tag("date", date, origin))
                if derive_year:
                    tags.append(Tag("year", date[:4], origin))
        elif field in ("title", "authors"):
            tags.append(Tag(field, " ".join(value.split()), origin))
        else:
            tags.append(Tag(field, value, origin))
    return _unique(tags), warnings


def _check_field(field: str, source: str) -> None:
    if field not in FIELDS:
        raise InvalidTag(_("{source}: {message}", source=source,
                           message=unknown_field(field, FIELDS)))


def _rank(origin: str) -> int:
    try:
        return _PRIORITY[origin]
    except KeyError:
        raise ValueError(f"unknown tag origin {origin!r}; origins are {ORIGINS}") from None


def _valid_year(value: str) -> bool:
    return (
        len(value) == 4
        and value.isascii()
        and value.isdigit()
        and (YEAR_RANGE[0] <= int(value) <= YEAR_RANGE[1])
    )


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ].*)?)?)?", re.ASCII | re.DOTALL)


def _iso_date(value: str) -> str | None:
    """ "2008", "2008-03", "2008-03-14" or an ISO datetime, as the date it names; else None."""
    match = _ISO_DATE.fullmatch(value)
    if match is None or not _valid_year(match[1]):
        return None
    year, month, day = match[1], match[2], match[3]
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return "-".join(part for part in (year, month, day) if part)


def _unique(tags: list[Tag]) -> list[Tag]:
    return list(dict.fromkeys(tags))
