"""OAI-PMH 2.0: the six verbs over the library, answered as XML built with lxml.

`answer(library, repository, arguments)` takes the request's arguments as (name, value)
pairs (GET query or POST form, repeated names kept so that they can be refused) and
returns the whole XML document. Protocol errors are answered in the protocol's own way:
an HTTP 200 whose body holds `<error code="...">` (badVerb, badArgument,
cannotDisseminateFormat, idDoesNotExist, noRecordsMatch, badResumptionToken).

Lists are cut into pages of `page_size` records, ordered by (datestamp, id); a resumption
token is stateless: it carries the request's arguments and the last (datestamp, id) sent,
so a record changed during a harvest moves past the cursor and is sent again, never lost.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from lxml import etree

from indexer import fields
from kb.curation import exports
from kb.library import Library
from kb.oai import records
from kb.oai.dublin_core import OAI_DC_NS, OAI_DC_SCHEMA, XSI_NS, dublin_core
from kb.oai.records import Policy, RecordHeader

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC = "oai_dc"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
MAX_TOKEN = 2000
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# verb -> (required, optional) arguments; `resumptionToken` is exclusive where allowed.
VERBS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset()),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
}
RESUMABLE = frozenset({"ListIdentifiers", "ListRecords", "ListSets"})
SET_NAMES = {
    "collection": "Collections de l'observatoire",
    **{name: fields.field(name).plural for name in records.SET_FIELDS[1:]},
}


@dataclass(frozen=True)
class Repository:
    """What the repository says of itself, and how it pages."""

    name: str
    public_url: str  # pages at {public_url}/notice/{id}, the endpoint at {public_url}/oai
    admin_email: str
    page_size: int = 100
    policy: Policy = field(default_factory=Policy)

    @property
    def base_url(self) -> str:
        return f"{self.public_url.rstrip('/')}/oai"

    @property
    def namespace(self) -> str:
        return urlsplit(self.public_url).hostname or "localhost"

    def identifier(self, doc_id: str) -> str:
        return f"oai:{self.namespace}:{doc_id}"

    def document_id(self, identifier: str) -> str | None:
        prefix = f"oai:{self.namespace}:"
        return identifier[len(prefix):] if identifier.startswith(prefix) else None


class OaiError(Exception):
    """A protocol error: its `code` is one of OAI-PMH's error codes."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ListQuery:
    """The selection of a list request, as a resumption token carries it."""

    verb: str
    prefix: str
    start: str | None  # `from`, normalised to seconds
    until: str | None
    set: str | None
    after: tuple[str, str] | None = None  # last (datestamp, id) sent
    cursor: int = 0  # records sent before this page


