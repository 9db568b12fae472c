"""HTML and XHTML: main text without scripts or navigation, sections at h1-h6, head metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from indexer.extract import charsets, html_title, sniff
from indexer.extract.base import ExtractedDocument, Limits
from indexer.extract.common import DocumentBuilder, fail, split_list
from indexer.extract.dates import to_iso
from indexer.extract.safexml import depth_exceeded, entity_text, html_parser, local_name, xml_parser

_PRESCAN_BYTES = 8 * 1024
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:\-]+)")
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([\w.:\-]+)", re.I)
_SPACES = re.compile(r"[ \t\n\r\f]+")
_NEWLINES = re.compile(r"\n{2,}")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Never text a reader came for.
# fmt: off
_SKIP = frozenset({
    "script", "style", "noscript", "template", "iframe", "frame", "frameset",
    "noframes", "object", "embed", "applet", "svg", "math", "canvas", "map", "audio", "video",
    "picture", "source", "select", "option", "datalist", "button", "input", "textarea", "head",
})
# fmt: on
# What is furniture is decided by structure, not by a class name alone: boxes, notes,
# admonitions, asides, captions, definition lists and table cells are content (technical
# books put whole paragraphs in `<div class="sidebar">`). Only these are left out:
# - the site's header, footer, navigation and side column: these elements (and roles) at
#   page level, i.e. not inside an article/main/section, where a header holds the
#   article's title and an aside a box of the article;
_FURNITURE = frozenset({"header", "footer", "nav", "aside"})
_CONTENT = frozenset({"article", "main", "section"})
_FURNITURE_ROLES = frozenset({"banner", "contentinfo", "complementary"})
# - navigation wherever it is: menus and search forms by their ARIA role;
_SKIP_ROLES = frozenset({"navigation", "search", "menu", "menubar"})
# - hidden elements (`hidden`, aria-hidden, an inline display:none);
# - a navigation aid of old CMS templates (SPIP, Joomla...): a block whose class or id names
#   one AND whose text is mostly link text.
# fmt: off
_NAVIGATION_CLASSES = frozenset({
    "breadcrumb", "breadcrumbs", "fil-ariane", "ariane", "skip-link", "skiplinks", "navbar",
    "menu", "docnav", "navheader", "navfooter",  # the last three: DocBook's page links
})
# fmt: on
_LINK_DENSE = 0.5  # share of a block's characters in links that makes it a link list
# fmt: off
_BLOCKS = frozenset({
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "footer", "hr", "legend", "li", "main", "menu", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "ul",
})
# fmt: on
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CELLS = frozenset({"td", "th"})

_AUTHOR = ("author", "dc.creator", "dcterms.creator", "article:author", "dc.contributor")
_DESCRIPTION = ("description", "dc.description", "dcterms.description", "og:description")
_KEYWORDS = ("keywords", "dc.subject", "dcterms.subject", "news_keywords", "article:tag")
_CREATED = (
    "dcterms.created",
    "dc.date.created",
    "dcterms.issued",
    "dc.date.issued",
    "article:published_time",
    "date",
    "dc.date",
    "dcterms.date",
    "created",
)
_MODIFIED = ("dcterms.modified", "dc.date.modified", "article:modified_time", "last-modified")
_TITLE = ("dc.title", "dcterms.title", "og:title")
_LANGUAGE = ("dc.language", "dcterms.language", "content-language", "language")
_MAX_META = 500


class HtmlExtractor:
    """text/html, parsed leniently by libxml2's HTML parser."""

    media_types = frozenset({sniff.HTML})

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        return extract_markup(path, limits, sniff.HTML)


class XhtmlExtractor:
    """application/xhtml+xml: parsed as XML (no entities, no DTD); HTML parser if malformed."""

    media_types = frozenset({sniff.XHTML})

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        return extract_markup(path, limits, sniff.XHTML)


