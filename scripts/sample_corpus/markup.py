"""The small markup of the documents' sources: blocks, inline links, and the text an
extractor should find in the rendered file."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape

from sample_corpus.documents import Doc

LINK_RE = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")

Block = tuple[str, object]


def parse(markup: str) -> list[Block]:
    """Blocks of a markup text: (kind, value) with kind in h1 h2 h3 p ul table break."""
    lines: list[str] = []
    for raw in markup.strip("\n").splitlines():
        if raw.startswith("  ") and lines and lines[-1]:
            lines[-1] += " " + raw.strip()
        else:
            lines.append(raw.rstrip())
    groups: list[list[str]] = [[]]
    for line in lines:
        if line:
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    blocks: list[Block] = []
    for group in filter(None, groups):
        first = group[0]
        if first == "===":
            blocks.append(("break", None))
        elif first.startswith("#"):
            level, _, text = first.partition(" ")
            blocks.append((f"h{len(level)}", text))
            if len(group) > 1:
                raise ValueError(f"heading followed by text without a blank line: {first!r}")
        elif first.startswith("- "):
            if not all(line.startswith("- ") for line in group):
                raise ValueError(f"list mixed with other lines: {first!r}")
            blocks.append(("ul", [line[2:] for line in group]))
        elif first.startswith("|"):
            rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in group]
            if len({len(row) for row in rows}) != 1:
                raise ValueError(f"table rows of different lengths: {first!r}")
            blocks.append(("table", rows))
        else:
            blocks.append(("p", " ".join(group)))
    return blocks


def plain(text: str) -> str:
    """Inline markup removed: a link becomes its text."""
    return LINK_RE.sub(r"\1", text)


def marked_up(text: str, link: Callable[[str, str], str]) -> str:
    """The text XML-escaped, each link written by `link(escaped text, url)`."""
    out, last = [], 0
    for match in LINK_RE.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(link(escape(match.group(1)), match.group(2)))
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def block_texts(blocks: Iterable[Block]) -> list[str]:
    """The text of every block, in reading order, as an extractor should find it."""
    out: list[str] = []
    for kind, value in blocks:
        if kind == "ul":
            out.extend(plain(item) for item in value)  # type: ignore[union-attr]
        elif kind == "table":
            out.extend(plain(cell) for row in value for cell in row)  # type: ignore[union-attr]
        elif kind != "break":
            out.append(plain(value))  # type: ignore[arg-type]
    return out


def words(text: str) -> list[str]:
    return text.split()


def expected_text(doc: Doc) -> str:
    """What an extractor should find in the file (TXT titles are written in capitals)."""
    texts = block_texts(parse(doc.text))
    if doc.fmt == "txt" and texts:
        texts[0] = texts[0].upper()
    return "\n".join(texts)