def answer(library: Library, repository: Repository, arguments: Sequence[tuple[str, str]],
           cache: records.HarvestCache | None = None) -> bytes:
    """The XML answer to one request (errors included); never raises OaiError. `cache`
    (kept by the caller between requests) spares recomputing an unchanged repository."""
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    _text(root, "responseDate", records.now_utc())
    request = _text(root, "request", repository.base_url)
    try:
        verb, args = _checked(arguments)
        for name, value in sorted(args.items()):
            request.set(name, value)
        request.set("verb", verb)
        found = records.current(library.catalog, library.vocabulary, repository.policy, cache)
        if verb in ("ListIdentifiers", "ListRecords"):
            root.append(_list(library, repository, found, verb, args))
        else:
            root.append(_VERB_HANDLERS[verb](library, repository, found, args))
    except OaiError as error:
        if error.code in ("badVerb", "badArgument"):
            request.attrib.clear()  # the request could not be read: no attributes echoed
        _text(root, "error", error.message).set("code", error.code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _checked(arguments: Sequence[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    """(verb, arguments) of a legal request; OaiError badVerb or badArgument otherwise."""
    verbs = [v for k, v in arguments if k == "verb"]
    if len(verbs) != 1 or verbs[0] not in VERBS:
        shown = "missing" if not verbs else "repeated" if len(verbs) > 1 else repr(verbs[0][:40])
        raise OaiError("badVerb", f"verb {shown}; verbs are {', '.join(VERBS)}")
    verb = verbs[0]
    args: dict[str, str] = {}
    for name, value in arguments:
        if name == "verb":
            continue
        if name in args:
            raise OaiError("badArgument", f"argument {name[:40]!r} given twice")
        args[name] = value
    required, optional = VERBS[verb]
    allowed = required | optional | ({"resumptionToken"} if verb in RESUMABLE else set())
    for name, value in args.items():
        if name not in allowed:
            raise OaiError("badArgument", f"{verb} takes no argument {name[:40]!r}; it takes "
                                          f"{', '.join(sorted(allowed)) or 'none'}")
        if not value.strip():
            raise OaiError("badArgument", f"argument {name!r} is empty")
        if _NOT_XML.search(value) or len(value) > MAX_TOKEN:
            raise OaiError("badArgument", f"argument {name!r} holds characters XML cannot "
                                          "carry, or is too long")
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument")
        return verb, args
    missing = sorted(required - set(args))
    if missing:
        raise OaiError("badArgument", f"{verb} needs {', '.join(missing)}")
    return verb, args


# --- verbs ---------------------------------------------------------------------------------


def _identify(library: Library, repository: Repository, found: list[RecordHeader],
              args: dict[str, str]) -> etree._Element:
    element = etree.Element(f"{{{OAI_NS}}}Identify")
    _text(element, "repositoryName", repository.name)
    _text(element, "baseURL", repository.base_url)
    _text(element, "protocolVersion", "2.0")
    _text(element, "adminEmail", repository.admin_email)
    _text(element, "earliestDatestamp", records.earliest_datestamp(found))
    _text(element, "deletedRecord", "persistent")
    _text(element, "granularity", GRANULARITY)
    return element


def _list_metadata_formats(library: Library, repository: Repository,
                           found: list[RecordHeader], args: dict[str, str]) -> etree._Element:
    if "identifier" in args:
        _header_of(found, repository, args["identifier"])
    element = etree.Element(f"{{{OAI_NS}}}ListMetadataFormats")
    fmt = etree.SubElement(element, f"{{{OAI_NS}}}metadataFormat")
    _text(fmt, "metadataPrefix", OAI_DC)
    _text(fmt, "schema", OAI_DC_SCHEMA)
    _text(fmt, "metadataNamespace", OAI_DC_NS)
    return element


def _list_sets(library: Library, repository: Repository, found: list[RecordHeader],
               args: dict[str, str]) -> etree._Element:
    if "resumptionToken" in args:  # every set fits in one answer: no token is ever given
        raise OaiError("badResumptionToken", "this repository gives no token for ListSets")
    vocabulary = library.vocabulary
    sets: list[tuple[str, str]] = []
    for name in records.SET_FIELDS:
        sets.append((name, SET_NAMES[name]))
        if name == "collection":
            sets += [(f"collection:{cid}", cname) for cid, cname
                      in records.public_collections(library.catalog).items()]
        elif name == "territory":
            sets += [(records.territory_spec(vocabulary, t.key), t.label)
                      for t in vocabulary.terms("territory")]
        else:
            sets += [(f"{name}:{t.key}", t.label) for t in vocabulary.terms(name)]
    element = etree.Element(f"{{{OAI_NS}}}ListSets")
    for spec, name in sets:
        if records.SET_SPEC.fullmatch(spec):
            one = etree.SubElement(element, f"{{{OAI_NS}}}set")
            _text(one, "setSpec", spec)
            _text(one, "setName", name)
    return element


def _get_record(library: Library, repository: Repository, found: list[RecordHeader],
                args: dict[str, str]) -> etree._Element:
    _check_prefix(args["metadataPrefix"])
    header = _header_of(found, repository, args["identifier"])
    element = etree.Element(f"{{{OAI_NS}}}GetRecord")
    element.append(_record(library, repository, header))
    return element


def _list(library: Library, repository: Repository, found: list[RecordHeader], verb: str,
          args: dict[str, str]) -> etree._Element:
    query = _query(verb, args)
    matching = [h for h in found if _matches(h, query)]
    if not matching:
        raise OaiError("noRecordsMatch", "no record matches these arguments")
    after = query.after
    remaining = [h for h in matching if after is None or (h.datestamp, h.id) > after]
    page = remaining[: repository.page_size]
    element = etree.Element(f"{{{OAI_NS}}}{query.verb}")
    for header in page:
        if query.verb == "ListIdentifiers":
            element.append(_header(repository, header))
        else:
            element.append(_record(library, repository, header))
    if len(remaining) > len(page) or query.after is not None:
        token = _text(element, "resumptionToken", "")
        token.set("completeListSize", str(len(matching)))
        token.set("cursor", str(query.cursor))
        if len(remaining) > len(page):
            last = page[-1]
            token.text = _encode(ListQuery(
                query.verb, query.prefix, query.start, query.until, query.set,
                (last.datestamp, last.id), query.cursor + len(page)))
    return element


_VERB_HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
}


# --- records -------------------------------------------------------------------------------


def _header_of(found: list[RecordHeader], repository: Repository, identifier: str
               ) -> RecordHeader:
    doc_id = repository.document_id(identifier)
    header = records.header(found, doc_id) if doc_id else None
    if header is None:
        raise OaiError("idDoesNotExist", f"no record {identifier[:120]!r} in this repository")
    return header


def _header(repository: Repository, header: RecordHeader) -> etree._Element:
    element = etree.Element(f"{{{OAI_NS}}}header")
    if header.deleted:
        element.set("status", "deleted")
    _text(element, "identifier", repository.identifier(header.id))
    _text(element, "datestamp", header.datestamp)
    for spec in _with_parents(header.sets):
        _text(element, "setSpec", spec)
    return element


def _record(library: Library, repository: Repository, header: RecordHeader
            ) -> etree._Element:
    element = etree.Element(f"{{{OAI_NS}}}record")
    element.append(_header(repository, header))
    if not header.deleted:
        metadata = etree.SubElement(element, f"{{{OAI_NS}}}metadata")
        reference = exports.reference(library, header.id, repository.public_url)
        metadata.append(dublin_core(reference))
    return element


def _with_parents(specs: Sequence[str]) -> list[str]:
    """Every set a record is in: `territory:france:bretagne` is in `territory:france` and
    `territory` too (OAI-PMH's set hierarchy)."""
    found: dict[str, None] = {}
    for spec in specs:
        parts = spec.split(":")
        for n in range(1, len(parts) + 1):
            found.setdefault(":".join(parts[:n]), None)
    return list(found)


def _matches(header: RecordHeader, query: ListQuery) -> bool:
    if query.start is not None and header.datestamp < query.start:
        return False
    if query.until is not None and header.datestamp > query.until:
        return False
    return query.set is None or header.in_set(query.set)


# --- arguments and tokens ------------------------------------------------------------------


def _check_prefix(prefix: str) -> None:
    if prefix != OAI_DC:
        raise OaiError("cannotDisseminateFormat",
                       f"metadata format {prefix[:40]!r} is not offered; use {OAI_DC}")


def _query(verb: str, args: dict[str, str]) -> ListQuery:
    """What a list request selects, from its arguments or its resumption token."""
    if "resumptionToken" in args:
        query = _decode(args["resumptionToken"])
        if query.verb != verb:
            raise OaiError("badResumptionToken", f"this token continues a {query.verb}, "
                                                 f"not a {verb}")
        return query
    _check_prefix(args["metadataPrefix"])
    start, until = _dates(args.get("from"), args.get("until"))
    chosen = args.get("set")
    if chosen is not None and not records.SET_SPEC.fullmatch(chosen):
        raise OaiError("badArgument", f"set: {chosen[:60]!r} is not a setSpec")
    return ListQuery(verb, OAI_DC, start, until, chosen)


def _dates(start: str | None, until: str | None) -> tuple[str | None, str | None]:
    """`from` and `until` as UTC second datestamps (a day's `until` is its last second);
    OaiError badArgument for a malformed date, mixed granularities or from > until."""
    forms = []
    for name, value in (("from", start), ("until", until)):
        if value is None:
            continue
        if _SECOND.fullmatch(value):
            forms.append("second")
            pattern = "%Y-%m-%dT%H:%M:%SZ"
        elif _DAY.fullmatch(value):
            forms.append("day")
            pattern = "%Y-%m-%d"
        else:
            raise OaiError("badArgument", f"{name}: {value[:40]!r} is not a date "
                                          "(YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)")
        try:
            datetime.strptime(value, pattern)
        except ValueError:
            raise OaiError("badArgument", f"{name}: {value[:40]!r} is not a date") from None
    if len(set(forms)) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity")
    if start is not None and len(start) == 10:
        start += "T00:00:00Z"
    if until is not None and len(until) == 10:
        until += "T23:59:59Z"
    if start is not None and until is not None and start > until:
        raise OaiError("badArgument", "from is later than until")
    return start, until


def _encode(query: ListQuery) -> str:
    data = {"v": query.verb, "m": query.prefix, "f": query.start, "u": query.until,
            "s": query.set, "a": list(query.after) if query.after else None,
            "c": query.cursor}
    raw = json.dumps(data, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(token: str) -> ListQuery:
    """The query a token carries; OaiError badResumptionToken for anything else."""
    bad = OaiError("badResumptionToken", "this resumption token is not one of ours, or "
                                         "is damaged: start the list again")
    if len(token) > MAX_TOKEN:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
        after = data["a"]
        query = ListQuery(
            verb=data["v"], prefix=data["m"], start=data["f"], until=data["u"], set=data["s"],
            after=(str(after[0]), str(after[1])) if after else None, cursor=int(data["c"]),
        )
    except (binascii.Error, ValueError, KeyError, TypeError, IndexError,
            UnicodeDecodeError):
        raise bad from None
    if query.verb not in ("ListIdentifiers", "ListRecords") or query.prefix != OAI_DC:
        raise bad
    for value in (query.start, query.until, query.set):
        if value is not None and not isinstance(value, str):
            raise bad
    return query


def _text(parent: etree._Element, name: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{OAI_NS}}}{name}")
    element.text = text
    return element
