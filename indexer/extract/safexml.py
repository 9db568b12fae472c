"""lxml parsers that never fetch anything, never expand entities and cap tree depth.

Every XML or HTML parse in the extractors goes through these, so a hostile file cannot read
a local file (XXE), reach the network, expand a billion laughs or exhaust the C stack.
"""

from __future__ import annotations

from html.entities import html5
from typing import Any

from lxml import etree


def xml_parser(encoding: str | None = None) -> etree.XMLParser:
    """A fresh XML parser: no network, no DTD, no entity resolution, libxml2 size limits.

    `encoding` overrides what the document declares (for text we decoded ourselves).
    """
    return etree.XMLParser(
        encoding=encoding,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def html_parser() -> etree.HTMLParser:
    """A fresh HTML parser for UTF-8 input: no network, libxml2 depth and size limits."""
    return etree.HTMLParser(
        encoding="utf-8",
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        default_doctype=False,
    )


def parse_xml(data: bytes, encoding: str | None = None) -> Any:
    """The root element of `data`; raises etree.XMLSyntaxError if it is not well-formed."""
    return etree.fromstring(data, xml_parser(encoding))


def entity_text(node: Any) -> str:
    """Text for an unexpanded entity reference: a standard HTML entity, else nothing.

    Named HTML entities (&nbsp; &eacute;) come from Python's static table; any other entity
    (declared in the document, possibly external) stays unexpanded and gives no text.
    """
    name = getattr(node, "name", None)
    if not name:
        return ""
    return html5.get(f"{name};", "")


def local_name(tag: object) -> str:
    """'p' for '{http://www.w3.org/1999/xhtml}p' or 'p'; '' for comments and entities."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def depth_exceeded(parser: Any) -> bool:
    """True if libxml2 stopped at its nesting limit while parsing with `parser`."""
    return any("Excessive depth" in entry.message for entry in parser.error_log)