def extract_markup(path: Path, limits: Limits, media_type: str) -> ExtractedDocument:
    """Read, decode, parse and walk an HTML or XHTML file. Raises ExtractionFailed."""
    try:
        data = path.read_bytes()
    except TimeoutError:  # a caller's time limit (an OSError): not a file problem
        raise
    except OSError as exc:
        raise fail(path, f"cannot read file: {exc.strerror or exc}") from exc
    builder = DocumentBuilder(path, media_type, limits)
    decoded = charsets.decode(data, declared_encoding(data))
    if decoded.warning:
        builder.warn(decoded.warning)
    del data
    utf8 = decoded.text.encode("utf-8")
    root = _parse(path, utf8, media_type, builder)
    meta = read_head(root)
    walker = _Walker()
    content = _content_root(root)
    walker.walk(content)
    under_label = html_title.title_under_label(content, walker.first_h1)
    for heading, text in walker.sections:
        builder.add(text, heading=heading)
    return builder.build(
        title=meta.title,
        authors=meta.authors,
        created=meta.created,
        modified=meta.modified,
        language=meta.language,
        keywords=meta.keywords,
        description=meta.description,
        encoding=decoded.encoding,
        properties=meta.properties,
        shown_title=under_label or walker.first_h1 or meta.page_title,
        shown_title_source=_shown_source(under_label, walker.first_h1),
    )


def _shown_source(under_label: str | None, first_h1: str | None) -> str:
    if under_label:
        return html_title.SOURCE
    return "<h1> of the page" if first_h1 else "<title> of the page"


def declared_encoding(data: bytes) -> str | None:
    """The encoding an XML declaration or a <meta> charset declares in the first 8 KB."""
    head = data[:_PRESCAN_BYTES]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(head)
        if match is not None:
            return match.group(1).decode("ascii")
    return None


def _parse(path: Path, utf8: bytes, media_type: str, builder: DocumentBuilder) -> Any:
    if media_type == sniff.XHTML:
        parser = xml_parser("utf-8")
        try:
            root = etree.fromstring(utf8, parser)
        except etree.XMLSyntaxError as exc:
            builder.warn(f"not well-formed XHTML ({exc}); read as HTML instead")
            # The HTML parser would show an internal DTD subset as text: drop the doctype.
            utf8 = _without_doctype(utf8)
        else:
            if depth_exceeded(parser):
                builder.warn(_DEPTH_WARNING)
            return root
    parser = html_parser()
    try:
        root = etree.fromstring(utf8, parser)
    except (etree.XMLSyntaxError, etree.ParserError, ValueError) as exc:
        raise fail(path, f"unreadable HTML ({exc})") from exc
    if root is None:
        raise fail(path, "no text found")
    if depth_exceeded(parser):
        builder.warn(_DEPTH_WARNING)
    return root


def _without_doctype(data: bytes) -> bytes:
    start = data.find(b"<!DOCTYPE", 0, _PRESCAN_BYTES)
    if start < 0:
        return data
    bracket, close = data.find(b"[", start), data.find(b">", start)
    if 0 <= bracket < close:
        end = data.find(b"]", bracket)
        close = data.find(b">", end) if end >= 0 else -1
    return data if close < 0 else data[:start] + data[close + 1 :]


_DEPTH_WARNING = (
    "elements nested deeper than the parser's limit (256 levels): the text below was dropped"
)


@dataclass
class HeadMeta:
    """What the <head> of a page says about it."""

    title: str | None = None
    page_title: str | None = None  # the <title> element's own text
    authors: list[str] = field(default_factory=list)
    created: str | None = None
    modified: str | None = None
    language: str | None = None
    keywords: list[str] = field(default_factory=list)
    description: str | None = None
    properties: dict[str, str] = field(default_factory=dict)


def read_head(root: Any) -> HeadMeta:
    """Title, <meta> author/description/keywords/dates (and dc.* variants), language."""
    meta = HeadMeta()
    head = next((el for el in root.iter() if local_name(el.tag).lower() == "head"), None)
    values: dict[str, list[str]] = {}
    if head is not None:
        for el in head.iter():
            name = local_name(el.tag).lower()
            if name == "title" and meta.title is None:
                meta.title = meta.page_title = _text_of(el) or None
            elif name == "meta" and len(values) < _MAX_META:
                key = el.get("name") or el.get("property") or el.get("http-equiv")
                content = el.get("content")
                if key and content and content.strip():
                    values.setdefault(key.strip().lower(), []).append(content.strip())
    meta.title = meta.title or _first(values, _TITLE)
    for key in _AUTHOR:
        for value in values.get(key, []):
            meta.authors.extend(split_list(value))
    for key in _KEYWORDS:
        for value in values.get(key, []):
            meta.keywords.extend(split_list(value, ",;"))
    meta.description = _first(values, _DESCRIPTION)
    meta.created = next(filter(None, (to_iso(v) for v in _all(values, _CREATED))), None)
    meta.modified = next(filter(None, (to_iso(v) for v in _all(values, _MODIFIED))), None)
    meta.language = root.get("lang") or root.get(_XML_LANG) or _first(values, _LANGUAGE)
    used = set(_AUTHOR + _KEYWORDS + _DESCRIPTION + _CREATED + _MODIFIED + _TITLE + _LANGUAGE)
    for key, found in values.items():
        if key not in used and key != "content-type":
            meta.properties[key] = found[0]
    for key in _CREATED + _MODIFIED:
        if key in values and not to_iso(values[key][0]):
            meta.properties[key] = values[key][0]
    return meta


