"""Plain text and Markdown: decode (BOM, UTF-8, else CP1252) and split Markdown at headings."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from indexer.errors import UnsupportedFormat
from indexer.extract import charsets, sniff
from indexer.extract.base import ExtractedDocument, Limits
from indexer.extract.common import DocumentBuilder, display_name, split_list
from indexer.extract.dates import to_iso
from indexer.messages import _

# A character takes at most 4 bytes in any encoding we read: reading more is never needed.
_BYTES_PER_CHAR = 4
# Raw HTML in Markdown is kept as text, never interpreted.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w\-]*)[ \t]*:[ \t]*(.*)$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]+")


def read_text(path: Path, limits: Limits) -> tuple[charsets.Decoded, bool]:
    """The decoded text of `path` and whether it was cut at the character limit.

    A few control characters in text (NUL, ESC, form feed...) are removed, a form feed or
    vertical tab becoming a line break, and counted in the decoding's warning. Raises
    UnsupportedFormat (application/octet-stream) for bytes without a UTF-16 byte-order
    mark that are binary (`sniff.looks_binary`), whatever the file's name.
    """
    budget = limits.max_text_chars * _BYTES_PER_CHAR + _BYTES_PER_CHAR
    with path.open("rb") as fh:
        data = fh.read(budget)
        cut = bool(fh.read(1))
    bom = charsets.bom_encoding(data)
    if (bom is None or bom == "utf-8-sig") and sniff.looks_binary(data):
        nul = data.find(b"\x00")
        where = f"NUL byte at offset {nul:,}" if nul >= 0 else "control characters"
        raise UnsupportedFormat(
            _("{value}: unsupported format: detected type {octet} (binary content: {where})",
              value=display_name(path), octet=sniff.OCTET, where=where)
        )
    decoded = charsets.decode(data, final=not cut)
    text, removed = _without_controls(decoded.text)
    if removed:
        note = f"{removed:,} control character{'s' if removed > 1 else ''} (NUL, ESC, form "
        note += "feed...) removed"
        warning = f"{decoded.warning}; {note}" if decoded.warning else note
        decoded = dataclasses.replace(decoded, text=text, warning=warning)
    return decoded, cut


def _without_controls(text: str) -> tuple[str, int]:
    """`text` without C0 controls but tab, line feed and carriage return; form feed and
    vertical tab (page and line breaks) become line feeds. Returns the count removed."""
    if _CONTROL_RE.search(text) is None:
        return text, 0
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        count += len(match.group())
        run = match.group()
        return "\n" if "\x0b" in run or "\x0c" in run else ""

    return _CONTROL_RE.sub(replace, text), count


class PlainTextExtractor:
    """text/plain: the whole file as one section."""

    media_types = frozenset({sniff.TEXT})

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        decoded, _encoding = read_text(path, limits)
        builder = DocumentBuilder(path, sniff.TEXT, limits)
        if decoded.warning:
            builder.warn(decoded.warning)
        builder.add(decoded.text)
        return builder.build(encoding=decoded.encoding)


class MarkdownExtractor:
    """text/markdown: sections at ATX and Setext headings; YAML front matter as metadata."""

    media_types = frozenset({sniff.MARKDOWN})

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        decoded, _encoding = read_text(path, limits)
        builder = DocumentBuilder(path, sniff.MARKDOWN, limits)
        if decoded.warning:
            builder.warn(decoded.warning)
        text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
        meta, body = front_matter(text)
        first_h1 = None
        for heading, level, section in markdown_sections(body):
            if level == 1 and first_h1 is None:
                first_h1 = heading
            builder.add(section, heading=heading)
        authors = split_list(meta.pop("author", None)) + split_list(meta.pop("authors", None))
        # A site built from Markdown (Jekyll, Hugo) shows the front matter's title as the
        # page's: the first heading is then a section's ("Le problème", "Contexte").
        stated = meta.pop("title", None)
        return builder.build(
            title=stated or first_h1,
            authors=authors,
            created=to_iso(meta.pop("date", None)),
            modified=to_iso(meta.pop("lastmod", None) or meta.pop("modified", None)),
            language=meta.pop("lang", None) or meta.pop("language", None),
            keywords=split_list(meta.pop("keywords", None), ",;")
            + split_list(meta.pop("tags", None), ",;"),
            description=meta.pop("description", None) or meta.pop("summary", None),
            encoding=decoded.encoding,
            properties=meta,
            shown_title=stated or first_h1,
            shown_title_source="front matter title" if stated else "first heading",
        )


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """Simple `key: value` pairs of a leading YAML block, and the text after it.

    Only flat keys are read (lists as `[a, b]` or `- item` lines); anything else is left
    alone, so no YAML library is needed and nothing is ever executed.
    """
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    meta: dict[str, str] = {}
    key = None
    for line in match.group(1).split("\n"):
        item = line.strip()
        if key is not None and item.startswith("- "):
            meta[key] = "; ".join(filter(None, (meta.get(key), _unquote(item[2:]))))
            continue
        found = _FRONT_KEY.match(line)
        if found is None:
            key = None
            continue
        key, value = found.group(1).lower(), found.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            value = "; ".join(_unquote(v) for v in value[1:-1].split(","))
        meta[key] = _unquote(value)
    return meta, text[match.end() :]


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def markdown_sections(text: str) -> list[tuple[str | None, int, str]]:
    """(heading, level, plain text) runs, split at headings; the text starts with its heading.

    markdown-it-py (CommonMark + tables) does the parsing, so the text keeps no markup:
    no `#`, no table pipes, no emphasis marks; list items keep a "- " marker, table cells
    are separated by " | ", code blocks are kept as they are.
    """
    sections: list[tuple[str | None, int, str]] = []
    heading: str | None = None
    level = 0
    blocks: list[str] = []
    row: list[str] | None = None
    item_prefix = ""
    tokens = _MARKDOWN.parse(text)
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":
            if blocks or heading is not None:
                sections.append((heading, level, "\n\n".join(blocks)))
            heading = _inline_text(tokens[index + 1]).strip() or None
            level, blocks = int(token.tag[1]), []
        elif kind == "list_item_open":
            item_prefix = f"{token.info}{token.markup} " if token.info else "- "
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            blocks.append(" | ".join(row))
            row = None
        elif kind == "inline":
            content = _inline_text(token)
            if row is not None:
                row.append(content.strip())
            elif content.strip():
                blocks.append(item_prefix + content)
                item_prefix = ""
        elif kind in ("fence", "code_block"):
            blocks.append(token.content.rstrip("\n"))
    if blocks or heading is not None or not sections:
        sections.append((heading, level, "\n\n".join(blocks)))
    return sections


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(_inline_text(child))
    return "".join(parts)