def _first(values: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    return next(iter(_all(values, keys)), None)


def _all(values: dict[str, list[str]], keys: tuple[str, ...]) -> list[str]:
    return [value for key in keys for value in values.get(key, [])]


def _text_of(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def _content_root(root: Any) -> Any:
    """<main> (or role=main) when the page has one with text, else <body>, else the root."""
    body = None
    for el in root.iter():
        name = local_name(el.tag).lower()
        if name == "main" or (el.get("role") or "").lower() == "main":
            if _text_of(el):
                return el
        elif name == "body" and body is None:
            body = el
    return body if body is not None else root


def _link_dense(el: Any) -> bool:
    """Whether most of the text of `el` is the text of its links."""
    total = len("".join(el.itertext()).split())
    if total == 0:
        return True
    linked = sum(
        len("".join(a.itertext()).split())
        for a in el.iter()
        if isinstance(a.tag, str) and local_name(a.tag).lower() == "a"
    )
    return linked >= _LINK_DENSE * total


class _Walker:
    """Turns an element tree into (heading, text) sections, iteratively (no recursion)."""

    def __init__(self) -> None:
        self.sections: list[tuple[str | None, str]] = []
        self.first_h1: str | None = None
        self._heading: str | None = None
        self._parts: list[str] = []
        self._heading_start: int | None = None
        self._pre = 0
        self._content = 0

    def walk(self, root: Any) -> None:
        events = etree.iterwalk(root, events=("start", "end"))
        skipping = None  # the element whose subtree is skipped; its own "end" still comes
        for event, el in events:
            if isinstance(el, etree._Entity):
                if event == "start":
                    self._text(entity_text(el))
                    self._text(el.tail)
                continue
            name = local_name(el.tag).lower()
            if event == "start":
                if el is not root and self._skipped(el, name):
                    events.skip_subtree()
                    skipping = el
                    self._text(el.tail)
                else:
                    self._open(el, name)
            elif el is skipping:
                skipping = None
            else:
                self._close(el, name)
        self._flush()

    def _skipped(self, el: Any, name: str) -> bool:
        if not name or name in _SKIP:
            return True
        role = (el.get("role") or "").lower()
        if role in _SKIP_ROLES:
            return True
        if (name in _FURNITURE or role in _FURNITURE_ROLES) and self._content == 0:
            return True
        if el.get("hidden") is not None or el.get("aria-hidden") == "true":
            return True
        style = el.get("style")
        if style and _HIDDEN_STYLE.search(style):
            return True
        names = f"{el.get('class') or ''} {el.get('id') or ''}".lower().split()
        return not _NAVIGATION_CLASSES.isdisjoint(names) and _link_dense(el)

    def _open(self, el: Any, name: str) -> None:
        if name in _HEADINGS:
            self._flush()
            self._heading_start = 0
        elif name in _BLOCKS:
            self._parts.append("\n")
        if name in _CONTENT:
            self._content += 1
        if name == "pre":
            self._pre += 1
        elif name == "br":
            self._parts.append("\n")
        self._text(el.text)

    def _close(self, el: Any, name: str) -> None:
        if name in _HEADINGS and self._heading_start is not None:
            self._heading = " ".join("".join(self._parts[self._heading_start :]).split())
            self._heading_start = None
            if name == "h1" and self.first_h1 is None:
                self.first_h1 = self._heading or None
        if name in _BLOCKS:
            self._parts.append("\n")
        elif name in _CELLS:
            self._parts.append("\t")
        if name in _CONTENT:
            self._content -= 1
        if name == "pre":
            self._pre -= 1
        self._text(el.tail)

    def _text(self, text: str | None) -> None:
        if text:
            self._parts.append(text if self._pre else _SPACES.sub(" ", text))

    def _flush(self) -> None:
        lines = (line.strip(" \t") for line in "".join(self._parts).split("\n"))
        # One line per block, as the DOCX and ODT extractors give.
        text = _NEWLINES.sub("\n", "\n".join(lines)).strip()
        if text or self._heading:
            self.sections.append((self._heading, text))
        self._parts = []
        self._heading = None
